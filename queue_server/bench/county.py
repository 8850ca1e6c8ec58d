"""The county side of the sync benchmarks (`bench sites`, `bench drain`), on this machine.

    with CountyRig(site_ids) as county:      # hub, PostgreSQL, receiver: all on free ports
        county.url                           # the hub, for the sites
        before = county.cpu()                # CPU seconds so far of mosquitto, receiver, postgres
        cpu_used(before, county.cpu())       # ... and used in between, by each
        county.stored(), county.lag(a, b)    # what reached PostgreSQL, and how late

The hub is Debian's Mosquitto (broker.MosquittoBroker), PostgreSQL a private server
(sync.pg_server.PrivatePostgres) and the receiver the county's own (sync.county.CountyReceiver)
in a process of its own, as it runs in production: its CPU is measured apart from the
load generator's.
"""
from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

from .server import cpu_s, process_tree

COUNTY = "bench-county"


def _receive(dsn: str, url: str, ready, stop) -> None:
    """The receiver process: CountyReceiver until `stop` is set."""
    from queue_server.sync.county import CountyReceiver
    from queue_server.sync.county_store import CountyStore

    receiver = CountyReceiver(CountyStore(dsn), url, county=COUNTY).start()
    if receiver.wait_connected(20):
        ready.set()
    stop.wait()
    receiver.stop()


def _wait_online(url: str, timeout: float) -> bool:
    """Until the receiver says "online" on its retained status: it does so once the hub has
    confirmed its subscriptions, so no site's first records go unheard."""
    import json
    import threading
    import paho.mqtt.client as mqtt
    from hall.protocol import topics
    from hall.protocol.connection import parse_broker_url

    online = threading.Event()
    address = parse_broker_url(url)
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    client.on_connect = lambda c, *_: c.subscribe(topics.status(COUNTY, "server", "sync"), 1)
    client.on_message = lambda _c, _u, m: json.loads(m.payload).get("state") == "online" and online.set()
    client.connect(address.host, address.port)
    client.loop_start()
    try:
        return online.wait(timeout)
    finally:
        client.disconnect()
        client.loop_stop()


class CountyRig:
    def __init__(self, sites: list[tuple[str, str]], pg=None):
        """`sites`: (id, kind) of every site the county knows. `pg`: a running PrivatePostgres
        to use (a new database in it; the tests' server), else one of its own."""
        self.sites = sites
        self.hub = self.receiver = self._stop = None
        self.pg, self._own_pg = pg, pg is None
        self.dsn = self._conn = None

    @property
    def url(self) -> str:
        return self.hub.url

    def start(self) -> "CountyRig":
        from ..broker import MosquittoBroker, free_port
        from ..sync.county_store import CountyStore
        from ..sync.pg_server import PrivatePostgres

        if self._own_pg:
            self.pg = PrivatePostgres().start()
            self.dsn = self.pg.dsn
        else:
            self.dsn = self.pg.create_database(f"bench_{os.getpid()}_{int(time.time() * 1000)}")
        store = CountyStore(self.dsn)
        try:
            store.create()
            for site, kind in self.sites:
                store.add_site(site, kind)
        finally:
            store.close()
        self.hub = MosquittoBroker(free_port()).start()
        spawn = multiprocessing.get_context("spawn")
        ready, self._stop = spawn.Event(), spawn.Event()
        self.receiver = spawn.Process(target=_receive, args=(self.dsn, self.url, ready, self._stop),
                                      name="county-receiver", daemon=True)
        self.receiver.start()
        if not (ready.wait(30) and _wait_online(self.url, 30)):
            raise RuntimeError("the county receiver did not connect to the hub")
        return self

    def stop(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self.receiver is not None:
            self._stop.set()
            self.receiver.join(15)
            if self.receiver.is_alive():
                self.receiver.kill()
        if self.hub is not None:
            self.hub.stop()
        if self.pg is not None and self._own_pg:
            self.pg.remove()

    def __enter__(self) -> "CountyRig":
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()

    # ------------------------------------------------------------ measuring
    def pids(self) -> dict[str, list[int]]:
        postmaster = int((Path(self.pg.folder) / "data" / "postmaster.pid").read_text().split()[0])
        return {"mosquitto": [self.hub._process.pid], "receiver": [self.receiver.pid],
                "postgres": process_tree(postmaster)}

    def cpu(self, **more: list[int]) -> dict[str, dict[int, float]]:
        """CPU seconds (user + system) used so far by each process of the hub, the receiver,
        PostgreSQL, and of any `more` group (name=[pids])."""
        return {name: {pid: _cpu_or_zero(pid) for pid in pids}
                for name, pids in {**self.pids(), **more}.items()}

    def query(self, sql: str, args: list | None = None) -> list[tuple]:
        """A read of the county store, on the rig's own connection (polled often)."""
        import psycopg
        if self._conn is None:
            self._conn = psycopg.connect(self.dsn, autocommit=True)
        return self._conn.execute(sql, args or []).fetchall()

    def stored(self, site: str | None = None) -> int:
        """Records in PostgreSQL (of one site, or all)."""
        return self.query("SELECT count(*) FROM sync_records WHERE %s::text IS NULL OR site = %s",
                          [site, site])[0][0]

    def lag(self, since: float, until: float) -> dict:
        """Publish -> stored in PostgreSQL (received_at - at, the site's `at` being the moment
        it published) of the records published in [since, until): median, p95, p99 (s)."""
        row = self.query(
            "SELECT count(*), percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP "
            "(ORDER BY received_at - at) FROM sync_records WHERE at >= %s AND at < %s",
            [since, until])[0]
        p = row[1] or [float("nan")] * 3
        return {"n": row[0], "p50": p[0], "p95": p[1], "p99": p[2]}


def cpu_used(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds each group used between two `cpu()` snapshots (a process that ended in
    between is not counted; one that started counts from its start)."""
    return {name: sum(s - before.get(name, {}).get(pid, 0.0) for pid, s in pids.items())
            for name, pids in after.items()}


def _cpu_or_zero(pid: int) -> float:
    try:
        return cpu_s(pid)
    except OSError:          # a PostgreSQL helper that ended meanwhile
        return 0.0


def machine() -> str:
    """The line every report starts with: CPU, cores, load, date."""
    from .server import _cpu
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"machine: {_cpu()}, {os.cpu_count()} cores; load average {load}; "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
