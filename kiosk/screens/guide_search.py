"""拼音首字母查找: a big A-Z keypad; the items found update with every key (社保卡: S B K)."""
from __future__ import annotations

import string

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from ..base_screen import KioskScreen
from ..flows.guide import GUIDE_SEARCH
from ..widgets import BLUE, GREY, MUTED, TEXT, Text

KEYS = (*string.ascii_uppercase, "back", "clear")
KEY_NAMES = {"back": "删除", "clear": "清空"}


class GuideSearchScreen(KioskScreen):
    name_ = "guide_search"
    steps = (GUIDE_SEARCH,)
    guide = "请按事项名称的拼音首字母，例如社保卡，请按S、B、K"

    def build(self):
        flow = self.session.flow
        typed = flow.query.upper()
        self.box.add_widget(self.title("按拼音首字母查找", 64))
        shown = Text(" ".join(typed) if typed else "例如“社保卡”请按 S B K", size=self.fs(72 if typed else 44),
                     bold=bool(typed), colour=TEXT if typed else MUTED, size_hint_y=None,
                     height=self.fs(110))
        shown.tap_id = "search:typed"
        results = self._results(flow)
        # The keypad's height stays the same in elderly mode: the found items get the room.
        keypad = GridLayout(cols=7, spacing=self.px(14),
                            size_hint_y=None if not self.landscape else 1,
                            height=self.px(4 * 125))
        for key in KEYS:
            keypad.add_widget(self.tap(KEY_NAMES.get(key, key), f"letter:{key}",
                                       lambda k=key: self._key(k),
                                       colour=GREY if key in KEY_NAMES else BLUE,
                                       size=40 if key in KEY_NAMES else 56))
        if self.landscape:
            self.side_by_side([shown, results], [keypad], spacing=16)
        else:
            for part in (shown, results, keypad):
                self.box.add_widget(part)

    def _results(self, flow) -> BoxLayout:
        box = BoxLayout(orientation="vertical", spacing=self.px(14))
        limit = 3 if self.session.elderly else 4
        found = flow.results(limit)
        if flow.query and not found:
            box.add_widget(Text("没有找到，请删除最后一个字母再试", size=self.fs(44), colour=MUTED))
        for item in found:
            box.add_widget(self.tap(item.name, f"item:{item.code}",
                                    lambda c=item.code: self._open(c), size=46,
                                    detail="" if self.session.elderly else item.domain,
                                    detail_size=32))
        for _ in range(limit - len(found) - (1 if flow.query and not found else 0)):
            box.add_widget(BoxLayout())     # the list keeps its place while letters are typed
        return box

    def _key(self, key: str) -> None:
        self.session.guide("press", key)
        self.refresh()

    def _open(self, code: str) -> None:
        self.session.guide("open_item", code)
        self.ui.follow()


SCREEN = GuideSearchScreen
