"""`yichuang catalog ...`: check a service catalogue, convert it to and from a spreadsheet.

    yichuang catalog check FILE [--config HALL]   every mistake as file:line: message + hint
    yichuang catalog export FILE.yaml OUT.xlsx    the catalogue as a workbook (docs/catalog.md)
    yichuang catalog import IN.xlsx OUT.yaml      a workbook as a catalogue, checked first
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
    _hall_options(check)
    check.set_defaults(func=run_check)
    export = actions.add_parser("export", help="write a catalogue as a spreadsheet (.xlsx)",
                                description="Write the catalogue FILE as a workbook with the "
                                            "sheets 领域, 事项, 材料 and 一件事.")
    export.add_argument("file", metavar="FILE", help="catalogue file (YAML)")
    export.add_argument("out", metavar="OUT", help="workbook to write (.xlsx)")
    export.set_defaults(func=run_export)
    imp = actions.add_parser("import", help="read a spreadsheet (.xlsx) into a catalogue file",
                             description="Check the workbook as a catalogue; every problem "
                                         "names its sheet, row and column. OUT is written "
                                         "only when there is none.")
    imp.add_argument("file", metavar="IN", help="workbook (.xlsx) in the layout of export")
    imp.add_argument("out", metavar="OUT", help="catalogue file to write (YAML)")
    _hall_options(imp)
    imp.set_defaults(func=run_import)


def _hall_options(parser) -> None:
    parser.add_argument("--config", metavar="HALL", help="hall config file to check against")
    parser.add_argument("--devices", metavar="DIR",
                        help="folder of device profiles for reading --config (default: the "
                             "installed firmware_configs/devices)")


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
        catalog = load_catalog(args.file, _hall(args))
    except ConfigError as exc:
        return print_problems(exc)
    print(summary(args.file, catalog))
    return 0


def run_export(args: argparse.Namespace) -> int:
    try:
        catalog = load_catalog(args.file)
    except ConfigError as exc:
        return print_problems(exc)
    from hall.catalog.sheet import export_catalog   # openpyxl: slow, and only needed here
    export_catalog(catalog, args.out)
    print(f"{args.out}: {len(catalog.items)} items, {len(catalog.bundles)} bundles")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from hall.catalog.sheet import import_catalog   # openpyxl: slow, and only needed here
    try:
        catalog = import_catalog(args.file, args.out, _hall(args))
    except ConfigError as exc:
        print_problems(exc)
        print(f"{args.out} was not written")
        return 1
    print(summary(args.out, catalog))
    return 0


def _hall(args: argparse.Namespace):
    return load_hall_config(args.config, args.devices) if args.config else None
