"""自助申报: sign with a finger in the box. The strokes are drawn on a canvas and taken as a
PNG in memory when the citizen presses 签好了; it goes sealed with the application."""
from __future__ import annotations

import io

from kivy.graphics import Color, Line, Rectangle
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from hall import words

from ..base_screen import KioskScreen
from ..flows.filing import SIGN, FilingFlow
from ..widgets import GREEN, GREY, NOTICE_RED, Notice


class SignaturePad(Widget):
    """Black ink on white paper; `png()` is the drawing, or None when nothing was drawn."""

    def __init__(self, unit: float = 1.0, on_ink=lambda: None, **kw):
        super().__init__(**kw)
        self.unit, self.strokes, self.on_ink = unit, 0, on_ink
        self.bind(pos=self._paper, size=self._paper)

    def _paper(self, *_):
        self.canvas.before.clear()
        with self.canvas.before:
            Color(1, 1, 1, 1)
            Rectangle(pos=self.pos, size=self.size)

    def on_touch_down(self, touch):
        if not self.collide_point(*touch.pos):
            return super().on_touch_down(touch)
        with self.canvas:
            Color(0, 0, 0, 1)
            touch.ud["ink"] = Line(points=list(touch.pos), width=4 * max(self.unit, 0.5))
        self.strokes += 1
        self.on_ink()
        return True

    def on_touch_move(self, touch):
        line = touch.ud.get("ink")
        if line is not None and self.collide_point(*touch.pos):
            line.points += list(touch.pos)
            return True
        return super().on_touch_move(touch)

    def clear(self) -> None:
        self.canvas.clear()
        self.strokes = 0

    def png(self) -> bytes | None:
        if not self.strokes:
            return None
        data = io.BytesIO()
        self.export_as_image().save(data, fmt="png")
        return data.getvalue()


class FilingSignScreen(KioskScreen):
    name_ = "filing_sign"
    steps = (SIGN,)
    flow_kind = FilingFlow
    guide = words.FILING_SIGN

    def build(self):
        flow = self.session.flow
        title = self.title(words.FILING_SIGN, 72)
        self.notice = Notice(flow.problem, NOTICE_RED, size=self.fs(44), unit=self.ui.unit,
                             size_hint_y=None, height=self.fs(110) if flow.problem else 0,
                             opacity=1 if flow.problem else 0)
        self.pad = SignaturePad(unit=self.ui.unit, on_ink=self._inked)
        self.pad.tap_id = "sign:pad"
        row = BoxLayout(spacing=self.px(24), size_hint_y=None, height=self.fs(190),
                        orientation="vertical" if self.landscape else "horizontal")
        row.add_widget(self.tap(words.FILING_SIGN_CLEAR, "sign:clear", self.pad.clear,
                                colour=GREY, size=60, size_hint_x=1 if self.landscape else 0.4))
        row.add_widget(self.tap(words.FILING_SIGN_DONE, "sign:done", self._done, colour=GREEN,
                                size=60))
        if self.landscape:              # the box as wide and tall as the panel allows
            row.height = self.fs(400)
            self.pad.size_hint_x = 1.6
            self.side_by_side([self.pad], [title, self.notice, row])
            return
        for part in (title, self.notice, self.pad, row):
            self.box.add_widget(part)

    def _inked(self) -> None:
        """Drawing started: the reminder to sign has done its work."""
        self.session.flow.problem = ""
        self.notice.text, self.notice.height, self.notice.opacity = "", 0, 0

    def _done(self) -> None:
        self.session.filing("sign", self.pad.png())
        self.ui.follow()

    def forget(self) -> None:
        if hasattr(self, "pad"):
            self.pad.clear()
            del self.pad
        super().forget()


SCREEN = FilingSignScreen
