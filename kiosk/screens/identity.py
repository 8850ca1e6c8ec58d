"""刷身份证: lay the card on the reader (or type the number instead)."""
from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout

from ..base_screen import KioskScreen
from hall.words import FILING_CARD_ONLY

from ..flows.filing import FilingFlow
from ..flows.ticket import IDENTITY
from ..widgets import GREY, MUTED, IdCardPicture, RED, Tap, Text


class IdentityScreen(KioskScreen):
    name_ = "identity"
    steps = (IDENTITY,)
    guide = "这项业务需要实名取号，请将身份证放在下方感应区"

    def build(self):
        flow = self.session.flow
        filing = isinstance(flow, FilingFlow)       # 自助申报: the card fills the form
        if filing:
            self.box.add_widget(self.title(f"{flow.item.name}：请刷身份证", 56))
        else:
            name = flow.category.name if flow.category else ""
            self.box.add_widget(self.title(f"{name}：需要实名取号", 56))
        words = BoxLayout(orientation="vertical", spacing=self.px(28))
        words.add_widget(Text("请将身份证放在感应区", size=self.fs(68), bold=True))
        if self.session.card_problem:
            words.add_widget(Text(self.session.card_problem, size=self.fs(44), colour=RED))
        manual = Tap("没带身份证？手动输入号码", tap_id="identity:manual", colour=GREY,
                     unit=self.ui.unit, scale=self.session.mode.font_scale, title_size=52,
                     size_hint_y=None, height=self.fs(180),
                     on_tap=lambda: self.ui.go("manual_id"))
        if filing:                 # a typed number has no name or photo: no self-filing
            manual = Text(FILING_CARD_ONLY, size=self.fs(40), colour=MUTED, size_hint_y=None,
                          height=self.fs(180))
        if self.landscape:
            body = self.row_or_column()
            body.add_widget(IdCardPicture())
            words.add_widget(manual)
            body.add_widget(words)
            self.box.add_widget(body)
        else:
            words.size_hint_y = None
            words.height = self.fs(160) + (self.fs(120) if self.session.card_problem else 0)
            self.box.add_widget(words)
            self.box.add_widget(IdCardPicture())
            self.box.add_widget(manual)


SCREEN = IdentityScreen
