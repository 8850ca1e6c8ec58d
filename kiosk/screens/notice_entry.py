"""凭告知书取号: type the one-time notice's number; its item's guide opens, to take a ticket."""
from __future__ import annotations


from ..base_screen import KioskScreen
from ..flows.guide import NOTICE_ENTRY, NOTICE_LENGTHS
from ..widgets import BLUE, GREEN, MUTED, Keypad, Text

PROBLEM = (1, 0.55, 0.5, 1)


class NoticeEntryScreen(KioskScreen):
    name_ = "notice_entry"
    steps = (NOTICE_ENTRY,)
    guide = "请输入一次性告知书上的告知书编号，然后按确定"

    def build(self):
        flow = self.session.flow
        problem = flow.problem
        status = Text(problem or ("正在查询……" if flow.looking_up else "请输入告知书编号"),
                      size=self.fs(48), bold=not problem, colour=PROBLEM if problem else (1, 1, 1, 1),
                      size_hint_y=None, height=self.fs(130))
        status.tap_id = "notice:status"
        typed = flow.notice
        shown = Text(typed or "_ " * min(NOTICE_LENGTHS), size=self.fs(84), bold=True,
                     colour=(1, 1, 1, 1) if typed else MUTED, size_hint_y=None,
                     height=self.fs(130))
        shown.tap_id = "notice:typed"
        hint = Text("告知书编号印在告知书上，是9位数字", size=self.fs(36), colour=MUTED,
                    size_hint_y=None, height=self.fs(60))
        ready = len(typed) in NOTICE_LENGTHS and not flow.looking_up
        keypad = Keypad(self._key, unit=self.ui.unit, scale=self.session.mode.font_scale,
                        with_x=False)
        ok = self.tap("确定", "notice:ok", self._ok, colour=GREEN if ready else BLUE, size=64,
                      enabled=ready, size_hint_y=None, height=self.fs(170))
        if self.landscape:       # the keypad beside what it types, as for a booking code
            self.side_by_side([status, shown, hint, ok], [keypad])
        else:
            for part in (status, shown, hint, keypad, ok):
                self.box.add_widget(part)

    def _key(self, key: str) -> None:
        self.session.guide("type_notice", key)
        self.refresh()

    def _ok(self) -> None:
        self.session.lookup_notice()
        self.refresh()


SCREEN = NoticeEntryScreen
