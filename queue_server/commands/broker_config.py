"""`yichuang broker-config CONFIG_FILE --out DIR`: a Mosquitto set-up that enforces the bus ACL.

Writes into DIR:
  mosquitto.conf   listener, TCP_NODELAY, persistence, password and ACL files, no anonymous
  passwd           one account per participant, Mosquitto's PBKDF2-SHA512 format ($7$)
  acl              each account writes only its own requests, status and devices and reads
                   only its own responses; everyone reads states and events; the server all
  secrets          the plain passwords (mode 0600) to copy into each host's broker URL

Passwords already in DIR/secrets are kept, so adding a window does not change the others.

Sync (docs/sync.md). A county with `sync.sites` gets the receiver's account (server-sync,
every `yichuang/sync/#`) and one bridge account per site (bridge-<site>, only its own
`yichuang/sync/<site>/...` topics, each the right way). A site with `sync.county` gets a
bridge to the county's hub in its mosquitto.conf (then written 0600: it holds the bridge's
password, taken from the county's secrets with --county-secrets): persistent session
(cleansession false), QoS 1, its own topics out and in, the line's state as the bridge's
notification on `yichuang/sync/<site>/bridge`, TLS with the hub's CA when `sync.hub_ca` is set.
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
from hall.protocol import sync as sync_contract
from hall.protocol import topics

PBKDF2_ITERATIONS = 101   # what mosquitto_passwd 2.0 writes


def accounts(config: HallConfig) -> list[tuple[str, str]]:
    """(role, id) of everyone who connects: the server, each kiosk/agent host, each window."""
    found = [("server", "main")]
    found += [(host.role, host.id) for host in config.hosts]
    found += [("window", window.id) for window in config.windows]
    if config.sync.sites:
        found.append(("server", "sync"))          # the county receiver (queue_server/sync)
        found += [("bridge", site.id) for site in config.sync.sites]
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
        if (role, client_id) == ("server", "sync"):
            # The county receiver: every site's sync topics and its own status, not the hall.
            lines += [f"topic readwrite {topics.ROOT}/sync/#",
                      f"topic readwrite {topics.status(hall, role, client_id)}"]
        elif role == "server":
            lines.append(f"topic readwrite {root}/#")
            if config.sync.is_site:       # the site link runs in the server (its account)
                lines.append(f"topic readwrite {sync_contract.site_pattern(hall)}")
        elif role == "bridge":
            lines += bridge_acl(client_id)
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


def bridge_acl(site: str) -> list[str]:
    """What a site's bridge may do on the county hub: send its own records, status, acks and
    line notification up; read its own acks and the county's records down. Nothing else:
    a township's account cannot write as a village or read another site's decisions."""
    t = lambda direction: sync_contract.topic(site, direction)
    return [f"topic write {t(d)}" for d in ("up", "status", "down-ack", "bridge")] + \
           [f"topic read {t(d)}" for d in ("ack", "down")]


BRIDGE_TOPICS = (("up", "out"), ("status", "out"), ("down-ack", "out"), ("ack", "in"), ("down", "in"))


def bridge_conf(config: HallConfig, hub: str, password: str) -> list[str]:
    """The bridge of a site's Mosquitto to its county's hub (mosquitto.conf(5), Bridges)."""
    site = config.id
    name = f"bridge-{site}"
    lines = ["", f"# The line to the county {config.sync.county} (docs/sync.md)",
             f"connection {name}", f"address {hub}",
             f"remote_clientid {name}", f"remote_username {name}", f"remote_password {password}",
             "cleansession false            # the hub keeps what is owed to this site while the line is down",
             "bridge_protocol_version mqttv311",
             "notifications true", f"notification_topic {sync_contract.topic(site, 'bridge')}",
             "keepalive_interval 30", "restart_timeout 2 30     # back-off of reconnections, seconds",
             "start_type automatic"]
    if config.sync.hub_ca:
        lines.append(f"bridge_cafile {config.sync.hub_ca}")
    lines += [f"topic {sync_contract.topic(site, d)} {way} 1" for d, way in BRIDGE_TOPICS]
    return lines


def max_packet_bytes(config: HallConfig) -> int:
    """The largest MQTT packet the broker takes: every message of the contract is a few KB at
    most, and a request up to server.max_payload_bytes gets a clear bad_request; anything
    bigger (a 5 MB "device status") is refused by the broker before anyone reads it."""
    synced = config.sync.is_site or bool(config.sync.sites)
    return max(65536, config.server.max_payload_bytes + 4096,
               sync_contract.MAX_MESSAGE_BYTES + 4096 if synced else 0)


def mosquitto_conf(out: Path, config: HallConfig, port: int, bind: str, user: str | None = None,
                   bridge: list[str] = ()) -> str:
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
        *bridge,
        "",
    ])


def read_secrets(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = (line.split(":", 1) for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#") and ":" in line)
    return {user.strip(): password.strip() for user, password in pairs}


def write(config: HallConfig, out: Path, *, port: int = 1883, bind: str = "0.0.0.0",
          user: str | None = None, county_secrets: Path | None = None,
          hub: str | None = None) -> dict[str, str]:
    """Write the four files; return username -> password. A site's bridge takes its
    password from `county_secrets` (the county's secrets file, or one line of it) and goes
    to `hub` (default: the config's sync.hub)."""
    out = out.resolve()
    (out / "data").mkdir(parents=True, exist_ok=True)
    known = read_secrets(out / "secrets")
    passwords = {username(r, i): known.get(username(r, i)) or random_secrets.token_urlsafe(18)
                 for r, i in accounts(config)}
    _write_private(out / "secrets", "# username:password of each bus account (keep secret)\n"
                   + "".join(f"{user}:{pw}\n" for user, pw in passwords.items()))
    _write_private(out / "passwd", "".join(f"{name}:{password_hash(pw)}\n" for name, pw in passwords.items()))
    (out / "acl").write_text(acl_text(config), encoding="utf-8")
    bridge = _bridge(config, county_secrets, hub)
    text = mosquitto_conf(out, config, port, bind, user, bridge)
    if bridge:
        _write_private(out / "mosquitto.conf", text)     # it holds the bridge's password
    else:
        (out / "mosquitto.conf").write_text(text, encoding="utf-8")
    _share_with_broker(out, user or "mosquitto")
    return passwords


class BridgeError(ValueError):
    pass


def _bridge(config: HallConfig, county_secrets: Path | None, hub: str | None) -> list[str]:
    if not config.sync.is_site:
        return []
    name = f"bridge-{config.id}"
    password = read_secrets(county_secrets).get(name) if county_secrets else None
    if not password:
        raise BridgeError(f"the bridge to the county needs the password of {name}: run "
                          f"`yichuang broker-config` on the county's config (its sync.sites lists "
                          f"{config.id}) and pass its secrets file (or the line '{name}:...') "
                          "with --county-secrets FILE")
    return bridge_conf(config, hub or config.sync.hub, password)


def _share_with_broker(out: Path, user: str) -> None:
    """Mosquitto started as root drops to its own user, which must still read the hashes and
    write its persistence; the plain secrets stay readable by root only."""
    if os.geteuid() != 0:
        return
    try:
        entry = pwd.getpwnam(user)
    except KeyError:
        return
    for private in ("passwd", "mosquitto.conf"):
        if (out / private).stat().st_mode & 0o077 == 0:   # a conf with a bridge password
            os.chown(out / private, 0, entry.pw_gid)
            os.chmod(out / private, 0o640)
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
    parser.add_argument("--county-secrets", metavar="FILE", type=Path,
                        help="a site's bridge: the county's secrets file (or its bridge-<site> line)")
    parser.add_argument("--hub", metavar="HOST:PORT",
                        help="a site's bridge: the county hub's address (default: sync.hub)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        config = load_hall_config(args.config)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    out = Path(args.out)
    try:
        passwords = write(config, out, port=args.port, bind=args.bind, user=args.user,
                          county_secrets=args.county_secrets, hub=args.hub)
    except BridgeError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"wrote {out}/mosquitto.conf, passwd, acl and secrets for {len(passwords)} accounts of hall {config.id}")
    print(f"start:  mosquitto -c {out.resolve()}/mosquitto.conf")
    print(f"each host's broker URL: mqtt://<username>:<password>@<server>:{args.port} (from {out}/secrets)")
    return 0
