"""A window's LED display on the bus: it always converges to the text it was last given.

`show(lines)` / `clear()` only record what the display should show and wake the bus; the
bus worker sends it (with the bus's retries). Text not yet confirmed is sent again on every
tick, and confirmed text again every `keepalive` seconds, so a display that was unplugged
or power-cycled shows the right text again as soon as it answers, and its health is fresh.
`show_now` does the exchange on the calling thread (for `yichuang device`).
"""
from __future__ import annotations

import threading
import time

from ..rs485 import Bus
from ..rs485.frame import Frame
from ..health import DeviceError

CLEAR = None     # the content that means "dark"


class Display:
    kind = "display"

    def __init__(self, bus: Bus, address: int, protocol, *, keepalive: float = 10.0):
        self.bus = bus
        self.address = address
        self.protocol = protocol
        self.keepalive = keepalive
        self._lock = threading.Lock()
        self._content: list[str] | None = CLEAR
        self._wanted = 0          # version of _content
        self._shown = 0           # version the display confirmed
        self._confirmed_at = float("-inf")
        bus.add(self)

    @property
    def content(self) -> list[str] | None:
        return self._content

    def show(self, lines: list[str]) -> None:
        self._set(list(lines))

    def clear(self) -> None:
        self._set(CLEAR)

    def _set(self, content: list[str] | None) -> None:
        if content is not None:
            self.protocol.show(self.address, content)   # text it cannot show fails here, now
        with self._lock:
            if self._wanted and content == self._content:
                return
            self._content = content
            self._wanted += 1
        self.bus.wake()

    def tick(self, bus: Bus) -> None:
        with self._lock:
            version, content = self._wanted, self._content
        if version == 0:
            return                                  # nothing to show yet
        due = time.monotonic() - self._confirmed_at >= self.keepalive
        if version == self._shown and not due and bus.health(self.address).state == "ok":
            return
        self._send(content)
        self._shown, self._confirmed_at = version, time.monotonic()

    def show_now(self, lines: list[str] | None) -> None:
        """Show `lines` (None: clear) and wait for the display's answer; DeviceError if none."""
        self._send(lines)

    def _send(self, content: list[str] | None) -> None:
        frame: Frame = (self.protocol.clear(self.address) if content is None
                        else self.protocol.show(self.address, content))
        reply = self.bus.exchange(self.protocol.codec, frame)
        if not self.protocol.ack_ok(reply):
            raise DeviceError("refused", f"显示屏（地址{self.address}）拒绝显示")
