"""A window's day with real parts: embedded MQTT broker on a free port, the real queue server
(HallService on a SQLite file + HallBus), `yichuang agent`'s Agent with simulated displays,
keypads and evaluator pads on a real pty, and the voice writing WAV files with espeak-ng.
"""
import sqlite3
import wave
from array import array
from pathlib import Path

import pytest

from bus_reading import devices_say, retained, wait_until
from queue_server.agent import Agent
from queue_server.broker import EmbeddedBroker, free_port
from queue_server.bus import HallBus
from hall.config.hall import load_hall_config
from hall.protocol import topics
from hall.protocol.client import HallClient
from queue_server.service import HallService

HALL_YAML = Path(__file__).parent / "hall.yaml"
PASSWORD = "demo-pass-1"
CHIME_S = 1.1          # the chime (~0.9 s) and the pause after it, before the speech


def voiced_seconds(path: Path) -> tuple[float, float, float]:
    """(length, seconds of speech-loud 20 ms frames after the chime, share of quiet frames
    there): a real sentence has loud syllables and short pauses between them."""
    with wave.open(str(path)) as w:
        rate = w.getframerate()
        samples = array("h", w.readframes(w.getnframes()))
    step = rate // 50
    frames = [samples[i:i + step] for i in range(int(CHIME_S * rate), len(samples) - step, step)]
    rms = [(sum(x * x for x in f) / len(f)) ** 0.5 for f in frames]
    loud = sum(1 for r in rms if r > 500)
    return len(samples) / rate, loud / 50, 1 - loud / max(len(rms), 1)


def stored_ratings(db_path: Path) -> list[tuple]:
    """The evaluations table of the server's SQLite file, read like an auditor would."""
    with sqlite3.connect(db_path) as db:
        return db.execute("SELECT ticket, level, window, staff, channel FROM evaluations").fetchall()


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
        yield config, service, agent, kiosk, broker, tmp_path / "hall.sqlite"
    finally:
        kiosk.stop()
        agent.stop()
        bus.stop()
        service.close()
        broker.stop()


def test_ticket_called_by_keypad_shown_announced_finished_and_rated(hall):
    config, service, agent, kiosk, broker, db_path = hall
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
    said = agent.announcer.done[0]
    assert (said.event["ticket"], said.event["window"], said.error) == ("A001", "3", "")
    wav_path = agent.announcer.output.played[0][0]
    assert wav_path.name == "0001-A001.wav"
    length, speech, quiet = voiced_seconds(wav_path)
    assert length > CHIME_S + 1.0                            # chime + the call, not a stub
    assert speech > 1.0 and 0.05 < quiet < 0.9, (speech, quiet)   # syllables and pauses

    keypad.press("recall")                                   # said again, attempt 2
    assert wait_until(lambda: len(agent.announcer.done) == 2)
    assert agent.announcer.done[1].event["attempt"] == 2

    keypad.press("start")
    keypad.press("finish")
    assert wait_until(lambda: display.lines == ["3号窗口", "欢迎办理"]), display.lines
    assert service.tickets_of_day()[0]["status"] == "done"

    evaluator.press(5)                                       # 非常满意
    rated = wait_until(lambda: stored_ratings(db_path))
    assert rated == [("A001", 5, "3", "w3", "evaluator")], rated      # the channel: the pad

    keypad.press("pause_resume")
    assert wait_until(lambda: display.lines == ["3号窗口", "暂停服务"]), display.lines
    keypad.press("pause_resume")
    assert wait_until(lambda: display.lines == ["3号窗口", "欢迎办理"]), display.lines

    devices = wait_until(lambda: retained(broker.url, topics.devices(config.id, "agent", "a1")))
    assert devices.get("display-3") == {"state": "ok"}, devices
    assert devices["keypad-3"] == {"state": "ok"}
    assert devices["voice"] == {"state": "ok"}


def test_a_display_that_stops_answering_is_reported_and_catches_up(hall):
    config, service, agent, kiosk, broker, _db = hall
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


def test_an_unplugged_bus_is_absent_on_the_devices_topic_and_recovers(hall):
    """The RS-485 adapter pulled out and put back: no restart of the agent."""
    config, service, agent, kiosk, broker, _db = hall
    topic = topics.devices(config.id, "agent", "a1")
    window3 = ("display-3", "keypad-3", "evaluator-3")
    assert devices_say(broker.url, topic, dict.fromkeys(window3, "ok"))
    agent.simulation.bus.unplug()
    assert devices_say(broker.url, topic, dict.fromkeys(window3, "absent"))
    service.handle("window", "3", "window.login", {"staff": "w3", "password": PASSWORD})
    agent.simulation.bus.plug()
    assert devices_say(broker.url, topic, dict.fromkeys(window3, "ok"))
    display = agent.simulation.displays["3"]                  # it catches up on what it missed
    assert wait_until(lambda: display.lines == ["3号窗口", "欢迎办理"]), display.lines
    agent.simulation.keypads["3"].press("pause_resume")       # the keypad works again
    assert wait_until(lambda: display.lines == ["3号窗口", "暂停服务"]), display.lines


def test_a_speaker_that_fails_is_reported_and_the_next_call_is_said(hall, tmp_path):
    config, service, agent, kiosk, broker, _db = hall
    topic = topics.devices(config.id, "agent", "a1")
    output = agent.announcer.output
    good_dir, output.directory = output.directory, tmp_path / "not-a-folder"
    output.directory.write_text("a file where the sound should go")
    service.handle("window", "3", "window.login", {"staff": "w3", "password": PASSWORD})
    kiosk.request("ticket.issue", {"category": "zonghe"})
    agent.simulation.keypads["3"].press("call_next")
    assert devices_say(broker.url, topic, {"voice": "error"})
    assert agent.announcer.done[0].error == "write_failed"
    output.directory = good_dir
    agent.simulation.keypads["3"].press("recall")             # the citizen didn't hear it
    assert wait_until(lambda: len(agent.announcer.done) == 2)
    again = agent.announcer.done[1]
    assert (again.event["ticket"], again.event["attempt"], again.error) == ("A001", 2, "")
    assert again.first_sample is not None and agent.announcer.output.played[-1][0].exists()
    assert devices_say(broker.url, topic, {"voice": "ok"})
