"""刷身份证: lay the card on the reader (or type the number instead)."""
from __future__ import annotations

from ..base_screen import KioskScreen
from ..flows.ticket import IDENTITY
from ..widgets import GREY, IdCardPicture, RED, Tap, Text


class IdentityScreen(KioskScreen):
    name_ = "identity"
    steps = (IDENTITY,)
    guide = "这项业务需要实名取号，请将身份证放在下方感应区"

    def build(self):
        flow = self.session.flow
        name = flow.category.name if flow.category else ""
        self.box.add_widget(self.title(f"{name}：需要实名取号", 56))
        self.box.add_widget(Text("请将身份证放在感应区", size=self.fs(80), bold=True,
                                 size_hint_y=None, height=self.fs(160)))
        self.box.add_widget(IdCardPicture())
        if self.session.card_problem:
            self.box.add_widget(Text(self.session.card_problem, size=self.fs(44), colour=RED,
                                     size_hint_y=None, height=self.fs(120)))
        self.box.add_widget(Tap("没带身份证？手动输入号码", tap_id="identity:manual", colour=GREY,
                                unit=self.ui.unit, scale=self.session.mode.font_scale,
                                title_size=52, size_hint_y=None, height=self.fs(180),
                                on_tap=lambda: self.ui.go("manual_id")))


SCREEN = IdentityScreen
