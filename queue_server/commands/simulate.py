"""`yichuang simulate`: a hard hall day in accelerated time over the real bus (queue_server/sim).

Exits 1 when a ticket was lost or duplicated, 2 on bad options.
"""
from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from . import add_config_argument


def register(subparsers) -> None:
    from ..sim.faults import FAULTS

    parser = subparsers.add_parser(
        "simulate", help="simulate a hall day with faults, over the real bus, in accelerated time",
        description="Simulate a hall day in accelerated time: citizens from an arrival profile take "
                    "tickets at the kiosks, windows call and serve them, over a real broker and a real "
                    "server process, while faults happen on a schedule. Prints the day's figures; "
                    "exits 1 when a ticket was lost or duplicated.")
    add_config_argument(parser)
    parser.add_argument("--hours", type=float, metavar="H",
                        help="simulate only the first H hours of issuing (default: the whole day)")
    parser.add_argument("--speed", type=float, default=120.0, metavar="X",
                        help="simulated seconds per real second (default 120: a 9-hour day in 4.5 minutes)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the day's citizens (default 1)")
    parser.add_argument("--load", type=float, default=0.85, metavar="F",
                        help="arrivals as a share of what the windows can serve (default 0.85)")
    parser.add_argument("--faults", default="all", metavar="all|none|LIST",
                        help=f"faults to make: all (default), none, or a comma-separated list of: {', '.join(FAULTS)}")
    parser.add_argument("--broker", choices=("embedded", "mosquitto"), default="embedded")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="keep the database and the server's log in DIR (default: a temporary folder)")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from hall.config.hall import ConfigError
    from ..sim.faults import parse_faults
    from ..sim.ledger import report
    from ..sim.run import Options, simulate
    from ..spawn import spawn_server

    try:
        faults = parse_faults(args.faults)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.speed <= 0 or args.load <= 0 or (args.hours is not None and args.hours <= 0):
        print("error: --speed, --load and --hours must be positive", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO if args.verbose else logging.ERROR,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    logging.getLogger("amqtt").setLevel(logging.ERROR)
    sys.setswitchinterval(0.0005)   # many client threads hand messages around, as in the server
    options = Options(args.config, args.hours, args.speed, args.seed, faults, args.broker, args.load,
                      args.keep, spawn_server)
    started = time.monotonic()
    try:
        figures = simulate(options)
    except (ConfigError, ValueError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"yichuang simulate: {args.config.name}, seed {args.seed}, speed x{args.speed:g}, "
          f"broker {args.broker}, faults {args.faults}, {time.monotonic() - started:.0f} s real time")
    print(report(figures))
    return 0 if figures.ok else 1
