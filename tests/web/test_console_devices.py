"""The dashboard's devices are the hall's devices: command-line clients and forged topics are
not, and a window's devices are named after the window."""
import json
import time
import urllib.request

import paho.mqtt.client as mqtt
import pytest

from conftest import Hall
from hall.protocol import topics
from hall.protocol.client import HallClient
from queue_server.web import alerts


@pytest.fixture
def hall(tmp_path):
    h = Hall(tmp_path)
    yield h
    h.stop()


def api_state(hall):
    with urllib.request.urlopen(hall.url + "/api/state", timeout=10) as response:
        body = response.read()
    return len(body), json.loads(body)


def wait_for(check, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_command_line_clients_are_no_devices_and_raise_no_alerts(hall):
    # what the README's commands leave behind: yichuang watch, ticket issue, window call-next
    for role, client_id in (("display", "watch-8530"), ("kiosk", "cli"), ("window", "1")):
        client = HallClient(hall.config.id, role, client_id, hall.broker.url)
        client.start()
        assert client.wait_server(True, 10)          # connected, subscribed, said "online"
        time.sleep(0.3)
        client.stop()                                   # retained "offline" from now on
    agent = HallClient(hall.config.id, "agent", "a1", hall.broker.url)
    agent.start()
    try:
        assert agent.wait_connected(10)
        agent.publish_devices({"display-1": {"state": "error", "code": "no_reply"},
                               "keypad-1": {"state": "ok"}})
        hub = hall.console.console.hub
        assert wait_for(lambda: "devices" in hub.devices.get("agent/a1", {}))
        time.sleep(0.5)                                 # any stray status would be in by now
        _size, state = api_state(hall)
        assert set(state["devices"]) <= {"kiosk/k1", "kiosk/k2", "agent/a1"}
        texts = [a["text"] for a in alerts.device_alerts(hub.devices)]
        assert texts == ["1号窗口显示屏无响应"]          # window 1's real device, by its name
    finally:
        agent.stop()


def test_forged_status_topics_do_not_grow_the_state_or_raise_alerts(hall):
    forger = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="forger")
    host, port = hall.broker.url.removeprefix("mqtt://").split(":")
    forger.connect(host, int(port))
    forger.loop_start()
    try:
        offline = json.dumps({"state": "offline", "ts": time.time()})
        for n in range(2000):
            forger.publish(topics.status(hall.config.id, "kiosk", f"fake{n}"), offline, qos=1,
                           retain=True)
        huge = {f"printer{n}": {"state": "error", "message": "x" * 500} for n in range(2000)}
        forger.publish(topics.devices(hall.config.id, "kiosk", "k1"), json.dumps(huge), qos=1)
        # the last word, on the same connection: a configured host within the size limit
        info = forger.publish(topics.devices(hall.config.id, "agent", "a1"),
                              json.dumps({"voice": {"state": "ok"}}), qos=1)
        info.wait_for_publish(30)
        hub = hall.console.console.hub
        assert wait_for(lambda: "devices" in hub.devices.get("agent/a1", {}), 30)
    finally:
        forger.loop_stop()
        forger.disconnect()
    size, state = api_state(hall)
    assert size < 50_000
    assert not [k for k in state["devices"] if "fake" in k]
    assert "devices" not in state["devices"].get("kiosk/k1", {})
    assert alerts.device_alerts(hub.devices) == []
