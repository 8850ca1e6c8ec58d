"""HallClient: how kiosks, window callers, agents, the CLI and benchmarks talk to the server.

    client = HallClient("county", "kiosk", "k1", "mqtt://127.0.0.1:1883")
    client.start()
    ticket = client.request("ticket.issue", {"category": "a"})["ticket"]

Whether the queue server itself is up: `client.server_online` (None until the server's
retained status arrived, then True/False) and `client.on_server(fn(bool))`, called on every
change. It follows the server's retained `yichuang/<hall>/server/main/status`, which the broker
sets to offline through the server's will when the server dies; while this client has lost
the broker it reports False (it cannot know).

Callbacks (on_state, on_event, on_connection, on_server, request_async's callback) run on paho's
network thread; a request's timeout callback runs on the client's timer thread. Never block
in them; hand work to your own thread or UI clock. request() must not be called from a
callback (it would wait for the thread that is running it).
"""
from __future__ import annotations

import base64
import heapq
import itertools
import json
import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable

from .. import __version__
from . import schema, topics
from .connection import BusConnection, encode

log = logging.getLogger(__name__)


class RequestError(Exception):
    """The server answered with an error (code from the contract) or did not answer."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(f"{code}: {message}" if message else code)
        self.code, self.message = code, message


class RequestTimeout(RequestError):
    def __init__(self, message: str = "no answer from the queue server"):
        super().__init__("timeout", message)


Callback = Callable[[dict | None, RequestError | None], None]


@dataclass(order=True)
class _Pending:
    deadline: float
    seq: int
    transaction: str = field(compare=False)
    action: str = field(compare=False)
    payload: bytes = field(compare=False)
    callback: Callback = field(compare=False)


class HallClient:
    def __init__(self, hall: str, role: str, client_id: str, broker: str = "mqtt://127.0.0.1:1883", *,
                 version: str = __version__, tls_ca: str | None = None, watch: bool = True):
        """watch=False: only requests and their responses, no states or events (a load
        generator that must not spend its CPU on the hall's fan-out)."""
        self.hall, self.role, self.client_id = hall, role, client_id
        base = f"{topics.ROOT}/{hall}"
        self._prefix = base + "/"
        self._response_prefix = topics.client_base(hall, role, client_id) + "/response/"
        watched = (f"{base}/queue/+/state", f"{base}/window/+/state", f"{base}/hall/state", f"{base}/event/+")
        self._server_status_topic = topics.status(hall, "server", topics.SERVER_ID)
        subscriptions = (*(watched if watch else ()), self._response_prefix + "+", self._server_status_topic)
        self._bus = BusConnection(hall, role, client_id, broker, version=version, tls_ca=tls_ca,
                                  subscriptions=subscriptions, on_message=self._message)
        self._bus.on_connection(self._resend_pending)
        self._bus.on_connection(self._broker_changed)
        self._lock = threading.Condition()
        self._pending: dict[str, _Pending] = {}
        self._deadlines: list[_Pending] = []
        self._seq = itertools.count()
        self._states: dict[str, dict] = {}
        self._state_listeners: list[Callable[[str, dict], None]] = []
        self._event_listeners: list[Callable[[str, dict], None]] = []
        self._server_online: bool | None = None
        self._server_listeners: list[Callable[[bool], None]] = []
        self._running = False
        self._timer: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        schema.warm()   # before any message arrives (once per process)
        self._running = True
        self._timer = threading.Thread(target=self._expire_loop, name=f"{self.role}-{self.client_id}-timeouts",
                                       daemon=True)
        self._timer.start()
        self._bus.start()

    def stop(self) -> None:
        self._bus.stop()
        with self._lock:
            self._running = False
            self._lock.notify_all()
        if self._timer:
            self._timer.join(2)

    @property
    def connected(self) -> bool:
        return self._bus.connected

    def wait_connected(self, timeout: float = 5.0) -> bool:
        return self._bus.wait_connected(timeout)

    def on_connection(self, fn: Callable[[bool], None]) -> None:
        self._bus.on_connection(fn)

    @property
    def server_online(self) -> bool | None:
        """True/False from the server's retained status; None until it has been heard."""
        return self._server_online

    def on_server(self, fn: Callable[[bool], None]) -> None:
        """fn(True) when the queue server comes online, fn(False) when it goes offline (its
        will, its clean stop, or this client losing the broker). Called on changes only."""
        self._server_listeners.append(fn)

    def wait_server(self, online: bool = True, timeout: float = 5.0) -> bool:
        """Wait until server_online == online; False after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._server_online is not online:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(min(left, 0.2))
        return True

    def on_state(self, fn: Callable[[str, dict], None]) -> None:
        self._state_listeners.append(fn)

    def on_event(self, fn: Callable[[str, dict], None]) -> None:
        self._event_listeners.append(fn)

    def states(self) -> dict[str, dict]:
        with self._lock:
            return dict(self._states)

    # -- requests ----------------------------------------------------------------------------
    def request(self, action: str, args: dict | None = None, *, timeout: float = 5.0,
                transaction: str | None = None) -> dict:
        """Ask the server and wait; the data on success, else RequestError / RequestTimeout."""
        if self._bus.on_network_thread():
            raise RuntimeError("request() called from a bus callback; use request_async()")
        done = threading.Event()
        outcome: list = []

        def finish(data, error):
            outcome.extend((data, error))
            done.set()

        self.request_async(action, args or {}, finish, timeout=timeout, transaction=transaction)
        done.wait(timeout + 5)   # the timer thread answers at the deadline; this is a backstop
        if not outcome:
            raise RequestTimeout()
        data, error = outcome
        if error is not None:
            raise error
        return data

    def upload(self, upload: str, data: bytes, *, timeout: float = 5.0) -> None:
        """A photo for a coming application.submit, in `application.photo` parts (a request
        is at most server.max_payload_bytes); RequestError when a part is refused."""
        size = topics.PHOTO_PART_BYTES
        parts = [data[i:i + size] for i in range(0, len(data), size)] or [b""]
        for n, part in enumerate(parts):
            self.request("application.photo", {"upload": upload, "part": n, "parts": len(parts),
                                               "data": base64.b64encode(part).decode("ascii")},
                         timeout=timeout)

    def request_async(self, action: str, args: dict | None, callback: Callback, *, timeout: float = 5.0,
                      transaction: str | None = None) -> str:
        """Send a request; callback(data, None) or callback(None, error) exactly once."""
        transaction = transaction or uuid.uuid4().hex
        payload = encode({**(args or {}), "transaction": transaction})
        item = _Pending(time.monotonic() + timeout, next(self._seq), transaction, action, payload, callback)
        with self._lock:
            self._pending[transaction] = item
            heapq.heappush(self._deadlines, item)
            self._lock.notify()
        if self._bus.connected:
            self._send(item)
        # else: _resend_pending sends it as soon as the connection is back
        return transaction

    def publish_devices(self, devices: dict) -> None:
        """Retained health of the devices this client drives (contract: .../devices)."""
        self._bus.publish(topics.devices(self.hall, self.role, self.client_id),
                          {**devices, "ts": time.time()}, retain=True)

    def _send(self, item: _Pending) -> None:
        self._bus.publish(topics.request(self.hall, self.role, self.client_id, item.action), item.payload)

    def _resend_pending(self, connected: bool) -> None:
        """After a reconnect, send every unanswered request again with the same transaction:
        the server answers a repeated transaction without acting twice."""
        if not connected:
            return
        with self._lock:
            waiting = list(self._pending.values())
        for item in waiting:
            self._send(item)

    def _finish(self, transaction: str, data: dict | None, error: RequestError | None) -> None:
        with self._lock:
            item = self._pending.pop(transaction, None)
        if item is None:   # answered already (a repeated answer) or timed out
            return
        try:
            item.callback(data, error)
        except Exception:
            log.exception("request callback for %s failed", item.action)

    def _expire_loop(self) -> None:
        with self._lock:
            while self._running:
                now = time.monotonic()
                while self._deadlines and (self._deadlines[0].deadline <= now
                                           or self._deadlines[0].transaction not in self._pending):
                    item = heapq.heappop(self._deadlines)
                    if item.transaction in self._pending and self._pending[item.transaction] is item:
                        self._lock.release()
                        try:
                            self._finish(item.transaction, None, RequestTimeout())
                        finally:
                            self._lock.acquire()
                wait = self._deadlines[0].deadline - now if self._deadlines else None
                self._lock.wait(wait)

    # -- incoming (network thread) -----------------------------------------------------------
    def _message(self, topic: str, raw: bytes) -> None:
        if not raw or not topic.startswith(self._prefix):
            return
        try:
            payload = json.loads(raw)
        except ValueError:
            log.warning("ignoring a message on %s that is not JSON", topic)
            return
        if not isinstance(payload, dict):
            return
        if topic.startswith(self._response_prefix):
            self._response(topic[len(self._response_prefix):], payload)
            return
        if topic == self._server_status_topic:
            if _valid("status", None, payload, topic):
                self._set_server_online(payload.get("state") == "online")
            return
        suffix = topic[len(self._prefix):]
        if suffix.startswith("event/"):
            name = suffix[len("event/"):]
            if not _valid("event", name, payload, topic):
                return
            for fn in list(self._event_listeners):
                fn(name, payload)
        elif suffix.endswith("/state"):
            if not _valid("state", suffix.split("/")[0], payload, topic):
                return
            with self._lock:
                self._states[suffix] = payload
            for fn in list(self._state_listeners):
                fn(suffix, payload)

    def _broker_changed(self, connected: bool) -> None:
        # Without the broker nothing reaches the server; on reconnect the retained status
        # arrives again and says the truth.
        if not connected:
            self._set_server_online(False)

    def _set_server_online(self, online: bool) -> None:
        with self._lock:
            changed = self._server_online is not online
            self._server_online = online
            self._lock.notify_all()
        if not changed:
            return
        for fn in list(self._server_listeners):
            try:
                fn(online)
            except Exception:
                log.exception("server listener failed")

    def _response(self, action: str, payload: dict) -> None:
        transaction = payload.get("transaction")
        if not isinstance(transaction, str) or not _valid("response", None, payload, action):
            return
        if payload.get("status") == "ok":
            data = payload["data"]
            try:
                if schema.has_schema("response", action):
                    schema.validate("response", action, data)
            except schema.PayloadError as exc:
                self._finish(transaction, None, RequestError("internal", f"the answer breaks the contract: {exc}"))
                return
            self._finish(transaction, data, None)
        else:
            error = payload.get("error") or {}
            self._finish(transaction, None, RequestError(str(error.get("code", "internal")),
                                                         str(error.get("message", ""))))


def _valid(kind: str, name: str | None, payload: dict, where: str) -> bool:
    """Every message received is checked against the contract; a payload the contract does
    not know (an event a newer server added) passes, one that breaks its schema is dropped."""
    if not schema.has_schema(kind, name):
        return True
    try:
        schema.validate(kind, name, payload)
    except schema.PayloadError as exc:
        log.warning("ignoring a %s on %s that breaks the contract: %s", kind, where, exc)
        return False
    return True


def wait_for_server(client: HallClient, timeout: float = 20.0) -> bool:
    """True once the queue server answers at all (a lookup of a number that cannot exist:
    any answer but a timeout proves it is there); False after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            client.request("ticket.lookup", {"number": "Z99999"}, timeout=min(0.5, timeout))
            return True
        except RequestTimeout:
            continue
        except RequestError:
            return True
    return False
