"""评价服务: lay the ID card on the reader; the server finds the holder's last service of today."""
from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout

from hall.words import RATING_KIOSK, RATING_KIOSK_CARD

from ..base_screen import HomeTile, KioskScreen
from ..flows.rating import LOOKUP, RATE_CARD
from ..widgets import IdCardPicture, NOTICE_RED, Text

PINK = (0.62, 0.16, 0.40, 1)


class RateCardScreen(KioskScreen):
    name_ = "rate_card"
    home_tile = HomeTile(40, RATING_KIOSK, "刷身份证评价", PINK)
    steps = (RATE_CARD, LOOKUP)
    guide = RATING_KIOSK_CARD

    @classmethod
    def offered(cls, session) -> bool:
        """Only where a card can be read: the card is what proves whose service it was."""
        return session.devices.card_reader is not None

    def on_pre_enter(self, *_):
        self.session.new_rating()             # coming here starts a new intention
        super().on_pre_enter()

    def build(self):
        flow = self.session.flow
        self.box.add_widget(self.title(RATING_KIOSK, 72))
        words = BoxLayout(orientation="vertical", spacing=self.px(28))
        looking = flow.step == LOOKUP
        words.add_widget(Text("正在查询，请稍候……" if looking else RATING_KIOSK_CARD,
                              size=self.fs(60), bold=True))
        if flow.problem:
            problem = Text(flow.problem, size=self.fs(48), colour=NOTICE_RED)
            problem.tap_id = "rate:problem"
            words.add_widget(problem)
        if self.landscape:
            body = self.row_or_column()
            body.add_widget(IdCardPicture())
            body.add_widget(words)
            self.box.add_widget(body)
        else:
            words.size_hint_y = None
            words.height = self.fs(200) + (self.fs(140) if flow.problem else 0)
            self.box.add_widget(words)
            self.box.add_widget(IdCardPicture())


SCREEN = RateCardScreen
