"""The kiosk session without a window, against a real server and embedded broker: the
server going away (or hanging) while the broker stays, a retry that cannot make a second
ticket."""
import queue
import threading
import time

import pytest

from kiosk.harness import LocalHall

HALL_YAML = __file__.rsplit("/", 1)[0] + "/hall.yaml"


class UiThread:
    """The session's `post`: work handed over from other threads runs here, in the test."""

    def __init__(self):
        self.jobs = queue.Queue()

    def post(self, fn, *args):
        self.jobs.put((fn, args))

    def run_until(self, check, timeout=10.0, session=None):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if session is not None:
                session.tick()
            try:
                fn, args = self.jobs.get(timeout=0.05)
                fn(*args)
            except queue.Empty:
                pass
            if check():
                return True
        return False


@pytest.fixture
def hall():
    hall = LocalHall(HALL_YAML, "k1").start()
    yield hall
    hall.stop()


def test_server_offline_pauses_at_once_and_reopens(hall):
    """The server stops, the broker stays: its retained status (offline) pauses the tiles
    without waiting for any request to time out; they reopen when it is back."""
    ui = UiThread()
    # A request timeout far longer than the test: only the status can pause the tiles.
    session = hall.session(post=ui.post, request_timeout_s=600, probe_interval_s=600)
    session.start()
    try:
        category = hall.config.category("zonghe")
        assert ui.run_until(lambda: session.view.tile(category).can_take)
        hall.stop_server()
        assert ui.run_until(lambda: not session.view.tile(category).can_take)
        tile = session.view.tile(category)
        assert tile.state == "paused" and "暂停服务" in tile.reason
        assert session.view.banner().startswith("暂停取号") and session.view.connected
        assert session.flow.transaction is None          # nothing was asked of the server
        hall.start_server()
        assert ui.run_until(lambda: session.view.tile(category).can_take, 10)
    finally:
        session.stop()


def test_hung_server_times_out_then_retry_gives_one_ticket(hall):
    """Fallback: a server that hangs while its status still says online. The request times
    out, the tiles say so, and 重试 repeats the same transaction: one ticket in the end."""
    ui = UiThread()
    session = hall.session(post=ui.post, request_timeout_s=1.0, probe_interval_s=0.5)
    session.start()
    frozen, release = threading.Event(), threading.Event()

    def hang_the_server():          # a real hang: the server's worker waits on its own lock
        with hall.service._lock:
            frozen.set()
            release.wait(30)

    hanger = threading.Thread(target=hang_the_server, daemon=True)
    try:
        category = hall.config.category("shuiwu")
        assert ui.run_until(lambda: session.view.tile(category).can_take)
        hanger.start()
        assert frozen.wait(5)
        session.leave_home()
        session.choose(session.view.tile(category))
        assert ui.run_until(lambda: session.flow.step == "failed", 5)
        assert session.flow.can_retry and "重试" in session.flow.error_message
        tile = session.view.tile(category)
        assert tile.state == "paused" and "没有响应" in tile.reason
        assert session.client.server_online is True      # its status never said otherwise
        transaction = session.flow.transaction
        session.retry()                                  # still hung: times out again
        assert ui.run_until(lambda: session.flow.step == "failed", 5)
        release.set()
        assert ui.run_until(lambda: session.view.tile(category).can_take, 10, session)
        session.retry()
        assert ui.run_until(lambda: session.flow.step == "done", 5)
        assert session.flow.transaction == transaction
        tickets = [t for t in hall.service.tickets_of_day() if t["category"] == "shuiwu"]
        assert [t["number"] for t in tickets] == [session.flow.ticket["number"]]
    finally:
        release.set()
        session.stop()


def test_a_hall_can_make_elderly_mode_the_default():
    hall = LocalHall(HALL_YAML, "k2").start()        # k2: elderly_default: true
    session = hall.session()
    try:
        assert session.elderly and session.mode.font_scale > 1 and session.mode.speak
        session.set_elderly(False)                    # one citizen switches it off ...
        session.go_home()
        assert not session.elderly                    # ... it stays off while they are here
        session.end()
        assert session.elderly                        # ... the next one starts in it again
        assert session.mode.orientation == "landscape"
    finally:
        session.devices.stop()
        hall.stop()


# -- the citizen is never stuck or exposed (session rules, a clock in the test's hand) ----------
@pytest.fixture
def idle_session(hall):
    now = [1000.0]
    session = hall.session(clock=lambda: now[0])
    session.now = now
    yield session
    session.devices.stop()


def open_tile(hall, category_id):
    from kiosk.flows.hall_view import Tile

    category = hall.config.category(category_id)
    return Tile(category.id, category.prefix, category.name, "open", 0, 0.0)


def test_typed_id_number_goes_after_its_own_short_time_even_in_elderly_mode(hall, idle_session):
    from kiosk_people import YOUNG

    session, limit = idle_session, idle_session.settings.personal_data_s
    session.set_elderly(True)
    assert session.mode.idle_timeout_s > limit       # the elderly time would leave it 2 min
    session.leave_home()
    session.choose(open_tile(hall, "budongchan"))     # real-name: the card step
    for key in YOUNG[:17] + "0":                       # a mistyped number on the keypad
        session.id_entry.press(key)
    session.tick()
    assert session.idle.remaining() == limit           # the countdown the citizen sees
    session.now[0] += limit - 1
    assert not session.tick() and session.id_entry.text
    session.now[0] += 1
    assert session.tick() and session.at_home
    assert session.id_entry.text == "" and session.flow.category is None
    assert not session.elderly                         # the citizen has gone: session over


def test_identity_on_screen_goes_after_the_short_time_but_a_ticket_keeps_its_own(hall,
                                                                                idle_session):
    from kiosk_people import YOUNG

    session, limit = idle_session, idle_session.settings.personal_data_s
    session.leave_home()
    session.choose(open_tile(hall, "budongchan"))
    assert session.identify(YOUNG) == "" and session.flow.step == "priority"
    session.tick()
    assert session.idle.remaining() == limit
    session.now[0] += limit
    assert session.tick() and session.at_home and session.flow.identity is None
    # No identity on screen: the mode's own idle time.
    session.leave_home()
    session.choose(open_tile(hall, "zonghe"))
    session.tick()
    assert session.idle.remaining() == session.mode.idle_timeout_s > limit


def test_back_one_step_keeps_the_mode_until_the_session_ends(hall, idle_session):
    session = idle_session
    session.set_elderly(True)
    session.leave_home()
    session.choose(open_tile(hall, "budongchan"))
    assert session.flow.step == "identity"
    session.back()
    assert session.flow.step == "category" and session.flow.category is None
    assert session.elderly and not session.at_home
    session.back()                                      # from the first step: home
    assert session.at_home and session.elderly
    session.leave_home()
    session.go_home()                                   # 返回首页 is not the end either
    assert session.elderly
    session.now[0] += session.mode.idle_timeout_s       # nobody touches the home screen
    session.tick()
    assert not session.elderly                          # the next citizen: hall's default
