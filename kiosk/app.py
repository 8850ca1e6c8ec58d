"""The kiosk's window: header (hall name, clock, 适老模式), the line that says what is wrong,
the current screen, and on every screen but home a countdown back to home."""
from __future__ import annotations

import time

from kivy.app import App
from kivy.clock import Clock
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager

from .flows.ticket import IDENTITY
from .screens import screen_classes
from .widgets import BACKGROUND, GREY, MUTED, Banner, Tap, Text, paint

WEEKDAYS = "一二三四五六日"


class Root(BoxLayout):
    """Any touch anywhere restarts the idle countdown."""

    def __init__(self, on_touch, **kw):
        super().__init__(**kw)
        self._on_touch = on_touch

    def on_touch_down(self, touch):
        self._on_touch()
        return super().on_touch_down(touch)


class KioskUI:
    def __init__(self, session, size: tuple[int, int]):
        self.session = session
        # Sizes are designed for a 1080x1920 portrait panel. A landscape panel has 1080 pixels
        # of height for the same stack of header, title, choices and footer: scale by height.
        self.panel = size                   # (width, height) in pixels
        portrait = size[1] >= size[0]
        self.unit = size[1] / 1920 if portrait else size[1] / 1080 * 0.8
        self.screen_classes = screen_classes()
        self.root = Root(session.touched, orientation="vertical")
        paint(self.root, BACKGROUND, 0)
        self.header = BoxLayout(size_hint_y=None, height=150 * self.unit,
                                padding=(40 * self.unit, 10 * self.unit))
        self.hall_name = Text(session.hall.name, size=56 * self.unit, bold=True, halign="left")
        self.clock = Text("", size=40 * self.unit, halign="right", size_hint_x=0.75)
        self.header.add_widget(self.hall_name)
        self.header.add_widget(self.clock)
        self.banner = Banner(unit=self.unit)
        self.manager = ScreenManager(transition=NoTransition())
        self.screens = {cls.name_: cls(self) for cls in self.screen_classes}
        for screen in self.screens.values():
            self.manager.add_widget(screen)
        # A screen shows its steps of any flow, or only of its own `flow_kind`.
        self.step_screens = {(cls.flow_kind, step): cls.name_ for cls in self.screen_classes
                             for step in cls.steps}
        self.footer = BoxLayout(size_hint_y=None, height=0, opacity=0,
                                padding=(40 * self.unit, 16 * self.unit), spacing=30 * self.unit)
        self.countdown = Text("", size=40 * self.unit, colour=MUTED)
        for part in (self.header, self.banner, self.manager, self.footer):
            self.root.add_widget(part)
        session.listen(self._changed)
        self.manager.current = "home"
        self.tick()
        Clock.schedule_interval(self.tick, 1.0)

    # -- navigation -----------------------------------------------------------------------
    @property
    def current(self):
        return self.manager.current_screen

    def go(self, name: str) -> None:
        if name == "home":
            self.session.go_home()          # notifies "home", which shows it
            return
        self.session.leave_home()
        self._show(name)

    def _show(self, name: str) -> None:
        if self.manager.current == name:
            self.current.refresh()
        else:
            self.manager.current = name
        home = name == "home"
        self._build_footer(home)
        self.tick()

    def _build_footer(self, home: bool) -> None:
        """上一步, the countdown and 返回首页, sized for the mode (elderly: larger)."""
        self.footer.clear_widgets()
        self.footer.height = 0 if home else 190 * self.unit * self.session.mode.font_scale
        self.footer.opacity = 0 if home else 1
        if home:
            return
        scale = self.session.mode.font_scale
        self.countdown.font_size = 40 * self.unit * scale
        self.footer.add_widget(self._footer_tap("上一步", "footer:back", self.back,
                                                self.session.flow.can_go_back))
        self.footer.add_widget(self.countdown)
        self.footer.add_widget(self._footer_tap("返回首页", "footer:home",
                                                lambda: self.go("home")))

    def _footer_tap(self, title: str, tap_id: str, on_tap, enabled: bool = True) -> Tap:
        """As wide as its words on one line; the countdown takes what is left."""
        size = 56 * self.session.mode.font_scale
        return Tap(title, tap_id=tap_id, colour=GREY, unit=self.unit, title_size=size,
                   size_hint_x=None, width=(len(title) * size + 72) * self.unit,
                   enabled=enabled, on_tap=on_tap)

    def follow(self) -> None:
        """Show the screen of the flow's step (after a tap, or a screen that moved the flow)."""
        if self.session.at_home:
            return
        step = self.session.flow.step
        if step == IDENTITY and self.manager.current == "manual_id":
            self.current.refresh()
            return
        screens = self.step_screens
        self._show(screens.get((type(self.session.flow), step)) or screens.get((None, step), "home"))

    def back(self) -> None:
        """上一步. Typing the number by hand is a side way of the card step: back to the card."""
        if self.manager.current == "manual_id":
            self._show("identity")
            return
        self.session.back()
        self.follow()

    # -- taps the screens forward ---------------------------------------------------------
    def choose(self, tile) -> None:
        self.session.choose(tile)
        self.follow()

    def choose_priority(self, priority: str) -> None:
        self.session.choose_priority(priority)
        self.follow()

    def identify(self, id_number: str) -> str:
        problem = self.session.identify(id_number)
        if not problem:
            self.follow()
        return problem

    def enter_code(self, code: str) -> str:
        problem = self.session.enter_code(code)
        if not problem:
            self.follow()
        return problem

    # -- the session's news (UI thread) ---------------------------------------------------
    def _changed(self, what: str) -> None:
        self.banner.show(self.session.view.banner())
        if what == "home":
            for name, screen in self.screens.items():
                if name != "home":
                    screen.forget()
            self._show("home")
        elif what in ("flow", "card"):
            self.follow()
        elif what == "face" and self.manager.current == "face":
            self.current.update()
        elif what == "mode" or self.manager.current in ("home", "take_ticket", "guide"):
            self.current.refresh()

    def tick(self, *_):
        now = time.localtime()
        self.clock.text = (f"{now.tm_mon}月{now.tm_mday}日 周{WEEKDAYS[now.tm_wday]} "
                           f"{now.tm_hour:02d}:{now.tm_min:02d}")
        self.session.tick()
        if not self.session.at_home:
            self.countdown.text = f"{self.session.idle.remaining()}秒后自动返回首页"


class KioskApp(App):
    title = "一窗 自助取号"

    def __init__(self, session, size, **kw):
        super().__init__(**kw)
        self.session = session
        self.size = size
        self.ui: KioskUI | None = None

    def build(self):
        self.ui = KioskUI(self.session, self.size)
        return self.ui.root

    def on_start(self):
        self.session.start()

    def on_stop(self):
        self.session.stop()


def clock_post(fn, *args):
    """Hand work from any thread to Kivy's UI thread (the session's `post`)."""
    Clock.schedule_once(lambda _dt: fn(*args), 0)
