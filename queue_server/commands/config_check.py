"""`yichuang config check FILE...`: check hall config files and point at every mistake.

Exit code 0 when every file is fine (one summary line each), 1 when any file has a problem
(every problem printed as file:line: message, with a hint below it).
"""
from __future__ import annotations

import argparse

from hall.config.hall import ConfigError, load_hall_config
from hall.config.model import HallConfig


def register(subparsers) -> None:
    config = subparsers.add_parser("config", help="hall config files",
                                   description="Work with hall config files.")
    actions = config.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check", help="check hall config files and point at each mistake",
        description="Read each hall config file as the server would and report every "
                    "problem with its file and line. Exit code 0: all fine; 1: problems.")
    check.add_argument("files", nargs="+", metavar="FILE", help="hall config file (YAML)")
    check.add_argument("--devices", metavar="DIR",
                       help="folder of device profiles (default: the installed "
                            "firmware_configs/devices)")
    check.set_defaults(func=run)


def summary(path: str, config: HallConfig) -> str:
    return (f"{path}: ok: hall {config.id} ({config.name}), {config.kind}, "
            f"{len(config.categories)} categories, {len(config.windows)} windows, "
            f"{len(config.hosts)} hosts")


def run(args: argparse.Namespace) -> int:
    problems = 0
    bad_files = 0
    for path in args.files:
        try:
            config = load_hall_config(path, args.devices)
        except ConfigError as exc:
            bad_files += 1
            problems += len(exc.problems)
            for problem in exc.problems:
                print(problem)
            continue
        print(summary(path, config))
    if bad_files:
        print(f"{problems} problem(s) in {bad_files} of {len(args.files)} file(s)")
        return 1
    return 0
