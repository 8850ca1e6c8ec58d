"""办件查询's answer: each application as the phone page shows it (the server's lines: state,
deadline, what is missing, where to collect), and 领取出件号 when a result is ready."""
from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from hall.words import (APPLICATION_LOOKING_UP, APPLICATION_PICKUP, RECEIPT_PRINT,
                        RECEIPT_PRINTED, RECEIPT_PRINTING)

from ..base_screen import KioskScreen
from ..flows.application import STATUS, ApplicationFlow
from ..flows.ticket import ISSUING
from ..widgets import BLUE, GREEN, MUTED, NOTICE_ORANGE, TEXT, Text

SHOWN = 2            # applications on one screen (the newest; the phone page has the rest)
LINE = 40            # text size of a line


class ApplicationStatusScreen(KioskScreen):
    name_ = "application_status"
    flow_kind = ApplicationFlow
    steps = (STATUS, ISSUING)

    def build(self):
        flow = self.session.flow
        if flow.step == ISSUING:
            self.box.add_widget(self.title(APPLICATION_LOOKING_UP, 64))
            self.box.add_widget(Widget())
            return
        shown = 1 if self.session.elderly else SHOWN       # bigger type: one at a time
        # Side by side on a landscape panel, one under the other on a portrait one.
        cards = self.row_or_column(size_hint_y=None)
        for i, application in enumerate(flow.applications[:shown]):
            card = self._card(application, i)
            card.bind(height=lambda *_: self._fit(cards))
            cards.add_widget(card)
        self._fit(cards)
        self.box.add_widget(cards)
        if flow.has_ready and self.session.hall.collection is not None:
            self.box.add_widget(self.tap(APPLICATION_PICKUP, "follow:pickup", self._pickup,
                                         colour=GREEN, size=64, size_hint_y=None,
                                         height=self.fs(170)))
        self.box.add_widget(Widget())

    def _fit(self, cards: BoxLayout) -> None:
        heights = [c.height for c in cards.children] or [0]
        cards.height = max(heights) if self.landscape else sum(heights) + cards.spacing * (len(heights) - 1)

    def _card(self, application: dict, index: int) -> BoxLayout:
        """The application's lines, each as high as its wrapped text, and 打印受理凭证 where
        the kiosk has an A4 printer and the application was accepted."""
        card = BoxLayout(orientation="vertical", size_hint_y=None, padding=(0, self.px(10)))
        card.bind(minimum_height=card.setter("height"))
        for line in application.get("lines") or []:
            tone = NOTICE_ORANGE if line["key"] in ("state", "missing", "collect") else TEXT
            text = Text(f"{line['label']}：{line['text']}", size=self.fs(LINE),
                        bold=line["key"] == "state", colour=tone if line["key"] != "number" else MUTED,
                        halign="left", size_hint_y=None, height=self.fs(LINE) * 1.5)
            text.bind(texture_size=lambda widget, size: setattr(widget, "height", size[1] + self.px(8)))
            text.tap_id = f"follow:{index}:{line['key']}"
            card.add_widget(text)
        if self.session.devices.a4 is not None and application.get("accepted_on"):
            card.add_widget(self._receipt_button(application, index))
        return card

    def _receipt_button(self, application: dict, index: int):
        state = self.session.flow.receipts.get(application["number"], "")
        title = {"": RECEIPT_PRINT, "printing": RECEIPT_PRINTING, "printed": RECEIPT_PRINTED}.get(
            state, state)
        return self.tap(title, f"follow:{index}:receipt", lambda: self._print(index), colour=BLUE,
                        size=44, enabled=state in ("", "printed"), size_hint_y=None,
                        height=self.fs(110))

    def _print(self, index: int) -> None:
        self.session.print_receipt(index)
        self.refresh()

    def _pickup(self) -> None:
        self.session.pickup()
        self.ui.follow()


SCREEN = ApplicationStatusScreen
