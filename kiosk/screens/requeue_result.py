"""过号重排's answer: back in the queue (the same number, how many ahead, the wait), or why
not, with 重新取号 when a new ticket is the way on."""
from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from ..base_screen import KioskScreen
from ..flows.requeue import BACK_IN_QUEUE, NEW_TICKET, NOT_REPRINTED, RequeueFlow
from ..flows.ticket import DONE, FAILED, ISSUING
from ..widgets import GREEN, MUTED, NOTICE_GREEN, NOTICE_ORANGE, TEXT, Notice, Text


class RequeueResultScreen(KioskScreen):
    name_ = "requeue_result"
    flow_kind = RequeueFlow
    steps = (ISSUING, DONE, FAILED)

    def build(self):
        step = self.session.flow.step
        if step == DONE:
            self._back_in_queue()
        elif step == FAILED:
            self._refused()
        else:
            self.box.add_widget(self.title("正在查询，请稍候……", 72))
        self.box.add_widget(Widget())           # what is said starts at the top

    def _back_in_queue(self):
        lines = self.session.flow.ticket_lines()
        number = self._rows([(BACK_IN_QUEUE, 80, True, TEXT),
                             (f"{lines['category']}  您的号码", 52, False, MUTED),
                             (lines["number"], 200, True, TEXT)])
        place = self._rows([(lines["ahead"], 64, True, TEXT), (lines["wait"], 56, False, TEXT)])
        body = self.row_or_column(size_hint_y=None, height=max(number.height, place.height)
                                  if self.landscape else number.height + place.height)
        body.add_widget(number)
        body.add_widget(place)
        self.box.add_widget(body)
        line = Notice(NOT_REPRINTED, NOTICE_GREEN, size=self.fs(48), unit=self.ui.unit,
                      size_hint_y=None, height=self.fs(170))
        line.tap_id = "requeue:done"
        self.box.add_widget(line)

    def _rows(self, rows) -> BoxLayout:
        """Lines of text one under the other, as high as they need."""
        rows = [row for row in rows if row[0]]
        box = BoxLayout(orientation="vertical", size_hint_y=None,
                        height=sum(self.fs(size) * 1.4 for _, size, _, _ in rows))
        for text, size, bold, colour in rows:
            box.add_widget(Text(text, size=self.fs(size), bold=bold, colour=colour,
                                size_hint_y=None, height=self.fs(size) * 1.4))
        return box

    def _refused(self):
        flow = self.session.flow
        self.box.add_widget(self.title("没有重排成功", 80))
        reason = Notice(flow.error_message, NOTICE_ORANGE, size=self.fs(56), unit=self.ui.unit,
                        size_hint_y=None, height=self.fs(260))
        reason.tap_id = "requeue:reason"
        self.box.add_widget(reason)
        self.retry_button("重试", "requeue:retry")
        if flow.offers_new_ticket:
            self.box.add_widget(self.tap(NEW_TICKET, "requeue:new_ticket",
                                         lambda: self.ui.go("take_ticket"), colour=GREEN,
                                         size=80, size_hint_y=None, height=self.fs(220)))

    def on_enter(self, *_):
        # Being back in the queue is read out by the session when the answer arrives.
        if self.session.flow.step == FAILED:
            self.session.say(self.session.flow.error_message)


SCREEN = RequeueResultScreen
