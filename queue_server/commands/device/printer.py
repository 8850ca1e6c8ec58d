"""`yichuang device print-test / printer-status` and the printer simulator."""
from __future__ import annotations

import argparse
from contextlib import closing

from . import SIMULATORS, checked, load_device_profile


def register(sub) -> None:
    for name, help_text, func, failed in (
            ("print-test", "print a sample ticket", print_test, "未打印"),
            ("printer-status", "show the printer's paper, cover and error state",
             printer_status, "打印机状态：未知")):
        parser = sub.add_parser(name, help=help_text)
        parser.add_argument("--port", required=True, help="serial port of the printer")
        parser.add_argument("--profile", default="xprinter-80",
                            help="device profile (default xprinter-80)")
        parser.set_defaults(func=checked(func, failed))
    render = sub.add_parser("render-ticket", help="draw the sample ticket of a profile as a PNG")
    render.add_argument("--profile", default="xprinter-80", help="device profile (default xprinter-80)")
    render.add_argument("--out", required=True, help="PNG file to write")
    render.set_defaults(func=checked(render_ticket, "无法绘制"))
    SIMULATORS["printer"] = "queue_server.commands.device.printer:simulator"


def render_ticket(args: argparse.Namespace) -> int:
    """The bytes a printer would get, decoded and drawn: what the citizen would hold."""
    from drivers.printer.decode import EscPosDecoder
    from drivers.printer.render import render_png
    from drivers.printer.ticket import sample_ticket, ticket_bytes
    profile = load_device_profile(args.profile, "printer")
    decoder = EscPosDecoder()
    decoder.feed(ticket_bytes(sample_ticket(), profile))
    try:
        print(render_png(decoder.documents[0], profile.paper_width_dots, args.out))
    except RuntimeError as exc:          # no CJK font installed
        print(exc)
        return 1
    return 0


def _printer(args: argparse.Namespace):
    from drivers.printer.driver import TicketPrinter
    return TicketPrinter(args.port, load_device_profile(args.profile, "printer"))


def _health_line(health) -> str:
    label = {"ok": "正常", "warning": "警告", "error": "故障", "absent": "未连接"}[health.state]
    return f"打印机状态：{label}" + (f"，{health.message}（{health.code}）" if health.code else "")


def print_test(args: argparse.Namespace) -> int:
    with closing(_printer(args)) as printer:
        result = printer.print_test()
    print(f"已发送测试号票 {result.bytes_sent} 字节")
    print(_health_line(result.health))
    return 0


def printer_status(args: argparse.Namespace) -> int:
    with closing(_printer(args)) as printer:
        status = printer.status()
    print(_health_line(status.health))
    if status.flags():
        print("flags: " + ", ".join(status.flags()))
    return 0 if status.can_print else 1


def simulator(link: str | None):
    from drivers.printer.simulator import PrinterSimulator

    class ShowingPrinter(PrinterSimulator):
        """Prints each ticket it receives as text lines on the console."""
        shown = 0

        def tick(self) -> list[str]:
            lines = []
            for doc in self.printed[self.shown:]:
                lines += ["---- ticket ----", *doc.texts,
                          *(f"[QR] {qr.data}" for qr in doc.qr_codes), f"---- cut ({doc.cut}) ----"]
            self.shown = len(self.printed)
            return lines

    return ShowingPrinter(link).start()
