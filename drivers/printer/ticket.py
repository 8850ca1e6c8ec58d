"""The queue ticket (号票): what it says, laid out for the paper, as ESC/POS bytes. No I/O.

python-escpos builds the commands (sizes, alignment, native QR, cut) into a Dummy printer;
the Chinese text is encoded to GB18030 here and sent raw, because python-escpos's text()
turns full-width punctuation (：，（）) into '?' when a string has no ideograph.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from escpos.printer import Dummy

from .profile import PrinterProfile

FS_CHINESE_ON = b"\x1c\x26"
FS_CHINESE_OFF = b"\x1c\x2e"
QR_LEVEL = {"L": 0, "M": 1, "Q": 2, "H": 3}


@dataclass(frozen=True)
class Ticket:
    hall_name: str                    # 示例县政务服务中心
    category_name: str                # 综合业务
    number: str                       # A012
    waiting_ahead: int                # tickets of the category called before this one
    issued_at: dt.datetime            # aware; printed in the hall's time zone
    url: str                          # the ticket's mobile page (the QR code)
    estimated_wait_min: int | None = None
    timezone: str = "Asia/Shanghai"
    advice: str = "过号请重新取号"


@dataclass(frozen=True)
class Text:
    text: str
    scale: int = 1          # width and height multiplier
    tall: bool = False      # double height only (keeps long names on one line)
    bold: bool = False
    align: str = "center"


@dataclass(frozen=True)
class Qr:
    data: str


def columns(text: str) -> int:
    """Printed width in half-width cells: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for ch in text:
        if columns(current + ch) > width:
            lines.append(current)
            current = ""
        current += ch
    return lines + [current] if current or not lines else lines


def fitted(text: str, scale: int, cpl: int, **style) -> list[Text]:
    """The text at `scale` if it fits one line, else smaller, wrapped as a last resort."""
    for size in range(scale, 0, -1):
        if columns(text) * size <= cpl:
            return [Text(text, size, **style)]
    return [Text(part, 1, **style) for part in wrap(text, cpl)]


def waiting_lines(ticket: Ticket) -> list[Text]:
    if ticket.waiting_ahead <= 0:
        return [Text("您前面暂无人等候，请留意叫号")]
    out = [Text(f"您前面还有 {ticket.waiting_ahead} 人等候")]
    if ticket.estimated_wait_min is not None:
        out.append(Text(f"预计等候约 {max(ticket.estimated_wait_min, 1)} 分钟"))
    return out


def layout(ticket: Ticket, profile: PrinterProfile) -> list[Text | Qr]:
    cpl = profile.chars_per_line
    local = ticket.issued_at.astimezone(ZoneInfo(ticket.timezone))
    return [
        *fitted(ticket.hall_name, profile.title_scale, cpl, bold=True),
        *fitted(ticket.category_name, 1, cpl, tall=True),
        Text("-" * cpl),
        *fitted(ticket.number, profile.number_scale, cpl, bold=True),
        *waiting_lines(ticket),
        Text(f"取号时间：{local:%Y-%m-%d %H:%M}"),
        Qr(ticket.url),
        Text("扫码查看排队进度"),
        *fitted(ticket.advice, 1, cpl, bold=True),
    ]


def render(blocks: list[Text | Qr], profile: PrinterProfile) -> bytes:
    """ESC/POS bytes of a whole ticket, ready for one write."""
    p = Dummy()
    p.hw("INIT")
    if profile.chinese_mode:
        p._raw(FS_CHINESE_ON)     # python-escpos has no public raw-bytes call
    for block in blocks:
        if isinstance(block, Qr):
            p.set(align="center", custom_size=True, width=1, height=1, bold=False)
            p.qr(block.data, native=True, size=profile.qr_module_size,
                 ec=QR_LEVEL[profile.qr_error_correction])
            continue
        p.set(align=block.align, bold=block.bold, custom_size=True, width=block.scale,
              height=2 if block.tall else block.scale)
        p._raw(block.text.encode("gb18030") + b"\n")
    p._raw(b"\x1bd" + bytes([profile.feed_lines_before_cut]))
    if profile.chinese_mode:
        p._raw(FS_CHINESE_OFF)
    p.cut(mode="FULL" if profile.cut == "full" else "PART", feed=False)
    return p.output


def ticket_bytes(ticket: Ticket, profile: PrinterProfile) -> bytes:
    return render(layout(ticket, profile), profile)


def sample_ticket(now: dt.datetime | None = None) -> Ticket:
    """An obviously made-up ticket for test prints, docs and benchmarks."""
    return Ticket(hall_name="示例县政务服务中心", category_name="社保医保（综合业务）",
                  number="A012", waiting_ahead=5, estimated_wait_min=15,
                  issued_at=now or dt.datetime(2024, 5, 6, 1, 31, tzinfo=dt.timezone.utc),
                  url="http://127.0.0.1:8080/t/demo-a012")
