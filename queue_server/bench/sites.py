"""`yichuang bench sites`: a county's 200 sites through one Mosquitto hub into one PostgreSQL.

The county side is the real one (bench/county.py): Debian's Mosquitto as the hub, a private
PostgreSQL, the county receiver (queue_server/sync/county.py) in its own process. The sites
are paho clients in a few worker processes, one client per site with the session its bridge
keeps on the hub (client id bridge-<site>, persistent session, QoS 1): each publishes its
day's records (sim/sites.py: applications, ratings, complaints, figures) on
`yichuang/sync/<site>/up`, one record per message, at accelerated time, and takes the
county's acks on `.../ack`; after each send and each ack it reports its backlog on
`.../status`, as the site link does (queue_server/sync/site.py): three messages to the
county per record. 200 site Mosquittos with their bridges would not fit on this
machine; what reaches the hub is the same: one connection per site, the same QoS and topics.

The day's nights are skipped: the replay runs 08:00-18:00 of each site's day, then the next
day (new ids). The rate is ramped: one step per --speed, each step --step-s real seconds
(or --hours of the day), then the acks are awaited. Per step:
- offered and acknowledged messages per second;
- lag, published -> stored in PostgreSQL (the record's received_at - at) and published ->
  ack back at the site: median, p95, p99;
- CPU of the hub, the receiver, PostgreSQL and the sites (percent of one core);
- whether it kept up: every message acknowledged, the ack p99 under LAG_LIMIT_S and the lag
  not growing through the step (the last fifth's median not both twice the first fifth's and
  GROWTH_S more).
The first step beyond the best one kept up that does not keep up is where lag starts to grow.
"""
from __future__ import annotations

import argparse
import json
import statistics
import threading
import time

NAME = "sites"
HELP = "200 sites -> one Mosquitto hub -> one PostgreSQL: messages/s, lag, CPU; ramped"
DAY_FROM, DAY_TO = 8 * 3600.0, 18 * 3600.0      # the part of each day replayed
LAG_LIMIT_S = 1.0
GROWTH_S = 0.2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sites", type=int, default=200, help="sites, the county hall included (default 200)")
    parser.add_argument("--townships", type=int, default=20, help="township centres among them (default 20)")
    parser.add_argument("--speed", default="100,300,1000,2000,4000",
                        help="simulated seconds per real second, one step each (default 100,300,1000,2000,4000)")
    parser.add_argument("--step-s", type=float, default=10.0, help="real seconds per step (default 10)")
    parser.add_argument("--hours", type=float, default=None,
                        help="instead of --step-s: simulated hours each step plays")
    parser.add_argument("--start", default="09:00", help="the hall-local time the replay starts at (default 09:00)")
    parser.add_argument("--workers", type=int, default=4, help="processes holding the site clients (default 4)")
    parser.add_argument("--grace", type=float, default=30.0, help="seconds to wait for a step's acks (default 30)")
    parser.add_argument("--seed", type=int, default=1)


# -- a worker process: some of the sites ------------------------------------------------------------
class _Sites:
    """The paho clients of some sites, their schedule, and the acks they got back."""

    def __init__(self, url: str, sites, seed: int):
        from ..sim.sites import Traffic
        traffic = Traffic(seed)
        self.schedule = sorted(i for s in sites for i in traffic.day(s) if DAY_FROM <= i.t < DAY_TO)
        self.cursor = 0
        self.lock = threading.Lock()
        self.sent: dict[str, float] = {}          # envelope id -> published at (Unix s)
        self.owed = dict.fromkeys((s.id for s in sites), 0)   # per site: sent, not acked
        self.acked: list[tuple[float, float]] = []    # (published at, ack lag s)
        self.subscribed = threading.Semaphore(0)
        self.clients = {s.id: self._client(url, s.id) for s in sites}

    def _client(self, url: str, site: str):
        import paho.mqtt.client as mqtt
        from hall.protocol import sync as contract
        from hall.protocol.connection import _nodelay, parse_broker_url

        address = parse_broker_url(url)
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"bridge-{site}",
                             clean_session=False, protocol=mqtt.MQTTv311)
        client.on_socket_open = _nodelay
        client.on_connect = lambda c, *_: c.subscribe(contract.topic(site, "ack"), 1)
        client.on_subscribe = lambda *_: self.subscribed.release()
        client.on_message = self._on_ack
        client.connect_async(address.host, address.port, keepalive=30)
        client.loop_start()
        return client

    def _on_ack(self, client, _userdata, message) -> None:
        now = time.time()
        ids = json.loads(message.payload)["ids"]
        site = ids[0].split("/", 1)[0] if ids else None
        with self.lock:
            for ident in ids:
                at = self.sent.pop(ident, None)
                if at is not None:
                    self.acked.append((at, now - at))
                    self.owed[site] -= 1
        self._status(client, site)

    def _status(self, client, site: str | None) -> None:
        """The backlog the site link reports after every send and every ack."""
        from hall.protocol import sync as contract
        if site is not None:
            client.publish(contract.topic(site, "status"), json.dumps(
                {"backlog": self.owed[site], "oldest": None}).encode(), qos=1)

    def wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        return all(self.subscribed.acquire(timeout=max(0.0, deadline - time.monotonic()))
                   for _ in self.clients)

    def play(self, real_start: float, r_from: float, r_to: float, speed: float) -> dict:
        """Publish every record due in replay seconds [r_from, r_to) at its moment."""
        from hall.protocol import sync as contract

        span, count, behind = DAY_TO - DAY_FROM, len(self.schedule), 0.0
        sent = 0
        while count:
            day, index = divmod(self.cursor, count)
            item = self.schedule[index]
            r = day * span + item.t - DAY_FROM
            if r >= r_to:
                break
            self.cursor += 1
            if r < r_from:
                continue
            due = real_start + (r - r_from) / speed
            delay = due - time.time()
            if delay > 0:
                time.sleep(delay)
            now = time.time()
            behind = max(behind, now - due)
            env = contract.envelope(item.site, item.kind, f"d{day}.{item.key}", now, item.body)
            with self.lock:
                self.sent[env["id"]] = now
                self.owed[item.site] += 1
            client = self.clients[item.site]
            client.publish(contract.topic(item.site, "up"), contract.encode([env]), qos=1)
            self._status(client, item.site)
            sent += 1
        return {"sent": sent, "behind_s": behind}

    def collect(self, since: float, until: float, deadline: float) -> dict:
        """The acks of what was published in [since, until), awaited until `deadline`."""
        while time.time() < deadline:
            with self.lock:
                if not any(since <= at < until for at in self.sent.values()):
                    break
            time.sleep(0.05)
        with self.lock:
            acked = [(at, lag) for at, lag in self.acked if since <= at < until]
            self.acked = [a for a in self.acked if a[0] >= until]
            unacked = sum(since <= at < until for at in self.sent.values())
        return {"acked": acked, "unacked": unacked}

    def stop(self) -> None:
        for client in self.clients.values():
            client.disconnect()
            client.loop_stop()


def _worker(url: str, sites, seed: int, commands, results) -> None:
    group = _Sites(url, sites, seed)
    results.put(("ready", group.wait_ready(60)))
    try:
        for real_start, r_from, r_to, speed, until, deadline in iter(commands.get, None):
            played = group.play(real_start, r_from, r_to, speed)
            results.put(("step", {**played, **group.collect(real_start, until, deadline)}))
    finally:
        group.stop()


# -- the run ------------------------------------------------------------------------------------
def _quantiles(values: list[float]) -> tuple[float, float, float]:
    if not values:
        return (float("nan"),) * 3
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]
    return pick(0.5), pick(0.95), pick(0.99)


def _growing(acked: list[tuple[float, float]]) -> bool:
    """Whether the lag grew through the step: the last fifth's median more than twice the
    first fifth's and GROWTH_S more (a burst of the day lifts it for a moment only)."""
    if len(acked) < 20:
        return False
    ordered = [lag for _, lag in sorted(acked)]
    fifth = len(ordered) // 5
    first, last = statistics.median(ordered[:fifth]), statistics.median(ordered[-fifth:])
    return last > 2 * first and last > first + GROWTH_S


class Run:
    def __init__(self, args: argparse.Namespace):
        from ..sim.sites import county_sites
        self.args = args
        self.sites = county_sites(args.sites, args.townships, args.seed)
        hours, minutes = (int(x) for x in args.start.split(":"))
        self.r = (hours * 3600 + minutes * 60) - DAY_FROM       # the replay's position
        self.workers, self.commands, self.results = [], [], None

    def start_sites(self, url: str) -> None:
        import multiprocessing
        spawn = multiprocessing.get_context("spawn")
        self.results = spawn.Queue()
        n = max(1, min(self.args.workers, len(self.sites)))
        for k in range(n):
            commands = spawn.Queue()
            process = spawn.Process(target=_worker, args=(url, self.sites[k::n], self.args.seed,
                                                          commands, self.results), daemon=True)
            process.start()
            self.workers.append(process)
            self.commands.append(commands)
        if not all(self.results.get(timeout=120)[1] for _ in self.workers):
            raise RuntimeError("some sites did not connect to the hub")

    def stop_sites(self) -> None:
        for commands in self.commands:
            commands.put(None)
        for process in self.workers:
            process.join(15)
            if process.is_alive():
                process.kill()

    def step(self, county, speed: float) -> dict:
        from .county import cpu_used
        duration = self.args.hours * 3600 / speed if self.args.hours else self.args.step_s
        real_start = time.time() + 0.5
        until = real_start + duration
        deadline = until + self.args.grace
        site_pids = {"sites": [p.pid for p in self.workers]}
        before, t0 = county.cpu(**site_pids), time.time()
        for commands in self.commands:
            commands.put((real_start, self.r, self.r + duration * speed, speed, until, deadline))
        parts = [self.results.get(timeout=duration + self.args.grace + 60)[1] for _ in self.workers]
        wall = time.time() - t0
        cpu = {k: v / wall * 100 for k, v in cpu_used(before, county.cpu(**site_pids)).items()}
        self.r += duration * speed
        acked = [a for p in parts for a in p["acked"]]
        sent = sum(p["sent"] for p in parts)
        unacked = sum(p["unacked"] for p in parts)
        ack = _quantiles([lag for _, lag in acked])
        stored = county.lag(real_start, until)
        growing = _growing(acked)
        kept_up = unacked == 0 and ack[2] <= LAG_LIMIT_S and not growing
        return {"speed": speed, "seconds": duration, "sent": sent, "offered_per_s": sent / duration,
                "acked_per_s": len(acked) / max(duration, max((a + l for a, l in acked), default=0) - real_start),
                "unacked": unacked, "ack": ack, "stored": (stored["p50"], stored["p95"], stored["p99"]),
                "growing": growing, "kept_up": kept_up, "cpu": cpu,
                "behind_s": max(p["behind_s"] for p in parts)}


COLUMNS = ("speed  offered/s  acked/s  unacked | stored in PG p50/p95/p99 ms | ack back p50/p95/p99 ms"
           " | CPU % hub/receiver/postgres/sites | kept up")


def row_line(row: dict) -> str:
    ms = lambda v: f"{v * 1000:6.0f}" if v == v else "     -"
    cpu = row["cpu"]
    return (f"{row['speed']:5g}  {row['offered_per_s']:9.1f}  {row['acked_per_s']:7.1f}  {row['unacked']:7d} |"
            f" {' '.join(ms(v) for v in row['stored'])} | {' '.join(ms(v) for v in row['ack'])} |"
            f" {cpu['mosquitto']:4.0f} {cpu['receiver']:4.0f} {cpu['postgres']:4.0f} {cpu['sites']:4.0f}"
            f" | {'yes' if row['kept_up'] else 'NO' + (' (lag growing)' if row['growing'] else '')}"
            + (f"  [sites {row['behind_s']:.1f} s behind schedule]" if row["behind_s"] > 1 else ""))


def report(rows: list[dict], header: str) -> str:
    lines = [header, "", COLUMNS, *map(row_line, rows)]
    kept = [r for r in rows if r["kept_up"]]
    best = max(kept, key=lambda r: r["acked_per_s"]) if kept else None
    first_bad = next((r for r in rows if not r["kept_up"] and
                      (best is None or r["offered_per_s"] > best["offered_per_s"])), None)
    lines.append("")
    if best:
        lines.append(f"sustained: {best['acked_per_s']:.0f} records/s (a message each, and the "
                     f"site's 2 status reports) with every ack back (p99 {best['ack'][2] * 1000:.0f} ms) "
                     f"at speed {best['speed']:g}")
    if first_bad:
        lines.append(f"lag starts to grow at speed {first_bad['speed']:g}: "
                     f"{first_bad['offered_per_s']:.0f}/s offered, {first_bad['acked_per_s']:.0f}/s acknowledged")
    else:
        lines.append("every step kept up: ramp higher (--speed) to find where lag grows")
    return "\n".join(lines)


def run(args: argparse.Namespace, pg=None) -> int:
    """The ramp; `pg`: a running PrivatePostgres to use instead of a new one (tests)."""
    from ..sim.sites import Traffic
    from .county import CountyRig, machine

    speeds = [float(s) for s in str(args.speed).split(",")]
    run_ = Run(args)
    kinds = {k: sum(s.kind == k for s in run_.sites) for k in ("county", "township", "village")}
    traffic = Traffic(args.seed)
    per_day = sum(len(traffic.day(s)) for s in run_.sites)
    header = (f"{machine()}\n{len(run_.sites)} sites ({kinds['county']} county hall, {kinds['township']} "
              f"townships, {kinds['village']} villages): {per_day} records a day "
              f"({per_day / (DAY_TO - DAY_FROM):.2f}/s over 08:00-18:00); one record per message")
    print(header + "\n" + COLUMNS, flush=True)
    rows = []
    with CountyRig([(s.id, s.kind) for s in run_.sites], pg) as county:
        run_.start_sites(county.url)
        try:
            for speed in speeds:
                rows.append(run_.step(county, speed))
                print(row_line(rows[-1]), flush=True)
                if not rows[-1]["kept_up"] and len(rows) > 1 and not rows[-2]["kept_up"]:
                    break            # two steps past the knee: higher only queues more
        finally:
            run_.stop_sites()
        total = county.stored()
        size = county.query("SELECT pg_total_relation_size('sync_records')")[0][0]
    print(report(rows, header))
    published = sum(r["sent"] for r in rows)
    print(f"records in PostgreSQL: {total} of {published} published (each once: PRIMARY KEY (site, id)); "
          f"{size / 1e6:.1f} MB with their indexes, {size / max(total, 1):.0f} bytes a record")
    return 0 if total == published else 1
