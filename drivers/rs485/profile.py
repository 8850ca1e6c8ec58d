"""Typed profile of an agent's window bus (`kind: display_bus`): the RS-485 line, the protocol
of its LED displays, and the profiles of the keypads and evaluator pads that share it."""
from __future__ import annotations

from dataclasses import dataclass, field

from hall.config import Section

from ..display import generic as generic_display
from ..display import onbon_bx
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
        return generic_display.DisplayProtocol()


def read_profile(section: Section) -> BusProfile:
    from hall.config.devices import load_profile   # until profiles are data: see the layers test

    baud = section.get_int("baudrate", 9600)
    if baud is not None and baud not in BAUDRATES:
        section.error(section.node_of("baudrate"), f"'baudrate' {baud} is not a serial rate",
                      f"use one of {', '.join(map(str, BAUDRATES))}")
    pads = {kind: section.get_str(kind, f"generic-{kind}") for kind in ("keypad", "evaluator")}
    profile = BusProfile(
        protocol=section.get_str("protocol", "generic", choices=DISPLAY_PROTOCOLS),
        baudrate=baud,
        timeout_s=section.get_float("timeout_s", 0.3, minval=0.02, maxval=5),
        retries=section.get_int("retries", 2, minval=0, maxval=9),
        poll_interval_s=section.get_float("poll_interval_s", 0.2, minval=0.02, maxval=10),
        keepalive_s=section.get_float("keepalive_s", 10.0, minval=1, maxval=3600),
        lines=section.get_int("lines", 2, minval=1, maxval=4),
        onbon=_read_onbon(section.section("onbon", required=False)),
        **{kind: load_profile(name, section.problems, kind=kind)
           for kind, name in pads.items() if name},
    )
    section.finish()
    return profile


def _read_onbon(sec: Section) -> onbon_bx.OnbonSettings:
    d = onbon_bx.OnbonSettings()
    areas = tuple(_read_area(a) for a in sec.sections("areas", required=False))
    settings = onbon_bx.OnbonSettings(
        host_address=sec.get_int("host_address", d.host_address, minval=0, maxval=0xFFFF),
        device_type=sec.get_int("device_type", d.device_type, minval=0, maxval=255),
        protocol_version=sec.get_int("protocol_version", d.protocol_version, minval=0, maxval=255),
        preamble=sec.get_int("preamble", d.preamble, minval=1, maxval=64),
        display_mode=sec.get_int("display_mode", d.display_mode, minval=0, maxval=255),
        speed=sec.get_int("speed", d.speed, minval=0, maxval=255),
        stay_time=sec.get_int("stay_time", d.stay_time, minval=0, maxval=255),
        areas=areas or d.areas,
    )
    sec.finish()
    return settings


def _read_area(sec: Section) -> onbon_bx.Area:
    area = onbon_bx.Area(sec.get_int("x", 0, minval=0, maxval=4096),
                         sec.get_int("y", 0, minval=0, maxval=4096),
                         sec.get_int("width", 64, minval=1, maxval=4096),
                         sec.get_int("height", 16, minval=1, maxval=4096))
    sec.finish()
    return area
