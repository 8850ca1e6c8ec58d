"""`yichuang bench kiosk`: how fast a tap becomes a ticket in the printer, and how fast the
kiosk app starts.

- tap to last ticket byte: a real touch on the last choice (the category tile, or 普通取号 where
  the category asks about priority) in the real Kivy window, through the session, the hall
  bus (embedded amqtt), the queue server (SQLite) and back, until the printer driver has
  written the ticket's last byte to the simulated printer's pty.
- start: `python -m kiosk.bench --child` from process start until the take-ticket tiles are
  live (window open, font loaded, connected, queue states received).
The server and the broker run on the same machine (in this process).
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

NAME = "kiosk"
HELP = "kiosk: tap-to-printed-ticket latency and app start time"
DEFAULT_CONFIG = str(Path(__file__).resolve().parent.parent / "firmware_configs" / "sites"
                     / "county.yaml")


def add_arguments(parser) -> None:
    parser.add_argument("--tickets", type=int, default=200, help="tickets to take (200)")
    parser.add_argument("--starts", type=int, default=5, help="app starts to time (5)")
    parser.add_argument("--config", default=DEFAULT_CONFIG, help="hall config (county example)")
    parser.add_argument("--id", default="k1", help="kiosk host id (k1)")
    parser.set_defaults(func=run)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _open_ui(session):
    from kiosk import boot

    boot.configure(session.settings.orientation, size=(540, 960))
    from kiosk.fonts import find_cjk_font

    boot.use_font(find_cjk_font())
    from kivy.base import EventLoop

    EventLoop.ensure_window()
    from kivy.core.window import Window

    from kiosk.app import KioskUI

    ui = KioskUI(session, Window.size)
    Window.add_widget(ui.root)
    return ui


def _pump(until, timeout=10.0) -> bool:
    from kivy.base import EventLoop

    deadline = time.monotonic() + timeout
    while not until():
        EventLoop.idle()
        if time.monotonic() > deadline:
            return False
    return True


def _touch(ui, tap_id) -> None:
    from kivy.base import EventLoop
    from kivy.tests.common import UnitTestTouch

    for _ in range(3):
        EventLoop.idle()
    widget = next(w for w in ui.root.walk() if getattr(w, "tap_id", None) == tap_id)
    x, y = widget.to_window(*widget.center)
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    touch.touch_up()


def measure_taps(config: str, host_id: str, count: int) -> list[float]:
    from kiosk.app import clock_post
    from kiosk.harness import LocalHall, open_hall_clock

    probe = LocalHall(config, host_id)
    probe.stop()
    hall = LocalHall(config, host_id, clock=open_hall_clock(probe.config.timezone)).start()
    session = hall.session(post=clock_post)
    ui = _open_ui(session)
    session.start()
    written: list[float] = []
    transport = session.devices.printer.transport
    write = transport.write

    def timed_write(data: bytes) -> None:
        write(data)
        if len(data) > 64:                   # the ticket (status queries are 12 bytes)
            written.append(time.perf_counter())

    transport.write = timed_write            # instrumentation only: the real write runs
    category = next(c for c in hall.config.categories if not c.real_name)
    samples = []
    try:
        if not _pump(lambda: session.view.tile(category).can_take, 15):
            raise RuntimeError(f"category {category.id} never opened")
        for _ in range(count):
            ui.go("take_ticket")
            _pump(lambda: ui.manager.current == "take_ticket")
            last = f"category:{category.id}"
            if category.priority_allowed:
                _touch(ui, last)
                _pump(lambda: ui.manager.current == "priority")
                last = "priority:normal"
            before = len(written)
            for _ in range(3):
                from kivy.base import EventLoop
                EventLoop.idle()
            start = time.perf_counter()
            _touch(ui, last)
            if not _pump(lambda: len(written) > before, 10):
                raise RuntimeError("a ticket was not printed within 10 s")
            samples.append(written[-1] - start)
            _pump(lambda: session.flow.printed is not None, 5)
            ui.go("home")
    finally:
        session.stop()
        hall.stop()
    return samples


def measure_starts(config: str, host_id: str, count: int) -> list[float]:
    from kiosk.harness import LocalHall, open_hall_clock

    probe = LocalHall(config, host_id)
    probe.stop()
    hall = LocalHall(config, host_id, clock=open_hall_clock(probe.config.timezone)).start()
    samples = []
    try:
        for _ in range(count):
            start = time.perf_counter()
            child = subprocess.Popen([sys.executable, "-m", "kiosk.bench", "--child", config,
                                      host_id, hall.url], stdout=subprocess.PIPE, text=True)
            line = child.stdout.readline()
            samples.append(time.perf_counter() - start)
            child.wait(30)
            if not line.startswith("READY"):
                raise RuntimeError(f"the kiosk did not start: {line!r}")
    finally:
        hall.stop()
    return samples


def child(config: str, host_id: str, url: str) -> int:
    """Start the kiosk UI against a running hall; print READY once the tiles are live."""
    from kiosk.app import clock_post
    from kiosk.devices import open_devices
    from kiosk.session import Session
    from hall.config.hall import load_hall_config
    from hall.protocol.client import HallClient

    hall = load_hall_config(config)
    host = hall.host(host_id)
    session = Session(hall, host, HallClient(hall.id, "kiosk", host.id, url),
                      open_devices(hall, host, simulate=True), post=clock_post)
    ui = _open_ui(session)
    session.start()
    ok = _pump(lambda: any(t.can_take for t in session.view.tiles()), 20)
    print("READY" if ok else "NOT READY", flush=True)
    del ui
    session.stop()
    return 0 if ok else 1


def load() -> str:
    """The machine's load average (1, 5, 15 min): a busy box makes the numbers worthless."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def run(args) -> int:
    print(f"load average before: {load()} ({os.cpu_count()} cores)")
    starts = measure_starts(args.config, args.id, args.starts)
    taps = measure_taps(args.config, args.id, args.tickets)
    print(f"load average after: {load()}")
    ms = [s * 1000 for s in taps]
    print(f"tap to last ticket byte handed to the printer, {len(ms)} tickets:")
    print(f"  median {statistics.median(ms):.1f} ms, p99 {percentile(ms, 0.99):.1f} ms, "
          f"min {min(ms):.1f} ms, max {max(ms):.1f} ms")
    print(f"app start to live tiles, {len(starts)} starts: median "
          f"{statistics.median(starts):.2f} s, max {max(starts):.2f} s")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        sys.exit(child(*sys.argv[2:]))
    import argparse

    parser = argparse.ArgumentParser(description=HELP)
    add_arguments(parser)
    sys.exit(run(parser.parse_args()))
