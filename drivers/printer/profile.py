"""Typed ticket printer profile (firmware_configs/devices/<name>.yaml with `kind: printer`)."""
from __future__ import annotations

from dataclasses import dataclass

from ..options import Mistake, Option, ProfileSpec

QR_LEVELS = ("L", "M", "Q", "H")


@dataclass(frozen=True)
class PrinterProfile:
    model: str = "80 mm ESC/POS printer"
    paper_width_mm: int = 80
    paper_width_dots: int = 576
    chars_per_line: int = 48          # half-width characters of font A (12 dots each)
    baudrate: int = 115200
    chinese_mode: bool = True         # wrap Chinese text in FS & ... FS .
    title_scale: int = 2              # hall name size (times normal)
    number_scale: int = 4             # ticket number size
    qr_module_size: int = 6           # dots per QR module
    qr_error_correction: str = "M"
    cut: str = "partial"              # full | partial
    feed_lines_before_cut: int = 4
    status_timeout_s: float = 0.5     # one DLE EOT reply


D = PrinterProfile
OPTIONS = (
    Option("model", str, D.model),
    Option("paper_width_mm", int, D.paper_width_mm, minval=58, maxval=112),
    Option("paper_width_dots", int, D.paper_width_dots, minval=360, maxval=832),
    Option("chars_per_line", int, D.chars_per_line, minval=24, maxval=72),
    Option("baudrate", int, D.baudrate, minval=1200, maxval=921600),
    Option("chinese_mode", bool, D.chinese_mode),
    Option("title_scale", int, D.title_scale, minval=1, maxval=4),
    Option("number_scale", int, D.number_scale, minval=1, maxval=8),
    Option("qr_module_size", int, D.qr_module_size, minval=1, maxval=16),
    Option("qr_error_correction", str, D.qr_error_correction, choices=QR_LEVELS),
    Option("cut", str, D.cut, choices=("full", "partial")),
    Option("feed_lines_before_cut", int, D.feed_lines_before_cut, minval=0, maxval=20),
    Option("status_timeout_s", float, D.status_timeout_s, minval=0.05, maxval=5),
)


def check(values: dict) -> list[Mistake]:
    dots, cpl = values["paper_width_dots"], values["chars_per_line"]
    if cpl * 12 <= dots:
        return []
    return [Mistake("chars_per_line",
                    f"{cpl} characters of 12 dots do not fit {dots} dots of paper",
                    "80 mm paper: 48 (576 dots); 58 mm paper: 32 (384 dots)")]


PROFILE = ProfileSpec(OPTIONS, make=lambda values: PrinterProfile(**values), check=check)
