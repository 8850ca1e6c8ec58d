"""`yichuang catalog ...`: check a service catalogue, convert it to and from a spreadsheet.

    yichuang catalog check FILE [--config HALL]   every mistake as file:line: message + hint
"""
from __future__ import annotations

import argparse

from hall.catalog import Catalog, load_catalog
from hall.config import ConfigError, load_hall_config
from hall.workdays import last_known_year


def register(subparsers) -> None:
    catalog = subparsers.add_parser("catalog", help="the service catalogue (政务服务事项目录)",
                                    description="Check a service catalogue file; convert it to "
                                                "and from a spreadsheet. See docs/catalog.md.")
    actions = catalog.add_subparsers(dest="catalog_action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check", help="check a catalogue file and point at each mistake",
        description="Read a catalogue as the server would and report every problem with its "
                    "file and line. With --config, every category and window it names must "
                    "exist in that hall config. Exit code 0: fine; 1: problems.")
    check.add_argument("file", metavar="FILE", help="catalogue file (YAML)")
    check.add_argument("--config", metavar="HALL", help="hall config file to check against")
    check.add_argument("--devices", metavar="DIR",
                       help="folder of device profiles for reading --config (default: the "
                            "installed firmware_configs/devices)")
    check.set_defaults(func=run_check)


def summary(path: str, catalog: Catalog) -> str:
    retired = sum(item.retired for item in catalog.items)
    return (f"{path}: ok: {len(catalog.items)} items ({retired} retired), "
            f"{len(catalog.bundles)} bundles, {len(catalog.domains)} domains; "
            f"holiday calendar known through {last_known_year()}")


def print_problems(exc: ConfigError) -> int:
    for problem in exc.problems:
        print(problem)
    print(f"{len(exc.problems)} problem(s)")
    return 1


def run_check(args: argparse.Namespace) -> int:
    try:
        hall = load_hall_config(args.config, args.devices) if args.config else None
        catalog = load_catalog(args.file, hall)
    except ConfigError as exc:
        return print_problems(exc)
    print(summary(args.file, catalog))
    return 0
