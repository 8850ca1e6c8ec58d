"""The SQLite file: migrations, crash-safe numbering, exact resume, group commit."""
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from halls import at, id_number

from queue_server.store import Store, migrations

ENGINE_TESTS = Path(__file__).resolve().parents[1] / "engine"


def test_migrations_apply_once_in_order(tmp_path):
    path = str(tmp_path / "h.sqlite")
    first = Store(path)
    expected = [v for v, _, _ in migrations()]
    assert expected[0] == 1 and expected == sorted(expected)
    assert first.versions() == set(expected)
    assert first.migrate() == []          # again: nothing to do
    first.close()
    second = Store(path)                  # a restart: nothing applied twice
    rows = second.db.execute("SELECT version FROM schema_version ORDER BY version").fetchall()
    assert [r[0] for r in rows] == expected
    assert {"meta", "tickets", "windows", "idempotency", "evaluations", "audit",
            "appointments", "staff"} <= set(second.db.table_names())
    second.close()


def test_wal_and_full_sync(tmp_path):
    store = Store(str(tmp_path / "h.sqlite"))
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2   # FULL
    store.close()


def test_secrets_are_made_once(tmp_path):
    path = str(tmp_path / "h.sqlite")
    a = Store(path).secrets()
    assert Store(path).secrets() == a and len(a[0]) == 32 and a[0] != a[1]


CRASHER = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[2])
    from halls import at, hall
    from queue_server.service import HallService
    now = [at(9)]
    def clock():
        now[0] += 0.01
        return now[0]
    service = HallService(hall(), sys.argv[1], clock=clock)
    i = 0
    while True:
        i += 1
        reply = service.handle("kiosk", "k1", "ticket.issue",
                               {"transaction": f"t{i}", "category": "ab"[i % 2]})
        if reply["status"] != "ok":
            print("ERR", reply, flush=True)
            break
        print(reply["data"]["ticket"]["number"], flush=True)
""")


def test_numbers_survive_sigkill_and_continue(tmp_path, open_service, clock):
    db = tmp_path / "hall.sqlite"
    script = tmp_path / "crasher.py"
    script.write_text(CRASHER)
    proc = subprocess.Popen([sys.executable, str(script), str(db), str(ENGINE_TESTS)],
                            stdout=subprocess.PIPE, text=True)
    told = []
    try:
        while len(told) < 300:
            line = proc.stdout.readline()
            assert line and not line.startswith("ERR"), line
            told.append(line.strip())
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    clock.now = at(9, 30)
    service = open_service(db)
    stored = {t["number"] for t in service.tickets_of_day()}
    assert set(told) <= stored
    for cat, prefix in (("a", "A"), ("b", "B")):
        mine = sorted(n for n in stored if n.startswith(prefix))
        assert mine == [f"{prefix}{i:03d}" for i in range(1, len(mine) + 1)]   # no gap
        reply = service.handle("kiosk", "k1", "ticket.issue", {"category": cat})
        assert reply["data"]["ticket"]["number"] == f"{prefix}{len(mine) + 1:03d}"


def _strip(value):
    """Drop what differs between two databases by design: times of publishing, link tokens."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in ("ts", "url")}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _morning(service, clock):
    service.staff.add("s1", "李明", "window", "secret001")
    service.staff.add("s2", "赵四", "window", "secret002")
    requests = [("window", "1", "window.login", {"staff": "s1", "password": "secret001"}),
                ("window", "2", "window.login", {"staff": "s2", "password": "secret002"})]
    for i in range(12):
        cat = "ab"[i % 2]
        prio = "green" if i % 5 == 3 else "normal"
        requests.append(("kiosk", "k1", "ticket.issue", {"category": cat, "priority": prio}))
    requests += [("window", "1", "window.call_next", {}), ("window", "1", "window.finish", {}),
                 ("window", "1", "window.call_next", {}),
                 ("window", "1", "window.transfer", {"to_window": "2"}),
                 ("window", "2", "window.call_next", {}), ("window", "2", "window.start", {}),
                 ("window", "1", "window.call_next", {})]
    for r in requests:
        clock.advance(7)
        assert service.handle(*r)["status"] == "ok", r


AFTERNOON = [("window", "2", "window.finish", {}), ("window", "1", "window.recall", {}),
             ("window", "1", "window.finish", {})] + \
            [("window", w, "window.call_next", {}) for w in "12"] + \
            [("window", w, "window.skip", {}) for w in "12"] * 1 + \
            [("window", w, "window.call_next", {}) for w in "2121"]


def test_restart_resumes_the_day_exactly(tmp_path, open_service, clock):
    runs = []
    for restart in (False, True):
        clock.now = at(9)
        path = tmp_path / f"hall-{restart}.sqlite"
        service = open_service(path)
        _morning(service, clock)
        if restart:
            before = service.retained_states()
            service.close()
            service = open_service(path)
            assert _strip(service.retained_states()) == _strip(before)
        replies = []
        for r in AFTERNOON:
            clock.advance(11)
            replies.append(service.handle(*r))
        runs.append((_strip(replies), _strip(service.retained_states()),
                     _strip(service.tickets_of_day())))
    assert runs[0] == runs[1]
    assert any(r["status"] == "ok" and r["data"]["ticket"]["priority"] == "green"
               for r in runs[0][0] if "ticket" in r.get("data", {}))


def test_a_batch_is_one_transaction(service):
    statements = []
    service.store.db.conn.set_trace_callback(statements.append)
    replies = service.handle_batch(
        [("kiosk", "k1", "ticket.issue", {"transaction": f"b{i}", "category": "a"})
         for i in range(50)])
    assert [r["data"]["ticket"]["number"] for r in replies] == [f"A{i:03d}" for i in range(1, 51)]
    assert statements.count("COMMIT") == 1
    other = sqlite3.connect(service.store.path)     # durable and visible on return
    assert other.execute("SELECT count(*) FROM tickets").fetchone()[0] == 50


def test_no_raw_id_number_in_the_database_files(tmp_path, service, clock):
    number = id_number("19700101", "321")
    reply = service.handle("kiosk", "k1", "ticket.issue",
                           {"category": "c", "identity": {"id_number": number, "name": "孙悟空"},
                            "transaction": "x"})
    assert reply["status"] == "ok"
    service.book_appointment("a", "2025-11-24", "10:00-10:30",
                             {"id_number": number, "name": "孙悟空"})
    service.handle("kiosk", "k1", "appointment.checkin",
                   {"identity": {"id_number": number}})
    blobs = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("hall"))
    assert blobs and number.encode() not in blobs and "孙悟空".encode() not in blobs
    assert "孙*空".encode() in blobs


def test_a_later_migration_upgrades_a_file_of_an_earlier_version(tmp_path, open_service):
    """A hall file written by a yichuang that knew only migration 0001, with a day in it:
    opening it applies 0002 (which kiosk issued a ticket) and keeps the day."""
    path = tmp_path / "old.sqlite"
    (version, name, sql), *later = migrations()
    assert version == 1 and [v for v, _, _ in later][:1] == [2]
    old = sqlite3.connect(path)
    old.executescript(sql + "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                      "name TEXT NOT NULL, applied_at REAL NOT NULL);"
                      f"INSERT INTO schema_version VALUES (1, '{name}', 0);"
                      "INSERT INTO tickets (id, date, category, origin, seq, number, priority, "
                      f"issued_at, token, status) VALUES (1, '2025-11-24', 'a', 'a', 1, 'A001', "
                      f"'normal', {at(8, 30)}, 'tok1', 'waiting');")
    old.commit()
    old.close()

    service = open_service(path=path)          # HallService opens the file: Store migrates it
    assert service.store.versions() == {v for v, _, _ in migrations()}
    assert service.store.migrate() == []
    kept = service.handle("kiosk", "k1", "ticket.lookup", {"number": "A001"})["data"]["ticket"]
    assert kept["status"] == "waiting"
    new = service.handle("kiosk", "k2", "ticket.issue", {"category": "a"})["data"]["ticket"]
    assert new["number"] == "A002"
    rows = dict(service.store.db.execute("SELECT number, kiosk FROM tickets").fetchall())
    assert rows == {"A001": None, "A002": "k2"}
