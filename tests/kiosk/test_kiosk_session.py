"""The kiosk session without a window, against a real server and embedded broker: the
server going away while the broker stays, a retry that cannot make a second ticket."""
import queue
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


def test_server_gone_pauses_then_retry_gives_one_ticket(hall):
    ui = UiThread()
    session = hall.session(post=ui.post, request_timeout_s=1.0, probe_interval_s=0.5)
    session.start()
    try:
        category = hall.config.category("shuiwu")
        assert ui.run_until(lambda: session.view.tile(category).can_take)
        hall.stop_server()
        session.leave_home()
        session.choose(session.view.tile(category))
        assert ui.run_until(lambda: session.flow.step == "failed", 5)
        assert session.flow.can_retry and "重试" in session.flow.error_message
        tile = session.view.tile(category)
        assert tile.state == "paused" and "没有响应" in tile.reason
        transaction = session.flow.transaction
        session.retry()                            # the server is still away: times out again
        assert ui.run_until(lambda: session.flow.step == "failed", 5)
        hall.start_server()
        assert ui.run_until(lambda: session.view.tile(category).can_take, 10, session)
        session.retry()
        assert ui.run_until(lambda: session.flow.step == "done", 5)
        assert session.flow.transaction == transaction
        tickets = [t for t in hall.service.tickets_of_day() if t["category"] == "shuiwu"]
        assert [t["number"] for t in tickets] == [session.flow.ticket["number"]]
    finally:
        session.stop()
