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
            requeue_shots(hall, ui, session, plain_category(), shot)
            complaint_shots(ui, session, printer, shot)
            rating_shots(hall, ui, session, card, plain_category(), shot)
            if session.book is not None:
                guide_shots(ui, session, printer, shot)
                follow_shots(hall, ui, session, card, printer, shot)
        for elderly in (False, True):
            face_shots(session, ui, shot, real_name_category(), elderly)
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


def requeue_shots(hall, ui, session, category, shot) -> None:
    """过号重排: the keypad with a number typed, a skipped ticket back in its queue, and the
    same ticket skipped again and brought to the kiosk a second time (refused: 重新取号)."""
    number, *_behind = [hall.service.handle("kiosk", hall.host.id, "ticket.issue",
                                            {"category": category.id})["data"]["ticket"]["number"]
                        for _ in range(6)]          # others wait behind it
    window = hall.window_client(category.id)
    try:
        for name in ("requeue-done", "requeue-refused"):
            hall.skip(window, number)
            ui.go("requeue")
            for key in number:                   # as printed on the slip: A012
                ui.screens["requeue"]._key(key)
            if name == "requeue-done":
                shot("requeue")
            ui.screens["requeue"]._ok()
            pump(lambda: session.flow.step in ("done", "failed"), 10)
            ui.follow()
            shot(name)
    finally:
        window.request("window.logout")
        window.stop()


def follow_shots(hall, ui, session, card, printer, shot) -> None:
    """办件查询: the keypad with a number being typed, the card holder's applications (one
    ready, one accepted) and, where the hall has 统一出件, the collection ticket."""
    from drivers.card_reader.simulator import SAMPLE_CARDS

    sample = SAMPLE_CARDS["resident"]
    windows = hall.config.collection_windows() or list(hall.config.windows)
    window = windows[0].id
    if hall.service.staff.get("shots01") is None:
        hall.service.staff.add("shots01", "截图员", "window", "shots-pass-1")
    hall.service.handle("window", window, "window.login", {"staff": "shots01", "password": "shots-pass-1"})
    item = next(i for i in session.book.catalog.offered() if i.materials)
    for steps in (("accept", "approve", "ready"), ("accept",)):
        made = hall.service.handle("window", window, "application.submit", {
            "item": item.code, "identity": {"id_number": sample.values["id_number"]},
            "materials": {m.name: "received" for m in item.materials if m.brought}})
        for step in steps:
            hall.service.handle("window", window, f"application.{step}",
                                {"number": made["data"]["application"]["number"]})
    hall.service.handle("window", window, "window.logout", {})
    ui.go("application_find")
    for key in "2026120200":
        ui.screens["application_find"]._key(key)
    shot("application-find")
    card.present(sample)
    pump(lambda: ui.manager.current == "application_status" and session.flow.applications, 10)
    pump(lambda: False, 0.3)
    shot("application-status")
    card.lift()
    if session.flow.has_ready and hall.config.collection is not None:
        done = len(printer.printed)
        ui.screens["application_status"]._pickup()
        pump(lambda: len(printer.printed) > done and session.flow.printed, 10)
        shot("application-pickup-ticket")

def complaint_shots(ui, session, printer, shot) -> None:
    """办不成事反映: the domain tiles, the reasons, the phone keypad and the filed complaint
    with its slip printed."""
    ui.go("complaint")
    shot("complaint")
    domains = session.hall.catalog.domains if session.hall.catalog is not None else ()
    session.complain("choose_domain", domains[0] if domains else None)
    ui.follow()
    shot("complaint-problem")
    session.complain("choose_problem", session.flow.problems()[0])
    ui.follow()
    for key in "13700001234":          # an invented number
        ui.screens["complaint_phone"]._key(key)
    shot("complaint-phone")
    done = len(printer.printed)
    ui.screens["complaint_phone"]._send(True)
    pump(lambda: len(printer.printed) > done and session.flow.printed, 10)
    ui.follow()
    shot("complaint-filed")


def rating_shots(hall, ui, session, card, category, shot) -> None:
    """评价服务: the card screen, the service found with the five levels, a bad level's
    reasons, and the thanks. The invented card holder's ticket is served by a window first."""
    from drivers.card_reader.simulator import SAMPLE_CARDS

    clerk = hall.window_client(category.id)
    try:
        number = hall.service.handle("kiosk", session.host.id, "ticket.issue", {
            "category": category.id, "identity": {"id_number": _sample_id(), "name": "王测试"}}
        )["data"]["ticket"]["number"]
        while clerk.request("window.call_next")["ticket"]["number"] != number:
            clerk.request("window.finish")
        clerk.request("window.finish")
    finally:
        clerk.stop()
    ui.go("rate_card")
    shot("rate-card")
    card.present(SAMPLE_CARDS["resident"])
    pump(lambda: ui.manager.current == "rate", 10)
    shot("rate")
    screen = ui.screens["rate"]
    screen._choose(2)
    screen._toggle(session.flow.reasons_offered[2])
    shot("rate-reasons")
    screen._submit()
    pump(lambda: session.flow.step == "done", 10)
    shot("rate-done")
    card.lift()


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


def drawn_face(width: int = 640, height: int = 480):
    """A camera frame with a drawn face: the docs show no real person's face."""
    import numpy as np
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (120, 128, 138))
    draw = ImageDraw.Draw(image)
    cx, cy = width // 2, height // 2
    draw.ellipse((cx - 150, cy + 110, cx + 150, cy + 330), fill=(40, 60, 90))          # shoulders
    draw.ellipse((cx - 95, cy - 135, cx + 95, cy + 115), fill=(226, 190, 160))         # face
    draw.chord((cx - 100, cy - 150, cx + 100, cy - 10), 180, 360, fill=(30, 25, 25))  # hair
    for dx in (-40, 40):
        draw.ellipse((cx + dx - 12, cy - 30, cx + dx + 12, cy - 16), fill=(40, 30, 30))
    draw.line((cx, cy - 10, cx - 8, cy + 30, cx + 6, cy + 32), fill=(170, 120, 100), width=3)
    draw.arc((cx - 35, cy + 35, cx + 35, cy + 75), 20, 160, fill=(150, 60, 60), width=4)
    return np.asarray(image)


def face_shots(session, ui, shot, category, elderly: bool) -> None:
    """The verification screen in its states, and the ticket of a failed check. The states
    are set directly (no camera here); the screen draws them exactly as in a check."""
    from dataclasses import replace

    from .face_check import RETRY_PROMPT, FaceView
    from .flows.ticket import FACE

    ui.go("home")
    session.set_elderly(elderly)
    ui.go("take_ticket")
    session.flow.choose(session.view.tile(category))
    session.flow.category = replace(session.flow.category, face_verify=True)
    session.leave_home()
    ui._show("identity")
    pump()
    session.flow.identify(_sample_id(), "王测试", "card")
    assert session.flow.step == FACE
    frame = drawn_face()
    for name, view in (("face-start", FaceView("请看摄像头", 20, 1, frame)),
                       ("face-turn", FaceView("请向左转头", 14, 1, frame)),
                       ("face-dark", FaceView("光线太暗", 9, 2, frame // 3)),
                       ("face-retry", FaceView(RETRY_PROMPT, 20, 3, frame))):
        session.face_view = view
        ui._show("face")
        ui.current.update()
        shot(name)
    session.face_view = None
    session.flow.face_checked({"result": "fail", "distance": None, "liveness": "failed",
                               "tries": 3, "at": time.time()})
    session._after_choice()
    if session.flow.step == "priority":
        session.choose_priority("normal")
    pump(lambda: session.flow.step in ("done", "failed"), 10)
    ui.follow()
    shot("ticket-face-fallback")


def _sample_id() -> str:
    from drivers.card_reader.simulator import SAMPLE_CARDS

    return SAMPLE_CARDS["resident"].values["id_number"]


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
