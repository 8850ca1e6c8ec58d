"""办不成事反映's answer: the case number and the day it will be answered by (on the slip
too), or why it was not filed, with 重试 after a timeout."""
from __future__ import annotations

from kivy.uix.widget import Widget

from hall.words import COMPLAINT_DUE_LEAD, COMPLAINT_NUMBER

from ..base_screen import KioskScreen
from ..flows.complaint import DONE, FAILED, FILED, ISSUING, ComplaintFlow
from ..widgets import MUTED, NOTICE_GREEN, NOTICE_ORANGE, ORANGE, TEXT, Notice, Text


class ComplaintResultScreen(KioskScreen):
    name_ = "complaint_result"
    flow_kind = ComplaintFlow
    steps = (ISSUING, DONE, FAILED)

    def build(self):
        flow = self.session.flow
        if flow.step == DONE:
            self._filed(flow)
        elif flow.step == FAILED:
            self._refused(flow)
        else:
            self.box.add_widget(self.title("正在登记，请稍候……", 72))
        self.box.add_widget(Widget())

    def _filed(self, flow):
        self.box.add_widget(self.title(FILED if flow.printed is not False else "已登记", 80))
        for text, size, colour, tap_id in (
                (COMPLAINT_NUMBER, 48, MUTED, "complaint:label"),
                (flow.case["number"], 48, TEXT, "complaint:number"),
                (COMPLAINT_DUE_LEAD, 44, MUTED, "complaint:lead"),
                (flow.due_words(), 80, TEXT, "complaint:due")):
            line = Text(text, size=self.fs(size), bold=colour is TEXT, colour=colour,
                        size_hint_y=None, height=self.fs(size) * 1.6)
            line.tap_id = tap_id
            self.box.add_widget(line)
        if flow.printed is False:
            self.box.add_widget(Notice(f"{flow.print_problem}，请记下编号", NOTICE_ORANGE,
                                       size=self.fs(48), unit=self.ui.unit, size_hint_y=None,
                                       height=self.fs(150)))
        elif flow.printed:
            self.box.add_widget(Notice("请取走回执，凭编号或扫码查询办理进度", NOTICE_GREEN,
                                       size=self.fs(44), unit=self.ui.unit, size_hint_y=None,
                                       height=self.fs(150)))

    def _refused(self, flow):
        self.box.add_widget(self.title("没有登记成功", 80))
        reason = Notice(flow.error_message, NOTICE_ORANGE, size=self.fs(52), unit=self.ui.unit,
                        size_hint_y=None, height=self.fs(220))
        reason.tap_id = "complaint:reason"
        self.box.add_widget(reason)
        if flow.can_retry:
            self.box.add_widget(self.tap("重试", "complaint:retry", self.session.retry,
                                         colour=ORANGE, size=80, size_hint_y=None,
                                         height=self.fs(220)))

    def on_enter(self, *_):
        if self.session.flow.step == FAILED:
            self.session.say(self.session.flow.error_message)


SCREEN = ComplaintResultScreen
