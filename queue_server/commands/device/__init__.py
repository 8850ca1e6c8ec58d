"""`yichuang device ...`: a field technician's checks of the hall's devices.

The group is assembled from modules, one per device family. Each module in DEVICE_MODULES has
`register(sub)` adding its subcommands to the `device` group (each parser sets `func`), and
may register simulators in SIMULATORS for `yichuang device simulate KIND`:

    SIMULATORS["printer"] = "queue_server.commands.device.printer:simulator"   # f(link) -> started PtySimulator

A started simulator may have `tick() -> list[str]`: lines worth printing while it runs, and
has `command(words) -> str`: what `yichuang device sim --port PATH WORDS...` (and `device
press`) tell it through drivers.simcontrol's socket next to its port.
Adding a device family is one line in DEVICE_MODULES.
"""
from __future__ import annotations

import argparse
import importlib
import time

from hall.config import ConfigError, Problems

from drivers.health import DeviceError
from drivers.simcontrol import ControlServer, send

DEVICE_MODULES = [
    "queue_server.commands.device.card_reader",
    "queue_server.commands.device.printer",
    "queue_server.commands.device.display",
    "queue_server.commands.device.voice",
    "queue_server.commands.device.scanner",
]
SIMULATORS: dict[str, str] = {}


def register(subparsers) -> None:
    device = subparsers.add_parser("device", help="check devices: card reader, printer, ...",
                                   description="Field checks of the hall's devices.")
    sub = device.add_subparsers(dest="device_command", metavar="SUBCOMMAND", required=True)
    ports = sub.add_parser("ports", help="list serial ports")
    ports.set_defaults(func=list_ports)
    for name in DEVICE_MODULES:
        importlib.import_module(name).register(sub)
    sim = sub.add_parser("simulate", help="run a simulated device on a pty until Ctrl-C")
    sim.add_argument("kind", choices=sorted(SIMULATORS))
    sim.add_argument("--link", help="stable path of the simulated port (default: a temp path)")
    sim.set_defaults(func=simulate)
    control = sub.add_parser("sim", help="tell a running simulator what to do (words: help)")
    control.add_argument("--port", required=True, help="the simulated port `simulate` printed")
    control.add_argument("words", nargs="+", help="e.g. press 103 call_next, paper out, lift")
    control.set_defaults(func=checked(sim_command, "模拟设备"))


def load_device_profile(name: str, kind: str):
    """A shipped profile, or ConfigError with every problem at its file and line."""
    from hall.config.devices import load_profile
    problems = Problems()
    profile = load_profile(name, problems, kind=kind)
    problems.raise_if_any()
    return profile


def checked(func, failed: str):
    """`func(args)` as a subcommand: profile mistakes print as file:line lines (exit 2), a
    device that fails prints `<failed>：<plain message>（<code>）` (exit 1), no traceback."""
    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except ConfigError as exc:
            print(exc)
            return 2
        except DeviceError as exc:
            print(f"{failed}：{exc.health.message}（{exc.code}）")
            return 1
    return run


def list_ports(_args: argparse.Namespace) -> int:
    from serial.tools import list_ports as lp
    ports = sorted(lp.comports(), key=lambda p: p.device)
    if not ports:
        print("未发现串口设备")
        return 1
    for port in ports:
        print(f"{port.device}\t{port.description}\t{port.hwid}")
    return 0


def simulate(args: argparse.Namespace) -> int:
    module, func = SIMULATORS[args.kind].split(":")
    sim = getattr(importlib.import_module(module), func)(args.link)
    print(f"{args.kind} simulator on {sim.path} (Ctrl-C to stop)", flush=True)
    try:
        control = ControlServer(sim).start()
        print(f"control: yichuang device sim --port {sim.path} help", flush=True)
    except OSError as exc:        # e.g. a socket path longer than Unix allows (108 bytes)
        control = None
        print(f"no control socket ({exc}): press and sim will not reach it", flush=True)
    try:
        while True:
            time.sleep(0.2)
            for line in getattr(sim, "tick", list)():
                print(line, flush=True)
    except KeyboardInterrupt:
        return 0
    finally:
        if control is not None:
            control.stop()
        sim.stop()


def sim_command(args: argparse.Namespace) -> int:
    """Send words to a running simulator (press a key, lay a card, run out of paper ...)."""
    try:
        print(send(args.port, args.words))
    except ValueError as exc:
        print(f"模拟设备拒绝：{exc}")
        return 1
    return 0
