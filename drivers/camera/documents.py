"""The document camera (高拍仪): a frame source like any camera, and its photos as JPEG.

- `snapshot(frame)`: the frame the citizen saw when they pressed 拍照, as a JPEG small
  enough to send over the hall bus in parts (longest side at most MAX_SIDE pixels).
- `DocumentCameraSimulator`: an ImageSequenceSource over image files: a directory given, or
  sample sheets it draws itself (invented paper: a bank card, a passbook page, a form; no
  real person's data), shown in turn as if the citizen changed the paper under the lens.
"""
from __future__ import annotations

import io
import tempfile
from pathlib import Path

import numpy as np

from .source import ImageSequenceSource

MAX_SIDE = 1280
QUALITY = 70
SAMPLES = (("银行卡（样张）", "6222 0000 0000 0000 000", (0.93, 0.95, 1.0)),
           ("存折（样张）", "户名：测** 账号：6217********0000", (1.0, 0.95, 0.9)),
           ("申请材料（样张）", "本材料为演示用样张，不含真实信息", (1.0, 1.0, 1.0)))


def snapshot(frame: np.ndarray, max_side: int = MAX_SIDE, quality: int = QUALITY) -> bytes:
    """An RGB frame as JPEG bytes, scaled down so its longest side is at most max_side."""
    from PIL import Image

    image = Image.fromarray(frame)
    image.thumbnail((max_side, max_side))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


def draw_samples(folder: str | Path, size: tuple[int, int] = (1280, 960)) -> list[Path]:
    """Invented sheets of paper on a dark desk, one PNG each (a CJK font when there is one)."""
    from PIL import Image, ImageDraw, ImageFont

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    font = _font(ImageFont, size[1] // 14)
    small = _font(ImageFont, size[1] // 26)
    paths = []
    for n, (title, line, tint) in enumerate(SAMPLES):
        image = Image.new("RGB", size, (38, 42, 48))
        draw = ImageDraw.Draw(image)
        w, h = size
        paper = tuple(int(255 * c) for c in tint)
        draw.rectangle((w * 0.12, h * 0.1, w * 0.88, h * 0.9), fill=paper)
        draw.text((w * 0.18, h * 0.18), title, fill=(20, 20, 20), font=font)
        draw.text((w * 0.18, h * 0.42), line, fill=(40, 40, 40), font=small)
        for row in range(4):                        # ruled lines, like printed paper
            y = h * (0.58 + row * 0.07)
            draw.line((w * 0.18, y, w * 0.82, y), fill=(150, 150, 150), width=3)
        path = folder / f"sample-{n + 1}.png"
        image.save(path)
        paths.append(path)
    return paths


def _font(image_font, px: int):
    from drivers.printer.render import FONT_CANDIDATES

    for path in FONT_CANDIDATES:
        if Path(path).exists():
            return image_font.truetype(path, px)
    return image_font.load_default()


class DocumentCameraSimulator(ImageSequenceSource):
    """Image files at `fps` (slow: paper lies still), or drawn sample sheets when none given."""

    def __init__(self, images: str | Path | list | None = None, fps: float = 2, **kwargs):
        self._samples = None
        if images is None:
            self._samples = tempfile.TemporaryDirectory(prefix="yichuang-documents-")
            images = draw_samples(self._samples.name)
        super().__init__(images, fps=fps, **kwargs)

    def stop(self) -> None:
        super().stop()
        if self._samples is not None:
            self._samples.cleanup()
