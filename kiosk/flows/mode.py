"""Normal and elderly mode (适老模式), and how many tiles fit a screen in each orientation."""
from __future__ import annotations

from dataclasses import dataclass

from hall.config.model import KioskSettings

ORIENTATION_SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}

# (columns, rows) of category tiles; elderly mode shows fewer, larger choices.
GRIDS = {
    ("portrait", False): (2, 4),
    ("portrait", True): (1, 4),
    ("landscape", False): (3, 2),
    ("landscape", True): (2, 2),
}


@dataclass(frozen=True)
class Mode:
    elderly: bool
    orientation: str
    font_scale: float        # multiplies every text size
    idle_timeout_s: int
    ticket_show_s: int
    ticket_show_unprinted_s: int
    speak: bool              # spoken guidance on each screen

    @property
    def grid(self) -> tuple[int, int]:
        return GRIDS[(self.orientation, self.elderly)]

    @property
    def per_page(self) -> int:
        cols, rows = self.grid
        return cols * rows


def mode_for(settings: KioskSettings, elderly: bool) -> Mode:
    orientation = settings.orientation if settings.orientation in ("portrait", "landscape") \
        else "portrait"
    slower = 2 if elderly else 1
    return Mode(
        elderly=elderly,
        orientation=orientation,
        font_scale=1.35 if elderly else 1.0,
        idle_timeout_s=settings.elderly_idle_timeout_s if elderly else settings.idle_timeout_s,
        ticket_show_s=settings.ticket_show_s * slower,
        ticket_show_unprinted_s=settings.ticket_show_unprinted_s * slower,
        speak=elderly,
    )


def pages(items: list, per_page: int) -> list[list]:
    """Items split into screens of `per_page` (at least one page, possibly empty)."""
    return [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]
