"""Caller keypads (呼叫器) and evaluator pads (评价器) on the bus: polled for key presses.

Each press reaches `on_press(pad, value)` exactly once, where `value` is what the profile maps
the key code to (an action name for a keypad, a level 1..5 for an evaluator pad). It runs on
the bus worker thread: keep it short (hand work to another thread or send it async).
"""
from __future__ import annotations

import logging
from typing import Any, Callable

from ..rs485 import Bus
from ..health import DeviceError
from .protocol import KeyProtocol

log = logging.getLogger(__name__)
MAX_PRESSES_PER_TICK = 8


class KeyPad:
    def __init__(self, bus: Bus, address: int, protocol: KeyProtocol, keys: dict[int, Any],
                 on_press: Callable[["KeyPad", Any], None], *, kind: str = "keypad"):
        self.address = address
        self.protocol = protocol
        self.keys = dict(keys)
        self.on_press = on_press
        self.kind = kind              # keypad | evaluator
        self._last_seq = 0            # last press received; sent back as the ack
        bus.add(self)

    def tick(self, bus: Bus) -> None:
        for _ in range(MAX_PRESSES_PER_TICK):
            reply = bus.exchange(self.protocol.codec, self.protocol.poll(self.address, self._last_seq))
            try:
                press = self.protocol.parse_reply(reply)
            except ValueError as exc:
                raise DeviceError("bad_frame", f"按键器（地址{self.address}）应答错误") from exc
            if press is None:
                return
            seq, code = press
            if seq == self._last_seq:
                continue          # our ack was lost: the pad sent this press again
            self._last_seq = seq
            self._deliver(code)

    def _deliver(self, code: int) -> None:
        value = self.keys.get(code)
        if value is None:
            log.warning("%s %d: key code %d is not in its profile", self.kind, self.address, code)
            return
        self.on_press(self, value)
