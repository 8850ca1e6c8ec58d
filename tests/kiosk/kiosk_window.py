"""Driving the real kiosk UI in Kivy's offscreen window (one window per process)."""
from __future__ import annotations

import time
from contextlib import contextmanager
from types import SimpleNamespace

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


def opening_clock(site):
    """The server clock of `site` (a hall yaml) from its opening hour: its queues are open."""
    from hall.config.hall import load_hall_config
    from kiosk.harness import open_hall_clock

    return open_hall_clock(load_hall_config(site).timezone)


def tiles_open(session) -> bool:
    """Every ticket tile can be taken (反映 is no queue: its tile opens another way)."""
    tiles = session.view.tiles()
    return bool(tiles) and all(t.can_take for t in tiles if t.category != "fanying")


@contextmanager
def kiosk_app(site, clock=None):
    """The kiosk app in the offscreen window, on a LocalHall of `site` (real server, broker and
    device simulators), started and its tiles open; removed and stopped after."""
    window = open_window()
    from kiosk.app import KioskUI, clock_post
    from kiosk.harness import LocalHall

    hall = LocalHall(site, "k1", clock=clock).start()
    session = hall.session(post=clock_post)
    ui = KioskUI(session, window.size)
    window.add_widget(ui.root)
    session.start()
    try:
        assert pump(lambda: tiles_open(session), 15), f"tiles never opened: {session.view.tiles()}"
        printer, card, scanner = session.devices.simulators[:3]
        yield SimpleNamespace(ui=ui, session=session, hall=hall, root=ui.root, printer=printer,
                              card=card, scanner=scanner)
    finally:
        window.remove_widget(ui.root)
        session.stop()
        hall.stop()


def back_home(kiosk):
    """Before each test: no card on the reader, paper in, elderly mode off, the home screen."""
    kiosk.printer.paper = "ok"
    kiosk.card.lift()
    kiosk.session.set_elderly(False)
    kiosk.ui.go("home")
    pump(lambda: kiosk.ui.manager.current == "home")


def on_screen(kiosk, name, timeout=10):
    """The screen is current and drawn (its widgets are in the window)."""
    manager = kiosk.ui.manager
    return pump(lambda: manager.current == name and manager.current_screen.parent is manager
                and manager.current_screen.box.children, timeout)
