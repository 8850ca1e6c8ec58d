"""`yichuang bench server`: how soon `yichuang server` answers after launch, and its memory.

Each run launches `yichuang server --config <county example> --db <tmp>` with the embedded
broker (its default program, or the one --embedded-broker names) and the web console on free
ports (never 1883/8080) and measures, from the moment
before the process is launched:
- bus: the first answer to a `ticket.lookup` (sent once the server's retained status says
  online; a lookup of a number that cannot exist, so any answer proves the server serves);
- http: the first 200 of the console's login page;
- the CPU time (user + system) its processes had used by then: what the start costs,
  nearly independent of what else the machine is doing, unlike the times above;
then, once both answered and 0.5 s later, the memory of every process of the server (the
process and its descendants): RSS summed (what `ps` shows; counts the shared pages of each
process again), and PSS summed (shared pages split between the processes that share them),
the fairer total. Targets (issue 12): both answers within 1.0 s, RSS sum at most 70 MB.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from ..broker import PROGRAMS, default_program, free_ports, wait_listening
from .search import _quantile

NAME = "server"
HELP = "yichuang server: launch -> first bus and HTTP answers, memory of its processes"
DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "firmware_configs" / "sites" / "county.yaml"
TARGET_S = 1.0
TARGET_MB = 70.0
POLL_S = 0.01


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", type=int, default=5, help="server launches (default 5)")
    parser.add_argument("--config", default=str(DEFAULT_CONFIG), metavar="FILE",
                        help="hall config (default: the shipped county example)")
    parser.add_argument("--embedded-broker", choices=PROGRAMS,
                        help="the server's broker program (default: the server's own default)")


# -- processes, from /proc --------------------------------------------------------------------
def process_tree(pid: int) -> list[int]:
    """pid and all its living descendants, parents first."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop(0)
        tree.append(current)
        todo.extend(sorted(children.get(current, ())))
    return tree


def command_line(pid: int) -> str:
    raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()


def _kib(path: str, field: str) -> int:
    for line in Path(path).read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def cpu_s(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of one process in MB."""
    return (_kib(f"/proc/{pid}/status", "VmRSS") / 1024,
            _kib(f"/proc/{pid}/smaps_rollup", "Pss") / 1024)


def _role(pid: int, root: int) -> str:
    line = command_line(pid)
    if pid == root:
        return "server (main)"
    if "resource_tracker" in line:
        return "multiprocessing resource tracker"
    if "mosquitto" in line:
        return "broker child (mosquitto)"
    if "broker" in line or "multiprocessing" in line:
        return "broker child (amqtt)"
    return line[:60]


# -- one launch -------------------------------------------------------------------------------
def _first_bus_answer(hall: str, port: int, deadline: float) -> float | None:
    from hall.protocol.client import HallClient, RequestError

    # connect once the broker listens: paho retries a refused connection only after 0.2 s
    if not wait_listening(port, deadline - time.monotonic()):
        return None
    client = HallClient(hall, "display", "bench-server", f"mqtt://127.0.0.1:{port}")
    client.start()
    try:
        if not client.wait_server(True, deadline - time.monotonic()):
            return None
        try:
            client.request("ticket.lookup", {"number": "Z99999"}, timeout=deadline - time.monotonic())
        except RequestError as exc:
            if exc.code == "timeout":
                return None
        return time.perf_counter()
    finally:
        client.stop()


def _first_http_200(port: int, deadline: float) -> float | None:
    url = f"http://127.0.0.1:{port}/login"
    if not wait_listening(port, deadline - time.monotonic()):
        return None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return time.perf_counter()
        except OSError:
            pass
        time.sleep(POLL_S)
    return None


def _launch(config: Path, hall: str, folder: Path, program: str | None, timeout: float = 30.0) -> dict:
    broker_port, console_port = free_ports(2)
    args = [sys.executable, "-m", "queue_server.cli", "server", "--config", str(config),
            "--db", str(folder / "hall.sqlite"), "--broker-port", str(broker_port),
            "--console-port", str(console_port), *(("--embedded-broker", program) if program else ())]
    times: dict[str, float | None] = {}
    deadline = time.monotonic() + timeout
    with open(folder / "server.log", "ab") as log:
        start = time.perf_counter()
        server = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    try:
        http = threading.Thread(target=lambda: times.__setitem__(
            "http", _first_http_200(console_port, deadline)))
        http.start()
        times["bus"] = _first_bus_answer(hall, broker_port, deadline)
        http.join()
        if None in times.values() or server.poll() is not None:
            raise RuntimeError("the server did not answer; its output:\n"
                               + (folder / "server.log").read_text(errors="replace")[-2000:])
        cpu = sum(cpu_s(pid) for pid in process_tree(server.pid))
        time.sleep(0.5)   # settled: whatever it does once ready is counted too
        processes = {pid: (_role(pid, server.pid), *memory_mb(pid)) for pid in process_tree(server.pid)}
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return {"bus": times["bus"] - start, "http": times["http"] - start, "cpu": cpu, "processes": processes}


# -- report -----------------------------------------------------------------------------------
def _line(label: str, values: list[float], unit: str, fmt: str = "{:.2f}") -> str:
    return (f"{label:<34} median {fmt.format(statistics.median(values))} {unit}   "
            f"p90 {fmt.format(_quantile(values, 0.9))} {unit}   "
            f"max {fmt.format(max(values))} {unit}")


def _cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.machine()


def run(args: argparse.Namespace) -> int:
    from hall.config.hall import load_hall_config

    config = Path(args.config).resolve()
    hall = load_hall_config(config).id
    load = os.getloadavg()[0]
    print(f"machine: {_cpu()}, {os.cpu_count()} cores, "
          f"python {platform.python_version()}; date {time.strftime('%Y-%m-%d %H:%M %Z')}; "
          f"1-minute load {load:.1f}; {args.runs} launches of {config.name}, embedded broker "
          f"{args.embedded_broker or default_program()}", flush=True)
    runs = []
    with tempfile.TemporaryDirectory(prefix="yichuang-bench-server-") as tmp:
        for n in range(args.runs):
            folder = Path(tmp) / f"run{n}"
            folder.mkdir()
            result = _launch(config, hall, folder, args.embedded_broker)
            rss = sum(p[1] for p in result["processes"].values())
            pss = sum(p[2] for p in result["processes"].values())
            runs.append({**result, "rss": rss, "pss": pss})
            print(f"run {n + 1}: bus {result['bus']:.2f} s, http {result['http']:.2f} s, "
                  f"CPU {result['cpu']:.2f} s, "
                  f"{len(result['processes'])} processes, RSS {rss:.0f} MB, PSS {pss:.0f} MB", flush=True)
    print(_line("launch -> first bus answer", [r["bus"] for r in runs], "s"))
    print(_line("launch -> first HTTP 200", [r["http"] for r in runs], "s"))
    print(_line("CPU time used until both answered", [r["cpu"] for r in runs], "s"))
    print(_line("RSS, all processes", [r["rss"] for r in runs], "MB", "{:.0f}"))
    print(_line("PSS, all processes", [r["pss"] for r in runs], "MB", "{:.0f}"))
    roles = sorted({p[0] for r in runs for p in r["processes"].values()})
    for role in roles:
        rss = [sum(p[1] for p in r["processes"].values() if p[0] == role) for r in runs]
        pss = [sum(p[2] for p in r["processes"].values() if p[0] == role) for r in runs]
        print(f"  {role:<32} RSS median {statistics.median(rss):.0f} MB, PSS median {statistics.median(pss):.0f} MB")
    slowest = max(statistics.median([r["bus"] for r in runs]), statistics.median([r["http"] for r in runs]))
    rss = statistics.median([r["rss"] for r in runs])
    met = slowest <= TARGET_S and rss <= TARGET_MB
    print(f"targets: first answers <= {TARGET_S:.1f} s (median {slowest:.2f} s), RSS sum <= "
          f"{TARGET_MB:.0f} MB (median {rss:.0f} MB): {'met' if met else 'NOT met'}")
    return 0 if met else 1
