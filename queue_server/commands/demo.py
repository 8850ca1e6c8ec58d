"""`yichuang demo`: a whole county hall on this machine, open around the clock.

The shipped example firmware_configs/sites/county.yaml with 24-hour opening hours, an
embedded broker on 127.0.0.1, a database under the temp folder, the web console, the
hall's agents with simulated window devices, a kiosk window with simulated devices when a
display is there (`--kiosk`: always), and demo staff accounts (one per window, a
manager and an admin); then it prints the addresses and commands to try.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from importlib import resources
from pathlib import Path

from ..broker import BrokerError
from hall.config.hall import ConfigError, load_hall_config
from hall.config.model import HallConfig, Host
from .kiosk_window import start_for_demo, stop_kiosk
from .server import StopSignal, setup_logging, start_hall

DEMO_PASSWORD = "yichuang-demo"


CLI_KIOSK = "cli"   # `yichuang ticket`'s default kiosk id


def demo_config(path: Path) -> HallConfig:
    """The example hall, open every day, all day, with no lunch break: a demo at 3 a.m. works.
    It also lists the command line's kiosk, so `yichuang ticket issue` may take tickets (the
    server answers `forbidden` to a kiosk the config does not list)."""
    config = load_hall_config(path)
    hours = dataclasses.replace(config.hours, open=0, close=24 * 60, lunch=None,
                                weekdays=(1, 2, 3, 4, 5, 6, 7), last_ticket_before_close=0)
    hosts = config.hosts if config.host(CLI_KIOSK) else config.hosts + (Host(CLI_KIOSK, "kiosk"),)
    return dataclasses.replace(config, hours=hours, hosts=hosts)


def add_demo_staff(service, config: HallConfig) -> list[str]:
    """Staff w<window id> for each window, a hall manager `manager` and an `admin`, all with
    the password DEMO_PASSWORD; existing accounts are kept."""
    accounts = [(f"w{w.id}", f"演示{w.id}号", "window") for w in config.windows]
    accounts += [("manager", "演示管理员", "manager"), ("admin", "演示系统管理员", "admin")]
    for staff_id, name, role in accounts:
        if service.staff.get(staff_id) is None:
            service.staff.add(staff_id, name, role, DEMO_PASSWORD)
    return [staff_id for staff_id, _name, _role in accounts]


def next_steps(config: HallConfig, broker_url: str, db: Path, console_url: str) -> str:
    window = config.windows[0].id if config.windows else "1"
    category = config.categories[0].id if config.categories else "a"
    return f"""
一窗 demo: hall {config.id} ({config.name}) is open. Database: {db}
Web console: {console_url}
  hall screen {console_url}/screen   staff caller: log in as w{window}   dashboard: log in as manager
  demo password for every account: {DEMO_PASSWORD}
In another terminal:
  export YICHUANG_HALL={config.id} YICHUANG_BROKER={broker_url}
  yichuang watch                                            # the hall's states and calls, live
  yichuang ticket issue --category {category}                    # take a ticket as a kiosk
  yichuang window login --window {window} --staff w{window} --password {DEMO_PASSWORD}
  yichuang window call-next --window {window}                     # call it; watch shows the call
  yichuang window start --window {window}; yichuang window finish --window {window}
Categories: {", ".join(c.id for c in config.categories)}; windows 1-{len(config.windows)}, staff w<window>.
Stop with Ctrl-C.
"""


def register(subparsers) -> None:
    parser = subparsers.add_parser("demo", help="run a demo hall (server + embedded broker)",
                                   description="Run the example county hall on this machine, open all day.")
    parser.add_argument("--config", metavar="FILE", help="hall config (default: the shipped county.yaml)")
    parser.add_argument("--broker-port", type=int, default=1883, metavar="N",
                        help="port of the embedded broker (default 1883)")
    parser.add_argument("--console-port", type=int, default=8080, metavar="N",
                        help="port of the web console (default 8080)")
    parser.add_argument("--db", metavar="PATH", help="SQLite file (default: under the temp folder)")
    parser.add_argument("--kiosk", dest="kiosk", action="store_const", const="on", default="auto",
                        help="open the kiosk window even without a display (default: when there is one)")
    parser.add_argument("--no-kiosk", dest="kiosk", action="store_const", const="off",
                        help="no kiosk window")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.config) if args.config else Path(str(resources.files("firmware_configs") / "sites" / "county.yaml"))
    try:
        config = demo_config(path)
    except ConfigError as exc:
        print(f"the demo hall config has mistakes:\n{exc}", file=sys.stderr)
        return 1
    db = Path(args.db) if args.db else Path(tempfile.gettempdir()) / "yichuang-demo" / f"{config.id}.sqlite"
    setup_logging(args.verbose)
    from ..web import ConsoleError
    stop = StopSignal()
    try:
        hall = start_hall(config, db, "", broker_host="127.0.0.1", broker_port=args.broker_port,
                          console_host="127.0.0.1", console_port=args.console_port)
    except BrokerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ConsoleError as exc:
        print(f"error: {exc}\n(choose another port with --console-port N)", file=sys.stderr)
        return 1
    add_demo_staff(hall.service, config)
    agents = start_simulated_agents(config, hall.broker_url)
    print(next_steps(config, hall.broker_url, db, hall.console.url), flush=True)
    for agent in agents:
        voice = (f"; announcements written to {agent.announcer.output.directory}"
                 if agent.announcer else "")
        print(f"Agent {agent.host.id}: simulated window displays, keypads and evaluator pads"
              f"{voice}", flush=True)
    kiosk = start_for_demo(path, config, hall.broker_url, db.parent, args.kiosk)
    stop.wait()
    if kiosk is not None:
        stop_kiosk(kiosk)
    for agent in agents:
        agent.stop()
    hall.stop()
    return 0


def start_simulated_agents(config: HallConfig, broker_url: str) -> list:
    """Every agent host of the hall with simulated window devices (LED text, keys, voice)."""
    from queue_server.agent import Agent   # late: `yichuang --help` stays fast
    return [Agent(config, host.id, broker_url, simulate=True).start()
            for host in config.hosts if host.role == "agent"]
