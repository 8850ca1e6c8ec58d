"""A site's side of the sync with its county (docs/sync.md): what it owes, and the link.

SiteOutbox is HallService's: it puts a record for the county in the outbox (migration 0009)
in the same transaction as the change it reports (an application filed or changed here, a
rating and each of its changes, a complaint, each step of a case). Nothing personal in
clear: an application's form, masked name and phone, and a complaint's words and phone,
travel sealed with the site's sync key, a file outside the database that the county holds a
copy of.

SiteLink runs beside the server on the site's own broker, whose bridge carries
`yichuang/sync/<site>/#` to the county's hub. Every `interval_s` it publishes what is due
(batches of up to hall.protocol.sync.MAX_BATCH), then leaves those records alone for the
outbox's back-off; the county's ack by id marks them delivered. When the bridge reports the
line back ("1" on `.../bridge`), the back-offs end and everything owed goes at once. What
the county sends down (decisions, catalogue and config changes) is applied in one
transaction with `Inbox.receive`, so a redelivery is acknowledged again and changes nothing. The line's
state, the backlog and the last sync go into the retained hall state, where the kiosk reads
what needs the line.
"""
from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import queue

from hall.protocol import sync as contract

from ..applications.sealing import Sealer
from ..outbox import Inbox, Outbox
from .bus_worker import BusWorker
from ..province import case_record

log = logging.getLogger(__name__)
COUNTY = "county"               # the outbox's destination and the inbox's source
LINK_ID = "sync"                # the link's bus identity on the site's broker (server-sync)
AWAITING = "sent, awaiting the county's acknowledgement"
RESEND_S = 15.0                 # a record sent on a working line and not acknowledged: again after
FIGURES_DAYS = 7                # finished days whose figures are owed at each day roll
KEEP_DELIVERED_DAYS = 30        # acknowledged records kept (longer than FIGURES_DAYS)


class SiteOutbox:
    """What this site owes its county; every method runs inside the caller's transaction."""

    def __init__(self, config, store):
        self.site = config.id
        self.enabled = config.sync.is_site
        self.outbox = Outbox(store.db)
        self.sealer = Sealer(store.sync_key(config.sync.key_file)) if self.enabled else None

    def owe(self, kind: str, key: str, body: dict) -> None:
        if self.enabled:
            self.outbox.put(COUNTY, contract.envelope_id(self.site, kind, key), kind, body)

    def application(self, number: str, item: str, state: str, rev: int, record: dict,
                    private: dict | None) -> None:
        """An application filed or changed here (rev counts its changes)."""
        if not self.enabled:
            return
        body = {"number": number, "item": item, "state": state, "rev": rev,
                "record": {k: v for k, v in record.items() if k != "token"}}
        if private is not None:     # the filing: what the county needs of the person, sealed
            body["sealed"] = base64.b64encode(self.sealer.seal(number, private)).decode()
        self.owe("application", f"{number}.{rev}", body)

    def day_rolled(self, store, today: str, now: float) -> None:
        """At the day roll: the figures of the finished days of the last week (a server off
        for days catches up; a day already owed is not owed twice: delivered records are
        kept KEEP_DELIVERED_DAYS), counts only, nobody in them."""
        if not self.enabled:
            return
        self.outbox.forget_delivered(now - KEEP_DELIVERED_DAYS * 86400)
        since = (dt.date.fromisoformat(today) - dt.timedelta(days=FIGURES_DAYS)).isoformat()
        for day in store.day_figures(since, today):
            self.owe("figures", day["date"], day)

    def rating(self, record: dict, channel: str) -> None:
        """A rating or its change: each version its own record (the first keeps the key
        `e<id>`, a change is `e<id>.<version>`); the county keeps the latest version."""
        version = record.get("version") or 1
        key = f"e{record['id']}" + (f".{version}" if version > 1 else "")
        self.owe("rating", key, {
            "ticket": record["ticket"], "date": record["date"], "level": record["level"],
            "reasons": list(record["reasons"] or ()), "window": record["window"],
            "channel": channel, "ts": record["ts"], "rating": record["id"], "version": version,
            "first_ts": record.get("created_at") or record["ts"]})

    def case(self, case, step: str, audit: int, private: dict | None = None) -> None:
        """A case opened or moved on (cases/desk.py): one `case` record per step, keyed by
        the step's audit row, with the province's fields (no citizen's words, no phone) but,
        like a rating's record, not the staff member rated or complained about. A
        complaint's filing (`private`: what the citizen wrote and the phone) is a
        `complaint` record too, those sealed."""
        if not self.enabled:
            return
        record = case_record(case, step, self.site)
        self.owe("case", f"{case.number}.{step}.a{audit}",
                 {k: v for k, v in record.items() if k != "staff"})
        if private is not None:
            self.owe("complaint", case.number, {
                "case": case.number, "item": case.item, "department": case.department,
                "window": case.window, "channel": case.channel, "opened_on": case.opened_on,
                "due": case.due, "named": case.named,
                "sealed": base64.b64encode(self.sealer.seal(case.number, private)).decode()})


class SiteLink(BusWorker):
    """The site's sync client; `service` is the site's HallService."""

    def __init__(self, service, broker: str, *, tls_ca: str | None = None,
                 interval_s: float | None = None):
        self.service = service
        self.site = service.config.id
        self.interval_s = interval_s or service.config.sync.interval_s
        self.line = "unknown"         # the bridge's notification: up | down
        self.last_sync: float | None = None
        self._reported: dict | None = None      # the line last told (hall state, status)
        subscriptions = tuple(contract.topic(self.site, d) for d in ("ack", "down", "bridge"))
        super().__init__("site-link", self.site, LINK_ID, broker, tls_ca=tls_ca,
                         subscriptions=subscriptions)

    # ------------------------------------------------------------ the worker
    def _work(self) -> None:
        while not self._stop.is_set():
            try:
                item = self._inbox.get(timeout=self.interval_s)
            except queue.Empty:
                item = ()
            try:
                if item:
                    self.handle(*item)
                if self._inbox.empty():
                    self.send_due()
                    self._report()          # filings made with the line down count too
            except Exception:
                log.exception("site link: handling failed")
                self._stop.wait(1.0)

    def handle(self, topic: str, payload: bytes) -> None:
        parsed = contract.parse_topic(topic)
        if parsed is None or parsed[0] != self.site:
            return
        direction = parsed[1]
        try:
            if direction == "ack":
                self._acked(contract.decode_acks(payload))
            elif direction == "down":
                self._received(contract.decode(payload, self.site, contract.DOWN_KINDS))
            elif direction == "bridge":
                self._line(payload.strip() == b"1")
        except contract.EnvelopeError as exc:
            log.warning("the county sent a bad %s message: %s", direction, exc)

    def send_due(self) -> int:
        """Publish what is owed and not in a back-off; the number of records sent. With the
        line down nothing is published: the records wait in the outbox, not in the broker's
        queue, and all go when the bridge says the line is back."""
        if not self.bus.connected or self.line == "down":
            return 0
        with self.service.exclusive() as store:
            outbox = Outbox(store.db)
            due = outbox.due(COUNTY, contract.MAX_BATCH)
            if due:
                outbox.failed(COUNTY, [r.id for r in due], AWAITING, cap=RESEND_S)
        if due:
            self.bus.publish(contract.topic(self.site, "up"), contract.encode([
                {"v": contract.VERSION, "id": r.id, "site": self.site, "kind": r.kind,
                 "at": r.created_at, "body": r.body} for r in due]))
            self._report()
        return len(due)

    def _acked(self, ids: list[str]) -> None:
        with self.service.exclusive() as store:
            Outbox(store.db).delivered(COUNTY, ids)
        self.last_sync = self.service.clock()
        self._report()

    def _received(self, envelopes: list[dict]) -> None:
        def apply(now: float) -> None:
            inbox = Inbox(self.service.store.db)
            for env in envelopes:
                if inbox.receive(COUNTY, env["id"], env["kind"]):
                    self._apply(now, env)
        self.service.run(apply)
        self.bus.publish(contract.topic(self.site, "down-ack"),
                         contract.acks([env["id"] for env in envelopes]))
        self.last_sync = self.service.clock()
        self._report()

    def _apply(self, now: float, env: dict) -> None:
        """One record of the county, in the service's transaction (the county owns these)."""
        body = env["body"]
        if env["kind"] == "decision":
            self.service.applications.decided_by_county(now, body)
        elif env["kind"] == "catalog":
            self.service.catalogue.from_county(body, now)
        else:                       # config: the county's part of the hall config
            self.service.county_config(body, env["at"])

    def _line(self, up: bool) -> None:
        self.line = "up" if up else "down"
        if up:
            with self.service.exclusive() as store:
                Outbox(store.db).retry_now(COUNTY)
        self._report()

    def _report(self) -> None:
        """The backlog to the county (status) and the line to the kiosks (hall state), when
        either changed."""
        with self.service.exclusive() as store:
            backlog = Outbox(store.db).backlog(COUNTY)
        line = {"state": self.line, "backlog": backlog["count"], "oldest": backlog["oldest"],
                "last_sync": self.last_sync}
        if line == self._reported:
            return
        self._reported = line
        self.service.set_line(line)
        if self.bus.connected and self.line != "down":
            self.bus.publish(contract.topic(self.site, "status"), json.dumps(
                {"backlog": backlog["count"], "oldest": backlog["oldest"]}).encode())
