"""What every kiosk screen shares. A new screen is one new file in kiosk/screens/ with a
subclass of KioskScreen assigned to SCREEN; the app finds it, and a `home_tile` puts it on
the home screen."""
from __future__ import annotations

from dataclasses import dataclass

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from .widgets import BLUE, GREY, Tap, Text


@dataclass(frozen=True)
class HomeTile:
    order: int           # position on the home screen
    title: str           # 取号
    detail: str = ""     # a second, smaller line
    colour: tuple = BLUE


class KioskScreen(Screen):
    name_ = ""                           # the screen's name (Screen.name is a Kivy property)
    home_tile: HomeTile | None = None
    steps: tuple[str, ...] = ()          # ticket-flow steps this screen shows
    flow_kind: type | None = None        # ... only in this kind of flow (None: in any)
    guide = ""                           # what the voice says when it opens (elderly mode)
    windows_only = False                 # needs open windows: not in the self-service room after hours
    needs_line = False                   # at a site, needs the line to the county

    @classmethod
    def offered(cls, session) -> bool:
        """Whether the home screen shows this screen's tile for this hall."""
        return True

    @classmethod
    def offered_now(cls, session) -> bool:
        """Offered by this hall, and now: the self-service room after the windows' hours
        keeps to the self-service items."""
        return cls.offered(session) and not (cls.windows_only and session.self_service_only())

    def __init__(self, ui, **kw):
        super().__init__(name=self.name_, **kw)
        self.ui = ui
        self.session = ui.session
        self.box = BoxLayout(orientation="vertical")
        self.add_widget(self.box)

    # -- sizes ----------------------------------------------------------------------------
    def fs(self, size: float) -> float:
        """A text size for a 1080x1920 screen, scaled to this one and to the mode."""
        return size * self.ui.unit * self.session.mode.font_scale

    @property
    def landscape(self) -> bool:
        return self.session.mode.orientation == "landscape"

    def side_by_side(self, left: list, right: list, spacing: int = 20) -> None:
        """Landscape: what the citizen reads on the left, what they touch on the right, each a
        column (a single widget stands alone)."""
        body = self.row_or_column()
        for parts in (left, right):
            if len(parts) == 1:
                body.add_widget(parts[0])
                continue
            column = BoxLayout(orientation="vertical", spacing=self.px(spacing))
            for part in parts:
                column.add_widget(part)
            body.add_widget(column)
        self.box.add_widget(body)

    def row_or_column(self, **kw) -> BoxLayout:
        """Side by side on a landscape panel, one above the other on a portrait one."""
        return BoxLayout(orientation="horizontal" if self.landscape else "vertical",
                         spacing=self.px(28), **kw)

    def px(self, size: float) -> float:
        return size * self.ui.unit

    def title(self, text: str, size: float = 72) -> Text:
        return Text(text, size=self.fs(size), bold=True, size_hint_y=None,
                    height=self.fs(size) * 2.0)

    def tap(self, title: str, tap_id: str, on_tap, *, colour=BLUE, size: float = 56,
            detail: str = "", detail_size: float = 36, **kw) -> Tap:
        """A tile or button sized for this screen and mode."""
        return Tap(title, detail, tap_id=tap_id, colour=colour, unit=self.ui.unit,
                   scale=self.session.mode.font_scale, title_size=size, detail_size=detail_size,
                   on_tap=on_tap, **kw)

    def pager(self, page: int, count: int, turn, words=("上一页", "下一页")) -> BoxLayout:
        """上一页, 第n页 / 共m页, 下一页: `turn(-1 or 1)` on a tap."""
        row = BoxLayout(size_hint_y=None, height=self.fs(150), spacing=self.px(28))
        row.add_widget(self.tap(words[0], "page:prev", lambda: turn(-1), colour=GREY, size=52,
                                enabled=page > 0))
        row.add_widget(Text(f"第{page + 1}页 / 共{count}页", size=self.fs(40)))
        row.add_widget(self.tap(words[1], "page:next", lambda: turn(1), colour=GREY, size=52,
                                enabled=page < count - 1))
        return row

    # -- life cycle -----------------------------------------------------------------------
    def refresh(self) -> None:
        """Rebuild from the session's state (cheap: a handful of widgets)."""
        self.box.clear_widgets()
        self.box.padding = self.px(40)
        self.box.spacing = self.px(28)
        self.build()

    def build(self) -> None:  # pragma: no cover - every screen overrides it
        raise NotImplementedError

    def on_pre_enter(self, *_):
        self.refresh()

    def on_enter(self, *_):
        self.session.say(self.guide)

    def on_leave(self, *_):
        self.forget()

    def forget(self) -> None:
        """Nothing a citizen typed or showed stays in a hidden screen."""
        self.box.clear_widgets()
