"""Screenshots of every kiosk screen, normal and elderly mode, in one orientation:

    python -m kiosk.screenshots --config firmware_configs/sites/county.yaml --id k1 \
        [--orientation portrait] [--scale 0.5] --out docs/images

The orientation is the kiosk host's (`kiosk.orientation` in the config) unless given; the
panel is drawn at full size (1080x1920 or 1920x1080) times `--scale`.
(`yichuang kiosk --screenshots DIR` runs it once per orientation: Kivy has one window per
process.) A real hall runs in the process, with the server's clock fixed at 10:00 on a
working day so the categories are open whatever the hour; devices are simulators and the
ID card is an invented person's.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import boot
from .flows.mode import ORIENTATION_SIZES


def pump(until=lambda: True, timeout: float = 10.0) -> bool:
    """Run Kivy's loop until `until()` (by default: just draw what changed)."""
    from kivy.base import EventLoop

    deadline = time.monotonic() + timeout
    while not until():
        EventLoop.idle()
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    for _ in range(4):            # let the screen lay out and draw
        EventLoop.idle()
    return True


def render(config: str, host_id: str, orientation: str, out: Path,
           scale: float = 1.0) -> list[Path]:
    from .harness import LocalHall, open_hall_clock

    probe = LocalHall(config, host_id)
    probe.stop()
    orientation = orientation or probe.host.kiosk.orientation
    width, height = ORIENTATION_SIZES[orientation]
    boot.configure(orientation, size=(round(width * scale), round(height * scale)))
    from .fonts import find_cjk_font

    boot.use_font(find_cjk_font())
    from kivy.base import EventLoop

    EventLoop.ensure_window()
    from kivy.core.window import Window
    from drivers.card_reader.simulator import SAMPLE_CARDS

    from .app import KioskUI, clock_post

    hall = LocalHall(config, host_id, clock=open_hall_clock(probe.config.timezone)).start()
    session = hall.session(post=clock_post, orientation=orientation)
    ui = KioskUI(session, Window.size)
    Window.add_widget(ui.root)
    session.start()
    printer, card, _scanner = session.devices.simulators
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def shot(name: str) -> None:
        pump()
        mode = "elderly" if session.elderly else "normal"
        path = out / f"kiosk-{orientation}-{mode}-{name}.png"
        ui.root.export_to_png(str(path))
        written.append(path)

    def real_name_category():
        return next(c for c in hall.config.categories if c.real_name)

    def open_category(category):
        tile = session.view.tile(category)
        ui.go("take_ticket")
        pump(lambda: ui.manager.current == "take_ticket")
        ui.choose(tile)

    def plain_category():
        return next(c for c in hall.config.categories if not c.real_name)

    try:
        pump(lambda: any(t.can_take for t in session.view.tiles()), 15)
        for elderly in (False, True):
            ui.go("home")
            session.set_elderly(elderly)
            shot("home")
            ui.go("take_ticket")
            shot("take-ticket")
            category = real_name_category()
            open_category(category)
            shot("identity")
            ui.go("manual_id")
            for key in "110101":
                ui.screens["manual_id"]._key(key)
            shot("manual-id")
            ui.go("identity")
            card.present(SAMPLE_CARDS["resident"])
            pump(lambda: ui.manager.current == "priority", 10)
            shot("priority")
            card.lift()
            done = len(printer.printed)
            open_category(plain_category())
            if ui.manager.current == "priority":
                ui.choose_priority("normal")
            pump(lambda: len(printer.printed) > done and session.flow.printed, 10)
            shot("ticket")
            ui.go("appointment")
            for key in "2025":
                ui.screens["appointment"]._key(key)
            shot("appointment")
            done = len(printer.printed)
            ui.enter_code(hall.service.book_appointment(plain_category().id, hall.service.date,
                                                        "10:00-10:30"))
            pump(lambda: len(printer.printed) > done and session.flow.printed, 10)
            shot("appointment-ticket")
            if session.book is not None:
                guide_shots(ui, session, printer, shot)
        session.go_home()
        session.set_elderly(False)
        printer.paper = "out"
        open_category(plain_category())
        if ui.manager.current == "priority":
            ui.choose_priority("normal")
        pump(lambda: session.flow.printed is False, 10)
        shot("ticket-unprinted")
        ui.go("home")
        shot("home-printer-fault")
        printer.paper = "ok"
        ui.go("take_ticket")
        hall.stop_broker()
        pump(lambda: not session.view.connected, 15)
        shot("take-ticket-paused")
    finally:
        session.stop()
        hall.stop()
    return written


def guide_shots(ui, session, printer, shot) -> None:
    """办事指南: its home, the A-Z search, an item's guide (first part, then the materials with
    the checklist printed), the notice number keypad and a ticket taken for an item."""
    def move(step, *args):
        session.guide(step, *args)
        ui.follow()

    ui.go("guide")
    shot("guide")
    move("open_search")
    for key in "SBK":
        ui.screens["guide_search"]._key(key)
    shot("guide-search")
    found = session.flow.results(1) or session.book.most_asked(1)
    move("open_item", found[0].code)
    shot("guide-item")
    ui.screens["guide_item"]._turn(1)
    done = len(printer.printed)
    ui.screens["guide_item"]._print()
    pump(lambda: len(printer.printed) > done and session.flow.print_state == "printed", 10)
    shot("guide-item-materials")
    ui.go("guide")
    move("open_notice")
    for key in "2612":
        ui.screens["notice_entry"]._key(key)
    shot("notice-entry")
    ui.go("guide")
    move("open_search")
    plain = next(i for i in session.book.catalog.offered()
                 if not session.hall.category(i.category).real_name)
    move("open_item", plain.code)
    done = len(printer.printed)
    ui.screens["guide_item"]._take()
    if ui.manager.current == "priority":
        ui.choose_priority("normal")
    pump(lambda: len(printer.printed) > done and session.flow.printed, 10)
    shot("guide-ticket")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--id", default="k1")
    parser.add_argument("--orientation", choices=sorted(ORIENTATION_SIZES), default="",
                        help="default: the kiosk host's orientation in the config")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="fraction of the panel's size to draw (1.0: 1080x1920)")
    parser.add_argument("--out", default="docs/images")
    args = parser.parse_args(argv)
    for path in render(args.config, args.id.lower(), args.orientation, Path(args.out),
                       args.scale):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
