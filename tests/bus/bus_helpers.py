"""Helpers of the hall bus tests (imported by conftest and the test modules)."""
from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from queue_server.spawn import spawn_server

HERE = Path(__file__).parent
HALL_YAML = HERE / "hall.yaml"
PASSWORD = "demo-pass-1"


def wait_until(check, timeout: float = 10.0, step: float = 0.02):
    """Poll check() until it returns something truthy; that value, or None on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(step)
    return None


class ServerProcess:
    """`yichuang server` as a child process, to be killed like a real one."""

    def __init__(self, broker_url: str, db: Path, config: Path = HALL_YAML):
        self.config, self.db, self.broker_url = config, db, broker_url
        self.log = db.with_suffix(".log")
        self.process = None

    def start(self) -> None:
        self.process = spawn_server(self.config, self.db, self.log, "--broker", self.broker_url)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> str:
        """Stop it; its output (for an assertion message)."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
