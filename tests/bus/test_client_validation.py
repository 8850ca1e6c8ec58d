"""HallClient checks every message it receives against the contract: a state, an event or an
answer that breaks its schema never reaches the kiosk, window or display code."""
from __future__ import annotations

import json
import threading

import paho.mqtt.client as mqtt
import pytest

from hall.protocol.client import RequestError
from hall.protocol.connection import parse_broker_url

from bus_helpers import wait_until

BASE = "yichuang/testhall"


def publisher(url: str) -> mqtt.Client:
    """Someone else on an open broker (no ACL): it may publish anything anywhere."""
    address = parse_broker_url(url)
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="rogue")
    client.connect(address.host, address.port)
    client.loop_start()
    return client


def send(client: mqtt.Client, topic: str, payload: dict) -> None:
    client.publish(topic, json.dumps(payload, ensure_ascii=False), qos=1).wait_for_publish(5)


@pytest.mark.parametrize("broker", ["mosquitto"], indirect=True)
def test_states_and_events_that_break_the_contract_are_dropped(broker, clients):
    display = clients("display", "d1")
    states, events = [], []
    display.on_state(lambda suffix, p: states.append((suffix, p)))
    display.on_event(lambda name, p: events.append((name, p)))
    rogue = publisher(broker.url)
    try:
        send(rogue, f"{BASE}/queue/zonghe/state", {"category": "zonghe", "waiting": "many"})
        send(rogue, f"{BASE}/event/call", {"window": "1", "text": "请到1号窗口"})   # no ticket
        good_state = {"category": "zonghe", "prefix": "A", "name": "综合业务", "open": True,
                      "waiting": 1, "next": ["A0001"], "estimated_wait_s": 300, "ts": 1.0}
        good_call = {"ticket": "A0001", "window": "1", "window_name": "1号窗口", "category": "zonghe",
                     "attempt": 1, "text": "请A0001号到1号窗口办理", "ts": 1.0}
        send(rogue, f"{BASE}/queue/zonghe/state", good_state)
        send(rogue, f"{BASE}/event/call", good_call)
        send(rogue, f"{BASE}/event/lunch_bell", {"ts": 1.0})   # an event this version does not know
        assert wait_until(lambda: len(events) >= 2 and states)
        assert states == [("queue/zonghe/state", good_state)]
        assert events == [("call", good_call), ("lunch_bell", {"ts": 1.0})]
        assert display.states()["queue/zonghe/state"] == good_state
    finally:
        rogue.loop_stop()
        rogue.disconnect()


@pytest.mark.parametrize("broker", ["mosquitto"], indirect=True)
def test_an_answer_that_breaks_the_contract_is_an_error_not_data(broker, clients):
    kiosk = clients("kiosk", "k1")   # no server here: the only answer is the forged one
    outcome, done = [], threading.Event()
    kiosk.request_async("ticket.issue", {"category": "zonghe"},
                        lambda data, error: (outcome.append((data, error)), done.set()),
                        transaction="forged-1", timeout=10)
    rogue = publisher(broker.url)
    try:
        topic = f"{BASE}/kiosk/k1/response/ticket.issue"
        send(rogue, topic, {"transaction": "forged-1", "status": "maybe"})   # envelope: ignored
        send(rogue, topic, {"transaction": "forged-1", "status": "ok", "data": {"ticket": {"number": 5}}})
        assert done.wait(10)
    finally:
        rogue.loop_stop()
        rogue.disconnect()
    (data, error), = outcome
    assert data is None and isinstance(error, RequestError) and error.code == "internal"
    assert "contract" in error.message
