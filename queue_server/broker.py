"""MQTT brokers the project starts itself.

EmbeddedBroker: the private broker process of a single-box hall, the demo and tests: a
loopback-only Mosquitto where it is installed (8 MB RSS), else amqtt (pure Python, 28 MB) in a
Python process of its own (AmqttBroker). MosquittoBroker: /usr/sbin/mosquitto as a child process,
private or with a given config (tests, benchmarks; a hall with kiosks and windows on other
machines runs Mosquitto as a system service, see `yichuang broker-config`).
"""
from __future__ import annotations

import errno
import ipaddress
import logging
import os
import pwd
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
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


def listening(port: int) -> bool:
    """Whether some socket listens on this TCP port, from /proc/net: polling by connecting
    instead can connect a socket to itself (source port = the port polled, both free) and
    so take the port from the server about to listen on it."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                return True
    return False


def wait_listening(port: int, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not listening(port):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


class _ChildBroker:
    """What the brokers in child processes share: launch() returns at once, so that the caller
    goes on with its own start meanwhile; wait_ready() then waits until the broker serves."""

    host: str
    port: int

    @property
    def url(self) -> str:
        return f"mqtt://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0):
        return self.launch().wait_ready(timeout)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _end(process: subprocess.Popen | None, timeout: float) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


PROGRAMS = ("mosquitto", "amqtt")


def default_program() -> str:
    """The embedded broker's program: Mosquitto where a private one can run, else amqtt."""
    return "mosquitto" if private_mosquitto_problem() is None else "amqtt"


class EmbeddedBroker(_ChildBroker):
    """The hall's own broker, anonymous on host:port, in a child process: a private Mosquitto
    where it is installed (program "mosquitto"), else amqtt (program "amqtt"; also when a
    Mosquitto chosen by default fails to start); either ends with the process that started
    it, even after a SIGKILL (Mosquitto: if started from the main thread, see MosquittoBroker).

    Loopback only: it has no accounts and no ACL, so on the hall's network anyone could read
    the ID numbers in kiosk requests and the staff passwords of window logins, and pose as
    any window or as the server. A hall whose kiosks and windows are other machines runs
    Mosquitto with the accounts and ACL of `yichuang broker-config` (docs/security.md).

    A process, not a thread of the server: amqtt is pure Python, so inside the server's process
    every message it routes would wait for the server's interpreter lock and the server for it
    (call -> display event p99 was 32 ms that way, docs/bench/bus.md). Mosquitto is preferred
    because it is lighter still: 8 MB RSS against amqtt's 28 MB (docs/bench/server.md).
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 1883, *, port_option: str = "--broker-port",
                 program: str | None = None):
        if not is_loopback(host):
            raise BrokerError(
                f"the embedded broker has no passwords, so it listens only on this machine "
                f"(127.0.0.1), not on {host or 'every address'}. For kiosks and windows on other "
                f"machines run Mosquitto with `yichuang broker-config` and start the server with "
                f"--broker mqtt://server-main:PASSWORD@127.0.0.1:1883 (docs/deployment.md)")
        self.host, self.port, self._port_option, self._chosen = host, port, port_option, program
        self.program = program or default_program()
        self._broker = (MosquittoBroker(port, host=host, port_option=port_option) if self.program == "mosquitto"
                        else self._amqtt())

    def _amqtt(self) -> "AmqttBroker":
        return AmqttBroker(self.host, self.port, port_option=self._port_option)

    def launch(self) -> "EmbeddedBroker":
        """Start the broker process and return at once (BrokerError if the port is taken)."""
        self._broker.launch()
        return self

    def wait_ready(self, timeout: float = 10.0) -> "EmbeddedBroker":
        """Wait until the launched broker serves; BrokerError (and the process ended) if not."""
        try:
            try:
                self._broker.wait_ready(timeout)
            except BrokerError as exc:
                if self._chosen or self.program == "amqtt":
                    raise
                # chosen by default: a hall still starts, on the heavier broker
                log.warning("the private Mosquitto did not start (%s); the embedded broker is amqtt", exc)
                self.program, self._broker = "amqtt", self._amqtt()
                self._broker.launch().wait_ready(timeout)
        except BrokerError as exc:
            raise BrokerError(f"the embedded broker could not start on {self.host}:{self.port}: {exc}") from None
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """End the broker process; its clients see the connection drop, as with any broker."""
        self._broker.stop(timeout)


class AmqttBroker(_ChildBroker):
    """amqtt in a plain child Python (`python -m queue_server.broker_process`), anonymous on
    host:port. The child watches its parent and exits when the parent is gone."""

    def __init__(self, host: str, port: int, *, port_option: str = "--broker-port"):
        self.host, self.port, self._port_option = host, port, port_option
        self._process: subprocess.Popen | None = None
        self._ready: int | None = None     # the pipe end the launched child reports to

    def launch(self) -> "AmqttBroker":
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

    def wait_ready(self, timeout: float = 10.0) -> "AmqttBroker":
        try:
            failure = _read_report(self._ready, str(self.port), timeout)
        finally:
            self._close_ready()
        if failure:
            self.stop()
            raise BrokerError(failure)
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._close_ready()
        process, self._process = self._process, None
        _end(process, timeout)

    def _close_ready(self) -> None:
        if self._ready is not None:
            os.close(self._ready)
            self._ready = None


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
MOSQUITTO_USER = "mosquitto"   # Debian's package creates it


def mosquitto_path() -> str | None:
    return shutil.which("mosquitto") or (MOSQUITTO if Path(MOSQUITTO).exists() else None)


def private_mosquitto_problem() -> str | None:
    """Why a private Mosquitto cannot run here, or None if it can."""
    if not mosquitto_path():
        return "mosquitto is not installed (Debian: apt-get install mosquitto)"
    if not shutil.which("setpriv"):
        return "setpriv (util-linux) is not installed"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(MOSQUITTO_USER)
        except KeyError:
            return f"there is no user {MOSQUITTO_USER!r} to run mosquitto as"
    return None


def private_config(host: str, port: int) -> str:
    return (f"listener {port} {host}\nallow_anonymous true\nset_tcp_nodelay true\n"
            "max_inflight_messages 0\nmax_queued_messages 100000\n"
            "log_dest stderr\nlog_type error\nlog_type warning\n")


class MosquittoBroker(_ChildBroker):
    """A /usr/sbin/mosquitto child: private (anonymous on host:port, a config of its own)
    unless a config file (e.g. one written by `yichuang broker-config`) is given.

    A private one launched from the main thread ends with this process, even after a SIGKILL:
    setpriv gives it a parent-death signal. That signal comes when the launching *thread* ends,
    so one launched from another thread (a simulation's fault thread) goes without, and only
    stop() ends it. Started as root, setpriv also makes it user mosquitto first (mosquitto's own
    switch of user would clear that signal)."""

    def __init__(self, port: int, *, config: str | Path | None = None, host: str = "127.0.0.1",
                 port_option: str = "another port"):
        self.host, self.port, self.config, self._port_option = host, port, config, port_option
        self._process: subprocess.Popen | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None

    def launch(self) -> "MosquittoBroker":
        problem = private_mosquitto_problem() if self.config is None else (
            None if mosquitto_path() else "mosquitto is not installed (Debian: apt-get install mosquitto)")
        if problem:
            raise BrokerError(problem)
        check_port_free(self.host, self.port, self._port_option)
        if self.config is None:
            # errors go to our stderr; a session of its own: a Ctrl-C in the terminal reaches
            # the whole process group, and the broker must outlive its clients' goodbyes
            self._process = subprocess.Popen(self._private_command(), stdin=subprocess.DEVNULL,
                                             stdout=subprocess.DEVNULL, start_new_session=True)
        else:
            self._process = subprocess.Popen([mosquitto_path(), "-c", str(self.config)],
                                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return self

    def _private_command(self) -> list[str]:
        self._tmp = tempfile.TemporaryDirectory(prefix="yichuang-mosquitto-")
        config = Path(self._tmp.name) / "mosquitto.conf"
        config.write_text(private_config(self.host, self.port))
        command = ["setpriv"]
        if threading.current_thread() is threading.main_thread():
            command += ["--pdeathsig", "KILL"]
        if os.geteuid() == 0:   # it reads the config (no secrets in it) as that user
            os.chmod(self._tmp.name, 0o755)
            config.chmod(0o644)
            command += [f"--reuid={MOSQUITTO_USER}", f"--regid={MOSQUITTO_USER}", "--init-groups"]
        return command + ["--", mosquitto_path(), "-c", str(config)]

    def wait_ready(self, timeout: float = 5.0) -> "MosquittoBroker":
        deadline = time.monotonic() + timeout
        while not listening(self.port):
            code = self._process.poll()
            if code is not None or time.monotonic() > deadline:
                self.stop()
                raise BrokerError(f"mosquitto ended at once (exit code {code}; its error is above)"
                                  if code is not None else f"mosquitto did not listen within {timeout:.0f} s")
            time.sleep(0.01)
        self._remove_config()   # read: a server killed later leaves nothing behind
        return self

    def stop(self, timeout: float = 5.0) -> None:
        process, self._process = self._process, None
        _end(process, timeout)
        self._remove_config()

    def _remove_config(self) -> None:
        if self._tmp:
            self._tmp.cleanup()
            self._tmp = None
