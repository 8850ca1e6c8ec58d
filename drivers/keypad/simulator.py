"""A simulated caller keypad or evaluator pad: a test "presses" a key by its code or name."""
from __future__ import annotations

from collections import deque
from typing import Any

from ..rs485.frame import Frame, FrameError
from ..rs485.simulator import SimDevice
from .protocol import KeyProtocol


class SimKeyPad(SimDevice):
    def __init__(self, address: int, protocol: KeyProtocol, keys: dict[int, Any] | None = None,
                 kind: str = "keypad"):
        super().__init__(address, protocol.codec)
        self.kind = kind
        self.protocol = protocol
        self.codes = {value: code for code, value in (keys or {}).items()}
        self._pending: deque[tuple[int, int]] = deque()
        self._seq = 0

    def press(self, value: Any) -> None:
        """Press the key the profile maps to `value` ("call_next", or level 5)."""
        self.press_code(self.codes[value])

    def press_code(self, code: int) -> None:
        with self.lock:
            self._seq = self._seq % 255 + 1
            self._pending.append((self._seq, code))

    @property
    def pending(self) -> int:
        return len(self._pending)

    def handle(self, frame: Frame) -> Frame | None:
        try:
            ack = self.protocol.parse_poll(frame)
        except FrameError:
            return None
        if self._pending and self._pending[0][0] == ack:
            self._pending.popleft()
        return self.protocol.keys_reply(frame, self._pending[0] if self._pending else None)
