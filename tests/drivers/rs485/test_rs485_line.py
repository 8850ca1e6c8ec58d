"""The bus driver over a real pty path, with simulated devices speaking the real frames."""
import threading

import pytest

from drivers.rs485 import Bus
from drivers.rs485.simulator import BusSimulator
from drivers.display import Display, onbon_bx
from drivers.display.generic import DisplayProtocol
from drivers.display.simulator import SimDisplay
from drivers.health import DeviceError
from drivers.keypad import KeyPad, KeyProtocol
from drivers.keypad.simulator import SimKeyPad

KEYS = {1: "call_next", 2: "recall", 3: "skip"}


@pytest.fixture
def sim_bus():
    sim = BusSimulator().start()      # a simulated RS-485 bus behind a real pty path
    yield sim
    sim.stop()


def make_bus(sim, **kw):
    kw.setdefault("timeout", 0.15)
    kw.setdefault("retries", 2)
    return Bus(sim.path, baudrate=9600, **kw)


def test_display_shows_text_over_the_pty(sim_bus):
    shown = sim_bus.add(SimDisplay(3, DisplayProtocol()))
    bus = make_bus(sim_bus)
    Display(bus, 3, DisplayProtocol()).show_now(["A012", "请到3号窗口"])
    assert shown.lines == ["A012", "请到3号窗口"]
    assert bus.get_status() == {3: {"state": "ok"}}


def test_corrupted_replies_are_retried(sim_bus):
    shown = sim_bus.add(SimDisplay(3, DisplayProtocol()))
    shown.corrupt_replies = 2
    bus = make_bus(sim_bus, retries=2)
    Display(bus, 3, DisplayProtocol()).show_now(["暂停服务"])
    assert shown.requests == 3 and shown.lines == ["暂停服务"]
    assert bus.get_status()[3] == {"state": "ok"}


def test_always_corrupted_reply_reports_bad_frame(sim_bus):
    shown = sim_bus.add(SimDisplay(3, DisplayProtocol()))
    shown.corrupt_replies = 99
    bus = make_bus(sim_bus, retries=1)
    with pytest.raises(DeviceError):
        Display(bus, 3, DisplayProtocol()).show_now(["x"])
    assert bus.get_status()[3]["code"] == "bad_frame"


def test_address_that_stops_answering_goes_error_then_recovers(sim_bus):
    sim_bus.add(SimDisplay(3, DisplayProtocol()))
    other = sim_bus.add(SimDisplay(4, DisplayProtocol()))
    bus = make_bus(sim_bus, retries=1)
    three = Display(bus, 3, DisplayProtocol())
    four = Display(bus, 4, DisplayProtocol())
    other.answering = False
    four.show(["A001"])
    three.show(["A002"])
    bus.tick()
    assert other.requests == 2                        # the request and one retry
    status = bus.get_status()
    assert status[4]["state"] == "error" and status[4]["code"] == "no_reply"
    assert "无应答" in status[4]["message"]
    assert status[3] == {"state": "ok"}               # its neighbour is unaffected
    other.answering = True
    bus.tick()                                        # the text it still owes is sent again
    assert other.lines == ["A001"] and bus.get_status()[4] == {"state": "ok"}


def test_unplugged_port_is_absent_and_recovers_when_plugged_back(sim_bus):
    shown = sim_bus.add(SimDisplay(3, DisplayProtocol()))
    bus = make_bus(sim_bus)
    display = Display(bus, 3, DisplayProtocol())
    display.show(["A001"])
    bus.tick()
    sim_bus.unplug()
    display.show(["A002"])
    bus.tick()
    assert bus.get_status()[3]["state"] == "absent"
    sim_bus.plug()
    bus.tick()
    assert shown.lines == ["A002"] and bus.get_status()[3] == {"state": "ok"}


def test_onbon_display_shows_each_line_in_its_area(sim_bus):
    protocol = onbon_bx.DisplayProtocol()
    shown = sim_bus.add(SimDisplay(1, protocol))
    bus = make_bus(sim_bus)
    display = Display(bus, 1, protocol)
    display.show_now(["A012", "请到3号窗口"])
    assert shown.lines == ["A012", "请到3号窗口"]
    display.show_now(None)
    assert shown.lines == []


def test_mixed_protocols_share_one_bus(sim_bus):
    onbon = onbon_bx.DisplayProtocol()
    keys = KeyProtocol("ff68")
    shown = sim_bus.add(SimDisplay(1, onbon))
    pad = sim_bus.add(SimKeyPad(2, keys, KEYS))
    bus = make_bus(sim_bus)
    got = []
    KeyPad(bus, 2, keys, KEYS, lambda p, value: got.append(value))
    Display(bus, 1, onbon).show(["3号窗口", "欢迎办理"])
    pad.press("recall")
    bus.tick()
    assert shown.lines == ["3号窗口", "欢迎办理"] and got == ["recall"]


@pytest.mark.parametrize("frame", ["generic", "ff68"])
def test_each_press_is_delivered_exactly_once_even_when_replies_are_lost(sim_bus, frame):
    protocol = KeyProtocol(frame)
    pad = sim_bus.add(SimKeyPad(5, protocol, KEYS))
    bus = make_bus(sim_bus, retries=3)
    got = []
    KeyPad(bus, 5, protocol, KEYS, lambda p, value: got.append(value))
    for key in ["call_next", "recall", "skip", "call_next"]:
        pad.press(key)
    pad.corrupt_replies = 3        # replies lost: the pad is asked again, the host must dedupe
    for _ in range(4):
        bus.tick()
    assert got == ["call_next", "recall", "skip", "call_next"]
    assert pad.pending == 0


def test_worker_thread_polls_and_delivers_presses(sim_bus):
    protocol = KeyProtocol()
    pad = sim_bus.add(SimKeyPad(5, protocol, KEYS))
    bus = make_bus(sim_bus, poll_interval=0.02).start()
    got = threading.Event()
    try:
        KeyPad(bus, 5, protocol, KEYS, lambda p, value: got.set())
        pad.press("call_next")
        assert got.wait(5)
    finally:
        bus.stop()
