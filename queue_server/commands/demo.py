"""`yichuang demo`: a whole county hall on this machine, open around the clock.

The shipped example firmware_configs/sites/county.yaml with 24-hour opening hours, an
embedded broker on 127.0.0.1, a database under the temp folder and one demo staff account
per window; then it prints the commands to try.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from importlib import resources
from pathlib import Path

from ..broker import BrokerError
from ..config.hall import ConfigError, load_hall_config
from ..config.model import HallConfig
from .server import setup_logging, start_hall, wait_for_signal

DEMO_PASSWORD = "yichuang-demo"


def demo_config(path: Path) -> HallConfig:
    """The example hall, open every day, all day, with no lunch break: a demo at 3 a.m. works."""
    config = load_hall_config(path)
    hours = dataclasses.replace(config.hours, open=0, close=24 * 60, lunch=None,
                                weekdays=(1, 2, 3, 4, 5, 6, 7), last_ticket_before_close=0)
    return dataclasses.replace(config, hours=hours)


def add_demo_staff(service, config: HallConfig) -> list[str]:
    """Staff w<window id> for each window (password DEMO_PASSWORD); existing ones are kept."""
    made = []
    for window in config.windows:
        staff_id = f"w{window.id}"
        if service.staff.get(staff_id) is None:
            service.staff.add(staff_id, f"演示{window.id}号", "window", DEMO_PASSWORD)
        made.append(staff_id)
    return made


def next_steps(config: HallConfig, broker_url: str, db: Path) -> str:
    window = config.windows[0].id if config.windows else "1"
    category = config.categories[0].id if config.categories else "a"
    return f"""
一窗 demo: hall {config.id} ({config.name}) is open. Database: {db}
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
    parser.add_argument("--db", metavar="PATH", help="SQLite file (default: under the temp folder)")
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
    try:
        hall = start_hall(config, db, "", broker_host="127.0.0.1", broker_port=args.broker_port)
    except BrokerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    add_demo_staff(hall.service, config)
    print(next_steps(config, hall.broker_url, db), flush=True)
    wait_for_signal()
    hall.stop()
    return 0
