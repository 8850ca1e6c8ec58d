"""人证核验: the live image in a face-shaped guide, the prompt in big type, a countdown.

The frame shown is the camera's latest, mirrored (people expect a mirror), drawn straight
into a texture: it is never kept anywhere else, and goes when the screen is left.
"""
from __future__ import annotations

import numpy as np
from kivy.graphics import Color, Line, Rectangle
from kivy.graphics.texture import Texture
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from ..base_screen import KioskScreen
from ..face_check import TRIES
from ..flows.ticket import FACE
from ..widgets import MUTED, PRESSED, Text

STARTING = "请看摄像头"


class LiveFace(Widget):
    """The camera picture with an oval where the face should be."""

    def __init__(self, **kw):
        super().__init__(**kw)
        with self.canvas:
            Color(1, 1, 1, 1)
            self._picture = Rectangle()
            Color(*PRESSED)
            self._guide = Line(width=4)
        self.bind(pos=self._layout, size=self._layout)

    def _layout(self, *_):
        # 4:3 picture, as large as fits; the oval face-sized in its middle.
        w = min(self.width, self.height * 4 / 3)
        h = w * 3 / 4
        x, y = self.center_x - w / 2, self.center_y - h / 2
        self._picture.pos, self._picture.size = (x, y), (w, h)
        ow, oh = w * 0.36, h * 0.66
        self._guide.ellipse = (self.center_x - ow / 2, self.center_y - oh / 2, ow, oh)

    def show(self, frame: np.ndarray | None) -> None:
        if frame is None:
            return
        mirrored = np.ascontiguousarray(frame[::-1, ::-1])    # Kivy's rows run bottom-up
        height, width = mirrored.shape[:2]
        texture = self._picture.texture
        if texture is None or tuple(texture.size) != (width, height):
            texture = Texture.create(size=(width, height), colorfmt="rgb")
        texture.blit_buffer(mirrored.tobytes(), colorfmt="rgb", bufferfmt="ubyte")
        self._picture.texture = texture
        self.canvas.ask_update()

    def forget(self) -> None:
        self._picture.texture = None


class FaceScreen(KioskScreen):
    name_ = "face"
    steps = (FACE,)
    guide = "请正对摄像头，按提示转头"

    def build(self):
        self.box.add_widget(self.title("人证核验：请看摄像头", 56))
        self.live = LiveFace()
        words = BoxLayout(orientation="vertical", spacing=self.px(16),
                          size_hint=(0.45, 1) if self.landscape else (1, None))
        if not self.landscape:
            words.height = self.fs(380)
        self.prompt = Text(STARTING, size=self.fs(84), bold=True)
        self.countdown = Text("", size=self.fs(44), colour=MUTED)
        self.attempt = Text("", size=self.fs(40), colour=MUTED)
        for part in (self.prompt, self.countdown, self.attempt):
            words.add_widget(part)
        body = self.row_or_column()
        body.add_widget(self.live)
        body.add_widget(words)
        self.box.add_widget(body)
        self.update()

    def update(self) -> None:
        """The latest from the check (a new frame, prompt or second)."""
        view = self.session.face_view
        if view is None:
            return
        self.prompt.text = view.prompt
        self.countdown.text = f"还剩{view.seconds_left}秒"
        self.attempt.text = f"第{view.attempt}次，共{TRIES}次"
        self.live.show(view.frame)

    def forget(self) -> None:
        if hasattr(self, "live"):
            self.live.forget()
        super().forget()


SCREEN = FaceScreen
