"""`yichuang staff ...`: staff accounts from the command line, above all the first admin of a
new hall (after that, admins manage accounts in the web console).

    yichuang staff add admin 张管理 --role admin --config hall.yaml      # asks for the password
    yichuang staff list --config hall.yaml
    yichuang staff passwd w3 --config hall.yaml
    yichuang staff disable w3 --config hall.yaml
"""
from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from hall.config.hall import ConfigError, load_hall_config
from hall.words import STAFF_ROLE

from .server import default_db



def register(subparsers) -> None:
    parser = subparsers.add_parser("staff", help="add, list, disable staff accounts",
                                   description="Manage the hall's staff accounts.")
    sub = parser.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    add = _action(sub, "add", "add an account", _add)
    add.add_argument("staff_id", metavar="ID", help="login id (工号)")
    add.add_argument("name", metavar="NAME", help="the person's name")
    add.add_argument("--role", choices=sorted(STAFF_ROLE), default="window")
    _action(sub, "list", "list the accounts", _list)
    for name, helptext, func in (("passwd", "set a new password", _passwd),
                                 ("disable", "stop an account from logging in", _disable),
                                 ("enable", "let a disabled account log in again", _enable)):
        _action(sub, name, helptext, func).add_argument("staff_id", metavar="ID")


def _action(sub, name: str, helptext: str, func):
    parser = sub.add_parser(name, help=helptext)
    parser.add_argument("--config", required=True, metavar="FILE", help="hall config file (YAML)")
    parser.add_argument("--db", metavar="PATH", help="SQLite file (default: from the config)")
    parser.add_argument("--password-stdin", action="store_true",
                        help="read the password from standard input instead of asking")
    parser.set_defaults(func=lambda args: _run(args, func))
    return parser


def _run(args: argparse.Namespace, func) -> int:
    from ..staff import StaffDirectory, StaffError
    from ..store import Store

    try:
        config = load_hall_config(args.config)
    except ConfigError as exc:
        print(f"the hall config has mistakes:\n{exc}", file=sys.stderr)
        return 1
    db = Path(args.db) if args.db else default_db(config)
    db.parent.mkdir(parents=True, exist_ok=True)
    Store(str(db)).close()          # creates and migrates the file when it is new
    staff = StaffDirectory(str(db))
    try:
        return func(args, staff)
    except StaffError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        staff.close()


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise SystemExit("error: the two passwords differ")
    return first


def _add(args, staff) -> int:
    account = staff.add(args.staff_id, args.name, args.role, _password(args))
    print(f"added {account.staff_id} ({STAFF_ROLE[account.role]})")
    return 0


def _list(args, staff) -> int:
    for account in staff.list():
        state = "" if account.active else "  (disabled)"
        print(f"{account.staff_id:<16} {account.name:<10} {STAFF_ROLE[account.role]}{state}")
    return 0


def _passwd(args, staff) -> int:
    staff.set_password(args.staff_id, _password(args))
    print(f"password of {args.staff_id} changed")
    return 0


def _disable(args, staff) -> int:
    staff.set_active(args.staff_id, False)
    print(f"{args.staff_id} can no longer log in")
    return 0


def _enable(args, staff) -> int:
    staff.set_active(args.staff_id, True)
    print(f"{args.staff_id} can log in again")
    return 0
