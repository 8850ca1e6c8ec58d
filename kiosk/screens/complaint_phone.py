"""办不成事反映, last step: a phone number to be answered on, or none."""
from __future__ import annotations

from hall.words import COMPLAINT_ASK_PHONE

from ..base_screen import KioskScreen
from ..flows.complaint import COMPLAINT_PHONE, PHONE_DIGITS, ComplaintFlow
from ..widgets import BLUE, GREEN, GREY, MUTED, NOTICE_RED, Keypad, Text


class ComplaintPhoneScreen(KioskScreen):
    name_ = "complaint_phone"
    flow_kind = ComplaintFlow
    steps = (COMPLAINT_PHONE,)
    guide = "可以留下手机号，方便答复您；不留也可以，请按不留电话"

    def build(self):
        flow = self.session.flow
        problem = flow.phone_problem
        status = Text(problem or COMPLAINT_ASK_PHONE, size=self.fs(48), bold=not problem,
                      colour=NOTICE_RED if problem else (1, 1, 1, 1), size_hint_y=None,
                      height=self.fs(110))
        status.tap_id = "complaint:status"
        typed = Text(flow.phone or "_" * PHONE_DIGITS, size=self.fs(88), bold=True,
                     colour=(1, 1, 1, 1) if flow.phone else MUTED, size_hint_y=None,
                     height=self.fs(130))
        typed.tap_id = "complaint:phone"
        keypad = Keypad(self._key, unit=self.ui.unit, scale=self.session.mode.font_scale,
                        with_x=False)
        ready = len(flow.phone) == PHONE_DIGITS
        ok = self.tap("确定提交", "complaint:ok", lambda: self._send(True),
                      colour=GREEN if ready else BLUE, size=60, enabled=ready,
                      size_hint_y=None, height=self.fs(150))
        none = self.tap("不留电话，直接提交", "complaint:no_phone", lambda: self._send(False),
                        colour=GREY, size=52, size_hint_y=None, height=self.fs(140))
        if self.landscape:
            self.side_by_side([status, typed, ok, none], [keypad])
        else:
            for part in (status, typed, keypad, ok, none):
                self.box.add_widget(part)

    def _key(self, key: str) -> None:
        self.session.flow.press(key)
        self.refresh()

    def _send(self, with_phone: bool) -> None:
        self.session.complain("submit", with_phone)
        self.ui.follow()


SCREEN = ComplaintPhoneScreen
