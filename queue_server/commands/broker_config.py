"""`yichuang broker-config CONFIG_FILE --out DIR`: a Mosquitto set-up that enforces the bus ACL.

Writes into DIR:
  mosquitto.conf   listener, TCP_NODELAY, persistence, password and ACL files, no anonymous
  passwd           one account per participant, Mosquitto's PBKDF2-SHA512 format ($7$)
  acl              each account writes only its own requests, status and devices and reads
                   only its own responses; everyone reads states and events; the server all
  secrets          the plain passwords (mode 0600) to copy into each host's broker URL

Passwords already in DIR/secrets are kept, so adding a window does not change the others.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import os
import pwd
import secrets as random_secrets
import sys
from pathlib import Path

from hall.config.hall import ConfigError, load_hall_config
from hall.config.model import HallConfig
from hall.protocol import topics

PBKDF2_ITERATIONS = 101   # what mosquitto_passwd 2.0 writes


def accounts(config: HallConfig) -> list[tuple[str, str]]:
    """(role, id) of everyone who connects: the server, each kiosk/agent host, each window."""
    found = [("server", "main")]
    found += [(host.role, host.id) for host in config.hosts]
    found += [("window", window.id) for window in config.windows]
    return found


def username(role: str, client_id: str) -> str:
    return f"{role}-{client_id}"


def password_hash(password: str, salt: bytes | None = None) -> str:
    """Mosquitto 2.0's `$7$` entry: PBKDF2-HMAC-SHA512, 101 rounds, 12-byte salt, base64."""
    salt = salt or os.urandom(12)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode("utf-8"), salt, PBKDF2_ITERATIONS)
    return f"$7${PBKDF2_ITERATIONS}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def acl_text(config: HallConfig) -> str:
    hall = config.id
    root = f"{topics.ROOT}/{hall}"
    shared = [f"topic read {root}/queue/+/state", f"topic read {root}/window/+/state",
              f"topic read {root}/hall/state", f"topic read {root}/event/#",
              f"topic read {topics.status(hall, 'server', topics.SERVER_ID)}"]
    blocks = [f"# yichuang bus ACL of hall {hall}: written by `yichuang broker-config`; regenerate, do not edit\n"]
    for role, client_id in accounts(config):
        lines = [f"user {username(role, client_id)}"]
        if role == "server":
            lines.append(f"topic readwrite {root}/#")
        else:
            bases = [topics.client_base(hall, role, client_id)]
            if role == "agent":
                # An agent speaks for the windows whose keypads and pads it drives: it sends
                # their requests on their own topics (docs/drivers-window.md).
                bases += [topics.client_base(hall, "window", w.id)
                          for w in config.windows_on_agent(client_id)]
            for base in bases:
                lines += [f"topic write {base}/request/#", f"topic read {base}/response/#",
                          f"topic readwrite {base}/status", f"topic readwrite {base}/devices"]
            lines += shared
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def max_packet_bytes(config: HallConfig) -> int:
    """The largest MQTT packet the broker takes: every message of the contract is a few KB at
    most, and a request up to server.max_payload_bytes gets a clear bad_request; anything
    bigger (a 5 MB "device status") is refused by the broker before anyone reads it."""
    return max(65536, config.server.max_payload_bytes + 4096)


def mosquitto_conf(out: Path, config: HallConfig, port: int, bind: str, user: str | None = None) -> str:
    return "\n".join([
        f"# Mosquitto for yichuang hall {config.id}: written by `yichuang broker-config`.",
        *([f"user {user}"] if user else []),
        "per_listener_settings false",
        f"listener {port} {bind}",
        "set_tcp_nodelay true          # a request/response round trip is 40-90 ms slower without it",
        "allow_anonymous false",
        f"password_file {out / 'passwd'}",
        f"acl_file {out / 'acl'}",
        "persistence true              # retained states and sessions survive a broker restart",
        f"persistence_location {out / 'data'}/",
        "max_queued_messages 10000",
        f"max_packet_size {max_packet_bytes(config)}    # a bigger packet closes its sender's connection",
        "",
    ])


def read_secrets(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = (line.split(":", 1) for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#") and ":" in line)
    return {user.strip(): password.strip() for user, password in pairs}


def write(config: HallConfig, out: Path, *, port: int = 1883, bind: str = "0.0.0.0",
          user: str | None = None) -> dict[str, str]:
    """Write the four files; return username -> password."""
    out = out.resolve()
    (out / "data").mkdir(parents=True, exist_ok=True)
    known = read_secrets(out / "secrets")
    passwords = {username(r, i): known.get(username(r, i)) or random_secrets.token_urlsafe(18)
                 for r, i in accounts(config)}
    _write_private(out / "secrets", "# username:password of each bus account (keep secret)\n"
                   + "".join(f"{user}:{pw}\n" for user, pw in passwords.items()))
    _write_private(out / "passwd", "".join(f"{name}:{password_hash(pw)}\n" for name, pw in passwords.items()))
    (out / "acl").write_text(acl_text(config), encoding="utf-8")
    (out / "mosquitto.conf").write_text(mosquitto_conf(out, config, port, bind, user), encoding="utf-8")
    _share_with_broker(out, user or "mosquitto")
    return passwords


def _share_with_broker(out: Path, user: str) -> None:
    """Mosquitto started as root drops to its own user, which must still read the hashes and
    write its persistence; the plain secrets stay readable by root only."""
    if os.geteuid() != 0:
        return
    try:
        entry = pwd.getpwnam(user)
    except KeyError:
        return
    os.chown(out / "passwd", 0, entry.pw_gid)
    os.chmod(out / "passwd", 0o640)
    os.chown(out / "data", entry.pw_uid, entry.pw_gid)


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, 0o600)   # also when the file existed with wider rights


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "broker-config", help="write a Mosquitto config with accounts and ACL for a hall",
        description="Write mosquitto.conf, passwd, acl and secrets for the hall's bus into DIR.")
    parser.add_argument("config", metavar="CONFIG_FILE", help="hall config file (YAML)")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write into")
    parser.add_argument("--port", type=int, default=1883, help="listener port (default 1883)")
    parser.add_argument("--bind", default="0.0.0.0", help="listener address (default 0.0.0.0)")
    parser.add_argument("--user", help="system user Mosquitto runs as when started by root "
                                       "(default: Mosquitto's own, 'mosquitto')")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        config = load_hall_config(args.config)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    out = Path(args.out)
    passwords = write(config, out, port=args.port, bind=args.bind, user=args.user)
    print(f"wrote {out}/mosquitto.conf, passwd, acl and secrets for {len(passwords)} accounts of hall {config.id}")
    print(f"start:  mosquitto -c {out.resolve()}/mosquitto.conf")
    print(f"each host's broker URL: mqtt://<username>:<password>@<server>:{args.port} (from {out}/secrets)")
    return 0
