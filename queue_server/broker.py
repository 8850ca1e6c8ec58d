"""MQTT brokers the project starts itself.

EmbeddedBroker: amqtt (pure Python) in a child process, for a single-box hall and the demo. MosquittoBroker: /usr/sbin/mosquitto as a child process, for
tests and benchmarks (production runs Mosquitto as a system service, see
`yichuang broker-config`).
"""
from __future__ import annotations

import errno
import ipaddress
import logging
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

log = logging.getLogger(__name__)


CHILD = "queue_server.broker_process"   # the broker process's module: imports only amqtt


class BrokerError(RuntimeError):
    pass


def port_taken_message(host: str, port: int, option: str = "--broker-port") -> str:
    return (f"port {port} on {host} is already in use (another MQTT broker such as a system "
            f"Mosquitto, or a second yichuang?). Choose a free port with {option} N.")


def check_port_free(host: str, port: int, option: str = "--broker-port") -> None:
    """Raise BrokerError with a helpful message if host:port cannot be listened on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise BrokerError(port_taken_message(host, port, option)) from None
            raise BrokerError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def free_ports(count: int, host: str = "127.0.0.1") -> list[int]:
    """`count` different free ports (free_port() twice may give the same one twice)."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind((host, 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def wait_listening(host: str, port: int, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.02)
    return False


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


class EmbeddedBroker:
    """amqtt on host:port, anonymous, in a child process of its own.

    Loopback only: it has no accounts and no ACL, so on the hall's network anyone could read
    the ID numbers in kiosk requests and the staff passwords of window logins, and pose as
    any window or as the server. A hall whose kiosks and windows are other machines runs
    Mosquitto with the accounts and ACL of `yichuang broker-config` (docs/security.md).

    Not a thread of the server: amqtt is pure Python, so inside the server's process every
    message it routes would wait for the server's interpreter lock and the server for it
    (call -> display event p99 was 32 ms that way, docs/bench/bus.md). The child watches
    its parent and exits when the parent is gone, even after a SIGKILL.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 1883, *, port_option: str = "--broker-port"):
        if not is_loopback(host):
            raise BrokerError(
                f"the embedded broker has no passwords, so it listens only on this machine "
                f"(127.0.0.1), not on {host or 'every address'}. For kiosks and windows on other "
                f"machines run Mosquitto with `yichuang broker-config` and start the server with "
                f"--broker mqtt://server-main:PASSWORD@127.0.0.1:1883 (docs/deployment.md)")
        self.host, self.port, self._port_option = host, port, port_option
        self._process: subprocess.Popen | None = None
        self._ready: int | None = None     # the pipe end the launched child reports to

    @property
    def url(self) -> str:
        return f"mqtt://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> "EmbeddedBroker":
        return self.launch().wait_ready(timeout)

    def launch(self) -> "EmbeddedBroker":
        """Start the broker process and return at once (BrokerError if the port is taken):
        the caller can go on with its own start while the child imports amqtt; then
        wait_ready()."""
        check_port_free(self.host, self.port, self._port_option)
        # A plain child Python running this module: multiprocessing's "spawn" would also start
        # its resource tracker, a third process that does nothing here (12 MB), and "fork"
        # would copy the server's threads. The child reports through a pipe of its own.
        self._ready, report = os.pipe()
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", CHILD, self.host, str(self.port), str(report), str(os.getpid())],
                stdin=subprocess.DEVNULL, pass_fds=(report,), env={**os.environ, "PYTHONPATH": _code_path()})
        except BaseException:
            self._close_ready()
            raise
        finally:
            os.close(report)
        return self

    def wait_ready(self, timeout: float = 10.0) -> "EmbeddedBroker":
        """Wait until the launched broker serves; BrokerError (and the process ended) if not."""
        try:
            failure = _read_report(self._ready, str(self.port), timeout)
        finally:
            self._close_ready()
        if failure:
            self.stop()
            raise BrokerError(f"the embedded broker could not start on {self.host}:{self.port}: {failure}")
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """End the broker process; its clients see the connection drop, as with any broker."""
        self._close_ready()
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def _close_ready(self) -> None:
        if self._ready is not None:
            os.close(self._ready)
            self._ready = None

    def __enter__(self) -> "EmbeddedBroker":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _code_path() -> str:
    """PYTHONPATH for the child: this code first, whatever the parent's own PYTHONPATH was."""
    here = str(Path(__file__).resolve().parents[1])
    return os.pathsep.join(filter(None, (here, os.environ.get("PYTHONPATH"))))


def _read_report(fd: int, ready: str, timeout: float) -> str:
    """"" once the child reported `ready` (the port it serves on); else why it did not start."""
    deadline, got = time.monotonic() + timeout, b""
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return f"no answer within {timeout:.0f} s"
        chunk = os.read(fd, 4096)
        if not chunk:   # the child closed its end: it reported, or it died (its error is in the log)
            text = got.decode(errors="replace")
            return "" if text == ready else (text or "the broker process ended at once")
        got += chunk


MOSQUITTO = "/usr/sbin/mosquitto"


def mosquitto_path() -> str | None:
    return shutil.which("mosquitto") or (MOSQUITTO if Path(MOSQUITTO).exists() else None)


class MosquittoBroker:
    """A private /usr/sbin/mosquitto child: anonymous on 127.0.0.1:port unless a config file
    (e.g. one written by `yichuang broker-config`) is given."""

    def __init__(self, port: int, *, config: str | Path | None = None, host: str = "127.0.0.1"):
        self.host, self.port, self.config = host, port, config
        self._process: subprocess.Popen | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None

    @property
    def url(self) -> str:
        return f"mqtt://{self.host}:{self.port}"

    def start(self, timeout: float = 5.0) -> "MosquittoBroker":
        binary = mosquitto_path()
        if not binary:
            raise BrokerError("mosquitto is not installed (Debian: apt-get install mosquitto)")
        check_port_free(self.host, self.port, "another port")
        config = self.config
        if config is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="yichuang-mosquitto-")
            config = Path(self._tmp.name) / "mosquitto.conf"
            config.write_text(f"listener {self.port} {self.host}\nallow_anonymous true\nset_tcp_nodelay true\n"
                              "max_inflight_messages 0\nmax_queued_messages 100000\n")
        self._process = subprocess.Popen([binary, "-c", str(config)], stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL)
        if not wait_listening(self.host, self.port, timeout):
            self.stop()
            raise BrokerError(f"mosquitto did not start listening on {self.host}:{self.port}")
        return self

    def stop(self, timeout: float = 5.0) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout)
        self._process = None
        if self._tmp:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> "MosquittoBroker":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
