"""A4 documents (a receipt, 受理凭证) and the system's print service (CUPS).

Protocol: the document is a PDF made with fpdf2 (a title, label/value rows, a QR code, a
note), its Chinese set in a CJK font from Debian's fonts-wqy-microhei or fonts-noto-cjk
(embedded as a subset: the PDF prints anywhere). Transport: `lp` (Debian's cups-client)
hands the PDF to a named CUPS queue; CUPS owns the printer, its driver and its queue of jobs.
The words come from the caller (hall/words.py): this module only lays them out.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..health import DeviceError

# TrueType first: fpdf2 subsets it much faster than the CFF outlines of Noto CJK.
FONTS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
         "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
QUEUE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,126}")   # a CUPS queue name; never an option
LP_TIMEOUT_S = 20
JOB = re.compile(r"request id is (\S+)")


@dataclass(frozen=True)
class A4Document:
    title: str                           # 受理凭证
    heading: str                         # the hall's name, above the title
    rows: tuple[tuple[str, str], ...]    # label, value
    qr: str | None = None                # a link, drawn as a QR code
    qr_caption: str = ""
    note: str = ""                       # a closing paragraph


def cjk_font() -> str:
    for path in FONTS:
        if Path(path).exists():
            return path
    raise DeviceError("absent", "no CJK font: apt-get install fonts-wqy-microhei (or fonts-noto-cjk)")


def a4_pdf(doc: A4Document) -> bytes:
    """The document as a one-page A4 PDF."""
    from fpdf import FPDF        # fpdf2 and fontTools load when a PDF is made, not at start

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_font("cjk", fname=cjk_font())
    pdf.set_title(doc.title)
    pdf.add_page()
    pdf.set_font("cjk", size=14)
    pdf.cell(0, 10, doc.heading, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=24)
    pdf.cell(0, 16, doc.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    top = pdf.get_y()
    for label, value in doc.rows:
        pdf.set_font("cjk", size=12)
        pdf.cell(36, 10, label, new_x="RIGHT", new_y="TOP")
        pdf.set_font("cjk", size=14)
        pdf.multi_cell(90 if doc.qr else 0, 10, value, new_x="LMARGIN", new_y="NEXT")
    if doc.qr:
        pdf.image(_qr_png(doc.qr), x=145, y=top, w=45, h=45)
        pdf.set_font("cjk", size=10)
        pdf.set_xy(140, top + 46)
        pdf.cell(55, 6, doc.qr_caption, align="C")
        pdf.set_y(max(pdf.get_y(), top + 56))
    if doc.note:
        pdf.ln(8)
        pdf.set_font("cjk", size=12)
        pdf.multi_cell(0, 8, doc.note)
    return bytes(pdf.output())


def _qr_png(link: str) -> io.BytesIO:
    import qrcode

    out = io.BytesIO()
    qrcode.make(link, error_correction=qrcode.constants.ERROR_CORRECT_M, border=2).save(out, "PNG")
    out.seek(0)
    return out


class LpPrinter:
    """A CUPS queue by name, printed to with `lp` (the server from CUPS_SERVER or
    /etc/cups/client.conf, as for any program on the machine)."""

    def __init__(self, queue: str, *, lp: str = "lp", env: dict | None = None):
        if not QUEUE.fullmatch(queue):
            raise ValueError(f"not a CUPS queue name: {queue!r}")
        self.queue, self.lp, self.env = queue, lp, env

    def print_pdf(self, pdf: bytes, title: str = "document") -> str:
        """Send one PDF; the CUPS job id (queue-N), or DeviceError saying why not."""
        lp = shutil.which(self.lp)
        if lp is None:
            raise DeviceError("absent", "lp not found: apt-get install cups-client")
        try:
            done = subprocess.run([lp, "-d", self.queue, "-t", title, "-o", "media=A4", "--", "-"],
                                  input=pdf, capture_output=True, timeout=LP_TIMEOUT_S, env=self.env)
        except subprocess.TimeoutExpired:
            raise DeviceError("no_reply", f"CUPS did not take the job within {LP_TIMEOUT_S} s") from None
        if done.returncode != 0:
            raise DeviceError("offline", done.stderr.decode(errors="replace").strip()[:200] or "lp failed")
        found = JOB.search(done.stdout.decode(errors="replace"))
        return found.group(1) if found else ""
