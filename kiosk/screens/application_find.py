"""办件查询: swipe the ID card, or type the application number's last 12 digits and the last
four characters of the ID number; 确定 asks the server."""
from __future__ import annotations

from hall.words import (APPLICATION_FIND_LEAD, APPLICATION_FOLLOW, APPLICATION_FOLLOW_DETAIL,
                        APPLICATION_LAST4_HINT, APPLICATION_NUMBER_HINT)

from ..base_screen import HomeTile, KioskScreen
from ..flows.application import DIGITS, FIND, LAST4, ApplicationFlow
from ..widgets import BLUE, GREEN, MUTED, NOTICE_RED, TEXT, Keypad, Text

CYAN = (0.0, 0.42, 0.55, 1)


class ApplicationFindScreen(KioskScreen):
    name_ = "application_find"
    home_tile = HomeTile(35, APPLICATION_FOLLOW, APPLICATION_FOLLOW_DETAIL, CYAN)
    flow_kind = ApplicationFlow
    steps = (FIND,)
    guide = "请刷身份证，或者输入办件编号和身份证后四位"

    @classmethod
    def offered(cls, session) -> bool:
        return session.hall.catalog is not None         # no catalogue, no applications

    def on_pre_enter(self, *_):
        self.session.new_follow()            # coming here starts a new intention
        super().on_pre_enter()

    def build(self):
        flow = self.session.flow
        problem = flow.problem or self.session.card_problem
        lead = Text(problem or APPLICATION_FIND_LEAD, size=self.fs(44), bold=True,
                    colour=NOTICE_RED if problem else TEXT, size_hint_y=None, height=self.fs(150))
        lead.tap_id = "follow:status"
        number = self._field(APPLICATION_NUMBER_HINT, flow.digits, DIGITS, "follow:number")
        last4 = self._field(APPLICATION_LAST4_HINT, flow.last4, LAST4, "follow:last4")
        keypad = Keypad(self._key, unit=self.ui.unit, scale=self.session.mode.font_scale)
        ok = self.tap("确定", "follow:ok", self._ok, colour=GREEN if flow.ready else BLUE, size=64,
                      enabled=flow.ready, size_hint_y=None, height=self.fs(150))
        if self.landscape:
            self.side_by_side([lead, number, last4, ok], [keypad])
        else:
            for part in (lead, number, last4, keypad, ok):
                self.box.add_widget(part)

    def _field(self, hint: str, typed: str, length: int, tap_id: str) -> Text:
        shown = Text(f"{hint}：{typed or '_ ' * length}", size=self.fs(52), bold=bool(typed),
                     colour=TEXT if typed else MUTED, size_hint_y=None, height=self.fs(100))
        shown.tap_id = tap_id
        return shown

    def _key(self, key: str) -> None:
        self.session.flow.press(key)
        self.refresh()

    def _ok(self) -> None:
        self.session.find_applications()
        self.ui.follow()


SCREEN = ApplicationFindScreen
