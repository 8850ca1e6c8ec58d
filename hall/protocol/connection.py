"""One MQTT connection of a hall bus participant: what the server and every client share.

It owns the paho client and the contract's connection rules: username `<role>-<id>`, client
id `<role>-<id>-<random>`, the retained `.../status` (will = offline, "online" on every (re)connect),
QoS 1, TCP_NODELAY on every new socket (paho never sets it, and Nagle then adds 40-90 ms
to each round trip), subscriptions renewed on every connect, reconnecting forever.
"""
from __future__ import annotations

import json
import logging
import secrets
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from typing import Callable
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as mqtt

from . import topics

log = logging.getLogger(__name__)
QOS = 1


@dataclass(frozen=True)
class BrokerAddress:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    tls: bool = False

    def __str__(self) -> str:   # never shows the password
        scheme = "mqtts" if self.tls else "mqtt"
        user = f"{self.username}@" if self.username else ""
        return f"{scheme}://{user}{self.host}:{self.port}"


def parse_broker_url(url: str) -> BrokerAddress:
    """mqtt://[user:pass@]host[:port] or mqtts://...; ValueError with a hint otherwise."""
    parts = urlsplit(url if "://" in url else f"mqtt://{url}")
    if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
        raise ValueError(f"broker URL {url!r} must look like mqtt://host:1883 or mqtts://user:pass@host:8883")
    tls = parts.scheme == "mqtts"
    try:
        port = parts.port or (8883 if tls else 1883)
    except ValueError:
        raise ValueError(f"broker URL {url!r} has a bad port") from None
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    return BrokerAddress(parts.hostname, port, user, password, tls)


def encode(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def session_client_id(role: str, client_id: str) -> str:
    """`<role>-<id>-<8 random hex>`: a broker drops the older of two connections with the
    same MQTT client id, so a name anyone can guess would let any account knock the queue
    server (`server-main`) off the bus; the random part, new for each connection object,
    cannot be guessed (the ACL keeps other accounts out of $SYS and the broker's log)."""
    return f"{role}-{client_id}-{secrets.token_hex(4)}"


def _nodelay(_client, _userdata, sock) -> None:
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except (OSError, AttributeError):   # not a TCP socket (e.g. a unix socket): nothing to do
        pass


class BusConnection:
    """A paho client that keeps itself connected and announces its availability."""

    def __init__(self, hall: str, role: str, client_id: str, broker: str, *, version: str,
                 tls_ca: str | None = None, subscriptions: tuple[str, ...] = (),
                 on_message: Callable[[str, bytes], None] | None = None,
                 max_inflight: int = 100, keepalive: int = 15):
        self.hall, self.role, self.client_id = hall, role, client_id
        self.status_topic = topics.status(hall, role, client_id)
        self.address = parse_broker_url(broker)
        self.version = version
        self._subscriptions = subscriptions
        self._on_message = on_message
        self._connection_listeners: list[Callable[[bool], None]] = []
        self._connected = threading.Event()
        self._keepalive = keepalive
        self._stopping = False
        self._status_lock = threading.Lock()   # "offline" at stop() is the last word
        self._subscribe_mid: int | None = None
        self._mqtt = self._make_client(tls_ca, max_inflight)

    def _make_client(self, tls_ca: str | None, max_inflight: int) -> mqtt.Client:
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=session_client_id(self.role, self.client_id),
                             clean_session=True, protocol=mqtt.MQTTv311)
        if self.address.username:
            client.username_pw_set(self.address.username, self.address.password)
        if self.address.tls:
            client.tls_set(ca_certs=tls_ca, cert_reqs=ssl.CERT_REQUIRED)
        client.will_set(self.status_topic, encode({"state": "offline", "ts": time.time()}), qos=QOS, retain=True)
        client.reconnect_delay_set(min_delay=0.2, max_delay=2)
        client.max_inflight_messages_set(max_inflight)
        client.on_socket_open = _nodelay
        client.on_connect = self._handle_connect
        client.on_disconnect = self._handle_disconnect
        client.on_subscribe = self._handle_subscribe
        client.on_message = self._handle_message
        return client

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        """Connect in the background; paho's thread retries forever until stop()."""
        self._mqtt.connect_async(self.address.host, self.address.port, keepalive=self._keepalive)
        self._mqtt.loop_start()

    def stop(self, timeout: float = 2.0) -> None:
        """Say offline (retained), then disconnect cleanly so the broker drops the will."""
        with self._status_lock:
            self._stopping = True
            info = self._mqtt.publish(self.status_topic, encode({"state": "offline", "ts": time.time()}),
                                      qos=QOS, retain=True) if self._connected.is_set() else None
        if info is not None:
            try:
                info.wait_for_publish(timeout)
            except (RuntimeError, ValueError):   # connection lost meanwhile: the will says it
                pass
        self._mqtt.disconnect()
        self._mqtt.loop_stop()
        self._connected.clear()

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def wait_connected(self, timeout: float) -> bool:
        return self._connected.wait(timeout)

    def on_connection(self, fn: Callable[[bool], None]) -> None:
        self._connection_listeners.append(fn)

    def socket(self):
        """The connected socket (None while disconnected): for diagnostics and tests."""
        return self._mqtt.socket()

    def on_network_thread(self) -> bool:
        return threading.current_thread() is getattr(self._mqtt, "_thread", None)

    # -- publishing ------------------------------------------------------------------------
    def publish(self, topic: str, payload: dict | bytes, *, retain: bool = False) -> None:
        """QoS 1; while disconnected paho queues the message and sends it after reconnecting."""
        data = payload if isinstance(payload, bytes) else encode(payload)
        self._mqtt.publish(topic, data, qos=QOS, retain=retain)

    # -- paho callbacks (network thread) ---------------------------------------------------
    def _handle_connect(self, client, _userdata, _flags, reason_code, _properties) -> None:
        if reason_code.is_failure:
            log.warning("broker %s refused %s-%s: %s", self.address, self.role, self.client_id, reason_code)
            return
        if self._subscriptions:
            # "online" only once the broker confirms the subscriptions: a peer that sees the
            # server online may send it a request at once, and it must not be lost.
            _rc, self._subscribe_mid = client.subscribe([(t, QOS) for t in self._subscriptions])
        else:
            self._announce_online()
        self._connected.set()
        log.info("%s-%s connected to %s", self.role, self.client_id, self.address)
        self._notify(True)

    def _handle_subscribe(self, _client, _userdata, mid, _reason_codes, _properties) -> None:
        if mid == self._subscribe_mid:
            self._announce_online()

    def _announce_online(self) -> None:
        with self._status_lock:
            if not self._stopping:
                self._mqtt.publish(self.status_topic, encode({"state": "online", "ts": time.time(),
                                                              "version": self.version}), qos=QOS, retain=True)

    def _handle_disconnect(self, _client, _userdata, _flags, reason_code, _properties) -> None:
        was = self._connected.is_set()
        self._connected.clear()
        if was and not self._stopping:   # a clean stop() is no news for the listeners
            log.warning("%s-%s lost the broker %s (%s); reconnecting", self.role, self.client_id,
                        self.address, reason_code)
            self._notify(False)

    def _handle_message(self, _client, _userdata, message) -> None:
        if self._on_message:
            try:
                self._on_message(message.topic, message.payload)
            except Exception:   # a bad handler must not kill paho's network thread
                log.exception("handling a message on %s failed", message.topic)

    def _notify(self, connected: bool) -> None:
        for fn in list(self._connection_listeners):
            try:
                fn(connected)
            except Exception:
                log.exception("connection listener failed")
