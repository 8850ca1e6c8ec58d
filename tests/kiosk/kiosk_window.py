"""Driving the real kiosk UI in Kivy's offscreen window (one window per process)."""
from __future__ import annotations

import time

from kiosk import boot

SIZE = (540, 960)        # a 1080x1920 panel at half scale: same layout, faster to draw


def open_window(size=SIZE):
    boot.configure("portrait", size=size)
    from kiosk.fonts import find_cjk_font

    boot.use_font(find_cjk_font())
    from kivy.base import EventLoop

    EventLoop.ensure_window()
    from kivy.core.window import Window

    return Window


def pump(until=lambda: False, timeout: float = 10.0) -> bool:
    """Run Kivy's loop (clock callbacks, drawing) until `until()` or the timeout."""
    from kivy.base import EventLoop

    deadline = time.monotonic() + timeout
    while True:
        EventLoop.idle()
        if until():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)


def walk(widget):
    yield widget
    for child in widget.children:
        yield from walk(child)


def find(root, tap_id):
    return next((w for w in walk(root) if getattr(w, "tap_id", None) == tap_id), None)


def texts(root) -> list[str]:
    return [w.text for w in walk(root) if hasattr(w, "text") and isinstance(w.text, str)]


def shown(root) -> str:
    return "\n".join(texts(root))


def tap(root, tap_id, times: int = 1):
    """A real touch (down and up) in the middle of the widget, through the window."""
    from kivy.base import EventLoop
    from kivy.tests.common import UnitTestTouch

    for _ in range(3):          # let a screen that just opened lay itself out
        EventLoop.idle()
    widget = find(root, tap_id)
    assert widget is not None, f"nothing to tap named {tap_id}; on screen: {texts(root)}"
    x, y = widget.to_window(widget.center_x, widget.center_y)
    for _ in range(times):
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        touch.touch_up()
