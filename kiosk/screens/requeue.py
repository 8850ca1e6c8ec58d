"""过号重排: type the number on the slip (its letter, then its digits) on big keys."""
from __future__ import annotations

from kivy.uix.gridlayout import GridLayout
from kivy.uix.widget import Widget

from hall.words import TICKET_ACTION

from ..base_screen import HomeTile, KioskScreen
from ..flows.requeue import ENTER, REQUEUE
from ..widgets import BLUE, GREEN, MUTED, NOTICE_RED, Keypad, Text

TEAL = (0.0, 0.45, 0.45, 1)
LETTERS_PER_ROW = 7


class RequeueScreen(KioskScreen):
    name_ = "requeue"
    home_tile = HomeTile(25, TICKET_ACTION["requeue"], "过号了请点这里", TEAL)
    windows_only = True
    steps = (REQUEUE,)
    guide = "请先按号票上号码前面的字母，再按数字，然后按确定"

    @classmethod
    def offered(cls, session) -> bool:
        return session.hall.rules.requeue_within_min > 0     # the hall may switch it off

    def on_pre_enter(self, *_):
        self.session.new_requeue()           # coming here starts a new intention
        super().on_pre_enter()

    def build(self):
        flow = self.session.flow
        problem = flow.problem
        status = Text(problem or f"{TICKET_ACTION['requeue']}：{ENTER}", size=self.fs(48),
                      bold=not problem, colour=NOTICE_RED if problem else (1, 1, 1, 1),
                      size_hint_y=None, height=self.fs(110))
        status.tap_id = "requeue:status"
        typed = Text(flow.typed or "字母 + 数字", size=self.fs(96 if flow.typed else 56),
                     bold=True, colour=(1, 1, 1, 1) if flow.typed else MUTED,
                     size_hint_y=None, height=self.fs(140))
        typed.tap_id = "requeue:typed"
        letters = self._letters()
        keypad = Keypad(self._key, unit=self.ui.unit, scale=self.session.mode.font_scale,
                        with_x=False)
        ok = self.tap("确定", "requeue:ok", self._ok, colour=GREEN if flow.ready else BLUE,
                      size=64, enabled=flow.ready, size_hint_y=None, height=self.fs(160))
        if self.landscape:       # the digits beside what they type, 确定 under them
            self.side_by_side([status, typed, letters, Widget()], [keypad, ok])
        else:
            for part in (status, typed, letters, keypad, ok):
                self.box.add_widget(part)

    def _letters(self) -> GridLayout:
        """One big key per queue letter of the hall (A, B, ... as on the slips)."""
        letters = self.session.flow.letters
        cols = 4 if self.landscape else min(len(letters), LETTERS_PER_ROW)
        rows = -(-len(letters) // cols)
        grid = GridLayout(cols=cols, spacing=self.px(18), size_hint_y=None,
                          height=rows * self.fs(130) + (rows - 1) * self.px(18))
        chosen = self.session.flow.letter
        for letter, _name in letters:
            grid.add_widget(self.tap(letter, f"letter:{letter}", lambda k=letter: self._key(k),
                                     colour=GREEN if letter == chosen else TEAL, size=64))
        return grid

    def _key(self, key: str) -> None:
        self.session.flow.press(key)
        self.refresh()

    def _ok(self) -> None:
        if self.session.requeue():
            self.refresh()
        else:
            self.ui.follow()


SCREEN = RequeueScreen
