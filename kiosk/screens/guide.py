"""办事指南: find an item by its domain, among this hall's most asked items, by pinyin
initials, or by the number of a one-time notice."""
from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from hall.words import GUIDE, NOTICE_TAKE

from ..base_screen import HomeTile, KioskScreen
from ..flows.guide import GUIDE_HOME
from ..widgets import BLUE, GREEN, MUTED, ORANGE, Text

PURPLE = (0.42, 0.23, 0.60, 1)


class GuideScreen(KioskScreen):
    name_ = "guide"
    home_tile = HomeTile(30, GUIDE, "查询要带的材料", PURPLE)
    steps = (GUIDE_HOME,)
    guide = "请点击您要办理的事项所属的类别，或者按拼音首字母查找"

    def on_pre_enter(self, *_):
        self.session.new_guide()           # coming here starts a new intention
        super().on_pre_enter()

    @classmethod
    def offered(cls, session) -> bool:
        return session.book is not None       # a hall without a catalogue has no guide

    def build(self):
        flow = self.session.flow
        self.box.add_widget(self.title(GUIDE))
        actions = BoxLayout(size_hint_y=None, height=self.fs(170), spacing=self.px(28))
        actions.add_widget(self.tap("按拼音查找", "guide:search", self._search, colour=ORANGE,
                                    size=52))
        actions.add_widget(self.tap(NOTICE_TAKE, "guide:notice", self._notice, colour=GREEN,
                                    size=52))
        domains = flow.book.domains
        cols = (3 if self.session.elderly else 4) if self.landscape else 2
        grid = GridLayout(cols=cols, spacing=self.px(20))
        for domain in domains:
            grid.add_widget(self.tap(domain, f"domain:{domain}",
                                     lambda d=domain: self._move("open_domain", d),
                                     size=44 if self.landscape else 52))
        asked = BoxLayout(orientation="vertical", spacing=self.px(16))
        asked.add_widget(Text("本大厅常办事项", size=self.fs(44), bold=True, colour=MUTED,
                              size_hint_y=None, height=self.fs(70)))
        count = 3 if self.session.elderly or self.landscape else 4
        for item in flow.book.most_asked(count):
            asked.add_widget(self.tap(item.name, f"item:{item.code}",
                                      lambda c=item.code: self._move("open_item", c),
                                      colour=BLUE, size=44))
        if self.landscape:
            left = BoxLayout(orientation="vertical", spacing=self.px(20))
            left.add_widget(actions)
            left.add_widget(grid)
            body = self.row_or_column()
            body.add_widget(left)
            body.add_widget(asked)
            self.box.add_widget(body)
        else:
            for part in (actions, grid, asked):
                self.box.add_widget(part)

    def _move(self, step: str, *args) -> None:
        self.session.guide(step, *args)
        self.ui.follow()

    def _search(self) -> None:
        self._move("open_search")

    def _notice(self) -> None:
        self._move("open_notice")


SCREEN = GuideScreen
