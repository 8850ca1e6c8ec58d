"""One domain's items (医保, 社保, ...), most asked first, a page at a time."""
from __future__ import annotations

from kivy.uix.gridlayout import GridLayout
from kivy.uix.widget import Widget

from ..base_screen import KioskScreen
from ..flows.guide import GUIDE_LIST
from ..flows.mode import pages


# (columns, rows) of item tiles: names are long, so fewer columns than category tiles.
GRIDS = {("portrait", False): (1, 6), ("portrait", True): (1, 4),
         ("landscape", False): (2, 3), ("landscape", True): (2, 2)}


class GuideListScreen(KioskScreen):
    name_ = "guide_list"
    steps = (GUIDE_LIST,)
    guide = "请点击您要办理的事项"
    page = 0

    def on_pre_enter(self, *_):
        self.page = 0
        super().on_pre_enter()

    def build(self):
        flow = self.session.flow
        cols, rows = GRIDS[(self.session.mode.orientation, self.session.elderly)]
        all_pages = pages(flow.results(limit=10_000), cols * rows)
        self.page = min(self.page, len(all_pages) - 1)
        self.box.add_widget(self.title(f"{flow.domain}类事项"))
        grid = GridLayout(cols=cols, spacing=self.px(24))
        for item in all_pages[self.page]:
            grid.add_widget(self.tap(item.name, f"item:{item.code}",
                                     lambda c=item.code: self._open(c), size=48))
        for _ in range(cols * rows - len(all_pages[self.page])):
            grid.add_widget(Widget())
        self.box.add_widget(grid)
        if len(all_pages) > 1:
            self.box.add_widget(self.pager(self.page, len(all_pages), self._turn))

    def _turn(self, step: int) -> None:
        self.page += step
        self.refresh()

    def _open(self, code: str) -> None:
        self.session.guide("open_item", code)
        self.ui.follow()


SCREEN = GuideListScreen
