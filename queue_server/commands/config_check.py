"""`yichuang config check FILE...`: check hall config files and point at every mistake.

Exit code 0 when every file is fine (one summary line each), 1 when any file has a problem
(every problem printed as file:line: message, with a hint below it). Warnings (a `public_url`
that cannot be this console's address) are printed below the summary and keep exit code 0:
the file may be meant for another machine.
"""
from __future__ import annotations

import argparse
import ipaddress
import socket
from urllib.parse import urlsplit

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


def is_local_address(ip: str) -> bool:
    """True when this machine has the address (only a local address can be bound)."""
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((ip, 0))
        return True
    except OSError:
        return False


def public_url_warnings(config: HallConfig, is_local=is_local_address) -> list[str]:
    """Why the tickets' QR codes (server.public_url) cannot reach this console, if they can't."""
    server = config.server
    url = urlsplit(server.public_url)
    out = []
    try:
        ip = str(ipaddress.ip_address(url.hostname or ""))
    except ValueError:
        ip = ""                          # a name: resolved by the phones' DNS, not checked here
    if ip and not is_local(ip):
        out.append(f"public_url {server.public_url}: {ip} is not an address of this machine, "
                   f"so the QR codes on tickets lead nowhere if the console runs here "
                   f"(set it to the address phones reach this machine at)")
    elif ip and server.console_host not in ("0.0.0.0", "::", "") and ip != server.console_host:
        out.append(f"public_url {server.public_url}: the console listens on "
                   f"{server.console_host} only, not on {ip}")
    if url.port is not None and url.port != server.console_port:
        out.append(f"public_url {server.public_url}: port {url.port}, but the console listens "
                   f"on {server.console_port} (fine only behind a proxy that forwards it)")
    return out


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
        for warning in public_url_warnings(config):
            print(f"{path}: warning: {warning}")
    if bad_files:
        print(f"{problems} problem(s) in {bad_files} of {len(args.files)} file(s)")
        return 1
    return 0
