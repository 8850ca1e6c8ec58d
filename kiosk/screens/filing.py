"""自助申报: the items this kiosk can file (catalogue items with `kiosk: true`), a page at a time.
An item that needs 人脸核验 on a kiosk whose camera does not work is shown, greyed, with why."""
from __future__ import annotations

from hall import words

from ..base_screen import HomeTile, KioskScreen
from ..flows.filing import FILING_ITEMS, FilingFlow
from ..flows.mode import pages
from ..widgets import GREEN, NOTICE_ORANGE, Notice, Text


class FilingScreen(KioskScreen):
    name_ = "filing"
    home_tile = HomeTile(15, words.FILING_TILE, words.FILING_TILE_DETAIL, GREEN)
    steps = (FILING_ITEMS,)
    flow_kind = FilingFlow
    guide = words.FILING_ITEMS
    page = 0

    @classmethod
    def offered(cls, session) -> bool:
        catalog = session.hall.catalog
        return catalog is not None and any(item.kiosk for item in catalog.offered())

    def on_pre_enter(self, *_):
        if not isinstance(self.session.flow, FilingFlow):
            self.page = 0
        self.session.new_filing()            # coming here starts a new intention
        super().on_pre_enter()

    def build(self):
        flow = self.session.flow
        self.box.add_widget(self.title(words.FILING_ITEMS, 64))
        shown = pages(flow.offer, max(self.session.mode.per_page * 3 // 4, 2))
        self.page = min(self.page, len(shown) - 1)
        if not flow.offer:
            self.box.add_widget(Text(words.FILING_NONE, size=self.fs(52)))
        for item, why in shown[self.page]:
            self.box.add_widget(self.tap(item.name, f"file:{item.code}",
                                         lambda code=item.code: self._choose(code),
                                         colour=GREEN, size=52, detail=why, enabled=not why))
        if flow.problem:
            self.box.add_widget(Notice(flow.problem, NOTICE_ORANGE, size=self.fs(44),
                                       unit=self.ui.unit, size_hint_y=None, height=self.fs(120)))
        if len(shown) > 1:
            self.box.add_widget(self.pager(self.page, len(shown), self._turn))

    def _turn(self, step: int) -> None:
        self.page += step
        self.refresh()

    def _choose(self, code: str) -> None:
        self.session.filing("choose_item", code)
        self.ui.follow()


SCREEN = FilingScreen
