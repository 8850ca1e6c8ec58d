"""Bar charts as SVG text made on the server (no chart library, no script in the browser)."""
from __future__ import annotations

from html import escape


def bar_chart(pairs: list[tuple[str, int]], *, width: int = 640, height: int = 240,
              color: str = "#1f6fd1", unit: str = "") -> str:
    """A bar per (label, value); value printed above each non-zero bar."""
    left, bottom, top = 8, 28, 22
    n = max(1, len(pairs))
    slot = (width - 2 * left) / n
    peak = max((v for _, v in pairs), default=0) or 1
    scale = (height - bottom - top) / peak
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="100%" role="img" font-family="sans-serif" font-size="13">',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" stroke="#999"/>']
    for i, (label, value) in enumerate(pairs):
        x = left + i * slot
        h = value * scale
        y = height - bottom - h
        parts.append(f'<rect x="{x + slot * 0.15:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
                     f'height="{h:.1f}" fill="{color}"><title>{escape(label)}: {value}{escape(unit)}</title></rect>')
        if value:
            parts.append(f'<text x="{x + slot / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">{value}</text>')
        parts.append(f'<text x="{x + slot / 2:.1f}" y="{height - 10}" text-anchor="middle" '
                     f'fill="#555">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
