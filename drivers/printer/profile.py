"""Typed ticket printer profile (firmware_configs/devices/<name>.yaml with `kind: printer`)."""
from __future__ import annotations

from dataclasses import dataclass

from hall.config import Section

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


def read_profile(section: Section) -> PrinterProfile:
    width_mm = section.get_int("paper_width_mm", 80, minval=58, maxval=112)
    dots = section.get_int("paper_width_dots", 576, minval=360, maxval=832)
    cpl = section.get_int("chars_per_line", 48, minval=24, maxval=72)
    if dots is not None and cpl is not None and cpl * 12 > dots:
        section.error(section.node_of("chars_per_line"),
                      f"{cpl} characters of 12 dots do not fit {dots} dots of paper",
                      "80 mm paper: 48 (576 dots); 58 mm paper: 32 (384 dots)")
    profile = PrinterProfile(
        model=section.get_str("model", PrinterProfile.model),
        paper_width_mm=width_mm, paper_width_dots=dots, chars_per_line=cpl,
        baudrate=section.get_int("baudrate", 115200, minval=1200, maxval=921600),
        chinese_mode=section.get_bool("chinese_mode", True),
        title_scale=section.get_int("title_scale", 2, minval=1, maxval=4),
        number_scale=section.get_int("number_scale", 4, minval=1, maxval=8),
        qr_module_size=section.get_int("qr_module_size", 6, minval=1, maxval=16),
        qr_error_correction=section.get_str("qr_error_correction", "M", choices=QR_LEVELS),
        cut=section.get_str("cut", "partial", choices=("full", "partial")),
        feed_lines_before_cut=section.get_int("feed_lines_before_cut", 4, minval=0, maxval=20),
        status_timeout_s=section.get_float("status_timeout_s", 0.5, minval=0.05, maxval=5),
    )
    section.finish()
    return profile
