"""`yichuang demo` opens a kiosk window with simulated devices when a display is there, or
when asked (`--kiosk`; Kivy draws offscreen without a display), and stops it with the demo."""
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import paho.mqtt.client as mqtt

from queue_server.broker import free_port
from queue_server.commands.kiosk_window import display_available
from hall.config.hall import load_hall_config
from hall.protocol import topics

ROOT = Path(__file__).resolve().parents[2]
COUNTY = load_hall_config(ROOT / "firmware_configs" / "sites" / "county.yaml")


def headless_env():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def start_demo(tmp_path, *extra):
    broker, console = free_port(), free_port()
    demo = subprocess.Popen([sys.executable, "-m", "queue_server.cli", "demo", "--broker-port",
                             str(broker), "--console-port", str(console), "--db",
                             str(tmp_path / "demo.sqlite"), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            stdin=subprocess.DEVNULL, env=headless_env())
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in demo.stdout], daemon=True).start()
    return demo, broker, lines


def read_until(lines, pattern, timeout=60):
    seen = []
    while True:
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no line matching {pattern!r} in: {''.join(seen)}") from None
        seen.append(line)
        found = re.search(pattern, line)
        if found:
            return found


def stop_demo(demo):
    demo.send_signal(signal.SIGTERM)
    assert demo.wait(60) == 0


def watch(broker, topic):
    got: queue.Queue = queue.Queue()
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    client.on_message = lambda _c, _u, msg: got.put(json.loads(msg.payload))
    client.on_connect = lambda c, *_: c.subscribe(topic, qos=1)
    client.connect("127.0.0.1", broker)
    client.loop_start()
    return client, got


def wait_for(got, check, timeout=60):
    seen = []
    while True:
        try:
            payload = got.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"never saw it; got {seen}") from None
        seen.append(payload)
        if check(payload):
            return payload


def test_display_detection():
    assert display_available({"DISPLAY": ":0"}) == "x11"
    assert display_available({"WAYLAND_DISPLAY": "wayland-0"}) == "wayland"
    if not os.isatty(0):             # pytest's stdin is no Linux console: nothing to draw on
        assert display_available({}) == ""


def test_demo_opens_the_kiosk_when_asked_and_stops_it(tmp_path):
    demo, broker, lines = start_demo(tmp_path, "--kiosk")
    client = None
    try:
        pid = int(read_until(lines, r"Kiosk k1: window .*pid (\d+)").group(1))
        client, got = watch(broker, topics.status(COUNTY.id, "kiosk", "k1"))
        wait_for(got, lambda p: p.get("state") == "online")
        devices, seen = watch(broker, topics.client_base(COUNTY.id, "kiosk", "k1") + "/devices")
        try:
            health = wait_for(seen, lambda p: p.get("printer", {}).get("state") == "ok")
            assert health["card_reader"]["state"] == "ok"     # the simulated devices run
        finally:
            devices.loop_stop()
            devices.disconnect()
        stop_demo(demo)
        wait_for(got, lambda p: p.get("state") == "offline", 10)
        assert not Path(f"/proc/{pid}").exists(), "the kiosk outlived the demo"
    finally:
        if client is not None:
            client.loop_stop()
            client.disconnect()
        if demo.poll() is None:
            demo.kill()
            demo.wait()


def test_demo_without_display_says_so_and_runs_without_kiosk(tmp_path):
    demo, _broker, lines = start_demo(tmp_path)
    try:
        read_until(lines, r"Web console: http")
        read_until(lines, r"Kiosk: no display here")
        stop_demo(demo)
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
