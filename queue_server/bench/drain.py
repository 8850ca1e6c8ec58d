"""`yichuang bench drain`: a busy township's backlog after a day with its line down, drained.

Everything is the real thing: the county (bench/county.py: Mosquitto hub, PostgreSQL, the
county receiver in its own process); the township's HallService with its outbox in SQLite,
its SiteLink (queue_server/sync/site.py), its own Mosquitto from `broker-config` bridged to
the hub through a line that is cut and restored (sim/line.py, a TCP relay). One run:

1. the line is up, the bridge connected; then the line is cut;
2. the outage: each of its --hours, the township's records of that hour (sim/sites.py, a
   township --size times the example centre) go into its outbox, as its service puts them.
   The link, told by its bridge that the line is down, sends nothing: the records wait in
   the outbox, not in its Mosquitto's queue for the bridge (before sync 2a54e0f every try
   waited there, and crossed the line after it: docs/scaling.md);
3. the line is restored: measured from then, the bridge's connection (the township's
   Mosquitto notifies it), then from that the last record stored at the county and the last
   ack back in the township's outbox; and the envelopes that reached the hub (the copies).

The records per second are the day's records over the time from the bridge's connection to
the township's backlog 0. Every record must be at the county once.
"""
from __future__ import annotations

import argparse
import getpass
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

NAME = "drain"
HELP = "a busy township's backlog after a 24-hour outage: how long until the county has it all"
ROOT = Path(__file__).resolve().parents[2]
TOWNSHIP = ROOT / "firmware_configs" / "sites" / "township.yaml"
POLL_S = 0.02


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--size", type=float, default=3.0,
                        help="the township's arrivals, times the example centre's (default 3; "
                             "bench sites' townships are 0.5-1.5)")
    parser.add_argument("--hours", type=int, default=24, help="hours the line is down (default 24)")
    parser.add_argument("--runs", type=int, default=3, help="outages, one after the other (default 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds a drain may take (default 300)")


def wait_until(check, timeout: float, what: str) -> float:
    """The moment (Unix s) `check()` first held; RuntimeError after `timeout`."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(POLL_S)
    return time.time()


class Copies:
    """Counts the envelopes (and bytes) of a site reaching the hub on its up topic, copies
    included: what crossed the line."""

    def __init__(self, url: str, site: str):
        import paho.mqtt.client as mqtt
        from hall.protocol import sync as contract
        from hall.protocol.connection import parse_broker_url

        self.count = self.bytes = 0
        ready = threading.Event()
        address = parse_broker_url(url)
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        self.client.on_connect = lambda c, *_: c.subscribe(contract.topic(site, "up"), 1)
        self.client.on_subscribe = lambda *_: ready.set()
        self.client.on_message = self._count
        self.client.connect(address.host, address.port)
        self.client.loop_start()
        if not ready.wait(10):
            raise RuntimeError("the copy counter did not subscribe on the hub")

    def _count(self, _client, _userdata, message) -> None:
        value = json.loads(message.payload)
        self.count += len(value) if isinstance(value, list) else 1
        self.bytes += len(message.payload)

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


class Township:
    """The township's server side: HallService, its Mosquitto bridged to the hub over a line
    that can be cut, and its SiteLink."""

    def __init__(self, folder: Path, county_port: int, county: str):
        from hall.config.hall import load_hall_config
        from ..broker import MosquittoBroker, free_port
        from ..service import HallService
        from ..sim.line import TcpRelay
        from ..sync.site import SiteLink

        self.line = TcpRelay(county_port)
        config_file = self._config(folder, county)
        config = load_hall_config(config_file)
        self.id = config.id
        port = free_port()
        passwords = self._broker_config(folder, config_file, port)
        self.broker = MosquittoBroker(port, config=folder / "mqtt" / "mosquitto.conf").start()
        self.service = HallService(config, str(folder / "township.sqlite"))
        url = f"mqtt://server-main:{passwords['server-main']}@127.0.0.1:{port}"
        self.link = SiteLink(self.service, url).start()

    def _config(self, folder: Path, county: str) -> Path:
        """The example township, synced with the bench's county through the line (plain TCP)."""
        import yaml
        data = yaml.safe_load(TOWNSHIP.read_text(encoding="utf-8"))
        data["sync"] = {"county": county, "hub": self.line.address}
        path = folder / "township.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return path

    def _broker_config(self, folder: Path, config_file: Path, port: int) -> dict[str, str]:
        """The township's Mosquitto as an operator makes it: `yichuang broker-config`."""
        secrets = folder / "county-secrets"          # the hub takes anyone: any password will do
        secrets.write_text(f"bridge-{self.id}:bench\n")
        done = subprocess.run(
            [sys.executable, "-m", "queue_server.cli", "broker-config", str(config_file),
             "--out", str(folder / "mqtt"), "--port", str(port), "--bind", "127.0.0.1",
             "--user", getpass.getuser(), "--county-secrets", str(secrets)],
            capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
        if done.returncode != 0:
            raise RuntimeError(f"broker-config failed: {done.stderr.strip()}")
        lines = (folder / "mqtt" / "secrets").read_text().splitlines()
        return dict(line.split(":", 1) for line in lines if line and not line.startswith("#"))

    def backlog(self) -> int:
        from ..outbox import Outbox
        from ..sync.site import COUNTY
        with self.service.exclusive() as store:
            return Outbox(store.db).backlog(COUNTY)["count"]

    def owe(self, items, prefix: str) -> None:
        with self.service.exclusive():
            for item in items:
                self.service.sync.owe(item.kind, f"{prefix}{item.key}", item.body)

    def stop(self) -> None:
        self.link.stop()
        self.service.close()
        self.broker.stop()
        self.line.close()


def outage(county, township: Township, items, hours: int, prefix: str) -> dict:
    """The line cut through `hours` of the township's day, its records owed hour by hour."""
    wait_until(lambda: township.link.line == "up", 60, "the township's bridge")
    township.line.cut()
    wait_until(lambda: township.link.line == "down", 60, "the township to see the cut")
    day_from = 8 * 3600.0
    for hour in range(hours):
        start = day_from + hour * 3600
        township.owe([i for i in items if start <= i.t < start + 3600], prefix)
    time.sleep(2 * township.link.interval_s)     # the link's rounds: it must send nothing now
    return {"records": township.backlog()}


def drain(county, township: Township, records: int, prefix: str, timeout: float) -> dict:
    """Restore the line; when the bridge connected, the county had it all, the acks were back."""
    copies = Copies(county.url, township.id)
    stored = lambda: county.query("SELECT count(*) FROM sync_records WHERE site = %s AND id LIKE %s",
                                  [township.id, f"{township.id}/%/{prefix}%"])[0][0]
    try:
        restored = time.time()
        township.line.mend()
        # the township's Mosquitto says "1" the moment its bridge connects (the county hears
        # it too, but may take it after the copies queued before it)
        connected = wait_until(lambda: township.link.line == "up", timeout, "the bridge's connection")
        at_county = wait_until(lambda: stored() >= records, timeout, "every record at the county")
        acked = wait_until(lambda: township.backlog() == 0, timeout, "every ack at the township")
        time.sleep(1.0)                               # late copies would land now
        return {"connect_s": connected - restored, "county_s": at_county - connected,
                "acked_s": acked - connected, "stored": stored(), "copies": copies.count,
                "megabytes": copies.bytes / 1e6,
                "per_s": records / max(acked - connected, 1e-6),
                "envelopes_per_s": copies.count / max(acked - connected, 1e-6)}
    finally:
        copies.stop()


def run(args: argparse.Namespace, pg=None) -> int:
    """The runs; `pg`: a running PrivatePostgres to use instead of a new one (tests)."""
    from hall.config.hall import load_hall_config
    from ..sim.sites import Site, Traffic
    from .county import COUNTY, CountyRig, machine

    site_id = load_hall_config(TOWNSHIP).id
    items = Traffic(args.seed).day(Site(site_id, "township", args.size))
    print(f"{machine()}\na township {args.size:g} times the example centre: {len(items)} records a "
          f"day; line down {args.hours} h", flush=True)
    rows, bad = [], 0
    with CountyRig([(site_id, "township")], pg) as county, \
            tempfile.TemporaryDirectory(prefix="yichuang-bench-drain-") as tmp:
        for n in range(args.runs):
            folder = Path(tmp) / f"run{n}"
            folder.mkdir()
            township = Township(folder, county.hub.port, COUNTY)
            try:
                prefix = f"r{n}."
                before = outage(county, township, items, args.hours, prefix)
                row = {**before, **drain(county, township, before["records"], prefix, args.timeout)}
            finally:
                township.stop()
            bad += row["stored"] != row["records"]
            rows.append(row)
            print(f"run {n + 1}: {row['records']} records ({row['copies']} envelopes, "
                  f"{row['megabytes']:.1f} MB, crossed the line after it came back); bridge connected "
                  f"{row['connect_s']:.1f} s after the line; then all at the county in "
                  f"{row['county_s']:.2f} s, every ack back in {row['acked_s']:.2f} s "
                  f"({row['per_s']:.0f} records/s, {row['envelopes_per_s']:.0f} envelopes/s); stored once: "
                  f"{row['stored']}", flush=True)
    med = lambda key: statistics.median(r[key] for r in rows)
    print(f"median of {len(rows)}: all at the county {med('county_s'):.2f} s and every ack back "
          f"{med('acked_s'):.2f} s after the bridge connected ({med('per_s'):.0f} records/s); "
          f"the bridge connected {med('connect_s'):.1f} s after the line came back")
    return 1 if bad else 0
