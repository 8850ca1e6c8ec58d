"""Typed profile of an agent's window bus (`kind: display_bus`): the RS-485 line, the protocol
of its LED displays, and the profiles of the keypads and evaluator pads that share it.

Here, not in drivers/rs485: the line carries the displays and pads but knows none of them;
the display package knows which protocol object its profile asks for."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..options import Group, Mistake, Option, ProfileRef, ProfileSpec, one_of
from . import generic, onbon_bx

if TYPE_CHECKING:
    from ..keypad.profile import KeyProfile

BAUDRATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
DISPLAY_PROTOCOLS = ("generic", "onbon_bx")


@dataclass(frozen=True)
class BusProfile:
    protocol: str = "generic"              # of the displays
    baudrate: int = 9600
    timeout_s: float = 0.3                 # for one reply
    retries: int = 2
    poll_interval_s: float = 0.2
    keepalive_s: float = 10.0              # displays get their text again this often
    lines: int = 2                         # text lines of a window display
    onbon: onbon_bx.OnbonSettings = field(default_factory=onbon_bx.OnbonSettings)
    keypad: KeyProfile | None = None
    evaluator: KeyProfile | None = None

    def display_protocol(self):
        if self.protocol == "onbon_bx":
            return onbon_bx.DisplayProtocol(self.onbon)
        return generic.DisplayProtocol()


D, S, A = BusProfile, onbon_bx.OnbonSettings, onbon_bx.Area
AREA = (Option("x", int, A.x, minval=0, maxval=4096), Option("y", int, A.y, minval=0, maxval=4096),
        Option("width", int, A.width, minval=1, maxval=4096),
        Option("height", int, A.height, minval=1, maxval=4096))
ONBON = (
    Option("host_address", int, S.host_address, minval=0, maxval=0xFFFF),
    Option("device_type", int, S.device_type, minval=0, maxval=255),
    Option("protocol_version", int, S.protocol_version, minval=0, maxval=255),
    Option("preamble", int, S.preamble, minval=1, maxval=64),
    Option("display_mode", int, S.display_mode, minval=0, maxval=255),
    Option("speed", int, S.speed, minval=0, maxval=255),
    Option("stay_time", int, S.stay_time, minval=0, maxval=255),
    Group("areas", AREA, many=True),
)
OPTIONS = (
    Option("baudrate", int, D.baudrate),
    ProfileRef("keypad", "keypad", "generic-keypad"),
    ProfileRef("evaluator", "evaluator", "generic-evaluator"),
    Option("protocol", str, D.protocol, choices=DISPLAY_PROTOCOLS),
    Option("timeout_s", float, D.timeout_s, minval=0.02, maxval=5),
    Option("retries", int, D.retries, minval=0, maxval=9),
    Option("poll_interval_s", float, D.poll_interval_s, minval=0.02, maxval=10),
    Option("keepalive_s", float, D.keepalive_s, minval=1, maxval=3600),
    Option("lines", int, D.lines, minval=1, maxval=4),
    Group("onbon", ONBON),
)


def check(values: dict) -> list[Mistake]:
    return one_of(values, "baudrate", BAUDRATES, "a serial rate")


def make(values: dict) -> BusProfile:
    onbon = dict(values["onbon"])
    areas = tuple(A(**area) for area in onbon.pop("areas"))
    return BusProfile(**{**values, "onbon": S(**onbon, areas=areas or S().areas)})


PROFILE = ProfileSpec(OPTIONS, make=make, check=check)
