"""The kiosk's building blocks: large tiles and buttons, a keypad, a drawn ID card, a QR code.

Sizes are given for a 1080x1920 screen and scaled by `unit` (long side / 1920) so the layout
is the same on any panel; elderly mode multiplies text sizes again.
"""
from __future__ import annotations

import io

import qrcode
from kivy.core.image import Image as CoreImage
from kivy.graphics import Color, Ellipse, Line, Rectangle, RoundedRectangle
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.image import Image
from kivy.uix.label import Label
from kivy.uix.widget import Widget

# High contrast on a dark background: white text on deep, saturated colours.
BACKGROUND = (0.04, 0.11, 0.22, 1)
TEXT = (1, 1, 1, 1)
MUTED = (0.80, 0.86, 0.95, 1)
BLUE = (0.08, 0.40, 0.75, 1)
GREEN = (0.11, 0.48, 0.20, 1)
ORANGE = (0.80, 0.35, 0.0, 1)
GREY = (0.33, 0.36, 0.40, 1)
RED = (0.72, 0.11, 0.11, 1)
PRESSED = (0.95, 0.75, 0.10, 1)
# Disabled tiles: no fill, a thin outline, muted (still readable) text; nothing to press.
DISABLED_LINE = (0.45, 0.52, 0.62, 1)
# Notices (not buttons): light text of their tone on the background, a bar beside it.
NOTICE_GREEN = (0.55, 0.92, 0.55, 1)
NOTICE_ORANGE = (1.0, 0.75, 0.35, 1)
NOTICE_RED = (1.0, 0.55, 0.50, 1)


def paint(widget, colour, radius):
    """A rounded background that follows the widget."""
    with widget.canvas.before:
        widget._bg_colour = Color(*colour)
        widget._bg = RoundedRectangle(radius=[radius])

    def follow(*_):
        widget._bg.pos, widget._bg.size = widget.pos, widget.size

    widget.bind(pos=follow, size=follow)


def outline(widget, colour, radius, width):
    """A rounded outline that follows the widget."""
    with widget.canvas.before:
        Color(*colour)
        line = Line(width=width)

    def follow(*_):
        line.rounded_rectangle = (widget.x + width, widget.y + width, widget.width - 2 * width,
                                  widget.height - 2 * width, radius)

    widget.bind(pos=follow, size=follow)


class Text(Label):
    """A label that wraps inside its width and never spills out of its box."""

    def __init__(self, text="", size=40, colour=TEXT, bold=False, halign="center",
                 valign="middle", **kw):
        super().__init__(text=text, font_size=size, color=colour, bold=bold, halign=halign,
                         valign=valign, **kw)
        self.bind(size=self._wrap)

    def _wrap(self, *_):
        # Text that starts at the top needs the box's height to be placed there.
        self.text_size = (self.width, None if self.valign == "middle" else self.height)
        self.shorten = False


class Tap(ButtonBehavior, BoxLayout):
    """A large rounded tile: a title and an optional second line. `tap_id` names it for
    tests and logs ("category:a", "home:take")."""

    def __init__(self, title, detail="", *, tap_id, colour=BLUE, enabled=True, unit=1.0,
                 scale=1.0, title_size=64, detail_size=36, on_tap=None, **kw):
        super().__init__(orientation="vertical", padding=24 * unit, spacing=8 * unit, **kw)
        self.tap_id = tap_id
        self.enabled = enabled
        self._colour = colour if enabled else BACKGROUND
        self._on_tap = on_tap
        paint(self, self._colour, 28 * unit)
        if not enabled:
            outline(self, DISABLED_LINE, 28 * unit, 2 * unit)
        words = TEXT if enabled else MUTED
        self.add_widget(Text(title, size=title_size * unit * scale, bold=True, colour=words))
        if detail:
            self.add_widget(Text(detail, size=detail_size * unit * scale, colour=words))

    def on_press(self):
        if self.enabled:
            self._bg_colour.rgba = PRESSED

    def on_release(self):
        self._bg_colour.rgba = self._colour
        if self.enabled and self._on_tap:
            self._on_tap()


class Notice(Text):
    """A line that tells, not asks: light text in its tone with a bar of the same tone on
    its left, and none of a button's filled, rounded shape."""

    def __init__(self, text, tone=NOTICE_GREEN, size=48, unit=1.0, **kw):
        super().__init__(text, size=size, colour=tone, bold=True, **kw)
        self.padding = (40 * unit, 0)        # the words keep clear of the bar
        with self.canvas.before:
            Color(*tone)
            bar = Rectangle()

        def follow(*_):
            bar.pos, bar.size = (self.x, self.y + self.height * 0.15), (12 * unit,
                                                                      self.height * 0.7)

        self.bind(pos=follow, size=follow)


class Banner(Text):
    """The line that says what is wrong; invisible when all is well."""

    def __init__(self, unit=1.0, **kw):
        super().__init__("", size=40 * unit, bold=True, size_hint_y=None, height=0, **kw)
        self._unit = unit
        paint(self, RED, 0)

    def show(self, text: str) -> None:
        self.text = text
        self.height = (130 * self._unit) if text else 0
        self.opacity = 1 if text else 0


class Keypad(GridLayout):
    """0-9, X, ← in big keys; `on_key(key)` gets "0".."9", "X", "back"."""

    KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "X", "0", "back")

    def __init__(self, on_key, unit=1.0, scale=1.0, with_x=True, **kw):
        super().__init__(cols=3, spacing=18 * unit, **kw)
        for key in self.KEYS:
            if key == "X" and not with_x:
                self.add_widget(Widget())
                continue
            label = "删除" if key == "back" else key
            self.add_widget(Tap(label, tap_id=f"key:{key}", colour=GREY if key == "back" else BLUE,
                                unit=unit, scale=scale, title_size=64,
                                on_tap=lambda k=key: on_key(k)))


class IdCardPicture(Widget):
    """An ID card being laid on the reader's sensing area, drawn (no image files needed)."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.bind(pos=self._draw, size=self._draw)

    def _draw(self, *_):
        self.canvas.clear()
        x, y, w, h = self.x, self.y, self.width, self.height
        # The card's size follows the smaller side, so a wide, low box never spills over.
        card_w = min(w * 0.5, h * 0.7)
        card_h = card_w * 0.63
        pad_w, pad_h = card_w * 1.4, h * 0.28
        pad_x, pad_y = x + (w - pad_w) / 2, y + h * 0.05
        card_x, card_y = x + (w - card_w) / 2, pad_y + pad_h * 0.55
        with self.canvas:
            Color(0.20, 0.24, 0.30, 1)                       # the reader
            RoundedRectangle(pos=(pad_x, pad_y), size=(pad_w, pad_h), radius=[20])
            Color(0.95, 0.75, 0.10, 1)                       # its sensing area
            Line(rounded_rectangle=(pad_x + pad_w * 0.2, pad_y + pad_h * 0.2, pad_w * 0.6,
                                    pad_h * 0.6, 14), width=3)
            for i in range(3):                               # radio waves
                r = card_w * (0.12 + 0.08 * i)
                Line(ellipse=(x + w / 2 - r, card_y + card_h - r * 0.2, 2 * r, 2 * r, -40, 40),
                     width=3)
            Color(0.93, 0.95, 0.98, 1)                       # the card
            RoundedRectangle(pos=(card_x, card_y), size=(card_w, card_h), radius=[16])
            Color(0.55, 0.70, 0.85, 1)                       # its photo
            Rectangle(pos=(card_x + card_w * 0.66, card_y + card_h * 0.2),
                      size=(card_w * 0.26, card_h * 0.6))
            Color(0.45, 0.50, 0.58, 1)                       # its text lines
            for i in range(4):
                Rectangle(pos=(card_x + card_w * 0.08, card_y + card_h * (0.72 - 0.15 * i)),
                          size=(card_w * (0.5 - 0.05 * i), card_h * 0.06))
            Color(0.90, 0.20, 0.20, 1)                       # the national emblem's place
            Ellipse(pos=(card_x + card_w * 0.08, card_y + card_h * 0.08),
                    size=(card_h * 0.14, card_h * 0.14))
            Color(1, 1, 1, 1)                                # the arrow: lay it down here
            ax = x + w / 2
            Line(points=[ax, card_y + card_h + h * 0.2, ax, card_y + card_h + h * 0.04],
                 width=6)
            Line(points=[ax - 26, card_y + card_h + h * 0.08, ax, card_y + card_h + h * 0.04,
                         ax + 26, card_y + card_h + h * 0.08], width=6)


def qr_texture(text: str):
    """A Kivy texture of a QR code of `text` (black on white, with its quiet zone)."""
    code = qrcode.QRCode(border=2, box_size=8)
    code.add_data(text)
    image = code.make_image(fill_color="black", back_color="white").convert("RGB")
    data = io.BytesIO()
    image.save(data, format="png")
    data.seek(0)
    texture = CoreImage(data, ext="png").texture
    texture.mag_filter = "nearest"
    return texture


class Qr(Image):
    def __init__(self, text: str, **kw):
        super().__init__(fit_mode="contain", **kw)
        self.texture = qr_texture(text)
