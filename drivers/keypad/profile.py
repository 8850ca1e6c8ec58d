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

from ..options import KeyMap, Option, ProfileSpec
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


def _spec(kind: str, value: Option) -> ProfileSpec:
    options = (Option("frame", str, KeyProfile.frame, choices=tuple(sorted(CODECS))),
               KeyMap("keys", value))
    return ProfileSpec(options, make=lambda values: KeyProfile(kind, values["frame"],
                                                               tuple(values["keys"].items())))


KEYPAD = _spec("keypad", Option("action", str, None, choices=ACTIONS))
EVALUATOR = _spec("evaluator", Option("level", int, None, minval=1, maxval=5,
                                      hint="a rating level: 5 is the best, 1 the worst"))
