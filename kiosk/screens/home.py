"""首页: the hall's big tiles (取号, and whatever other screens put on the home screen)."""
from __future__ import annotations

from kivy.uix.gridlayout import GridLayout

from ..base_screen import KioskScreen
from hall.words import SELF_SERVICE_ONLY

from ..widgets import MUTED, ORANGE, Tap, Text


class HomeScreen(KioskScreen):
    name_ = "home"
    guide = "您好，请点击屏幕上的大按钮办理"

    def build(self):
        tiles = sorted((cls for cls in self.ui.screen_classes
                        if cls.home_tile and cls.offered_now(self.session)),
                       key=lambda cls: cls.home_tile.order)
        self.box.add_widget(self.title("欢迎办事，请点击选择", 72))
        if self.session.self_service_only():
            self.box.add_widget(Text(SELF_SERVICE_ONLY, size=self.fs(44), colour=MUTED,
                                     size_hint_y=None, height=self.fs(120)))
        cols = self._columns(len(tiles))
        grid = GridLayout(cols=cols, spacing=self.px(40))
        longest = max(len(cls.home_tile.title) for cls in tiles)
        widest = max(len(cls.home_tile.detail) for cls in tiles)
        for cls in tiles:
            tile = cls.home_tile
            blocked = self.session.view.needs_line() if cls.needs_line else ""
            grid.add_widget(Tap(tile.title, blocked or tile.detail, tap_id=f"home:{cls.name_}",
                                colour=tile.colour, unit=self.ui.unit,
                                scale=self.session.mode.font_scale,
                                title_size=self._fitted(120, longest, cols),
                                detail_size=self._fitted(44, widest, cols),
                                on_tap=(lambda b=blocked: self.session.say(b)) if blocked
                                else (lambda n=cls.name_: self.ui.go(n))))
        self.box.add_widget(grid)
        elderly = self.session.elderly
        self.box.add_widget(Tap("退出适老模式" if elderly else "适老模式（大字、语音）",
                                "字更大、语音提示" if not elderly else "",
                                tap_id="home:elderly", colour=ORANGE, unit=self.ui.unit,
                                scale=self.session.mode.font_scale, title_size=56,
                                detail_size=34, size_hint_y=None, height=self.fs(210),
                                on_tap=lambda: self.session.set_elderly(not elderly)))
        self.box.add_widget(Text("如需帮助，请找大厅工作人员", size=self.fs(40), colour=MUTED,
                                 size_hint_y=None, height=self.fs(70)))

    def _columns(self, count: int) -> int:
        """One row on a landscape panel (two when more than four); on a portrait one a
        column of tiles, two side by side from four tiles on (four rows do not fit)."""
        if self.landscape:
            return count if count <= 4 else -(-count // 2)
        return 1 if count <= 3 else 2

    def _fitted(self, size: float, chars: int, cols: int) -> float:
        """`size`, or less when `chars` characters would not fit one line of a tile."""
        tile = (self.ui.panel[0] - self.px(80) - (cols - 1) * self.px(40)) / cols - self.px(48)
        fits = 0.9 * tile / max(chars, 1) / (self.ui.unit * self.session.mode.font_scale)
        return min(size, fits)


SCREEN = HomeScreen
