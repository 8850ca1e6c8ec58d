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
        assert session.elderly                        # ... the next one starts in it again
        assert session.mode.orientation == "landscape"
    finally:
        session.devices.stop()
        hall.stop()
