"""The hall's SQLite file: migrations, crash-safe rows of the day, queries for the console.

Durability: WAL with synchronous=FULL, so COMMIT returns only after the log is on disk. The
service commits a batch of requests before it answers any of them, so a ticket number a
citizen was told always survives a crash, and numbering resumes after the highest stored
sequence of the day.
"""
from __future__ import annotations

import importlib
import json
import os
import re
import secrets
import sqlite3
import sys
import time
from contextlib import contextmanager
from dataclasses import fields
from importlib import resources
from pathlib import Path

from .engine.model import Ticket, WindowSlot


def _import_without(name: str, hidden: tuple[str, ...]):
    """Import `name` as if the `hidden` packages were not installed (those not imported yet)."""
    hide = [h for h in hidden if h not in sys.modules]
    sys.modules.update(dict.fromkeys(hide))     # None there: their import raises ImportError
    try:
        return importlib.import_module(name)
    finally:
        for h in hide:
            sys.modules.pop(h, None)


# sqlite_utils tries numpy and pandas only to map their number types to columns; the store
# never writes them, and numpy alone added 0.1-0.3 s and ~16 MB to the server's start
sqlite_utils = _import_without("sqlite_utils", ("numpy", "pandas"))

TICKET_COLUMNS = tuple(f.name for f in fields(Ticket))
WINDOW_COLUMNS = ("id", "state", "staff", "staff_name", "ticket_id", "reason", "since")
_MIGRATION = re.compile(r"(\d{4})_([a-z0-9_]+)\.sql")
PRIVATE = 0o600          # the hall's data files: the server's user only (names, staff hashes)


def connect(path: str) -> sqlite_utils.Database:
    """A connection in autocommit mode (transactions are explicit), WAL, fsync on commit."""
    _make_private(path)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA busy_timeout=10000")
    return sqlite_utils.Database(conn)


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every queue_server/migrations/NNNN_name.sql, in order."""
    found = []
    for entry in resources.files("queue_server.migrations").iterdir():
        m = _MIGRATION.fullmatch(entry.name)
        if m:
            found.append((int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    return sorted(found)


@contextmanager
def transaction(db: sqlite_utils.Database):
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


class Store:
    def __init__(self, path: str):
        self.path = path
        self.db = connect(path)
        self.migrate()

    def close(self) -> None:
        self.db.conn.close()

    def transaction(self):
        return transaction(self.db)

    # ------------------------------------------------------------ schema
    def migrate(self) -> list[int]:
        """Apply the migrations not applied yet, each in its own transaction; return them."""
        self.db.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                        "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL)")
        applied = []
        for version, name, sql in migrations():
            if version in self.versions():
                continue
            script = (f"BEGIN IMMEDIATE;\n{sql}\n;INSERT INTO schema_version VALUES "
                      f"({version}, '{name}', {time.time()});\nCOMMIT;")
            try:
                self.db.conn.executescript(script)
            except sqlite3.Error:
                if self.db.conn.in_transaction:
                    self.db.conn.execute("ROLLBACK")
                if version not in self.versions():   # not a concurrent process that won
                    raise
                continue
            applied.append(version)
        return applied

    def versions(self) -> set[int]:
        return {r[0] for r in self.db.execute("SELECT version FROM schema_version")}

    def secrets(self) -> tuple[bytes, bytes]:
        """(key of the ID hashes, key of the ticket links), made once per hall.

        The ID key lives in its own file beside the database (id_key_path), never in it: ID
        numbers are few enough to try them all, so whoever holds the key and a hash holds
        the number. A database of an older version kept it in the table meta as "id_salt":
        it moves to the file (the hashes of today's tickets and of booked appointments stay
        valid) and is wiped from the database file."""
        with self.transaction():
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('link_secret', ?)", [secrets.token_hex(32)])
        values = dict(self.db.execute("SELECT key, value FROM meta"))
        id_key = _key_file(id_key_path(self.path), values.get("id_salt"))
        if "id_salt" in values:
            self._wipe_meta("id_salt")
        return id_key, bytes.fromhex(values["link_secret"])

    def _wipe_meta(self, key: str) -> None:
        """Delete a meta row so that no copy of the file has it: zeroed in place, WAL emptied."""
        self.db.execute("PRAGMA secure_delete = ON")
        with self.transaction():
            self.db.execute("DELETE FROM meta WHERE key = ?", [key])
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # ------------------------------------------------------------ day state
    def write_tickets(self, tickets: list[Ticket]) -> None:
        if not tickets:
            return
        cols = ", ".join(TICKET_COLUMNS)
        marks = ", ".join("?" for _ in TICKET_COLUMNS)
        update = ", ".join(f"{c}=excluded.{c}" for c in TICKET_COLUMNS[1:])
        self.db.conn.executemany(
            f"INSERT INTO tickets ({cols}) VALUES ({marks}) ON CONFLICT(id) DO UPDATE SET {update}",
            [_ticket_row(t) for t in tickets])

    def write_windows(self, slots: list[WindowSlot]) -> None:
        self.db.conn.executemany(
            f"INSERT OR REPLACE INTO windows ({', '.join(WINDOW_COLUMNS)}) VALUES (?,?,?,?,?,?,?)",
            [tuple(getattr(s, c) for c in WINDOW_COLUMNS) for s in slots])

    def cancel_stale(self, date: str, now: float) -> int:
        """Tickets of earlier days still waiting (the server was down at midnight)."""
        return self.db.execute("UPDATE tickets SET status='cancelled', finished_at=? "
                               "WHERE status='waiting' AND date < ?", [now, date]).rowcount

    def load_day(self, date: str) -> tuple[list[Ticket], list[dict], int]:
        """(today's tickets plus those windows hold, window rows, next id)."""
        tickets = [_ticket(r) for r in self.db.query(
            "SELECT * FROM tickets WHERE date = ? OR id IN "
            "(SELECT ticket_id FROM windows WHERE ticket_id IS NOT NULL)", [date])]
        windows = list(self.db.query("SELECT * FROM windows"))
        next_id = self.db.execute("SELECT coalesce(max(id), 0) + 1 FROM tickets").fetchone()[0]
        return tickets, windows, next_id

    # ------------------------------------------------------------ idempotency
    def response(self, role: str, client_id: str, txn: str) -> dict | None:
        row = self.db.execute("SELECT response FROM idempotency WHERE role=? AND client_id=? "
                              "AND txn=?", [role, client_id, txn]).fetchone()
        return json.loads(row[0]) if row else None

    def keep_response(self, role: str, client_id: str, txn: str, response: dict,
                      now: float) -> None:
        self.db.execute("INSERT OR REPLACE INTO idempotency VALUES (?, ?, ?, ?, ?)",
                        [role, client_id, txn, _json(response), now])

    def forget_responses(self, before: float) -> None:
        self.db.execute("DELETE FROM idempotency WHERE ts < ?", [before])

    # ------------------------------------------------------------ records
    def evaluation_of(self, ticket_id: int) -> dict | None:
        """The rating of one service (one ticket), or None."""
        row = next(self.db.query("SELECT * FROM evaluations WHERE ticket_id = ?", [ticket_id]), None)
        return _evaluation(row) if row else None

    def save_evaluation(self, record: dict, old: dict | None) -> int:
        """Write a rating, or its change (the same row: one rating per service); its id."""
        values = {c: record[c] for c in EVALUATION_COLUMNS}
        values.update(reasons=_json(record["reasons"]), bad=int(record["bad"]),
                      named=int(record["named"]))
        if old is not None:
            self.db["evaluations"].update(old["id"], values)
            return old["id"]
        return self.db["evaluations"].insert(values).last_pk

    def application_of(self, ticket: str, date: str) -> str | None:
        """The 办件 filed on a ticket of a day (its number), or None."""
        row = self.db.execute("SELECT number FROM applications WHERE date = ? AND "
                              "json_extract(record, '$.ticket') = ? ORDER BY seq DESC LIMIT 1",
                              [date, ticket]).fetchone()
        return row[0] if row else None

    def phone_of_ticket(self, ticket: Ticket) -> str | None:
        """The phone of the booking a ticket was checked in from (kept to the day's end)."""
        if not ticket.appointment:
            return None
        row = self.db.execute("SELECT phone FROM appointments WHERE code = ?",
                              [ticket.appointment]).fetchone()
        return row[0] if row else None

    def rectify_evaluation(self, evaluation_id: int, record: dict, staff: str,
                           now: float) -> dict | None:
        """Keep the rectification (整改) of a bad rating; the rating's row, or None when there
        is no such bad rating."""
        row = next(self.db.query("SELECT * FROM evaluations WHERE id = ? AND bad = 1",
                                 [evaluation_id]), None)
        if row is not None:
            self.db.execute("UPDATE evaluations SET rectified_at = ?, rectified_by = ?, "
                            "rectification = ? WHERE id = ?",
                            [now, staff, _json(record), evaluation_id])
        return row

    def add_audit(self, ts: float, date: str, staff: str | None, window: str | None,
                  action: str, ticket: str | None, details: dict, channel: str) -> int:
        """The audit row's id."""
        return self.db.execute("INSERT INTO audit (ts, date, staff, window, action, ticket, details, "
                               "channel) VALUES (?,?,?,?,?,?,?,?)",
                               [ts, date, staff, window, action, ticket, _json(details), channel]).lastrowid

    def add_appointment(self, row: dict) -> bool:
        """False when the code is taken."""
        try:
            self.db["appointments"].insert(row)
        except sqlite3.IntegrityError:
            return False
        return True

    def appointment(self, code: str) -> dict | None:
        return next(self.db.query("SELECT * FROM appointments WHERE code = ?", [code]), None)

    def appointment_of(self, date: str, id_hash: str) -> dict | None:
        """A person's appointment of the day, one not checked in yet first."""
        return next(self.db.query("SELECT * FROM appointments WHERE date = ? AND id_hash = ? "
                                  "AND cancelled_at IS NULL ORDER BY checked_in, slot", [date, id_hash]), None)

    def check_in(self, code: str, ticket_id: int) -> None:
        self.db.execute("UPDATE appointments SET checked_in = 1, ticket_id = ? WHERE code = ?",
                        [ticket_id, code])

    def booked(self, date: str, category: str, slot: str) -> int:
        """Bookings standing in one slot of one category."""
        return self.db.execute("SELECT count(*) FROM appointments WHERE date = ? AND category = ? "
                               "AND slot = ? AND cancelled_at IS NULL",
                               [date, category, slot]).fetchone()[0]

    def booked_by_slot(self, date: str, category: str) -> dict[str, int]:
        return dict(self.db.execute(
            "SELECT slot, count(*) FROM appointments WHERE date = ? AND category = ? "
            "AND cancelled_at IS NULL GROUP BY slot", [date, category]).fetchall())

    def bookings_of_person(self, id_hash: str) -> list[dict]:
        """Every booking of one ID number that was not cancelled, oldest day first."""
        return list(self.db.query("SELECT * FROM appointments WHERE id_hash = ? AND "
                                  "cancelled_at IS NULL ORDER BY date, slot", [id_hash]))

    def bookings_of_day(self, date: str) -> list[dict]:
        return list(self.db.query("SELECT * FROM appointments WHERE date = ? "
                                  "ORDER BY slot, category, created_at", [date]))

    def cancel_appointment(self, code: str, now: float) -> None:
        self.db.execute("UPDATE appointments SET cancelled_at = ?, phone = NULL WHERE code = ?",
                        [now, code])

    def move_appointment(self, code: str, date: str, slot: str) -> None:
        self.db.execute("UPDATE appointments SET date = ?, slot = ? WHERE code = ?",
                        [date, slot, code])

    def forget_phones(self, before: str) -> int:
        """Erase the full phone numbers of bookings of days before `before`."""
        return self.db.execute("UPDATE appointments SET phone = NULL WHERE date < ? AND "
                               "phone IS NOT NULL", [before]).rowcount

    def capacities(self) -> dict[tuple[str, str], int]:
        return {(r["category"], r["slot"]): r["capacity"]
                for r in self.db.query("SELECT * FROM slot_capacities")}

    def set_capacity(self, category: str, slot: str, capacity: int, staff: str | None,
                     now: float) -> None:
        self.db.execute("INSERT OR REPLACE INTO slot_capacities VALUES (?, ?, ?, ?, ?)",
                        [category, slot, capacity, staff, now])

    def add_catalogue_change(self, ts: float, staff: str | None, code: str, action: str,
                             before: dict | None, after: dict) -> None:
        self.db.execute("INSERT INTO catalogue_changes (ts, staff, code, action, before, after) "
                        "VALUES (?,?,?,?,?,?)",
                        [ts, staff, code, action, None if before is None else _json(before), _json(after)])

    def catalogue_changes(self, code: str | None = None) -> list[dict]:
        """The console's changes of items, oldest first (of one item when `code` is given)."""
        where, params = ("WHERE code = ?", [code]) if code is not None else ("", [])
        rows = self.db.query(f"SELECT * FROM catalogue_changes {where} ORDER BY id", params)
        return [dict(r, before=json.loads(r["before"]) if r["before"] else None,
                     after=json.loads(r["after"])) for r in rows]

    def add_notice(self, row: dict) -> dict:
        """A one-time notice with the next number of its day; the row as stored."""
        seq = self.db.execute("SELECT coalesce(max(seq), 0) + 1 FROM notices WHERE date = ?",
                              [row["date"]]).fetchone()[0]
        number = row["date"][2:].replace("-", "") + f"{seq:03d}"
        stored = dict(row, seq=seq, number=number, materials=_json(row["materials"]))
        self.db["notices"].insert(stored)
        return dict(stored, materials=list(row["materials"]))

    def notice(self, column: str, value: str) -> dict | None:
        """The notice by its number or token (column is code's choice, never input)."""
        assert column in ("number", "token")
        row = next(self.db.query(f"SELECT * FROM notices WHERE {column} = ?", [value]), None)
        return dict(row, materials=json.loads(row["materials"])) if row else None

    def notices_of_ticket(self, ticket_id: int) -> list[dict]:
        return [dict(r, materials=json.loads(r["materials"])) for r in self.db.query(
            "SELECT * FROM notices WHERE ticket_id = ? ORDER BY seq", [ticket_id])]

    # ------------------------------------------------------------ applications
    def application_key(self) -> bytes:
        """The key that seals applications' personal data (applications/sealing.py), kept in
        its own file beside the database like the ID key."""
        return _key_file(app_key_path(self.path), None)

    def sync_key(self, key_file: str = "") -> bytes:
        """The key a site shares with its county (docs/sync.md): sync.key_file, or made once
        beside the database like the application key; never in the database."""
        return _key_file(Path(key_file) if key_file else sync_key_path(self.path), None)

    def day_figures(self, since: str, before: str) -> list[dict]:
        """Each day in [since, before) with tickets: the figures a site sends its county."""
        tickets = self.db.execute(
            "SELECT date, count(*), sum(status = 'done'), sum(status = 'no_show'), "
            "avg(CASE WHEN called_at IS NOT NULL THEN called_at - issued_at END) FROM tickets "
            "WHERE date >= ? AND date < ? GROUP BY date ORDER BY date", [since, before]).fetchall()
        ratings = dict((d, (n, m)) for d, n, m in self.db.execute(
            "SELECT date, count(*), avg(level) FROM evaluations WHERE date >= ? AND date < ? "
            "GROUP BY date", [since, before]).fetchall())
        return [{"date": d, "issued": n, "served": served or 0, "no_show": missed or 0,
                 "mean_wait_s": round(wait, 1) if wait is not None else None,
                 "ratings": ratings.get(d, (0, None))[0],
                 "mean_level": round(ratings[d][1], 2) if d in ratings else None}
                for d, n, served, missed, wait in tickets]

    def bump_application_rev(self, number: str) -> int:
        """Count one more change of the application: its record's id for the county."""
        self.db.execute("UPDATE applications SET rev = rev + 1 WHERE number = ?", [number])
        return self.db.execute("SELECT rev FROM applications WHERE number = ?",
                               [number]).fetchone()[0]

    def next_application_seq(self, date: str) -> int:
        return self.db.execute("SELECT coalesce(max(seq), 0) + 1 FROM applications WHERE date = ?",
                               [date]).fetchone()[0]

    def add_application(self, row: dict) -> None:
        self.db["applications"].insert(row)

    def update_application(self, number: str, values: dict) -> None:
        self.db["applications"].update(number, values)

    def application(self, column: str, value: str) -> dict | None:
        """By number or token (column is code's choice, never input)."""
        assert column in ("number", "token")
        return next(self.db.query(f"SELECT * FROM applications WHERE {column} = ?", [value]), None)

    def applications(self, where: str = "1", params: list = (), limit: int = 500) -> list[dict]:
        return list(self.db.query(f"SELECT * FROM applications WHERE {where} "
                                  f"ORDER BY date, seq LIMIT {int(limit)}", list(params)))

    def add_photo(self, number: str, material: str, sealed: bytes, now: float) -> None:
        self.db["application_photos"].insert(
            {"number": number, "material": material, "sealed": sealed, "created_at": now})

    def photos(self, number: str) -> list[dict]:
        return list(self.db.query("SELECT * FROM application_photos WHERE number = ? ORDER BY id",
                                  [number]))

    def purge_applications(self, today: str) -> int:
        """Erase the personal data of applications kept past their day (zeroed on disk)."""
        self.db.execute("PRAGMA secure_delete = ON")
        gone = "keep_until < ? AND (sealed IS NOT NULL OR id_hash IS NOT NULL)"
        self.db.execute(f"DELETE FROM application_photos WHERE number IN "
                        f"(SELECT number FROM applications WHERE {gone})", [today])
        return self.db.execute(f"UPDATE applications SET sealed = NULL, id_hash = NULL, "
                               f"id_last4 = NULL WHERE {gone}", [today]).rowcount

    def item_counts(self, since: str) -> dict[str, int]:
        """Tickets taken per service item from a day on: the hall's most asked items."""
        return dict(self.db.execute("SELECT service, count(*) FROM tickets WHERE date >= ? "
                                    "AND service IS NOT NULL GROUP BY service",
                                    [since]).fetchall())

    # ------------------------------------------------------------ cases
    def next_case_seq(self, date: str) -> int:
        return self.db.execute("SELECT coalesce(max(seq), 0) + 1 FROM cases WHERE date = ?",
                               [date]).fetchone()[0]

    def add_case(self, row: dict) -> None:
        self.db["cases"].insert(row)

    def update_case(self, number: str, values: dict) -> None:
        self.db["cases"].update(number, values)

    def case(self, column: str, value: object) -> dict | None:
        """By number, token or evaluation_id (column is code's choice, never input)."""
        assert column in ("number", "token", "evaluation_id")
        return next(self.db.query(f"SELECT * FROM cases WHERE {column} = ?", [value]), None)

    def cases(self, where: str = "1", params: list = (), limit: int = 2000) -> list[dict]:
        return list(self.db.query(f"SELECT * FROM cases WHERE {where} "
                                  f"ORDER BY date, seq LIMIT {int(limit)}", list(params)))

    def add_case_note(self, number: str, ts: float, staff: str | None, action: str,
                      text: str) -> None:
        self.db["case_notes"].insert({"number": number, "ts": ts, "staff": staff,
                                      "action": action, "text": text})

    def add_evidence(self, number: str, state: str, staff: str | None, sealed: bytes,
                     now: float) -> None:
        self.db["case_evidence"].insert({"number": number, "state": state, "staff": staff,
                                         "sealed": sealed, "created_at": now})

    def evidence(self, number: str) -> list[dict]:
        return list(self.db.query("SELECT * FROM case_evidence WHERE number = ? ORDER BY id",
                                  [number]))

    def purge_case_contacts(self, before: str) -> int:
        """Erase the sealed contact of cases finished before a day (zeroed on disk)."""
        self.db.execute("PRAGMA secure_delete = ON")
        return self.db.execute(
            "UPDATE cases SET sealed = NULL WHERE sealed IS NOT NULL AND state IN "
            "('closed', 'dismissed') AND json_extract(record, '$.closed_on') < ?",
            [before]).rowcount

    def case_notes(self, number: str) -> list[dict]:
        return list(self.db.query("SELECT ts, staff, action, text FROM case_notes "
                                  "WHERE number = ? ORDER BY id", [number]))

    # ------------------------------------------------------------ queries
    def tickets(self, where: str, params: list) -> list[Ticket]:
        return [_ticket(r) for r in self.db.query(
            f"SELECT * FROM tickets WHERE {where} ORDER BY id", params)]

    def evaluations(self, date_from: str | None, date_to: str | None, bad_only: bool,
                    window: str | None) -> list[dict]:
        where, params = _filters(date_from=date_from, date_to=date_to, window=window)
        if bad_only:
            where.append("bad = 1")
        # the case a bad rating opened (its number and state), for the manager's ratings page
        rows = self.db.query(
            "SELECT * FROM (SELECT e.*, c.number AS case_number, c.state AS case_state "
            "FROM evaluations e LEFT JOIN cases c ON c.evaluation_id = e.id) "
            f"WHERE {' AND '.join(where) or '1'} ORDER BY ts", params)
        return [_evaluation(r) for r in rows]

    def audit(self, date: str | None, window: str | None, staff: str | None,
              limit: int) -> list[dict]:
        where, params = _filters(date_from=date, date_to=date, window=window, staff=staff)
        rows = self.db.query(f"SELECT * FROM audit WHERE {' AND '.join(where) or '1'} "
                             f"ORDER BY id DESC LIMIT {int(limit)}", params)
        return [dict(r, details=json.loads(r["details"])) for r in rows]


def id_key_path(db_path: str) -> Path:
    """The ID key of the hall whose database is db_path: var/county.sqlite -> var/county.idkey."""
    return Path(db_path).with_suffix(".idkey")


def app_key_path(db_path: str) -> Path:
    """The key sealing applications: var/county.sqlite -> var/county.appkey."""
    return Path(db_path).with_suffix(".appkey")


def sync_key_path(db_path: str) -> Path:
    """The key a site shares with its county: var/shiqiao.sqlite -> var/shiqiao.synckey."""
    return Path(db_path).with_suffix(".synckey")


def _key_file(path: Path, legacy_hex: str | None) -> bytes:
    """The key in `path`, made (from legacy_hex, or 32 random bytes) when there is none yet.
    Written whole under a temporary name and linked in place: two processes starting at once
    read the same key, and a crash never leaves half a key."""
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
        try:
            os.write(fd, ((legacy_hex or secrets.token_hex(32)) + "\n").encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass          # another process made it first: theirs is the key
        finally:
            tmp.unlink()
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def _make_private(path: str) -> None:
    """The database and its WAL files readable by the server's user only. SQLite makes the
    WAL files with the database file's mode, so a new database file is made 0600 first;
    an older hall's files (0644) are tightened when they are ours."""
    if path in ("", ":memory:") or path.startswith("file:"):
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))
    except FileExistsError:
        pass
    for name in (path, path + "-wal", path + "-shm"):
        try:
            info = os.stat(name)
        except FileNotFoundError:
            continue
        if info.st_mode & 0o077 and info.st_uid == os.getuid():
            os.chmod(name, PRIVATE)


def _filters(date_from=None, date_to=None, **equal) -> tuple[list[str], list]:
    where, params = [], []
    if date_from:
        where.append("date >= ?")
        params.append(date_from)
    if date_to:
        where.append("date <= ?")
        params.append(date_to)
    for column, value in equal.items():
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    return where, params


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


JSON_COLUMNS = ("transferred_from", "face_check")
EVALUATION_COLUMNS = ("ticket_id", "ticket", "date", "level", "reasons", "window", "staff",
                      "channel", "ts", "bad", "category", "item", "application", "comment",
                      "named", "id_hash", "phone", "created_at", "version")


def _evaluation(row: dict) -> dict:
    return dict(row, reasons=json.loads(row["reasons"]), bad=bool(row["bad"]),
                named=bool(row["named"]))


def _ticket_row(t: Ticket) -> tuple:
    return tuple(_json(getattr(t, c)) if c in JSON_COLUMNS and getattr(t, c)
                 else getattr(t, c) for c in TICKET_COLUMNS)


def _ticket(row: dict) -> Ticket:
    values = {c: row[c] for c in TICKET_COLUMNS}
    for column in JSON_COLUMNS:
        if values[column]:
            values[column] = json.loads(values[column])
    return Ticket(**values)
