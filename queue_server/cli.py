"""The `yichuang` command: one entry point, one module per group of subcommands.

Each module in COMMAND_MODULES has `register(subparsers)`, which adds its subcommands and
sets `func` on each parser; `func(args)` returns the process exit code. Modules are
imported only when the command line is built, so `yichuang --help` lists everything.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from hall import __version__

COMMAND_MODULES = [
    "queue_server.commands.config_check", "queue_server.commands.catalog",
    "queue_server.commands.server", "queue_server.commands.clients", "queue_server.commands.demo",
    "queue_server.commands.broker_config", "queue_server.commands.bench",
    "queue_server.commands.staff",
    "queue_server.commands.agent",
    "queue_server.commands.simulate",
    "kiosk.command",
    "queue_server.commands.device",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="yichuang", description="一窗 yichuang: service hall software")
    parser.add_argument("--version", action="version", version=f"yichuang {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
