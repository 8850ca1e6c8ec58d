"""手动输入身份证号: a big keypad; the check digit is verified before anything is sent."""
from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout

from ..base_screen import KioskScreen
from ..flows.keypad import Entry
from ..widgets import BLUE, GREEN, Keypad, MUTED, Tap, Text


class ManualIdScreen(KioskScreen):
    name_ = "manual_id"
    guide = "请用下面的数字键输入您的身份证号码，输完后按确定"

    def __init__(self, ui, **kw):
        super().__init__(ui, **kw)
        self.problem = ""

    @property
    def entry(self) -> Entry:
        """The session holds what is typed: it wipes it after `personal_data_s` untouched."""
        return self.session.id_entry

    def on_pre_enter(self, *_):
        self.session.id_entry = Entry()
        self.problem = ""
        super().on_pre_enter()

    def forget(self) -> None:
        self.session.id_entry = Entry()          # the typed number is personal
        self.problem = ""
        super().forget()

    def build(self):
        left = BoxLayout(orientation="vertical", spacing=self.px(28))
        left.add_widget(self.title("请输入身份证号码", 64))
        shown = self.entry.shown() or "（18位，最后一位可能是X）"
        self.display = Text(shown, size=self.fs(64 if self.entry.text else 44), bold=True,
                            colour=(1, 1, 1, 1) if self.entry.text else MUTED,
                            size_hint_y=None, height=self.fs(150))
        left.add_widget(self.display)
        left.add_widget(Text(self.problem or f"已输入{len(self.entry.text)}位",
                                 size=self.fs(44), size_hint_y=None, height=self.fs(100),
                                 colour=(1, 0.55, 0.5, 1) if self.problem else MUTED))
        keypad = Keypad(self._key, unit=self.ui.unit, scale=self.session.mode.font_scale)
        ok = Tap("确定", tap_id="manual:ok", colour=GREEN if self.entry.complete
                                else BLUE, enabled=self.entry.complete, unit=self.ui.unit,
                                scale=self.session.mode.font_scale, title_size=64,
                                size_hint_y=None, height=self.fs(170), on_tap=self._ok)
        if self.landscape:
            left.add_widget(ok)
            body = self.row_or_column()
            body.add_widget(left)
            body.add_widget(keypad)
            self.box.add_widget(body)
        else:
            left.size_hint_y = None
            left.height = sum(child.height for child in left.children) + self.px(56)
            self.box.add_widget(left)
            self.box.add_widget(keypad)
            self.box.add_widget(ok)

    def _key(self, key: str) -> None:
        self.entry.press(key)
        self.problem = ""
        self.refresh()

    def _ok(self) -> None:
        self.problem = self.entry.problem() or self.ui.identify(self.entry.text)
        if self.problem:
            self.refresh()


SCREEN = ManualIdScreen
