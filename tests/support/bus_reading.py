"""Helpers of the agent tests: wait for a condition, read a retained topic like a third party."""
from __future__ import annotations

import json
import threading
import time
import uuid

import paho.mqtt.client as mqtt


def wait_until(check, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.02)
    return check()


def retained(broker_url, topic, timeout=5.0):
    """The retained message of `topic`, read by a plain MQTT client like any third party."""
    got, done = [], threading.Event()
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2,
                         client_id=f"test-reader-{uuid.uuid4().hex[:8]}")
    client.on_connect = lambda c, *_: c.subscribe(topic, 1)

    def received(_client, _userdata, msg):
        if msg.topic == topic:
            got.append(json.loads(msg.payload))
            done.set()

    client.on_message = received
    host, port = broker_url.rsplit("/", 1)[-1].split(":")
    client.connect(host, int(port))
    client.loop_start()
    done.wait(timeout)
    client.loop_stop()
    client.disconnect()
    return got[-1] if got else None


def devices_say(broker_url, topic, expected: dict, timeout=15.0):
    """Wait until the retained devices message has every (device, state) of `expected`."""
    def matches():
        now = retained(broker_url, topic, timeout=1.0) or {}
        return all(now.get(name, {}).get("state") == state for name, state in expected.items())
    return wait_until(matches, timeout)
