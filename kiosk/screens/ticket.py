"""号票: the ticket on screen while it prints, or why there is none."""
from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout

from ..base_screen import KioskScreen
from ..flows.ticket import DONE, FAILED, ISSUING
from ..widgets import MUTED, NOTICE_GREEN, NOTICE_ORANGE, NOTICE_RED, TEXT, Notice, Qr, Text


class TicketScreen(KioskScreen):
    name_ = "ticket"
    steps = (ISSUING, DONE, FAILED)

    def build(self):
        step = self.session.flow.step
        if step == DONE:
            self._ticket()
        elif step == FAILED:
            self._failed()
        else:
            self.box.add_widget(self.title("正在取号，请稍候……", 72))

    def _ticket(self):
        flow = self.session.flow
        lines = flow.ticket_lines()
        landscape = self.landscape
        body = BoxLayout(orientation="horizontal" if landscape else "vertical",
                         spacing=self.px(24))
        if landscape:            # height is short: the category heads the ticket's column
            rows = [(f"{lines['category']}  您的号码", 52, True, MUTED)]
        else:
            self.box.add_widget(self.title(lines["category"], 60))
            rows = [("您的号码", 48, False, MUTED)]
        rows.append((lines["number"], 200, True, None))
        rows += [(lines["priority"], 52, True, None), (lines["ahead"], 56, True, None),
                 (lines["wait"], 52, False, None),
                 # a failed 人证核验 sends the holder to staff: that line takes the holder's place
                 (lines["face"], 48, True, NOTICE_ORANGE) if lines["face"]
                 else (lines["holder"], 44, False, None)]
        rows = [row for row in rows if row[0]]
        # Fixed heights: the QR code takes what is left, so nothing overlaps in elderly mode.
        info = BoxLayout(orientation="vertical", size_hint_y=1 if landscape else None,
                         height=sum(self.fs(size) * 1.3 for _, size, _, _ in rows))
        for text, size, bold, colour in rows:
            info.add_widget(Text(text, size=self.fs(size), bold=bold, colour=colour or TEXT,
                                 size_hint_y=None, height=self.fs(size) * 1.3))
        body.add_widget(info)
        if lines["url"]:
            qr_box = BoxLayout(orientation="vertical", size_hint=(0.6, 1) if landscape else (1, 1))
            qr_box.add_widget(Qr(lines["url"]))
            qr_box.add_widget(Text("手机扫码查看排队进度", size=self.fs(36), colour=MUTED,
                                   size_hint_y=None, height=self.fs(60)))
            body.add_widget(qr_box)
        self.box.add_widget(body)
        self.box.add_widget(self._print_line())

    def _print_line(self) -> Notice:
        flow = self.session.flow
        if flow.repeat:
            text, tone = flow.repeat_line, NOTICE_ORANGE
        elif flow.printed is None:
            text, tone = "号票正在打印……", NOTICE_GREEN
        elif flow.printed:
            text, tone = "请取走号票，留意叫号", NOTICE_GREEN
        else:
            text, tone = f"{flow.print_problem}，未能打印号票。请拍下本页或记住号码", NOTICE_RED
        line = Notice(text, tone, size=self.fs(48), unit=self.ui.unit, size_hint_y=None,
                      height=self.fs(170))
        line.tap_id = "ticket:print_state"
        return line

    def _failed(self):
        flow = self.session.flow
        self.box.add_widget(self.title("没有取到号", 80))
        self.box.add_widget(Text(flow.error_message, size=self.fs(56)))
        self.retry_button("重试", "ticket:retry")

    def on_enter(self, *_):
        # The ticket itself is read out by the session when it arrives.
        if self.session.flow.step == FAILED:
            self.session.say(self.session.flow.error_message)


SCREEN = TicketScreen
