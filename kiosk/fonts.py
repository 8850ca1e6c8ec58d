"""Find a font with Chinese glyphs before Kivy draws anything.

Kivy's bundled Roboto has no CJK glyphs: without a CJK font every label would be boxes, so
the kiosk refuses to start and names the Debian package to install instead.
"""
from __future__ import annotations

import os
import shutil
import subprocess

# Known locations first (fast, no fontconfig needed on a minimal board image).
CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
PACKAGES = "fonts-noto-cjk 或 fonts-wqy-microhei"
MISSING_MESSAGE = (
    "没有找到中文字体，自助终端无法显示中文。\n"
    "No CJK font found: install one with\n"
    "    apt-get install fonts-noto-cjk      (or: apt-get install fonts-wqy-microhei)\n"
    "or set YICHUANG_FONT=/path/to/font.ttc")


class FontMissing(RuntimeError):
    def __init__(self) -> None:
        super().__init__(MISSING_MESSAGE)


def _from_fontconfig() -> str | None:
    if not shutil.which("fc-list"):
        return None
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True,
                             timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    files = sorted(line.split(":")[0].strip() for line in out.splitlines() if line.strip())
    return files[0] if files else None


def find_cjk_font(candidates: tuple[str, ...] = CANDIDATES, use_fontconfig: bool = True) -> str:
    """Path of a CJK font file; FontMissing (naming the package to install) when there is none.

    YICHUANG_FONT overrides the search, so a hall can choose its own typeface.
    """
    chosen = os.environ.get("YICHUANG_FONT")
    if chosen:
        if os.path.isfile(chosen):
            return chosen
        raise FontMissing()
    for path in candidates:
        if os.path.isfile(path):
            return path
    found = _from_fontconfig() if use_fontconfig else None
    if found and os.path.isfile(found):
        return found
    raise FontMissing()
