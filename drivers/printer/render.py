"""Draw a decoded ticket (decode.Document) as the paper would look, for docs and checks.

One dot of the printer is one pixel: font A is 12 x 24 dots per half-width character, lines
are 30 dots apart at normal size. A CJK font is needed (Debian: fonts-noto-cjk or
fonts-wqy-microhei).
"""
from __future__ import annotations

from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

from .decode import Document, Line, QrCode
from .ticket import columns

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
CELL, GAP, MARGIN = 24, 6, 16
QR_LEVELS = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
             "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}


def find_cjk_font() -> str:
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            return path
    raise RuntimeError("no CJK font found: install fonts-noto-cjk or fonts-wqy-microhei")


def _line_image(line: Line, font_path: str) -> Image.Image:
    height = CELL * line.height
    font = ImageFont.truetype(font_path, height - 2 * line.height)
    natural = max(columns(line.text) * height // 2, 1)
    img = Image.new("L", (natural, height), 255)
    draw = ImageDraw.Draw(img)
    x = 0
    for ch in line.text:            # one character per cell, like the printer's font grid
        cell = columns(ch) * height // 2
        for dx in ((0, 1) if line.bold else (0,)):
            draw.text((x + cell // 2 + dx, height // 2), ch, font=font, fill=0, anchor="mm")
        x += cell
    # ESC/POS scales width and height separately: stretch to the printed width.
    return img.resize((max(columns(line.text) * 12 * line.width, 1), height))


def _qr_image(code: QrCode) -> Image.Image:
    qr = qrcode.QRCode(error_correction=QR_LEVELS.get(code.level, QR_LEVELS["L"]),
                       box_size=code.module, border=0)
    qr.add_data(code.data)
    return qr.make_image(fill_color="black", back_color="white").get_image().convert("L")


def render_png(document: Document, paper_dots: int, path: str | Path) -> Path:
    font_path = find_cjk_font()
    parts = []
    for item in document.items:
        if isinstance(item, QrCode):
            parts.append((_qr_image(item), "center"))
        elif item.text:
            parts.append((_line_image(item, font_path), item.align))
        else:
            parts.append((None, "left"))
    height = MARGIN * 2 + sum((p.height if p else CELL) + GAP for p, _ in parts) + 12
    paper = Image.new("L", (paper_dots, height), 255)
    y = MARGIN
    for part, align in parts:
        if part is not None:
            x = {"center": (paper_dots - part.width) // 2,
                 "right": paper_dots - part.width}.get(align, 0)
            paper.paste(part, (max(x, 0), y))
        y += (part.height if part else CELL) + GAP
    if document.cut:
        draw = ImageDraw.Draw(paper)
        for x in range(0, paper_dots, 16):                  # the cut, drawn as a dashed line
            draw.line([(x, height - 4), (x + 8, height - 4)], fill=0, width=2)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    paper.save(path)
    return path
