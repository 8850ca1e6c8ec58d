"""Window display text and protocols, on a real pty with the simulated display."""
import pytest

from queue_server.agent.window import display_lines
from drivers.rs485 import Bus, FrameError
from drivers.rs485.simulator import BusSimulator
from drivers.display import Display, onbon_bx
from drivers.display.generic import DisplayProtocol
from drivers.display.simulator import SimDisplay


@pytest.mark.parametrize("state, lines", [
    ({"state": "calling", "ticket": "A012"}, ["A012", "请到3号窗口"]),
    ({"state": "serving", "ticket": "A012"}, ["A012", "请到3号窗口"]),
    ({"state": "idle", "ticket": None}, ["3号窗口", "欢迎办理"]),
    ({"state": "paused", "ticket": None, "reason": "午休"}, ["3号窗口", "暂停服务"]),
    ({"state": "closed", "ticket": None}, None),
])
def test_window_state_to_display_text(state, lines):
    assert display_lines({"window": "3", "name": "3号窗口", **state}, "3号窗口") == lines


@pytest.fixture
def sim():
    with BusSimulator() as bus:
        yield bus


def test_text_a_display_cannot_show_is_refused_before_sending(sim):
    bus = Bus(sim.path, timeout=0.1)
    display = Display(bus, 1, DisplayProtocol())
    with pytest.raises(FrameError):
        display.show(["A012 😀"])
    assert display.content is None


def test_a_power_cycled_display_gets_its_text_back_on_keepalive(sim):
    shown = sim.add(SimDisplay(2, DisplayProtocol()))
    bus = Bus(sim.path, timeout=0.2)
    display = Display(bus, 2, DisplayProtocol(), keepalive=0)
    display.show(["A001", "请到2号窗口"])
    bus.tick()
    shown.lines = []                   # the controller lost power and came back dark
    bus.tick()
    assert shown.lines == ["A001", "请到2号窗口"]


def test_onbon_areas_come_from_the_profile(sim):
    settings = onbon_bx.OnbonSettings(areas=(onbon_bx.Area(0, 0, 96, 16),))
    protocol = onbon_bx.DisplayProtocol(settings)
    frame = protocol.show(7, ["暂停服务"])
    assert frame.command == 0xA306 and frame.payload[:2] == b"\x00\x01"   # one area
    with pytest.raises(FrameError):
        protocol.show(7, ["two", "lines"])
    shown = sim.add(SimDisplay(7, protocol))
    Display(Bus(sim.path, timeout=0.3), 7, protocol).show_now(["暂停服务"])
    assert shown.lines == ["暂停服务"]


def test_technician_shows_text_and_reads_keys_with_yichuang_device(sim, capsys):
    from drivers.keypad import KeyProtocol
    from drivers.keypad.simulator import SimKeyPad
    from queue_server.cli import main

    shown = sim.add(SimDisplay(3, DisplayProtocol()))
    pad = sim.add(SimKeyPad(103, KeyProtocol(), {1: "call_next"}))
    assert main(["device", "display-show", "--port", sim.path, "--address", "3",
                 "A012", "请到3号窗口"]) == 0
    assert shown.lines == ["A012", "请到3号窗口"]
    assert main(["device", "display-show", "--port", sim.path, "--address", "9", "x"]) == 1
    assert "显示屏（地址9）无应答" in capsys.readouterr().out
    pad.press("call_next")
    assert main(["device", "keys", "--port", sim.path, "--address", "103",
                 "--seconds", "0.3"]) == 0
    assert "按键：call_next" in capsys.readouterr().out
