"""预约签到: type the booking code on a big keypad, or lay the ID card on the reader."""
from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout

from ..base_screen import HomeTile, KioskScreen
from ..flows.appointment import APPOINTMENT, CODE_LENGTH
from ..flows.keypad import Entry
from ..widgets import BLUE, GREEN, IdCardPicture, Keypad, MUTED, ORANGE, Tap, Text

PROBLEM = (1, 0.55, 0.5, 1)


class AppointmentScreen(KioskScreen):
    name_ = "appointment"
    home_tile = HomeTile(20, "预约签到", "已预约的请点这里", ORANGE)
    steps = (APPOINTMENT,)
    guide = "请输入六位预约码后按确定，也可以把身份证放在感应区"

    def __init__(self, ui, **kw):
        super().__init__(ui, **kw)
        self.entry = Entry(CODE_LENGTH, x_last=False)

    def on_pre_enter(self, *_):
        self.entry = Entry(CODE_LENGTH, x_last=False)
        self.session.new_appointment()          # coming here starts a new intention
        super().on_pre_enter()

    def forget(self) -> None:
        self.entry = Entry(CODE_LENGTH, x_last=False)
        super().forget()

    def refresh(self) -> None:
        if self.session.flow.step == APPOINTMENT and getattr(self.session.flow, "problem", ""):
            self.entry = Entry(CODE_LENGTH, x_last=False)   # refused: type it afresh
        super().refresh()

    def build(self):
        problem = getattr(self.session.flow, "problem", "")
        typed = self.entry.text
        slots = " ".join(typed.ljust(CODE_LENGTH, "_"))
        code = Text(slots, size=self.fs(84), bold=True, colour=(1, 1, 1, 1) if typed else MUTED,
                    size_hint_y=None, height=self.fs(140))
        code.tap_id = "appointment:code"
        status = Text(problem or f"请输入{CODE_LENGTH}位预约码", size=self.fs(44),
                      colour=PROBLEM if problem else MUTED, size_hint_y=None,
                      height=self.fs(130))
        status.tap_id = "appointment:status"
        card = BoxLayout(orientation="vertical")
        card.add_widget(Text("也可以将身份证放在感应区", size=self.fs(44), bold=True,
                             size_hint_y=None, height=self.fs(80)))
        card.add_widget(IdCardPicture())
        keypad = Keypad(self._key, unit=self.ui.unit, scale=self.session.mode.font_scale,
                        with_x=False)
        ok = Tap("确定", tap_id="appointment:ok", colour=GREEN if self.entry.complete else BLUE,
                 enabled=self.entry.complete, unit=self.ui.unit,
                 scale=self.session.mode.font_scale, title_size=64, size_hint_y=None,
                 height=self.fs(170), on_tap=self._ok)
        self.box.add_widget(self.title("预约签到", 72))
        if self.landscape:
            left = BoxLayout(orientation="vertical", spacing=self.px(20))
            for part in (code, status, card, ok):
                left.add_widget(part)
            body = self.row_or_column()
            body.add_widget(left)
            body.add_widget(keypad)
            self.box.add_widget(body)
        else:
            card.size_hint_y = 0.55
            for part in (code, status, card, keypad, ok):
                self.box.add_widget(part)

    def _key(self, key: str) -> None:
        self.entry.press(key)
        self.session.flow.problem = ""
        self.refresh()

    def _ok(self) -> None:
        if self.ui.enter_code(self.entry.text):
            self.refresh()


SCREEN = AppointmentScreen
