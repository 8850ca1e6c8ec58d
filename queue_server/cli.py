"""The `yichuang` command: one entry point, one module per group of subcommands.

Each module in COMMANDS has `register(subparsers)`, which adds its subcommands and sets
`func` on each parser; `func(args)` returns the process exit code. `yichuang COMMAND ...`
imports only the module of COMMAND (a server starts ~0.1 s sooner without the other
commands' imports); `yichuang --help`, or a command line without a known command, imports
them all so that the help lists everything.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from hall import __version__

# Each command and the module that registers it, in the order of the help.
COMMANDS = {
    "config": "queue_server.commands.config_check",
    "catalog": "queue_server.commands.catalog",
    "server": "queue_server.commands.server",
    "ticket": "queue_server.commands.clients",
    "window": "queue_server.commands.clients",
    "watch": "queue_server.commands.clients",
    "demo": "queue_server.commands.demo",
    "broker-config": "queue_server.commands.broker_config",
    "sync": "queue_server.commands.sync",
    "bench": "queue_server.commands.bench",
    "staff": "queue_server.commands.staff",
    "agent": "queue_server.commands.agent",
    "simulate": "queue_server.commands.simulate",
    "plan": "queue_server.commands.plan",
    "face": "queue_server.commands.face",
    "kiosk": "kiosk.command",
    "device": "queue_server.commands.device",
}
COMMAND_MODULES = list(dict.fromkeys(COMMANDS.values()))


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of `command` only, or of every command when it is None or unknown."""
    parser = argparse.ArgumentParser(prog="yichuang", description="一窗 yichuang: service hall software")
    parser.add_argument("--version", action="version", version=f"yichuang {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in [COMMANDS[command]] if command in COMMANDS else COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv[0] if argv else None)
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
