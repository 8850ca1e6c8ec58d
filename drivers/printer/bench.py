"""`yichuang bench printer`: how big a ticket is, and how long sending it takes.

A pty does not throttle to a baud rate, so the time on the wire is computed
(bytes x 10 bits / baud for 8N1) and the driver's own time (layout, status before, one write,
status after, with the simulator answering) is measured separately.
"""
from __future__ import annotations

import argparse
import platform
import statistics
import time

NAME = "printer"
HELP = "ticket size in bytes, driver time per ticket, wire time at serial and USB speeds"
USB_FULL_SPEED_BULK = 1_216_000     # bytes/s: 19 packets of 64 bytes per 1 ms frame (USB 1.1)
DOTS_PER_MM = 8                     # 203 dpi heads


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tickets", type=int, default=200, help="tickets printed per profile")
    parser.add_argument("--baud", type=int, default=115200, help="serial rate for the wire time")


def _p99(values: list[float]) -> float:
    return sorted(values)[min(len(values) - 1, int(len(values) * 0.99))]


def _ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.2f} ms, p99 {_p99(values) * 1000:.2f} ms"


def _image_qr_bytes(url: str, module: int) -> int:
    import contextlib
    import io
    from escpos.printer import Dummy
    p = Dummy()
    with contextlib.redirect_stdout(io.StringIO()):   # python-escpos prints a profile remark
        p.qr(url, native=False, size=module)
    return len(p.output)


def _paper_mm(data: bytes, profile) -> float:
    """Ticket length from the rendered paper (needs a CJK font); 0 when none is installed."""
    import tempfile
    from PIL import Image
    from .decode import EscPosDecoder
    from .render import render_png
    decoder = EscPosDecoder()
    decoder.feed(data)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            with Image.open(render_png(decoder.documents[0], profile.paper_width_dots,
                                       f"{tmp}/t.png")) as img:
                return img.height / DOTS_PER_MM
    except RuntimeError:
        return 0.0


def _bench_profile(name: str, args: argparse.Namespace) -> None:
    from ..cli import load_device_profile
    from .driver import TicketPrinter
    from .simulator import PrinterSimulator
    from .ticket import sample_ticket, ticket_bytes

    profile = load_device_profile(name, "printer")
    ticket = sample_ticket()
    data = ticket_bytes(ticket, profile)
    builds = []
    for _ in range(args.tickets):
        start = time.perf_counter()
        ticket_bytes(ticket, profile)
        builds.append(time.perf_counter() - start)
    prints = []
    with PrinterSimulator() as sim:
        printer = TicketPrinter(sim.path, profile)
        for _ in range(args.tickets):
            start = time.perf_counter()
            printer.print_ticket(ticket)
            prints.append(time.perf_counter() - start)
        printer.close()
        assert len(sim.printed) == args.tickets, "the simulator lost tickets"
    wire = (len(data) + 24 + 8) * 10 / args.baud      # ticket + 2 x 12 query + 2 x 4 reply bytes
    length = _paper_mm(data, profile)
    print(f"## {name} ({profile.paper_width_mm} mm, {profile.chars_per_line} chars/line)")
    print(f"- ticket: {len(data)} bytes (native QR; an image QR alone would be "
          f"{_image_qr_bytes(ticket.url, profile.qr_module_size)} bytes)")
    print(f"- build bytes (layout + python-escpos): {_ms(builds)}")
    print(f"- driver per ticket over a pty (status, one write, status): {_ms(prints)}, "
          f"n={args.tickets}")
    print(f"- wire time at {args.baud} baud (computed, 8N1): {wire * 1000:.1f} ms; "
          f"at 9600 baud: {wire * args.baud / 9600 * 1000:.0f} ms")
    print(f"- USB full-speed bulk (computed, {USB_FULL_SPEED_BULK // 1000} kB/s): "
          f"{len(data) / USB_FULL_SPEED_BULK * 1000:.2f} ms")
    if length:
        print(f"- paper: about {length:.0f} mm, {length / 250 * 1000:.0f}-{length / 150 * 1000:.0f} ms "
              f"of printing at 250-150 mm/s")


def run(args: argparse.Namespace) -> int:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    print(f"machine: {cpu}, Python {platform.python_version()}; "
          f"{time.strftime('%Y-%m-%d')}; yichuang bench printer --tickets {args.tickets} "
          f"--baud {args.baud}")
    for name in ("xprinter-80", "xprinter-58"):
        _bench_profile(name, args)
    return 0
