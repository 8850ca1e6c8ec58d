"""预约签到: type the booking code on a big keypad, or lay the ID card on the reader."""
from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout

from ..base_screen import HomeTile, KioskScreen
from ..flows.appointment import APPOINTMENT, CODE_LENGTH
from .book_elsewhere import book_page
from ..flows.keypad import Entry
from ..widgets import BLUE, GREEN, IdCardPicture, Keypad, MUTED, ORANGE, Tap, Text

PROBLEM = (1, 0.55, 0.5, 1)


class AppointmentScreen(KioskScreen):
    name_ = "appointment"
    home_tile = HomeTile(20, "预约签到", "已预约的请点这里", ORANGE)
    windows_only = True
    needs_line = True                    # at a village: the appointment is at the township or county
    steps = (APPOINTMENT,)
    guide = f"请输入{CODE_LENGTH}位预约码后按确定，也可以扫预约二维码，或把身份证放在感应区"

    @classmethod
    def offered(cls, session) -> bool:
        """Not where the kiosk books elsewhere (a village: no windows to check in at)."""
        return not book_page(session.hall)

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
        code = Text(" ".join(typed.ljust(CODE_LENGTH, "_")), size=self.fs(84), bold=True,
                    colour=(1, 1, 1, 1) if typed else MUTED, size_hint_y=None,
                    height=self.fs(130))
        status = Text(problem or f"预约签到：请输入{CODE_LENGTH}位预约码", size=self.fs(48),
                      bold=not problem, colour=PROBLEM if problem else (1, 1, 1, 1),
                      size_hint_y=None, height=self.fs(130))
        status.tap_id = "appointment:status"
        card = BoxLayout(orientation="vertical" if self.landscape else "horizontal",
                         spacing=self.px(20))
        card.add_widget(Text("或扫预约二维码\n或刷身份证", size=self.fs(44), bold=True,
                             size_hint_y=None if self.landscape else 1, height=self.fs(90)))
        card.add_widget(IdCardPicture())
        keypad = Keypad(self._key, unit=self.ui.unit, scale=self.session.mode.font_scale,
                        with_x=False)
        ok = Tap("确定", tap_id="appointment:ok", colour=GREEN if self.entry.complete else BLUE,
                 enabled=self.entry.complete, unit=self.ui.unit,
                 scale=self.session.mode.font_scale, title_size=64, size_hint_y=None,
                 height=self.fs(170), on_tap=self._ok)
        if self.landscape:
            self.side_by_side([status, code, card], [keypad, ok])
        else:
            # Portrait, fixed heights but the keypad's: it gets the rest, even in elderly mode.
            card.size_hint_y, card.height = None, self.fs(200)
            for part in (status, code, card, keypad, ok):
                self.box.add_widget(part)

    def _key(self, key: str) -> None:
        self.entry.press(key)
        self.session.flow.problem = ""
        self.refresh()

    def _ok(self) -> None:
        if self.ui.enter_code(self.entry.text):
            self.refresh()


SCREEN = AppointmentScreen
