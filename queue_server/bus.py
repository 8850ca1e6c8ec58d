"""The queue server's side of the hall bus.

Requests arrive on paho's network thread and go into a queue; one worker thread drains them
in batches: malformed ones are answered `bad_request` at once, the rest go to
HallService.handle_batch (one durable SQLite transaction per batch, which is what lets the
server keep up with a burst of kiosks), and each answer goes back on the requester's
response topic. A staff login runs on a side thread: checking its password hash takes about
a tenth of a second by design, and the whole hall must not wait for it; the requests of that
window that arrive meanwhile wait for it, so each client's requests keep their order. The service's listener publishes retained states and events after each
commit. After every (re)connect the worker republishes all retained states, so a broker that
restarted empty is whole again.

No payload can stop the worker: size and nesting are checked before parsing, and anything
else a message breaks is answered or dropped. Should the worker die all the same, the
server's retained status turns offline and `on_failure` is called (`yichuang server` then
exits non-zero, and systemd starts it again).
"""
from __future__ import annotations

import json
import logging
import queue
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from hall import __version__
from hall.config.model import HallConfig
from hall.protocol import schema, topics
from hall.protocol.connection import BusConnection

log = logging.getLogger(__name__)

_TRANSACTION = re.compile(rb'"transaction"\s*:\s*"([^"\\]{1,64})"')
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')   # a JSON string, escapes included
_BRACKET = re.compile(rb"[\[\]{}]")
MAX_DEPTH = 16   # the deepest request of the contract nests 3 levels; json recurses per level
_REPUBLISH = object()
_STOP = object()
_RELEASE = object()   # (_RELEASE, (role, id)): that client's login is answered
SLOW_ACTIONS = ("window.login",)   # password hashing: run beside the batches


def error_response(transaction, code: str, message: str) -> dict:
    return {"transaction": transaction, "status": "error", "error": {"code": code, "message": message}}


def bad_request(transaction, detail: str) -> dict:
    return error_response(transaction, "bad_request", f"请求有误: {detail}")


def nesting_depth(payload: bytes) -> int:
    """How deep the arrays and objects of a JSON text nest, without parsing it (no recursion:
    json.loads recurses once per level, and 1,000 levels raise RecursionError)."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub(b"", payload)):
        depth += 1 if bracket in (b"[", b"{") else -1
        deepest = max(deepest, depth)
    return deepest


def _raw_transaction(payload: bytes) -> str | None:
    """The transaction of a payload that is not parsed (too big, too deep, not JSON): read
    only from its first 512 bytes."""
    found = _TRANSACTION.search(payload[:512])
    return found.group(1).decode("utf-8", "replace") if found else None


def parse_request(payload: bytes, action: str, limit: int) -> tuple[dict | None, dict | None]:
    """(args, None) for a request the service may see, or (None, bad_request response).

    Pure: the checks of the contract, in order: size, depth, JSON, object, known action, schema.
    Never raises: whatever else goes wrong with a payload is its sender's bad request.
    """
    try:
        return _parse_request(payload, action, limit)
    except Exception as exc:
        log.warning("a %s request broke the parser (%s)", action[:64], type(exc).__name__)
        return None, bad_request(_raw_transaction(payload), "payload cannot be read")


def _parse_request(payload: bytes, action: str, limit: int) -> tuple[dict | None, dict | None]:
    if len(payload) > limit:   # a huge payload is never parsed
        return None, bad_request(_raw_transaction(payload), f"payload is {len(payload)} bytes, the limit is {limit}")
    if nesting_depth(payload) > MAX_DEPTH:
        return None, bad_request(_raw_transaction(payload), f"payload nests deeper than {MAX_DEPTH} levels")
    try:
        args = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        return None, bad_request(_raw_transaction(payload), "payload is not JSON")
    if not isinstance(args, dict):
        return None, bad_request(None, "payload must be a JSON object")
    if b"\\u" in payload and not _is_unicode(args):
        # a lone surrogate escape (\ud800) reads as JSON, yet no database or answer can hold it
        return None, bad_request(_raw_transaction(payload), "payload has text that is not Unicode")
    txn = args.get("transaction")
    txn = txn if isinstance(txn, str) and 0 < len(txn) <= 64 else None
    if not schema.has_schema("request", action):
        return None, bad_request(txn, f"unknown action {action!r}")
    try:
        schema.validate("request", action, args)
    except schema.PayloadError as exc:
        return None, bad_request(txn, str(exc))
    return args, None


def _is_unicode(args: dict) -> bool:
    try:
        json.dumps(args, ensure_ascii=False).encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


class HallBus:
    """Connects a HallService to the broker: requests in, responses, states and events out."""

    def __init__(self, service, config: HallConfig, broker: str, *, version: str = __version__,
                 tls_ca: str | None = None, batch_max: int = 256, tick_interval: float = 1.0,
                 on_failure=None):
        self.service, self.config = service, config
        self._on_failure = on_failure   # called (from the dying thread) if the worker dies
        self.failed = threading.Event()
        self.hall = config.id
        self._limit = config.server.max_payload_bytes
        self._batch_max, self._tick_interval = batch_max, tick_interval
        self._inbox: queue.SimpleQueue = queue.SimpleQueue()
        self._conn = BusConnection(self.hall, "server", topics.SERVER_ID, broker, version=version, tls_ca=tls_ca,
                                   subscriptions=(f"{topics.ROOT}/{self.hall}/+/+/request/+",),
                                   on_message=self._receive, max_inflight=1000)
        self._conn.on_connection(lambda up: up and self._inbox.put(_REPUBLISH))
        self._worker: threading.Thread | None = None
        self._side = ThreadPoolExecutor(1, thread_name_prefix="hall-bus-login")
        self._held: dict[tuple[str, str], list] = {}   # worker thread only
        service.add_listener(self._publish_change)

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        schema.warm(("request",))   # before the first request; the server checks only requests
        self._worker = threading.Thread(target=self._work_or_fail, name="hall-bus-worker", daemon=True)
        self._worker.start()
        self._conn.start()

    def stop(self) -> None:
        self._inbox.put(_STOP)
        if self._worker:
            self._worker.join(10)
        self._side.shutdown(wait=True, cancel_futures=False)
        self._conn.stop()

    @property
    def connected(self) -> bool:
        return self._conn.connected

    def wait_connected(self, timeout: float = 5.0) -> bool:
        return self._conn.wait_connected(timeout)

    # -- network thread: only queue the message --------------------------------------------
    def _receive(self, topic: str, payload: bytes) -> None:
        self._inbox.put((topic, payload))

    @property
    def alive(self) -> bool:
        """False once the worker has died: nothing would answer the hall's requests any more."""
        return not self.failed.is_set() and self._worker is not None and self._worker.is_alive()

    # -- worker thread -----------------------------------------------------------------------
    def _work_or_fail(self) -> None:
        """The worker; if it ever dies, say so at once rather than leave the retained status
        saying online while every request times out."""
        try:
            self._work()
        except BaseException:
            log.critical("the hall-bus worker died; no request can be answered", exc_info=True)
            self.failed.set()
            self._conn.stop()   # retained "offline", and no reconnect that would say online
            if self._on_failure:
                self._on_failure()

    def _work(self) -> None:
        next_tick = time.monotonic() + self._tick_interval
        while True:
            try:
                first = self._inbox.get(timeout=max(0.0, next_tick - time.monotonic()))
            except queue.Empty:
                first = None
            batch = [] if first is None else [first]
            while batch and len(batch) < self._batch_max:
                try:
                    batch.append(self._inbox.get_nowait())
                except queue.Empty:
                    break
            if _STOP in batch:
                return
            if _REPUBLISH in batch:
                self._republish()
            self._serve(self._released([item for item in batch if item is not _REPUBLISH]))
            if time.monotonic() >= next_tick:
                self._tick()
                next_tick = time.monotonic() + self._tick_interval

    def _released(self, items: list) -> list[tuple[str, bytes]]:
        """Messages of the batch, with those held behind a login put back where it was."""
        messages = []
        for first, second in items:
            if first is _RELEASE:
                messages.extend(self._held.pop(second, ()))
            else:
                messages.append((first, second))
        return messages

    def _serve(self, messages: list[tuple[str, bytes]]) -> None:
        requests, targets = [], []
        for topic, payload in messages:
            try:
                self._sort(topic, payload, requests, targets)
            except Exception:   # one message must never cost the hall its worker
                log.exception("dropped a message on %r", topic[:200])
        if requests:
            self._answer(targets, requests)

    def _sort(self, topic: str, payload: bytes, requests: list, targets: list) -> None:
        """Answer a bad request at once, start a login beside the batch, or add the request
        to the batch."""
        parsed = topics.parse_client_topic(topic)
        if parsed is None or parsed[0] != self.hall or parsed[3] != "request":
            # a bad id in the topic, or (amqtt) a retained state delivered to the server
            log.debug("ignoring a message on %r: not a request topic", topic[:200])
            return
        _hall, role, client_id, _kind, action = parsed
        held = self._held.get((role, client_id))
        if held is not None:   # behind this client's login
            held.append((topic, payload))
            return
        reply_to = topics.response(self.hall, role, client_id, action)
        args, rejected = parse_request(payload, action, self._limit)
        if rejected:
            log.info("bad request from %s-%s on %s: %s", role, client_id, action[:64], rejected["error"]["message"])
            self._conn.publish(reply_to, rejected)
        elif action in SLOW_ACTIONS:
            self._held[(role, client_id)] = []
            self._side.submit(self._answer_alone, reply_to, (role, client_id, action, args))
        else:
            requests.append((role, client_id, action, args))
            targets.append(reply_to)

    def _answer(self, targets: list[str], requests: list[tuple]) -> None:
        try:
            responses = self.service.handle_batch(requests)
        except Exception:   # the service must not raise; if it does, everyone gets an answer
            log.exception("handle_batch failed for %d requests", len(requests))
            responses = [error_response(args.get("transaction"), "internal", "系统出错，请稍后再试")
                         for _role, _id, _action, args in requests]
        for reply_to, response in zip(targets, responses):
            try:
                self._conn.publish(reply_to, response)
            except Exception:   # one answer that cannot be sent must not cost the others theirs
                log.exception("could not send the answer on %s", reply_to[:200])

    def _answer_alone(self, reply_to: str, request: tuple) -> None:
        """Side thread: one slow request, then let the worker serve what its client sent since."""
        try:
            self._answer([reply_to], [request])
        finally:
            self._inbox.put((_RELEASE, request[:2]))

    def _publish_change(self, kind: str, suffix: str, payload: dict) -> None:
        """The service's listener: called after each commit, on the thread that committed."""
        self._conn.publish(f"{topics.ROOT}/{self.hall}/{suffix}", payload, retain=(kind == "state"))

    def _republish(self) -> None:
        try:
            states = self.service.retained_states()
        except Exception:
            log.exception("could not read the retained states to republish")
            return
        for suffix, payload in states.items():
            self._publish_change("state", suffix, payload)

    def _tick(self) -> None:
        try:
            self.service.tick()
        except Exception:
            log.exception("service tick failed")
