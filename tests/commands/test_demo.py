"""`yichuang demo` as a newcomer runs it: free ports, a hall that lives, its devices and voice
reachable, a quiet Ctrl-C."""
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from hall.protocol.client import HallClient
from queue_server.commands.demo import demo_config

ROOT = Path(__file__).parents[2]
COUNTY = ROOT / "firmware_configs" / "sites" / "county.yaml"



def demo(tmp_path, *args):
    """The demo in its own process group, as a terminal runs it (Ctrl-C reaches the group)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "queue_server.cli", "demo", "--no-kiosk",
                             "--db", str(tmp_path / "demo" / "hall.sqlite"), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env, process_group=0)


def read_until(proc, pattern, timeout=60):
    """Lines of the demo's output up to the first matching `pattern`, and the match."""
    lines, found = [], threading.Event()
    result = {}

    def reader():
        for line in proc.stdout:
            lines.append(line)
            if (m := re.search(pattern, line)) and not found.is_set():
                result["match"] = m
                found.set()
                return

    threading.Thread(target=reader, daemon=True).start()
    assert found.wait(timeout), "".join(lines)
    return lines, result["match"]


def ctrl_c(proc):
    os.killpg(proc.pid, signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    return out


def test_the_demo_picks_free_ports_lives_and_ends_quietly_on_ctrl_c(tmp_path):
    proc = demo(tmp_path)
    try:
        greeting, living = read_until(proc, r"A living hall: .*windows ([\d, ]+) call")
        text = "".join(greeting)
        broker = re.search(r"YICHUANG_BROKER=(mqtt://127\.0\.0\.1:(\d+))", text)
        console = re.search(r"Web console: http://127\.0\.0\.1:(\d+)", text)
        assert broker and console
        assert broker.group(2) != "1883" and console.group(1) != "8080"
        # every simulated device can be driven, and the greeting says how
        bus = re.search(r"yichuang device sim --port (\S+) press 101 call_next", text)
        assert bus and Path(bus.group(1) + ".ctl").exists()
        assert re.search(r"calls (written as WAV files to \S+|played on the sound card)", text)
        hall = re.search(r"hall (\S+) \(", text).group(1)
        calls, issued = [], []
        watcher = HallClient(hall, "display", "test-demo-watch", broker.group(1))
        watcher.on_event(lambda name, p: (calls if name == "call" else issued).append(p)
                         if name in ("call", "ticket_issued") else None)
        watcher.start()
        started = time.monotonic()
        try:
            assert watcher.wait_connected(10)
            while time.monotonic() - started < 20 and not (calls and issued):
                time.sleep(0.2)
        finally:
            watcher.stop()
        assert issued and calls, "the demo hall did not issue and call tickets within 20 s"
        live = {w.strip() for w in living.group(1).split(",")}
        assert {str(c["window"]) for c in calls} <= live
    finally:
        out = ctrl_c(proc) if proc.poll() is None else proc.stdout.read()
    assert proc.returncode == 0, out
    assert "lost the broker" not in out and "Traceback" not in out, out


def test_a_taken_port_given_by_hand_is_a_clear_error(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = demo(tmp_path, "--broker-port", str(port))
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in out
    assert "leave --broker-port out: the demo picks a free port" in out


def test_the_quiet_hall_stays_empty(tmp_path):
    proc = demo(tmp_path, "--quiet-hall")
    try:
        greeting, _ = read_until(proc, r"^Agent ")
        time.sleep(3)
    finally:
        out = "".join(greeting) + ctrl_c(proc)
    assert proc.returncode == 0
    assert "A living hall" not in out


def test_the_demo_hall_links_its_qr_codes_to_the_console_it_serves():
    assert load_public_url(COUNTY) != "http://127.0.0.1:40001"
    assert demo_config(COUNTY, "http://127.0.0.1:40001").server.public_url == \
        "http://127.0.0.1:40001"


def load_public_url(path):
    from hall.config.hall import load_hall_config
    return load_hall_config(path).server.public_url
