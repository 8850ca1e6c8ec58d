"""ESC/POS real-time status (DLE EOT n): pure decoding and encoding, no I/O.

Each query `10 04 n` answers one byte whose bit 1 and bit 4 are always 1 and bits 0 and 7
always 0; a byte that breaks that rule is not a status reply. An empty reply is "no reply",
never "paper OK" (python-escpos's paper_status() makes that mistake).
"""
from __future__ import annotations

from dataclasses import dataclass, fields

from ..health import OK, DeviceError, Health

QUERIES = (1, 2, 3, 4)
FIXED_MASK, FIXED_BITS = 0x93, 0x12

# query n -> flag -> bits that report it
BITS: dict[int, dict[str, int]] = {
    1: {"offline": 0x08},
    2: {"cover_open": 0x04, "paper_stop": 0x20, "error": 0x40},
    3: {"cutter_error": 0x08, "unrecoverable": 0x20, "auto_recoverable": 0x40},
    4: {"paper_near_end": 0x0C, "paper_out": 0x60},
}

# flag -> (health state, code, message), in order of importance.
PROBLEMS = (
    ("cover_open", "error", "cover_open", "打印机上盖未关好"),
    ("paper_out", "error", "paper_out", "打印机缺纸，请更换纸卷"),
    ("paper_stop", "error", "paper_out", "打印机缺纸，请更换纸卷"),
    ("cutter_error", "error", "cutter_error", "打印机切刀故障，请联系管理员"),
    ("unrecoverable", "error", "printer_error", "打印机故障，请联系管理员"),
    ("auto_recoverable", "error", "printer_busy", "打印机暂时故障（可能过热），请稍候"),
    ("offline", "error", "offline", "打印机脱机"),
    ("error", "error", "offline", "打印机脱机"),
    ("paper_near_end", "warning", "paper_near_end", "打印纸即将用完，请准备更换"),
)


class PrinterError(DeviceError):
    """The printer cannot print (or could not finish); `health` says why."""


def query(n: int) -> bytes:
    return bytes([0x10, 0x04, n])


@dataclass(frozen=True)
class PrinterStatus:
    offline: bool = False
    cover_open: bool = False
    paper_stop: bool = False
    error: bool = False
    cutter_error: bool = False
    unrecoverable: bool = False
    auto_recoverable: bool = False
    paper_near_end: bool = False
    paper_out: bool = False

    @classmethod
    def decode(cls, replies: dict[int, int]) -> "PrinterStatus":
        """From the reply byte of each query; a malformed byte raises PrinterError."""
        flags = {}
        for n, byte in replies.items():
            if byte & FIXED_MASK != FIXED_BITS:
                raise PrinterError("bad_reply", f"打印机状态回复异常（{byte:02X}）")
            flags.update({name: bool(byte & mask) for name, mask in BITS[n].items()})
        return cls(**flags)

    def encode(self, n: int) -> int:
        """The byte a printer in this state answers to DLE EOT n (used by the simulator)."""
        byte = FIXED_BITS
        for name, mask in BITS[n].items():
            if getattr(self, name):
                byte |= mask
        return byte

    @property
    def health(self) -> Health:
        for flag, state, code, message in PROBLEMS:
            if getattr(self, flag):
                return Health(state, code, message)
        return OK

    @property
    def can_print(self) -> bool:
        return self.health.state in ("ok", "warning")

    def flags(self) -> list[str]:
        return [f.name for f in fields(self) if getattr(self, f.name)]
