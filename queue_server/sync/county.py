"""The county receiver: every site's records into PostgreSQL, the county's outbox down to them.

    receiver = CountyReceiver(store, "mqtt://server-sync:pw@hub:1883", county="qingshan-county")
    receiver.start() ... receiver.stop()

It is one client of the county's Mosquitto hub, where each site's broker bridges its
`yichuang/sync/<site>/#`. It subscribes to every site's up, down-ack, status and bridge
topics; one worker thread does all the database work in arrival order, whatever it finds
waiting (up to MAX_BATCH_MESSAGES) in one transaction, the acks sent after its commit:

- up: the envelopes are checked (hall.protocol.sync), kept once (CountyStore.receive, one
  transaction) and only then acknowledged by id on `.../ack`. A batch with one bad envelope
  is refused whole (logged, not acknowledged): nothing half-applied. A site that is not in
  the store's site list gets nothing stored and no ack.
- down-ack: the county's records the site acknowledged are marked delivered.
- bridge: Mosquitto's notification of the site's bridge ("1" connected, "0" lost through
  the will): the line's state on the dashboard; when it comes back, the back-offs end.
- status: the backlog the site reports.

When it finds nothing more waiting, and at least every `resend_s`, it publishes what each
site is owed (CountyStore.due_down_all, one query for all sites), in batches.
The receiver's own MQTT session is clean: what a site sent while the receiver was stopped is
sent again by the site (its outbox keeps everything until acknowledged).
"""
from __future__ import annotations

import json
import logging
import queue
import threading
import time

from hall.protocol import sync as contract
from hall.protocol.connection import BusConnection

from hall import __version__
from .county_store import CountyStore

log = logging.getLogger(__name__)
RECEIVER_ID = "sync"        # its bus identity: server-sync on the county's hub
SUBSCRIPTIONS = tuple(contract.all_sites(d) for d in ("up", "down-ack", "status", "bridge"))
MAX_BATCH_MESSAGES = 200    # messages kept in one transaction


class CountyReceiver:
    def __init__(self, store: CountyStore, broker: str, *, county: str, tls_ca: str | None = None,
                 resend_s: float = 2.0):
        self.store = store
        self.resend_s = resend_s
        self._inbox: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._worker = threading.Thread(target=self._work, name="county-receiver", daemon=True)
        self.bus = BusConnection(county, "server", RECEIVER_ID, broker, version=__version__,
                                 tls_ca=tls_ca, subscriptions=SUBSCRIPTIONS,
                                 on_message=lambda t, p: self._inbox.put((t, p)))
        self.refused = 0            # messages refused (bad envelopes, unknown sites)
        self._known: set[str] = set()
        self._next_down = 0.0       # send_down at least this often under a steady stream
        self.envelopes = 0          # envelopes stored or acknowledged again (redeliveries too)

    def start(self) -> "CountyReceiver":
        self.store.create()
        self._worker.start()
        self.bus.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._inbox.put(None)
        self._worker.join(10)
        self.bus.stop()

    def wait_connected(self, timeout: float) -> bool:
        return self.bus.wait_connected(timeout)

    # ------------------------------------------------------------ the worker
    def _work(self) -> None:
        while not self._stop.is_set():
            try:
                messages = [self._inbox.get(timeout=self.resend_s)]
            except queue.Empty:
                messages = []
            while messages and messages[-1] and len(messages) < MAX_BATCH_MESSAGES \
                    and not self._inbox.empty():
                messages.append(self._inbox.get_nowait())
            try:
                self.handle_all([m for m in messages if m])
                if self._inbox.empty() or time.monotonic() >= self._next_down:
                    self._next_down = time.monotonic() + self.resend_s
                    self.send_down()
            except Exception:      # the database went away: log, keep serving, retry later
                log.exception("county receiver: handling failed")
                self._stop.wait(1.0)

    def handle(self, topic: str, payload: bytes) -> None:
        self.handle_all([(topic, payload)])

    def handle_all(self, messages: list[tuple[str, bytes]]) -> None:
        """Messages in one transaction; the records are acknowledged once it is committed.
        If it fails, each message again in its own: one that cannot be kept (a body the
        store refuses) must not hold back the others (it raises, unacknowledged)."""
        if not messages:
            return
        acks = []
        try:
            with self.store.batch():
                for topic, payload in messages:
                    acks += self._handle(topic, payload)
        except Exception:
            if len(messages) == 1:
                raise
            log.warning("county receiver: a batch of %d messages failed; one by one", len(messages))
            for message in messages:
                try:
                    self.handle_all([message])
                except Exception:
                    log.exception("county receiver: a message on %s failed", message[0])
            return
        for site, ids in acks:
            self.envelopes += len(ids)
            self.bus.publish(contract.topic(site, "ack"), contract.acks(ids))

    def _handle(self, topic: str, payload: bytes) -> list[tuple[str, list[str]]]:
        """One message; the ids of the records it brought, to acknowledge after the commit."""
        parsed = contract.parse_topic(topic)
        if parsed is None:
            return []
        site, direction = parsed
        if site not in self._known and not self.store.known(site):
            self.refused += 1
            log.warning("message from unknown site %s on %s: ignored", site, direction)
            return []
        self._known.add(site)
        try:
            if direction == "up":
                envelopes = contract.decode(payload, site, contract.UP_KINDS)
                return [(site, self.store.receive(site, envelopes))]
            if direction == "down-ack":
                self.store.delivered_down(site, contract.decode_acks(payload))
            elif direction == "bridge":
                self._line(site, payload)
            elif direction == "status":
                self._status(site, payload)
        except contract.EnvelopeError as exc:
            self.refused += 1
            log.warning("site %s sent a bad %s message: %s", site, direction, exc)
        return []

    def _line(self, site: str, payload: bytes) -> None:
        up = payload.strip() == b"1"
        self.store.line(site, up)
        if up:
            self.store.retry_down(site)

    def _status(self, site: str, payload: bytes) -> None:
        try:
            value = json.loads(payload)
            backlog, oldest = int(value["backlog"]), value.get("oldest")
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            raise contract.EnvelopeError('a status is {"backlog": n, "oldest": ts|null}') from None
        if backlog < 0 or not (oldest is None or isinstance(oldest, (int, float))):
            raise contract.EnvelopeError("a status has a backlog >= 0 and an oldest time")
        self.store.status(site, backlog, oldest)

    def send_down(self) -> int:
        """Publish what every site is owed and is not in a back-off; the count sent."""
        sent = 0
        for site, batch in self.store.due_down_all().items():
            self.bus.publish(contract.topic(site, "down"), contract.encode(batch))
            self.store.sent_down(site, [env["id"] for env in batch])
            sent += len(batch)
        return sent
