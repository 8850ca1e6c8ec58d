"""`yichuang bench bus`: how fast the hall bus answers, on each program of the embedded broker.

The server runs as `yichuang server` in its own process with its embedded broker, as on a
single-box hall: a private Mosquitto, or amqtt (`--embedded-broker`), each a child process of the
server; kiosks, windows and a display are HallClients in this process. Three measurements per
broker:
  1. issue round trip (request sent -> ticket received) at a fixed offered rate (50/s);
  2. tickets per second sustained, every kiosk keeping a few requests in flight;
  3. window.call_next sent -> event/call received by a display (what LED and voice act on);
     each window caller runs in its own process, as each is its own device in a hall.
"""
from __future__ import annotations

import argparse
import itertools
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

NAME = "bus"
HELP = "hall bus: issue round trip, tickets/s sustained, call -> event/call latency"
CATEGORIES = ("a", "b", "c", "d")
TARGETS = {"issue_p99_ms": 20.0, "sustained_per_s": 500.0, "call_event_p99_ms": 20.0}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kiosks", type=int, default=10, metavar="N", help="kiosk clients (default 10)")
    parser.add_argument("--windows", type=int, default=4, metavar="M", help="window clients (default 4)")
    parser.add_argument("--broker", choices=("amqtt", "mosquitto", "both"), default="both",
                        help="the embedded broker's program (default: both, one after the other)")
    parser.add_argument("--duration", type=float, default=5.0, metavar="S", help="seconds per measurement (default 5)")
    parser.add_argument("--rate", type=float, default=50.0, help="offered tickets/s for the round trip (default 50)")
    parser.add_argument("--depth", type=int, default=4, help="requests in flight per kiosk when sustained (default 4)")


def hall_yaml(windows: int, kiosks: int) -> str:
    """A hall open day and night with a few 9999-ticket categories, M comprehensive windows
    and N kiosks k1..kN."""
    cats = "\n".join(f"  - {{id: {c}, prefix: {c.upper()}, name: 业务{c.upper()}, daily_cap: 9999}}"
                     for c in CATEGORIES)
    wins = "\n".join(f'  - {{id: "{i}", kind: comprehensive, categories: [a]}}' for i in range(1, windows + 1))
    hosts = "\n".join(f"  - {{id: k{i}, role: kiosk}}" for i in range(1, kiosks + 1))
    return (f"hall:\n  id: bench\n  name: 压测大厅\n  hours: {{open: \"00:00\", close: \"24:00\", "
            f"weekdays: [1, 2, 3, 4, 5, 6, 7], last_ticket_before_close: 0}}\n"
            f"categories:\n{cats}\nwindows:\n{wins}\nhosts:\n{hosts}\n")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def summary(latencies_s: list[float]) -> dict:
    ms = [v * 1000 for v in latencies_s]
    return {"n": len(ms), "p50_ms": statistics.median(ms) if ms else float("nan"),
            "p99_ms": percentile(ms, 0.99), "max_ms": max(ms) if ms else float("nan")}


# -- measurements ----------------------------------------------------------------------------------
def issue_round_trip(kiosks, rate: float, duration: float) -> dict:
    """Open loop: one request every 1/rate s, spread over the kiosks."""
    latencies, failures, lock = [], [], threading.Lock()
    done = threading.Semaphore(0)
    cats = itertools.cycle(CATEGORIES)
    count = int(rate * duration)
    start = time.perf_counter()
    for i in range(count):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        sent = time.perf_counter()

        def answered(data, error, sent=sent):
            with lock:
                (failures.append(error) if error else latencies.append(time.perf_counter() - sent))
            done.release()

        kiosks[i % len(kiosks)].request_async("ticket.issue", {"category": next(cats)}, answered, timeout=10)
    for _ in range(count):
        done.acquire(timeout=15)
    return {**summary(latencies), "errors": len(failures)}


def sustained(kiosks, depth: int, duration: float) -> dict:
    """Closed loop: each kiosk keeps `depth` requests in flight; answers per second."""
    stop_at = time.perf_counter() + duration
    answered, failures, lock = [0], [0], threading.Lock()
    cats = itertools.cycle(CATEGORIES)
    in_flight = threading.Semaphore(0)

    def send(client):
        def done(data, error):
            with lock:
                if time.perf_counter() <= stop_at:
                    answered[0] += 0 if error else 1
                    failures[0] += 1 if error else 0
            if time.perf_counter() < stop_at:
                send(client)
            else:
                in_flight.release()
        client.request_async("ticket.issue", {"category": next(cats)}, done, timeout=10)

    started = time.perf_counter()
    for client in kiosks:
        for _ in range(depth):
            send(client)
    for _ in range(len(kiosks) * depth):
        in_flight.acquire(timeout=15)
    elapsed = min(time.perf_counter(), stop_at) - started
    return {"tickets_per_s": answered[0] / elapsed, "tickets": answered[0], "errors": failures[0]}


def window_caller(url: str, window_id: str, password: str, duration: float, results) -> None:
    """One window caller in its own process, as on a real hall (each window is its own
    device): login, then call_next / finish in a loop; (ticket, time sent) of every call.
    time.perf_counter() is CLOCK_MONOTONIC, one clock for every process of this machine."""
    from hall.protocol.client import HallClient

    client = HallClient("bench", "window", window_id, url, watch=False)
    client.start()
    sent_at: list[tuple[str, float]] = []
    try:
        if not client.wait_connected(10):
            raise RuntimeError(f"window {window_id} did not connect")
        client.request("window.login", {"staff": f"s{window_id}", "password": password}, timeout=10)
        stop_at = time.perf_counter() + duration
        while time.perf_counter() < stop_at:
            sent = time.perf_counter()
            ticket = client.request("window.call_next", timeout=10)["ticket"]["number"]
            sent_at.append((ticket, sent))
            client.request("window.finish", timeout=10)
    finally:
        client.stop()
        results.put(sent_at)


def call_to_event(url: str, windows: int, display, duration: float, password: str) -> dict:
    """M window callers, each in its own process, call and finish back to back; the display
    (this process) stamps each event/call; latency = stamp - the caller's send time."""
    import multiprocessing

    seen: dict[str, float] = {}

    def on_event(name, payload):
        if name == "call" and payload.get("attempt") == 1:
            seen.setdefault(payload.get("ticket"), time.perf_counter())

    display.on_event(on_event)
    spawn = multiprocessing.get_context("spawn")   # no fork of a process with running threads
    results = spawn.Queue()
    callers = [spawn.Process(target=window_caller, args=(url, str(i), password, duration, results))
               for i in range(1, windows + 1)]
    for p in callers:
        p.start()
    sent = [pair for _ in callers for pair in results.get(timeout=duration + 60)]
    for p in callers:
        p.join(10)
    time.sleep(0.2)   # the last events are on their way
    latencies = [seen[ticket] - at for ticket, at in sent if ticket in seen]
    return {**summary(latencies), "lost": len(sent) - len(latencies)}


# -- one broker ------------------------------------------------------------------------------------
def measure(kind: str, args: argparse.Namespace) -> dict:
    from ..broker import free_port, wait_listening
    from ..spawn import spawn_server
    from hall.config.hall import load_hall_config
    from hall.protocol.client import HallClient, wait_for_server
    from ..service import HallService

    password = "bench-pass-1"
    with tempfile.TemporaryDirectory(prefix="yichuang-bench-") as tmp:
        folder = Path(tmp)
        config_path = folder / "hall.yaml"
        config_path.write_text(hall_yaml(args.windows, args.kiosks), encoding="utf-8")
        db = folder / "hall.sqlite"
        service = HallService(load_hall_config(config_path), str(db))
        for i in range(1, args.windows + 1):
            service.staff.add(f"s{i}", "压测员", "window", password)
        service.close()
        port = free_port()
        server = spawn_server(config_path, db, folder / "server.log", "--broker-port", str(port),
                              "--broker-host", "127.0.0.1", "--embedded-broker", kind)
        clients = []
        try:
            if not wait_listening(port, 20):
                raise RuntimeError("the server's embedded broker did not come up")
            url = f"mqtt://127.0.0.1:{port}"
            # kiosks and windows as load generators: on a 2-core box, N clients each decoding
            # every state would measure this process, not the server and the broker
            kiosks = [HallClient("bench", "kiosk", f"k{i}", url, watch=False) for i in range(1, args.kiosks + 1)]
            display = HallClient("bench", "display", "d1", url)
            clients = [*kiosks, display]
            for c in clients:
                c.start()
            if not all(c.wait_connected(10) for c in clients) or not wait_for_server(kiosks[0], 30):
                raise RuntimeError("the server did not answer")
            result = {"issue": issue_round_trip(kiosks, args.rate, args.duration)}
            result["sustained"] = sustained(kiosks, args.depth, args.duration)
            result["call"] = call_to_event(url, args.windows, display, args.duration, password)
            return result
        finally:
            for c in clients:
                c.stop()
            server.terminate()
            server.wait(10)


def report(results: dict, args: argparse.Namespace) -> str:
    lines = [f"yichuang bench bus: {args.kiosks} kiosks, {args.windows} windows, {args.duration:g} s each, "
             f"{platform.node()} ({_cpu()}), load average before: {args.load_before}",
             f"{'broker':<10} {'issue p50':>10} {'issue p99':>10} {'tickets/s':>10} {'call->event p50':>16} "
             f"{'p99':>8} {'errors':>7}"]
    for kind, r in results.items():
        errors = r["issue"]["errors"] + r["sustained"]["errors"] + r["call"]["lost"]
        lines.append(f"{kind:<10} {r['issue']['p50_ms']:>8.2f}ms {r['issue']['p99_ms']:>8.2f}ms "
                     f"{r['sustained']['tickets_per_s']:>10.0f} {r['call']['p50_ms']:>14.2f}ms "
                     f"{r['call']['p99_ms']:>6.2f}ms {errors:>7}")
    lines.append(f"targets: issue p99 <= {TARGETS['issue_p99_ms']:g} ms at {args.rate:g}/s, >= "
                 f"{TARGETS['sustained_per_s']:g} tickets/s on Mosquitto, call->event p99 <= "
                 f"{TARGETS['call_event_p99_ms']:g} ms")
    return "\n".join(lines)


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def run(args: argparse.Namespace) -> int:
    kinds = ("amqtt", "mosquitto") if args.broker == "both" else (args.broker,)
    sys.setswitchinterval(0.0005)   # as the server does: many threads hand messages around
    # other work on this machine changes every figure: the report says how busy it was
    args.load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    results = {}
    for kind in kinds:
        print(f"measuring on {kind} ...", flush=True)
        results[kind] = measure(kind, args)
    print(report(results, args))
    return 0
