"""The outbox and the inbox: records owed to another system, delivered at least once and
received at most once.

A record is put in the outbox in the same transaction as the change it reports, so a change
that is committed is never forgotten and one that is rolled back is never sent. A sender
(the bridge to the county, the provincial reporter) asks for the records that are `due`,
sends them, and marks them `delivered` once the other side acknowledges their ids, or
`failed` (tried again after a back-off that doubles up to `MAX_BACKOFF_S`). Nothing is
deleted before it is delivered, whatever the line or the server does in between.

The receiving side calls `Inbox.receive` in the transaction that applies a record: the first
delivery of an id applies it, a redelivery (the ack was lost, the sender restarted) is
acknowledged again and changes nothing.

The store's transactions are the caller's: these classes never BEGIN or COMMIT.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Callable, Iterable

FIRST_BACKOFF_S = 5.0
MAX_BACKOFF_S = 3600.0


@dataclass(frozen=True)
class Record:
    destination: str
    id: str
    kind: str
    body: dict
    created_at: float
    tries: int


def backoff(tries: int, cap: float = MAX_BACKOFF_S) -> float:
    """Seconds before the next try after `tries` failed ones (5 s, 10 s, ... up to `cap`)."""
    return min(FIRST_BACKOFF_S * 2 ** min(max(tries - 1, 0), 30), cap)


class Outbox:
    def __init__(self, db, clock: Callable[[], float] = time.time):
        self.db = db                     # a sqlite_utils.Database (store.connect)
        self.clock = clock

    def put(self, destination: str, id: str, kind: str, body: dict) -> bool:
        """Owe `body` to `destination` under `id`; False when that id is owed already."""
        cur = self.db.execute(
            "INSERT OR IGNORE INTO outbox (destination, id, kind, body, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [destination, id, kind, json.dumps(body, ensure_ascii=False, sort_keys=True),
             self.clock()])
        return cur.rowcount == 1

    def due(self, destination: str, limit: int = 100) -> list[Record]:
        """The oldest undelivered records whose back-off is over, in the order they were put."""
        rows = self.db.execute(
            "SELECT destination, id, kind, body, created_at, tries FROM outbox "
            "WHERE destination = ? AND delivered_at IS NULL AND next_try_at <= ? "
            "ORDER BY seq LIMIT ?", [destination, self.clock(), limit]).fetchall()
        return [Record(d, i, k, json.loads(b), c, t) for d, i, k, b, c, t in rows]

    def delivered(self, destination: str, ids: Iterable[str]) -> int:
        """Mark acknowledged ids; ids not owed (or acknowledged twice) are ignored."""
        now = self.clock()
        return sum(self.db.execute(
            "UPDATE outbox SET delivered_at = ?, last_error = NULL WHERE destination = ? "
            "AND id = ? AND delivered_at IS NULL", [now, destination, i]).rowcount for i in ids)

    def failed(self, destination: str, ids: Iterable[str], error: str,
               cap: float = MAX_BACKOFF_S) -> None:
        """A try that was not acknowledged: try again after the back-off (at most `cap`)."""
        now = self.clock()
        for i in ids:
            row = self.db.execute("SELECT tries FROM outbox WHERE destination = ? AND id = ? "
                                  "AND delivered_at IS NULL", [destination, i]).fetchone()
            if row is None:
                continue
            tries = row[0] + 1
            self.db.execute(
                "UPDATE outbox SET tries = ?, next_try_at = ?, last_error = ? "
                "WHERE destination = ? AND id = ?",
                [tries, now + backoff(tries, cap), error[:200], destination, i])

    def retry_now(self, destination: str) -> None:
        """The line is back: end every back-off of `destination` (tries are kept)."""
        self.db.execute("UPDATE outbox SET next_try_at = 0 WHERE destination = ? "
                        "AND delivered_at IS NULL", [destination])

    def backlog(self, destination: str) -> dict:
        """How much is owed: {"count", "oldest" (created_at or None), "last_error"}."""
        count, oldest = self.db.execute(
            "SELECT count(*), min(created_at) FROM outbox WHERE destination = ? "
            "AND delivered_at IS NULL", [destination]).fetchone()
        error = self.db.execute(
            "SELECT last_error FROM outbox WHERE destination = ? AND delivered_at IS NULL "
            "AND last_error IS NOT NULL ORDER BY seq DESC LIMIT 1", [destination]).fetchone()
        return {"count": count, "oldest": oldest, "last_error": error[0] if error else None}

    def forget_delivered(self, before: float, destination: str | None = None) -> int:
        """Delete records acknowledged before `before` (the day roll keeps a few days), of one
        destination or of all."""
        if destination is None:
            return self.db.execute("DELETE FROM outbox WHERE delivered_at < ?", [before]).rowcount
        return self.db.execute("DELETE FROM outbox WHERE delivered_at < ? AND destination = ?",
                               [before, destination]).rowcount


class Inbox:
    def __init__(self, db, clock: Callable[[], float] = time.time):
        self.db = db
        self.clock = clock

    def receive(self, source: str, id: str, kind: str) -> bool:
        """True the first time `source` delivers `id`: apply it in this same transaction."""
        cur = self.db.execute("INSERT OR IGNORE INTO inbox VALUES (?, ?, ?, ?)",
                              [source, id, kind, self.clock()])
        return cur.rowcount == 1
