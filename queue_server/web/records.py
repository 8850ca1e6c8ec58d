"""The console's own reads and writes of the hall database, on its own SQLite connection.

Reports read ticket rows with the columns the bus view leaves out (staff, started_at) and
never hold the hall's lock: in WAL mode a reader does not wait for the queue. The hall's
state (windows, ratings) is HallService's: read and changed through it, never here. The one
write here, audit rows of console-only actions (logins, account changes), is a short
transaction of its own. The schema belongs to the store (migrations 0001-0099).
"""
from __future__ import annotations

import json
import threading

from ..store import connect, transaction

# Never leaves this module: the salted ID hash and the secret link token of a ticket.
_HIDDEN = ("id_hash", "token")


class ConsoleRecords:
    def __init__(self, db_path: str):
        self._db = connect(db_path)
        self._lock = threading.Lock()

    def close(self) -> None:
        self._db.conn.close()

    def tickets(self, date_from: str, date_to: str) -> list[dict]:
        with self._lock:
            rows = self._db.query("SELECT * FROM tickets WHERE date >= ? AND date <= ? ORDER BY id",
                                  [date_from, date_to])
            return [{k: v for k, v in r.items() if k not in _HIDDEN} for r in rows]

    def audit(self, now: float, date: str, staff: str | None, action: str, details: dict,
              window: str | None = None) -> None:
        """An audit row for what only the console does (logins, account changes)."""
        with self._lock, transaction(self._db):
            self._audit(now, date, staff, window, action, None, details)

    def _audit(self, now, date, staff, window, action, ticket, details) -> None:
        self._db.execute("INSERT INTO audit (ts, date, staff, window, action, ticket, details, channel) "
                         "VALUES (?,?,?,?,?,?,?, 'web')", [now, date, staff, window, action, ticket, _json(details)])


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def rectification_of(evaluation: dict) -> dict | None:
    text = evaluation.get("rectification")
    return json.loads(text) if text else None
