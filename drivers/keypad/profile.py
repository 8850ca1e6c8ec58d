"""Typed profiles of caller keypads (`kind: keypad`) and evaluator pads (`kind: evaluator`).

    kind: keypad
    frame: generic            # generic | ff68
    keys: {1: call_next, 2: recall, ...}   # key code -> action

    kind: evaluator
    frame: generic
    keys: {1: 5, 2: 4, ...}   # key code -> level (5 非常满意 .. 1 非常不满意)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hall.config import Section

from .protocol import CODECS, KeyProtocol

# What a caller keypad's key can do; pause_resume is one key that pauses or resumes.
ACTIONS = ("call_next", "recall", "skip", "start", "finish", "pause", "resume", "pause_resume")


@dataclass(frozen=True)
class KeyProfile:
    kind: str                              # keypad | evaluator
    frame: str = "generic"
    keys: tuple[tuple[int, Any], ...] = ()

    def protocol(self) -> KeyProtocol:
        return KeyProtocol(self.frame)

    def key_map(self) -> dict[int, Any]:
        return dict(self.keys)


def _read(section: Section, kind: str) -> KeyProfile:
    frame = section.get_str("frame", "generic", choices=sorted(CODECS))
    keys_sec = section.section("keys")
    keys = []
    for name in keys_sec.keys():
        if not name.isdigit() or not 0 <= int(name) <= 255:
            keys_sec.error(keys_sec.node_of(name), f"key code '{name}' is not a number 0..255")
            keys_sec.get(name)
            continue
        if kind == "keypad":
            value = keys_sec.get_str(name, choices=ACTIONS)
        else:
            value = keys_sec.get_int(name, minval=1, maxval=5,
                                     hint="a rating level: 5 is the best, 1 the worst")
        keys.append((int(name), value))
    keys_sec.finish()
    section.finish()
    return KeyProfile(kind, frame, tuple(keys))


def read_keypad(section: Section) -> KeyProfile:
    return _read(section, "keypad")


def read_evaluator(section: Section) -> KeyProfile:
    return _read(section, "evaluator")
