"""Helpers of the hall bus tests (imported by conftest and the test modules)."""
from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import paho.mqtt.client as mqtt

from hall.protocol import topics

from queue_server.spawn import spawn_server

HERE = Path(__file__).parent
HALL_YAML = HERE / "hall.yaml"
PASSWORD = "demo-pass-1"
HALL = "testhall"


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


class RawPeer:
    """A paho client that publishes raw bytes and collects the responses it receives."""

    def __init__(self, broker_url: str, role: str, client_id: str):
        self.base = topics.client_base(HALL, role, client_id)
        self.responses: list[dict] = []
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"raw-{role}-{client_id}")
        self.client.on_message = self._collect
        host, port = broker_url.removeprefix("mqtt://").split(":")
        self.client.connect(host, int(port))
        self.client.subscribe(self.base + "/response/#", qos=1)
        self.client.loop_start()

    def _collect(self, _client, _userdata, message) -> None:
        # amqtt 0.12.1 also hands a new subscriber retained messages of other topics: keep
        # only what came on the response topics
        if message.topic.startswith(self.base + "/response/"):
            self.responses.append(json.loads(message.payload))

    def send(self, action: str, payload: bytes) -> dict:
        before = len(self.responses)
        self.client.publish(f"{self.base}/request/{action}", payload, qos=1)
        assert wait_until(lambda: len(self.responses) > before), f"no answer to {payload[:60]!r}"
        return self.responses[before]

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()
