"""A window's day with real parts: embedded MQTT broker on a free port, the real queue server
(HallService on a SQLite file + HallBus), `yichuang agent`'s Agent with simulated displays,
keypads and evaluator pads on a real pty, and the voice writing WAV files with espeak-ng.
"""
import json
import threading
import time
import uuid
import wave
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from drivers.agent import Agent
from queue_server.broker import EmbeddedBroker, free_port
from queue_server.bus import HallBus
from queue_server.config.hall import load_hall_config
from queue_server.protocol import topics
from queue_server.protocol.client import HallClient
from queue_server.service import HallService

HALL_YAML = Path(__file__).parent / "hall.yaml"
PASSWORD = "demo-pass-1"


def wait_until(check, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.02)
    return check()


@pytest.fixture
def hall(tmp_path):
    config = load_hall_config(HALL_YAML)
    broker = EmbeddedBroker("127.0.0.1", free_port()).start()
    service = HallService(config, str(tmp_path / "hall.sqlite"))
    service.staff.add("w3", "李明", "window", PASSWORD)
    bus = HallBus(service, config, broker.url)
    bus.start()
    assert bus.wait_connected(10)
    agent = Agent(config, "a1", broker.url, simulate=True, wav_dir=str(tmp_path / "voice"))
    agent.start()
    kiosk = HallClient(config.id, "kiosk", "k1", broker.url)
    kiosk.start()
    try:
        assert agent.wait_connected(10) and kiosk.wait_connected(10)
        yield config, service, agent, kiosk, broker
    finally:
        kiosk.stop()
        agent.stop()
        bus.stop()
        service.close()
        broker.stop()


def retained(broker_url, topic, timeout=5.0):
    """The retained message of `topic`, read by a plain MQTT client like any third party."""
    got, done = [], threading.Event()
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"test-reader-{uuid.uuid4().hex[:8]}")
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


def test_ticket_called_by_keypad_shown_announced_finished_and_rated(hall):
    config, service, agent, kiosk, broker = hall
    sim = agent.simulation
    display, keypad, evaluator = sim.displays["3"], sim.keypads["3"], sim.evaluators["3"]

    # Closed window: dark display. Staff log in (web console): the display welcomes.
    assert service.handle("window", "3", "window.login",
                          {"staff": "w3", "password": PASSWORD})["status"] == "ok"
    assert wait_until(lambda: display.lines == ["3号窗口", "欢迎办理"]), display.lines
    assert sim.displays["4"].lines == []

    ticket = kiosk.request("ticket.issue", {"category": "zonghe"})["ticket"]["number"]
    assert ticket == "A001"

    keypad.press("call_next")
    assert wait_until(lambda: display.lines == ["A001", "请到3号窗口"]), display.lines
    assert wait_until(lambda: len(agent.announcer.done) == 1)
    wav_path = agent.announcer.output.played[0][0]
    assert wav_path.name == "0001-A001.wav"
    with wave.open(str(wav_path)) as w:
        assert w.getnframes() / w.getframerate() > 1.0      # chime + the call, not a stub

    keypad.press("recall")                                   # said again, attempt 2
    assert wait_until(lambda: len(agent.announcer.done) == 2)
    assert agent.announcer.done[1].event["attempt"] == 2

    keypad.press("start")
    keypad.press("finish")
    assert wait_until(lambda: display.lines == ["3号窗口", "欢迎办理"]), display.lines
    assert service.tickets_of_day()[0]["status"] == "done"

    evaluator.press(5)                                       # 非常满意
    rated = wait_until(lambda: service.evaluations())
    assert [(e["ticket"], e["level"], e["window"]) for e in rated] == [("A001", 5, "3")]

    keypad.press("pause_resume")
    assert wait_until(lambda: display.lines == ["3号窗口", "暂停服务"]), display.lines
    keypad.press("pause_resume")
    assert wait_until(lambda: display.lines == ["3号窗口", "欢迎办理"]), display.lines

    devices = wait_until(lambda: retained(broker.url, topics.devices(config.id, "agent", "a1")))
    assert devices.get("display-3") == {"state": "ok"}, devices
    assert devices["keypad-3"] == {"state": "ok"}
    assert devices["voice"] == {"state": "ok"}


def test_a_display_that_stops_answering_is_reported_and_catches_up(hall):
    config, service, agent, kiosk, broker = hall
    display = agent.simulation.displays["4"]
    display.answering = False
    devices_topic = topics.devices(config.id, "agent", "a1")
    service.staff.add("w4", "王芳", "window", PASSWORD)
    service.handle("window", "4", "window.login", {"staff": "w4", "password": PASSWORD})
    faulty = wait_until(lambda: (retained(broker.url, devices_topic) or {}).get("display-4", {})
                        .get("state") == "error")
    assert faulty
    display.answering = True
    assert wait_until(lambda: display.lines == ["4号窗口", "欢迎办理"]), display.lines
    assert wait_until(lambda: retained(broker.url, devices_topic)["display-4"] == {"state": "ok"})
