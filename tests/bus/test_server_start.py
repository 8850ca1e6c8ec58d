"""What `yichuang server` with the embedded broker and the console loads and runs: guards of
its light start, without timing (the times are `yichuang bench server`'s, docs/benchmarks.md)."""
from __future__ import annotations

import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from hall.config.hall import load_hall_config
from hall.protocol.client import HallClient, wait_for_server
from queue_server.bench.server import command_line, process_tree
from queue_server.broker import PROGRAMS, free_ports, listening

from bus_helpers import wait_until

COUNTY = Path(__file__).resolve().parents[2] / "firmware_configs" / "sites" / "county.yaml"
# What a hall's first answers never need: spreadsheets (openpyxl, with numpy and Pillow), the
# printer's ESC/POS and QR codes, the catalogue's pinyin search, the reference JSON Schema
# validator (only for a rejected payload), the broker's own code, multiprocessing, the password
# hashing of staff logins (argon2, until the first login).
NOT_AT_START = ("openpyxl", "numpy", "PIL", "escpos", "qrcode", "pypinyin", "jsonschema", "amqtt",
                "multiprocessing", "argon2", "fpdf", "fontTools")


class Server:
    """`yichuang server --config county.yaml` on free ports, imports logged (-X importtime)."""

    def __init__(self, folder: Path, program: str | None = None):
        self.log = folder / "server.log"
        self.broker_port, self.console_port = free_ports(2)
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-X", "importtime", "-m", "queue_server.cli", "server",
                 "--config", str(COUNTY), "--db", str(folder / "hall.sqlite"),
                 "--broker-port", str(self.broker_port), "--console-port", str(self.console_port),
                 *(("--embedded-broker", program) if program else ())],
                stdout=out, stderr=subprocess.STDOUT)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def messages(self) -> str:
        """Its output without the import times."""
        return "\n".join(line for line in self.output().splitlines() if not line.startswith("import time:"))

    def wait_answering(self) -> None:
        """Both first answers: a bus request, and the console's login page."""
        ports = (self.broker_port, self.console_port)
        assert wait_until(lambda: self.process.poll() is not None or all(map(listening, ports)), 30)
        assert self.process.poll() is None, self.messages()[-3000:]
        client = HallClient(load_hall_config(COUNTY).id, "display", "start-test",
                            f"mqtt://127.0.0.1:{self.broker_port}")
        client.start()
        try:
            assert wait_for_server(client, 30), self.messages()[-3000:]
        finally:
            client.stop()
        assert wait_until(self._console_answers, 30), self.messages()[-3000:]

    def _console_answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.console_port}/login", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(15)


@pytest.fixture(params=[None])
def server(tmp_path, request):
    """The server with its default embedded broker, or (parametrized) the program named."""
    running = Server(tmp_path, request.param)
    running.wait_answering()
    yield running
    running.stop()


def imported(importtime_log: str) -> set[str]:
    """Top-level package names of every module the process imported."""
    return {m.group(1).strip().split(".")[0]
            for m in re.finditer(r"^import time:\s+\d+ \|\s+\d+ \| (.+)$", importtime_log, re.MULTILINE)}


def test_serving_the_first_answers_loads_no_module_a_hall_start_does_not_need(server):
    loaded = imported(server.output())
    assert {"aiohttp", "paho", "yaml", "fastjsonschema"} <= loaded   # the log does list the imports
    assert loaded & set(NOT_AT_START) == set()


BROKER_COMMAND = {None: "/usr/sbin/mosquitto -c ", "mosquitto": "/usr/sbin/mosquitto -c ",
                  "amqtt": "-m queue_server.broker_process 127.0.0.1"}


@pytest.mark.parametrize("server", [None, *PROGRAMS], indirect=True)
def test_the_server_is_two_processes_itself_and_its_broker(server, request):
    processes = process_tree(server.process.pid)
    assert len(processes) == 2, [command_line(p) for p in processes]
    assert BROKER_COMMAND[request.node.callspec.params["server"]] in command_line(processes[1])


def _gone(pid: int) -> bool:
    """Ended (a zombie counts: a container's init may never reap the orphan)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


@pytest.mark.parametrize("server", PROGRAMS, indirect=True)
def test_the_broker_ends_and_frees_its_port_when_the_server_is_killed(server):
    broker = process_tree(server.process.pid)[1]
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(10)
    assert wait_until(lambda: _gone(broker), 10)
    assert wait_until(lambda: not listening(server.broker_port), 10)   # a new server can start
