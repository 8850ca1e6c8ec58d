"""A simulated window display on a BusSimulator: keeps what it shows now, as text."""
from __future__ import annotations

from ..rs485.frame import Frame, FrameError
from ..rs485.simulator import SimDevice


class SimDisplay(SimDevice):
    kind = "display"

    def __init__(self, address: int, protocol):
        super().__init__(address, protocol.codec)
        self.protocol = protocol
        self.lines: list[str] = []      # what a citizen reads now; [] when dark
        self.history: list[list[str]] = []

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def handle(self, frame: Frame) -> Frame | None:
        try:
            content = self.protocol.parse(frame)
        except FrameError:
            return None                 # a real controller ignores what it cannot parse
        lines = list(content or [])
        while lines and not lines[-1]:
            lines.pop()                 # unused areas are sent blank
        self.lines = lines
        self.history.append(lines)
        return self.protocol.ack(frame)
