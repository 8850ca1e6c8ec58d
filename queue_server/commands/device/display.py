"""`yichuang device display-show`, `device keys`, and the window-bus simulator for
`device simulate window-bus`: a technician's checks of the RS-485 window bus."""
from __future__ import annotations

import argparse
import time

from . import SIMULATORS, checked, load_device_profile

SIM_WINDOWS = range(1, 5)       # the simulator's windows: display n, keypad 100+n, pad 200+n


def register(sub) -> None:
    show = sub.add_parser("display-show", help="show text on a window LED display")
    show.add_argument("--port", required=True, help="serial port of the RS-485 adapter")
    show.add_argument("--profile", default="generic-led", help="display_bus profile")
    show.add_argument("--address", type=int, required=True, help="the display's bus address")
    show.add_argument("lines", nargs="*", help="text lines (none: clear the display)")
    show.set_defaults(func=checked(display_show, "显示失败"))
    keys = sub.add_parser("keys", help="print the presses of a caller keypad or evaluator pad")
    keys.add_argument("--port", required=True, help="serial port of the RS-485 adapter")
    keys.add_argument("--profile", default="generic-led", help="display_bus profile")
    keys.add_argument("--address", type=int, required=True, help="the pad's bus address")
    keys.add_argument("--kind", choices=("keypad", "evaluator"), default="keypad")
    keys.add_argument("--seconds", type=float, default=30.0, help="how long to listen")
    keys.set_defaults(func=checked(print_keys, "读取按键失败"))
    press = sub.add_parser("press", help="press a key of a simulated keypad or evaluator pad")
    press.add_argument("--port", required=True,
                       help="the port `yichuang device simulate window-bus` printed")
    press.add_argument("--address", type=int, required=True, help="the pad's bus address")
    press.add_argument("key", help="call_next, recall, skip, start, finish, pause_resume; 1-5")
    press.set_defaults(func=checked(press_key, "按键失败"))
    SIMULATORS["window-bus"] = "queue_server.commands.device.display:simulator"


def _bus(args):
    from drivers.rs485 import Bus
    profile = load_device_profile(args.profile, "display_bus")
    bus = Bus(args.port, baudrate=profile.baudrate, timeout=profile.timeout_s,
              retries=profile.retries, poll_interval=profile.poll_interval_s)
    return bus, profile


def display_show(args: argparse.Namespace) -> int:
    from drivers.display.driver import Display
    bus, profile = _bus(args)
    try:
        Display(bus, args.address, profile.display_protocol()).show_now(args.lines or None)
    except ValueError as exc:
        print(f"无法显示：{exc}")
        return 1
    finally:
        bus.stop()
    print("已显示" if args.lines else "已清屏")
    return 0


def print_keys(args: argparse.Namespace) -> int:
    from drivers.keypad import KeyPad
    bus, profile = _bus(args)
    pads = getattr(profile, args.kind)
    KeyPad(bus, args.address, pads.protocol(), pads.key_map(),
           lambda _pad, value: print(f"按键：{value}", flush=True), kind=args.kind)
    deadline = time.monotonic() + args.seconds
    try:
        while time.monotonic() < deadline:
            bus.tick()
            time.sleep(profile.poll_interval_s)
    except KeyboardInterrupt:
        pass
    finally:
        status = bus.get_status().get(args.address, {})
        bus.stop()
    print(f"状态：{status.get('state', '?')} {status.get('message', '')}".rstrip())
    return 0 if status.get("state") == "ok" else 1


def press_key(args: argparse.Namespace) -> int:
    from drivers.simcontrol import send
    try:
        print(send(args.port, ["press", str(args.address), args.key]))
    except ValueError as exc:
        print(f"按键失败：{exc}")
        return 1
    return 0


def simulator(link: str | None):
    """Displays 1..4, keypads 101..104, evaluator pads 201..204 in the generic-led profile."""
    from drivers.rs485.simulator import BusSimulator
    from drivers.keypad.simulator import SimKeyPad
    from drivers.display.simulator import SimDisplay
    profile = load_device_profile("generic-led", "display_bus")
    sim = BusSimulator(link)
    for n in SIM_WINDOWS:
        sim.add(SimDisplay(n, profile.display_protocol()))
        sim.add(SimKeyPad(100 + n, profile.keypad.protocol(), profile.keypad.key_map()))
        sim.add(SimKeyPad(200 + n, profile.evaluator.protocol(), profile.evaluator.key_map(),
                          "evaluator"))
    return sim.start()
