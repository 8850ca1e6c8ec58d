"""What a copy of the hall's database gives away, and what a flood of refused requests costs."""
import hashlib
import hmac
import os
import sqlite3
import stat

from halls import id_number

from queue_server.store import Store, id_key_path


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def all_bytes(db_path) -> bytes:
    """The database as a copy of it would hold it: the file and its WAL."""
    return b"".join(open(p, "rb").read() for p in (db_path, db_path + "-wal") if os.path.exists(p))


def test_a_copy_of_the_database_holds_no_key_of_the_id_hashes(service):
    path = service.store.path
    reply = service.handle("kiosk", "k1", "ticket.issue", {"category": "c", "identity": {"id_number": id_number()}})
    assert reply["status"] == "ok", reply
    key_file = id_key_path(path)
    key = bytes.fromhex(key_file.read_text().strip())
    assert len(key) == 32 and mode(key_file) == 0o600
    assert mode(path) == 0o600 and mode(path + "-wal") == 0o600
    stored = sqlite3.connect(path).execute("SELECT id_hash FROM tickets").fetchone()[0]
    assert stored == hmac.new(key, id_number().encode(), hashlib.sha256).hexdigest()
    copy = all_bytes(path)
    assert key.hex().encode() not in copy and key not in copy


def test_an_older_halls_salt_moves_out_of_its_database(open_service, tmp_path):
    """A database of the version that kept the salt in it: today's hashes stay valid (a
    second ticket of a one-a-day category is still refused), the salt leaves the file."""
    path = str(tmp_path / "old.sqlite")
    Store(path).close()
    salt = os.urandom(32).hex()
    old = sqlite3.connect(path)
    old.execute("INSERT INTO meta VALUES ('id_salt', ?)", [salt])
    old.commit()
    old.close()
    os.chmod(path, 0o644)
    service = open_service(path)
    assert id_key_path(path).read_text().strip() == salt
    assert salt.encode() not in all_bytes(path) and mode(path) == 0o600
    person = {"id_number": id_number()}
    first = service.handle("kiosk", "k1", "ticket.issue", {"category": "c", "identity": person})
    stored = sqlite3.connect(path).execute("SELECT id_hash FROM tickets").fetchone()[0]
    assert first["status"] == "ok" and stored == hmac.new(bytes.fromhex(salt), id_number().encode(),
                                                          hashlib.sha256).hexdigest()
    service.close()
    again = open_service(path)          # a restart reads the same key
    second = again.handle("kiosk", "k1", "ticket.issue", {"category": "c", "identity": person})
    assert second["status"] == "error" and second["error"]["code"] == "limit_per_person"


def test_refused_requests_are_counted_and_only_sampled_in_the_audit_log(service, clock):
    for i in range(500):
        service.handle("window", "zz9", "window.call_next", {"transaction": f"t{i}"})
    assert service.refusals.total == 500
    assert len(service.audit_log(window="zz9")) == 5
    clock.advance(60)
    service.handle("window", "zz9", "window.call_next", {})
    assert len(service.audit_log(window="zz9")) == 6      # a new minute: written again
