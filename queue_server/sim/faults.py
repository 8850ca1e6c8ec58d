"""The faults of a simulated day: when each happens, and the intruder that sends the bad
requests and the password guesses.

Printer and card reader faults: no kiosk program runs in the simulation, so the simulated
kiosk publishes its `devices` health topic as the kiosk program does (kiosk/session.py:
on every connect and on every change), with the health the drivers report for a printer out
of paper and a serial device unplugged. Issuing goes on meanwhile, as at a real kiosk (the
number is shown on screen; an ID number is typed in).
"""
from __future__ import annotations

import json
import threading
import time
import uuid

import paho.mqtt.client as mqtt

from drivers.health import Health
from drivers.printer.status import PROBLEMS
from hall.protocol import topics
from hall.protocol.connection import parse_broker_url

# name -> (start, end) as fractions of the simulated issuing period (end None: one moment)
SCHEDULE = {
    "printer-paper": (0.15, 0.35),
    "broker-restart": (0.25, None),
    "malformed": (0.40, None),
    "server-kill": (0.50, None),
    "card-reader": (0.55, 0.70),
    "guessing": (0.75, None),
}
FAULTS = tuple(SCHEDULE)
GUESSES = 30
BURST_ROUNDS = 10


def parse_faults(text: str) -> tuple[str, ...]:
    """"all", "none" or a comma-separated list of FAULTS."""
    if text == "all":
        return FAULTS
    if text == "none":
        return ()
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    unknown = [n for n in names if n not in SCHEDULE]
    if unknown:
        raise ValueError(f"unknown fault {', '.join(unknown)}; choose from {', '.join(FAULTS)}")
    return names


def timeline(faults: tuple[str, ...], period_s: float) -> list[tuple[float, str, str]]:
    """(seconds after opening, fault, "begin" | "end") in order."""
    events = []
    for name in faults:
        start, end = SCHEDULE[name]
        events.append((start * period_s, name, "begin"))
        if end is not None:
            events.append((end * period_s, name, "end"))
    return sorted(events)


def paper_out() -> dict:
    state, code, message = next(p[1:] for p in PROBLEMS if p[2] == "paper_out")
    return Health(state, code, message).as_dict()


def unplugged(port: str) -> dict:
    # what drivers/transport.py reports for a serial device that vanished
    return Health("absent", "absent", f"设备连接中断（{port}）").as_dict()


def malformed_requests(category: str, limit: int) -> list[tuple[str, bytes]]:
    """(action, payload) of one burst: broken JSON, wrong shapes and types, unknown actions,
    an oversized payload, deep nesting, bytes that are not UTF-8."""
    def txn() -> str:
        return "bad-" + uuid.uuid4().hex[:12]

    def js(value) -> bytes:
        return json.dumps(value).encode()

    deep = ("[" * 1000) + ("]" * 1000)
    return [
        ("ticket.issue", f'{{"transaction":"{txn()}","category":'.encode()),
        ("ticket.issue", b'["not", "an", "object"]'),
        ("ticket.issue", js({"transaction": txn(), "category": 7})),
        ("ticket.issue", js({"transaction": txn(), "category": category, "priority": "vip"})),
        ("ticket.issue", js({"transaction": txn(), "category": category, "identity": {"id_number": "1"}})),
        ("ticket.issue", js({"transaction": txn(), "category": "x" * limit})),
        ("ticket.issue", f'{{"transaction":"{txn()}","category":"{category}","x":{deep}}}'.encode()),
        ("ticket.explode", js({"transaction": txn()})),
        ("ticket.lookup", js({"transaction": txn(), "number": 1e308})),
        ("window.call_next", b'\xff\xfe{"transaction": 1}'),
    ]


class Intruder:
    """A client on the hall network that is none of the hall's devices: it sends as kiosk
    `intruder` (bad requests) and as one of the windows (password guesses) and counts the
    answers. It also watches the kiosks' device health."""

    def __init__(self, hall: str, broker: str, window: str):
        self.hall, self.window = hall, window
        self.kiosk_base = topics.client_base(hall, "kiosk", "intruder")
        self._lock = threading.Condition()
        self.answers: list[dict] = []
        self.devices: dict[str, dict] = {}
        address = parse_broker_url(broker)
        self._mqtt = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="sim-intruder")
        self._mqtt.on_connect = self._connected
        self._mqtt.on_message = self._message
        self._mqtt.reconnect_delay_set(0.2, 2)
        self._mqtt.connect_async(address.host, address.port)
        self._subscribed = threading.Event()

    def start(self) -> None:
        self._mqtt.loop_start()

    def stop(self) -> None:
        self._mqtt.disconnect()
        self._mqtt.loop_stop()

    def _connected(self, client, _userdata, _flags, reason, _props) -> None:
        if not reason.is_failure:
            client.subscribe([(f"{self.kiosk_base}/response/#", 1),
                              (topics.response(self.hall, "window", self.window, "window.login"), 1),
                              (f"{topics.ROOT}/{self.hall}/kiosk/+/devices", 1)])
            self._subscribed.set()

    def _message(self, _client, _userdata, message) -> None:
        try:
            payload = json.loads(message.payload)
        except ValueError:
            return
        with self._lock:
            if message.topic.endswith("/devices"):
                self.devices[message.topic.split("/")[3]] = payload
            else:
                self.answers.append(payload)
            self._lock.notify_all()

    def _send(self, topic: str, payload: bytes) -> None:
        self._mqtt.publish(topic, payload, qos=1)

    def _collect(self, before: int, sent: int, timeout: float) -> list[dict]:
        with self._lock:
            self._lock.wait_for(lambda: len(self.answers) - before >= sent, timeout)
            return self.answers[before:]

    def burst(self, category: str, limit: int, rounds: int = BURST_ROUNDS, timeout: float = 5) -> tuple[int, list]:
        """(requests sent, answers) of a burst of malformed requests."""
        self._subscribed.wait(10)
        before = len(self.answers)
        sent = 0
        for _ in range(rounds):
            for action, payload in malformed_requests(category, limit):
                self._send(f"{self.kiosk_base}/request/{action}", payload)
                sent += 1
        return sent, self._collect(before, sent, timeout)

    def guess(self, staff_ids: list[str], count: int = GUESSES, timeout: float = 15) -> tuple[int, list]:
        """(guesses sent, answers): wrong passwords for staff accounts, all at once."""
        self._subscribed.wait(10)
        topic = topics.request(self.hall, "window", self.window, "window.login")
        mine = set()
        for i in range(count):
            txn = "guess-" + uuid.uuid4().hex[:12]
            mine.add(txn)
            self._send(topic, json.dumps({"transaction": txn, "staff": staff_ids[i % len(staff_ids)],
                                          "password": f"guess-{i:04d}"}).encode())
        deadline = time.monotonic() + timeout
        with self._lock:
            while time.monotonic() < deadline:
                answers = [a for a in self.answers if a.get("transaction") in mine]
                if len(answers) >= count:
                    break
                self._lock.wait(0.2)
            return count, [a for a in self.answers if a.get("transaction") in mine]

    def device_state(self, kiosk: str, device: str) -> dict:
        with self._lock:
            return dict((self.devices.get(kiosk) or {}).get(device) or {})
