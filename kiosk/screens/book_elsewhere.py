"""预约 at a village station: the station has no windows, so the citizen books at the
township or county hall (`sync.book_url`) on their own phone, from a QR code of its /book
page. The page is the other hall's: with the line down the tile says it needs the line."""
from __future__ import annotations

from hall.words import BOOK_ELSEWHERE_HOW, BOOK_ELSEWHERE_TILE, BOOK_ELSEWHERE_TITLE

from ..base_screen import HomeTile, KioskScreen
from ..widgets import ORANGE, Qr, Text


class BookElsewhereScreen(KioskScreen):
    name_ = "book_elsewhere"
    home_tile = HomeTile(20, *BOOK_ELSEWHERE_TILE, ORANGE)
    needs_line = True
    guide = BOOK_ELSEWHERE_HOW

    @classmethod
    def offered(cls, session) -> bool:
        return bool(book_page(session.hall))

    def build(self):
        self.box.add_widget(self.title(BOOK_ELSEWHERE_TITLE, 64))
        self.box.add_widget(Qr(book_page(self.session.hall)))
        self.box.add_widget(Text(BOOK_ELSEWHERE_HOW, size=self.fs(44), size_hint_y=None,
                                 height=self.fs(180)))


def book_page(hall) -> str:
    """The township's or county's booking page for a village's kiosk, "" elsewhere."""
    url = hall.sync.book_url
    return f"{url.rstrip('/')}/book" if url and hall.kind == "village" else ""


SCREEN = BookElsewhereScreen
