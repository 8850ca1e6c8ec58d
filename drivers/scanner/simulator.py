"""A QR / barcode scanner on a pty: each `scan` sends the code and the terminator, the way a
USB-serial scanner does when a code is held under it.

    sim = ScannerSimulator().start()
    sim.scan("73739966")                 # b"73739966\r\n"
    sim.scan("73739966", cut=True)       # the cable jiggled: no terminator, half the code
    sim.noise(b"\xff\xfe\r\n")           # bytes that are no code at all
"""
from __future__ import annotations

from ..simulator import PtySimulator
from .profile import TERMINATORS


class ScannerSimulator(PtySimulator):
    def __init__(self, link: str | None = None, terminator: str = "crlf", encoding: str = "utf-8"):
        super().__init__(link)
        self.end = TERMINATORS[terminator]
        self.encoding = encoding

    def on_data(self, data: bytes) -> None:
        """A scanner in serial mode ignores what it is sent."""

    def scan(self, code: str, cut: bool = False) -> None:
        raw = code.encode(self.encoding)
        self.send(raw[: len(raw) // 2] if cut else raw + self.end)

    def noise(self, data: bytes) -> None:
        self.send(data)

    def cmd_scan(self, code: str) -> str:
        """scan CODE: a code held under the scanner"""
        self.scan(code)
        return f"scanned {code}"
