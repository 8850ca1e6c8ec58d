"""Typed scanner profile (firmware_configs/devices/<name>.yaml with `kind: scanner`)."""
from __future__ import annotations

from dataclasses import dataclass

from ..options import Option, ProfileSpec, one_of

BAUDRATES = (9600, 19200, 38400, 57600, 115200)
TERMINATORS = {"crlf": b"\r\n", "cr": b"\r", "lf": b"\n"}


@dataclass(frozen=True)
class ScannerProfile:
    model: str = "USB-serial QR scanner"
    baudrate: int = 9600               # ignored by USB-CDC scanners, used by real RS-232 ones
    terminator: str = "crlf"           # what ends a code: crlf | cr | lf
    encoding: str = "utf-8"            # utf-8 | gbk (some scanners send Chinese as GBK)
    max_length: int = 256              # longer: not a code of ours, dropped
    gap_timeout_s: float = 0.3         # a code cut off this long without its terminator is dropped
    reopen_interval_s: float = 2.0     # an unplugged scanner is looked for again this often

    @property
    def end(self) -> bytes:
        return TERMINATORS[self.terminator]


D = ScannerProfile
OPTIONS = (
    Option("model", str, D.model),
    Option("baudrate", int, D.baudrate),
    Option("terminator", str, D.terminator, choices=tuple(TERMINATORS),
           hint="as set on the scanner (its setup barcodes): CR LF is the usual factory setting"),
    Option("encoding", str, D.encoding, choices=("utf-8", "gbk")),
    Option("max_length", int, D.max_length, minval=8, maxval=4096),
    Option("gap_timeout_s", float, D.gap_timeout_s, minval=0.05, maxval=5),
    Option("reopen_interval_s", float, D.reopen_interval_s, minval=0.2, maxval=60),
)

PROFILE = ProfileSpec(OPTIONS, make=lambda values: ScannerProfile(**values),
                      check=lambda values: one_of(values, "baudrate", BAUDRATES, "a serial rate"))
