"""自助申报: each paper material under the document camera (高拍仪). The live picture until 拍照,
then the photo taken, with 重拍 and 下一步; 暂缺 (容缺) or 告知承诺 where the material allows.
The picture is drawn into a texture only; the photo's bytes live in the flow."""
from __future__ import annotations

import io

import numpy as np
from kivy.clock import Clock
from kivy.core.image import Image as CoreImage
from kivy.graphics import Color, Rectangle
from kivy.graphics.texture import Texture
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from hall import words

from ..base_screen import KioskScreen
from ..flows.filing import PHOTO, FilingFlow
from ..widgets import GREEN, GREY, MUTED, NOTICE_RED, ORANGE, Notice, Text

LIVE_S = 0.3         # how often the live picture is renewed


class DocumentPicture(Widget):
    """The document camera's picture (or the photo taken), as large as fits."""

    def __init__(self, **kw):
        super().__init__(**kw)
        with self.canvas:
            Color(1, 1, 1, 1)
            self._picture = Rectangle()
        self.bind(pos=self._layout, size=self._layout)

    def _layout(self, *_):
        texture = self._picture.texture
        aspect = texture.width / texture.height if texture else 4 / 3
        w = min(self.width, self.height * aspect)
        h = w / aspect
        self._picture.pos = (self.center_x - w / 2, self.center_y - h / 2)
        self._picture.size = (w, h)

    def show_frame(self, frame: np.ndarray | None) -> None:
        if frame is None:
            return
        rows = np.ascontiguousarray(frame[::-1])            # Kivy's rows run bottom-up
        height, width = rows.shape[:2]
        texture = self._picture.texture
        if texture is None or tuple(texture.size) != (width, height):
            texture = Texture.create(size=(width, height), colorfmt="rgb")
        texture.blit_buffer(rows.tobytes(), colorfmt="rgb", bufferfmt="ubyte")
        self._set(texture)

    def show_photo(self, jpeg: bytes) -> None:
        self._set(CoreImage(io.BytesIO(jpeg), ext="jpg").texture)

    def _set(self, texture) -> None:
        self._picture.texture = texture
        self._layout()
        self.canvas.ask_update()

    def forget(self) -> None:
        self._picture.texture = None


class FilingPhotoScreen(KioskScreen):
    name_ = "filing_photo"
    steps = (PHOTO,)
    flow_kind = FilingFlow
    _live = None

    @property
    def guide(self) -> str:
        material = self.session.flow.current_material
        return words.FILING_PHOTO.format(name=material.name) if material else ""

    def build(self):
        flow = self.session.flow
        material = flow.current_material
        if material is None:
            return
        taken = flow.photos.get(material.name)
        self.picture = DocumentPicture()
        words_ = [Text(words.FILING_PHOTO_STEP.format(n=flow.material + 1,
                                                      total=len(flow.materials)),
                       size=self.fs(40), colour=MUTED, size_hint_y=None, height=self.fs(60)),
                  self.title(material.name, 72),
                  Text(words.FILING_PHOTO.format(name=material.name), size=self.fs(44),
                       size_hint_y=None, height=self.fs(140))]
        camera = self.session.devices.document_camera
        if camera is None:
            words_.append(Notice(words.FILING_PHOTO_NO_CAMERA, NOTICE_RED, size=self.fs(44),
                                 unit=self.ui.unit, size_hint_y=None, height=self.fs(120)))
        keys = BoxLayout(orientation="vertical", spacing=self.px(20), size_hint_y=None)
        row = BoxLayout(spacing=self.px(24), size_hint_y=None, height=self.fs(180))
        row.add_widget(self.tap(words.FILING_PHOTO_AGAIN if taken else words.FILING_PHOTO_TAKE,
                                "photo:take", self._take, colour=GREY if taken else GREEN,
                                size=64, enabled=camera is not None))
        row.add_widget(self.tap(words.FILING_NEXT, "photo:next", self._next, colour=GREEN,
                                size=64, enabled=bool(taken)))
        keys.add_widget(row)
        for status, label, allowed in (("later", words.FILING_PHOTO_LATER, material.later),
                                       ("promise", words.FILING_PHOTO_PROMISE, material.promise)):
            if allowed:
                keys.add_widget(self.tap(label, f"photo:{status}",
                                         lambda s=status: self._without(s), colour=ORANGE,
                                         size=48, size_hint_y=None, height=self.fs(140)))
        keys.height = sum(child.height for child in keys.children) + self.px(20) * len(keys.children)
        if self.landscape:
            self.side_by_side([self.picture], words_ + [keys])
        else:
            for part in words_ + [self.picture, keys]:
                self.box.add_widget(part)
        if taken:
            self.picture.show_photo(taken)
        else:
            self._show_live()

    def on_enter(self, *_):
        super().on_enter()
        self._live = Clock.schedule_interval(lambda _dt: self._show_live(), LIVE_S)

    def _show_live(self) -> None:
        flow, camera = self.session.flow, self.session.devices.document_camera
        material = getattr(flow, "current_material", None)
        if camera is not None and material is not None and material.name not in flow.photos \
                and hasattr(self, "picture"):
            self.picture.show_frame(camera.latest())

    def _take(self) -> None:
        if self.session.photograph():
            self.refresh()

    def _next(self) -> None:
        self.session.filing("next_material")
        self.ui.follow()

    def _without(self, status: str) -> None:
        self.session.filing("without_photo", status)
        self.ui.follow()

    def forget(self) -> None:
        if self._live is not None:
            self._live.cancel()
            self._live = None
        if hasattr(self, "picture"):
            self.picture.forget()
            del self.picture
        super().forget()


SCREEN = FilingPhotoScreen
