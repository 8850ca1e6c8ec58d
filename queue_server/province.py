"""Up to the province: every rating (and every case) goes to the provincial 好差评 platform.

Two halves around the persistent outbox (outbox.py):

- `ProvinceRecords` (the service's, under its lock): `owe(kind, key, body)` puts a record in
  the outbox in the transaction of the change it reports, so a committed rating is never
  forgotten and a rolled-back one never sent. A rating is one kind, a case is just another:
  the cases desk calls `owe("case", ...)` the same way. A hall without `province.url` owes
  nothing.
- `Reporter` (a thread of the server, on its own SQLite connection): takes the `due` records,
  hands each to a `Platform` adapter, marks it `delivered` on success or `failed` (back-off)
  otherwise. Records go in the order they were made; after a failure the reporter waits
  (the same back-off) before it knocks again, so a platform down for a day gets a knock an
  hour, not a flood.

At least once, never twice in effect: a record whose answer was lost (the server killed
mid-send) is sent again after the restart under the same id, and the platform dedupes by that
id (the `Idempotency-Key` header and the body's `id`).

What goes up is what the standard asks of a rating and nothing personal beyond it: no ID
hash, no name, the phone only as 138****5678 (for the platform's own 回访 of a named bad
rating).
"""
from __future__ import annotations

import json
import logging
import ssl
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, Protocol

from hall.config.model import HallConfig
from hall.words import RATING_LEVEL

from .outbox import Outbox, Record, backoff
from .store import connect, transaction

log = logging.getLogger(__name__)
DESTINATION = "province"
POLL_S = 2.0


class PlatformError(Exception):
    """A record the platform did not take (down, refused, timed out): tried again later."""


class Platform(Protocol):
    """An adapter to one provincial platform: send one record or raise PlatformError."""

    def send(self, record: Record) -> None: ...


class ProvinceRecords:
    def __init__(self, config: HallConfig, db, clock: Callable[[], float] = time.time):
        self.enabled = bool(config.province.url)
        self.hall = config.province.hall_code or config.id
        self.outbox = Outbox(db, clock)

    def owe(self, kind: str, key: str, body: dict) -> None:
        """Owe the platform one record (inside the caller's transaction). `key` is unique
        per kind, and a new version of a thing gets a new key (the platform keeps both)."""
        if self.enabled:
            record_id = f"{self.hall}:{kind}:{key}"
            self.outbox.put(DESTINATION, record_id, kind,
                            {"id": record_id, "kind": kind, "hall": self.hall, **body})

    def forget_delivered(self, before: float) -> None:
        """The day roll: records the platform acknowledged before `before` (its own only)."""
        self.outbox.forget_delivered(before, DESTINATION)

    def owe_rating(self, row: dict) -> None:
        self.owe("rating", f"{row['id']}.{row['version']}", rating_record(row))

    def owe_case(self, case, step: str, now: float) -> None:
        """A case opened or moved on (cases/desk.py): one record per step."""
        self.owe("case", f"{case.number}.{step}.{case.state}.{int(now * 1000)}",
                 case_record(case, step, self.hall))


def rating_record(row: dict) -> dict:
    """A stored rating as the platform gets it: the standard's fields, the phone masked."""
    phone = row.get("phone")
    return {"rating": row["id"], "version": row["version"], "date": row["date"],
            "ticket": row["ticket"], "level": row["level"], "level_text": RATING_LEVEL[row["level"]],
            "bad": bool(row["bad"]), "reasons": list(row["reasons"]), "comment": row.get("comment"),
            "channel": row["channel"], "window": row["window"], "staff": row["staff"],
            "category": row.get("category"), "item": row.get("item"),
            "application": row.get("application"), "named": bool(row.get("named")),
            "phone": f"{phone[:3]}****{phone[-4:]}" if phone else None,
            "rated_at": row["ts"], "first_rated_at": row.get("created_at") or row["ts"]}


def case_record(case, step: str, hall: str) -> dict:
    """A case as the platform gets it: its state, dates, who answers, the rectification and
    how the 回访 went. The citizen's own words (complaint, what was said at the 回访) and phone
    stay in the hall."""
    revisit = case.revisit or {}
    return {"case": case.number, "step": step, "case_kind": case.kind, "state": case.state,
            "opened_on": case.opened_on, "due": case.due, "department": case.department,
            "lead": case.lead, "item": case.item, "window": case.window, "staff": case.staff,
            "ticket": case.ticket, "level": case.level, "channel": case.channel,
            "rating": f"{hall}:rating:{case.evaluation}" if case.evaluation else None,
            "named": case.named, "answer": case.answer or None, "rectified_on": case.rectified_on,
            "revisit": {k: revisit.get(k) for k in ("how", "at", "satisfied")} if revisit else None,
            "revisited_on": case.revisited_on, "closed_on": case.closed_on}


class HttpsJson:
    """The platform adapter of a JSON-over-HTTPS receiver: POST the record as JSON to `url`,
    the record id as the Idempotency-Key; any 2xx is taken. The bearer token and the client
    certificate are read from their files (outside the database) at each send, so that a
    renewed credential needs no restart."""

    def __init__(self, settings, base: Path | None = None):
        self.settings = settings
        self.base = base or Path.cwd()

    def _path(self, name: str) -> str:
        return str(self.base / name)

    def _context(self) -> ssl.SSLContext:
        s = self.settings
        context = ssl.create_default_context(cafile=self._path(s.ca_file) if s.ca_file else None)
        if s.cert_file:
            context.load_cert_chain(self._path(s.cert_file),
                                    self._path(s.key_file) if s.key_file else None)
        return context

    def send(self, record: Record) -> None:
        s = self.settings
        headers = {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": record.id}
        try:
            if s.token_file:
                headers["Authorization"] = "Bearer " + Path(self._path(s.token_file)).read_text().strip()
            request = urllib.request.Request(s.url, data=json.dumps(record.body, ensure_ascii=False)
                                             .encode(), headers=headers, method="POST")
            with urllib.request.urlopen(request, timeout=s.timeout_s, context=self._context()) as answer:
                answer.read()
        except urllib.error.HTTPError as exc:
            raise PlatformError(f"HTTP {exc.code}") from None
        except (OSError, ssl.SSLError, ValueError) as exc:   # down, refused, timeout, bad cert
            raise PlatformError(type(exc).__name__ + ": " + str(exc)[:150]) from None


class Reporter:
    """The thread that empties the province's outbox."""

    def __init__(self, config: HallConfig, db_path: str, platform: Platform | None = None,
                 clock: Callable[[], float] = time.time, poll_s: float = POLL_S):
        base = Path(config.source).resolve().parent if config.source else Path.cwd()
        self.platform = platform or HttpsJson(config.province, base)
        self.batch = config.province.batch
        self.db = connect(db_path)
        self.outbox = Outbox(self.db, clock)
        self.clock = clock
        self.poll_s = poll_s
        self.failures = 0
        self._pause_until = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> int:
        """One round: send what is due, in order, until the first failure; the number sent."""
        if self.clock() < self._pause_until:
            return 0
        sent = 0
        for record in self.outbox.due(DESTINATION, self.batch):
            try:
                self.platform.send(record)
            except PlatformError as exc:
                with transaction(self.db):
                    self.outbox.failed(DESTINATION, [record.id], str(exc))
                self.failures += 1
                self._pause_until = self.clock() + backoff(self.failures)
                log.warning("province: record %s not taken (%s); next try in %.0f s",
                            record.id, exc, backoff(self.failures))
                break
            with transaction(self.db):
                self.outbox.delivered(DESTINATION, [record.id])
            self.failures = 0
            sent += 1
        return sent

    def start(self) -> "Reporter":
        self._thread = threading.Thread(target=self._run, name="province-reporter", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                busy = self.run_once() == self.batch
            except Exception:      # the disk or a bug: log, wait, keep the server serving
                log.exception("province reporter round failed")
                busy = False
            if not busy:
                self._stop.wait(self.poll_s)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(30)
        self.db.conn.close()
