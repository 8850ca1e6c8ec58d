"""The outbox and inbox on a real SQLite file: owed until acknowledged, received once."""
import os
import signal
import subprocess
import sys
import textwrap

from queue_server.outbox import MAX_BACKOFF_S, Inbox, Outbox, backoff
from queue_server.store import Store


class Clock:
    def __init__(self):
        self.now = 1_000.0

    def __call__(self):
        return self.now


def open_box(tmp_path):
    store = Store(str(tmp_path / "hall.db"))
    clock = Clock()
    return store, Outbox(store.db, clock), Inbox(store.db, clock), clock


def test_records_are_due_in_order_until_acknowledged(tmp_path):
    store, box, _, _ = open_box(tmp_path)
    with store.transaction():
        for n in range(3):
            assert box.put("county", f"r{n}", "rating", {"level": n})
        assert not box.put("county", "r1", "rating", {"level": 9})     # owed already
        box.put("province", "r1", "rating", {"level": 1})             # another destination
    assert [r.id for r in box.due("county")] == ["r0", "r1", "r2"]
    assert box.due("county")[1].body == {"level": 1}
    assert box.delivered("county", ["r1", "r1", "nope"]) == 1
    assert [r.id for r in box.due("county")] == ["r0", "r2"]
    assert [r.id for r in box.due("province")] == ["r1"]
    assert box.backlog("county")["count"] == 2


def test_a_failed_try_waits_for_its_backoff_and_the_line_coming_back_ends_it(tmp_path):
    store, box, _, clock = open_box(tmp_path)
    box.put("province", "c1", "case", {})
    box.failed("province", ["c1"], "HTTP 503")
    assert box.due("province") == []
    assert box.backlog("province")["last_error"] == "HTTP 503"
    clock.now += backoff(1)
    assert [r.tries for r in box.due("province")] == [1]
    box.failed("province", ["c1"], "timeout")
    clock.now += backoff(2) - 1
    assert box.due("province") == []
    box.retry_now("province")
    assert [r.id for r in box.due("province")] == ["c1"]


def test_backoff_doubles_up_to_an_hour():
    assert [backoff(n) for n in (1, 2, 3)] == [5, 10, 20]
    assert backoff(40) == MAX_BACKOFF_S


def test_a_redelivery_is_received_once(tmp_path):
    store, _, inbox, _ = open_box(tmp_path)
    with store.transaction():
        assert inbox.receive("site-a", "r1", "rating")
    assert not inbox.receive("site-a", "r1", "rating")
    assert inbox.receive("site-b", "r1", "rating")          # ids are per sender


def test_a_committed_record_survives_a_kill_and_an_uncommitted_one_is_never_sent(tmp_path):
    db = tmp_path / "hall.db"
    Store(str(db)).close()
    script = textwrap.dedent(f"""
        import os, signal
        from queue_server.outbox import Outbox
        from queue_server.store import Store
        store = Store({str(db)!r})
        box = Outbox(store.db)
        with store.transaction():
            box.put("county", "told", "application", {{"n": 1}})
        store.db.execute("BEGIN IMMEDIATE")
        box.put("county", "half", "application", {{"n": 2}})
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    run = subprocess.run([sys.executable, "-c", script], env={**os.environ})
    assert run.returncode == -signal.SIGKILL
    store = Store(str(db))
    assert [r.id for r in Outbox(store.db).due("county")] == ["told"]
