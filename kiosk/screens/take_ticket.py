"""取号: one tile per category with its waiting count and wait, closed ones shown greyed."""
from __future__ import annotations

from kivy.uix.gridlayout import GridLayout
from kivy.uix.widget import Widget

from ..base_screen import HomeTile, KioskScreen
from ..flows.mode import pages
from ..flows.ticket import CATEGORY
from ..widgets import BLUE, GREEN, Tap


class TakeTicketScreen(KioskScreen):
    name_ = "take_ticket"
    home_tile = HomeTile(10, "取号", "排队取号", GREEN)
    windows_only = True
    steps = (CATEGORY,)
    guide = "请点击您要办理的业务"

    page = 0

    def on_pre_enter(self, *_):
        self.page = 0
        self.session.new_ticket()           # coming here starts a new intention
        super().on_pre_enter()

    def build(self):
        mode = self.session.mode
        tiles = self.session.view.tiles()
        all_pages = pages(tiles, mode.per_page)
        self.page = min(self.page, len(all_pages) - 1)
        self.box.add_widget(self.title("请选择要办理的业务"))
        cols, rows = mode.grid
        grid = GridLayout(cols=cols, spacing=self.px(28))
        for tile in all_pages[self.page]:
            grid.add_widget(Tap(f"{tile.name}", tile.detail, tap_id=f"category:{tile.category}",
                                colour=BLUE, enabled=tile.can_take, unit=self.ui.unit,
                                scale=mode.font_scale, title_size=64, detail_size=40,
                                on_tap=lambda t=tile: self.ui.choose(t)))
        for _ in range(cols * rows - len(all_pages[self.page])):
            grid.add_widget(Widget())
        self.box.add_widget(grid)
        if len(all_pages) > 1:
            self.box.add_widget(self.pager(self.page, len(all_pages), self._turn))

    def _turn(self, step: int) -> None:
        self.page += step
        self.refresh()


SCREEN = TakeTicketScreen
