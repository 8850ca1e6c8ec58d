"""MQTT brokers the project starts itself.

EmbeddedBroker: amqtt (pure Python) in a child process, for a single-box hall and the demo. MosquittoBroker: /usr/sbin/mosquitto as a child process, for
tests and benchmarks (production runs Mosquitto as a system service, see
`yichuang broker-config`).
"""
from __future__ import annotations

import asyncio
import errno
import ipaddress
import logging
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

log = logging.getLogger(__name__)


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
        self._process = None

    @property
    def url(self) -> str:
        return f"mqtt://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> "EmbeddedBroker":
        check_port_free(self.host, self.port, self._port_option)
        context = multiprocessing.get_context("spawn")   # no copy of the parent's threads
        ready, report = context.Pipe(duplex=False)
        self._process = context.Process(target=_serve, args=(self.host, self.port, report, os.getpid()),
                                        name="amqtt-broker", daemon=True)
        self._process.start()
        report.close()
        failure = ready.recv() if ready.poll(timeout) else f"no answer within {timeout:.0f} s"
        ready.close()
        if failure:
            self.stop()
            raise BrokerError(f"the embedded broker could not start on {self.host}:{self.port}: {failure}")
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """End the broker process; its clients see the connection drop, as with any broker."""
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        process.join(timeout)
        if process.is_alive():
            process.kill()
            process.join()

    def __enter__(self) -> "EmbeddedBroker":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _serve(host: str, port: int, report, parent: int) -> None:
    """The broker process: start amqtt, report "" (or why not) through the pipe, serve.
    A Ctrl-C in the terminal reaches the whole process group: the parent stops the broker
    after its own clients have said goodbye, so the broker itself ignores it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    config = {
        "listeners": {"default": {"type": "tcp", "bind": f"{host}:{port}", "max_connections": 0}},
        # only anonymous auth: the default plugin set also logs every packet and publishes $SYS
        "plugins": {"amqtt.plugins.authentication.AnonymousAuthPlugin": {"allow_anonymous": True}},
    }
    try:
        broker = _hall_broker_class()(config, loop=loop)
        loop.run_until_complete(broker.start())
    except BaseException as exc:   # reported to start()'s caller
        report.send(str(exc) or type(exc).__name__)
        return
    report.send("")
    report.close()
    loop.run_until_complete(_while_parent_lives(parent))


async def _while_parent_lives(parent: int) -> None:
    # A parent that dies reparents this process: then stop serving (and free the port).
    while os.getppid() == parent:
        await asyncio.sleep(0.5)


class _SnapshotDict(dict):
    """A dict iterated over a copy of itself. amqtt walks its subscription table across
    awaits (on connect, on broadcast) while other clients' (un)subscribes change it, which
    raised "dictionary changed size during iteration" and dropped those connections."""

    def __iter__(self):
        return iter(list(dict.keys(self)))

    def items(self):
        return list(dict.items(self))


def _hall_broker_class():
    from amqtt.broker import Broker   # imported here: amqtt is slow to import and only needed here

    class HallBroker(Broker):
        """amqtt 0.12.1 with two of its bugs worked around (see _SnapshotDict, and below)."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._subscriptions = _SnapshotDict()

        async def _publish_retained_messages_for_subscription(self, subscription, session):
            # On connect amqtt offers the new session the retained messages of every filter
            # that ANY client subscribed; only the session's own filters may get them.
            holders = self._subscriptions.get(subscription[0], ())
            if any(held.client_id == session.client_id for held, _qos in holders):
                await super()._publish_retained_messages_for_subscription(subscription, session)

    return HallBroker


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
