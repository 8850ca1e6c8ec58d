"""自助申报: filing (正在提交), then the server's answer: the application number, accepted at
once or waiting for the window or refused by 自动核验 with the reason, the finish date, a QR
code of the phone page, and the receipt being printed (and on A4 where the kiosk has an A4
printer); or why nothing was filed."""
from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout

from hall import words

from ..base_screen import KioskScreen
from ..flows.filing import FilingFlow
from ..flows.ticket import DONE, FAILED, ISSUING
from ..widgets import MUTED, NOTICE_GREEN, NOTICE_ORANGE, NOTICE_RED, TEXT, Notice, Qr, Text


class FilingResultScreen(KioskScreen):
    name_ = "filing_result"
    steps = (ISSUING, DONE, FAILED)
    flow_kind = FilingFlow

    def build(self):
        step = self.session.flow.step
        if step == DONE:
            self._done()
        elif step == FAILED:
            self._failed()
        else:
            self.box.add_widget(self.title(words.FILING_SENDING, 72))

    def _done(self):
        flow = self.session.flow
        out = flow.outcome()
        rows = [(out["item"], 52, False, MUTED), (words.FILING_NUMBER, 44, False, MUTED),
                (out["number"], 52, True, TEXT),
                (out["verdict"], 60, True, NOTICE_ORANGE if out["refused"] else NOTICE_GREEN),
                (out["due"], 52, True, TEXT)]
        info = BoxLayout(orientation="vertical")
        for text, size, bold, colour in rows:
            if text:                    # a long number or reason takes two lines
                lines = 2 if len(text) > 20 else 1
                info.add_widget(Text(text, size=self.fs(size), bold=bold, colour=colour,
                                     size_hint_y=None, height=self.fs(size) * 1.4 * lines + self.fs(12)))
        info.size_hint_y = None if not self.landscape else 1
        info.height = sum(child.height for child in info.children)
        body = self.row_or_column()
        body.add_widget(info)
        if out["url"]:
            qr = BoxLayout(orientation="vertical")
            qr.add_widget(Qr(out["url"]))
            qr.add_widget(Text(words.FILING_RECEIPT_QR, size=self.fs(36), colour=MUTED,
                               size_hint_y=None, height=self.fs(60)))
            body.add_widget(qr)
        self.box.add_widget(body)
        if flow.printed is None:
            text, tone = words.FILING_PRINTING, NOTICE_GREEN
        elif flow.printed:
            text, tone = words.FILING_TAKE_RECEIPT, NOTICE_GREEN
        else:
            text, tone = words.FILING_UNPRINTED.format(problem=flow.print_problem), NOTICE_RED
        self._notice(text, tone, "filing:print_state")
        if flow.a4:                     # the kiosk's A4 printer took the receipt too
            text, tone = {"printing": (words.FILING_A4_PRINTING, NOTICE_GREEN),
                          "printed": (words.FILING_A4_PRINTED, NOTICE_GREEN)}.get(
                flow.a4, (words.FILING_A4_UNPRINTED.format(problem=flow.a4), NOTICE_RED))
            self._notice(text, tone, "filing:a4_state")

    def _notice(self, text: str, tone, tap_id: str) -> None:
        line = Notice(text, tone, size=self.fs(44), unit=self.ui.unit, size_hint_y=None,
                      height=self.fs(150))
        line.tap_id = tap_id
        self.box.add_widget(line)

    def _failed(self):
        flow = self.session.flow
        self.box.add_widget(self.title(words.FILING_NOT_FILED, 80))
        self.box.add_widget(Text(flow.error_message, size=self.fs(52)))
        self.retry_button(words.FILING_RETRY, "filing:retry")

    def on_enter(self, *_):
        if self.session.flow.step == FAILED:
            self.session.say(self.session.flow.error_message)


SCREEN = FilingResultScreen
