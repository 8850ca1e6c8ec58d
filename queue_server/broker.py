"""MQTT brokers the project starts itself.

EmbeddedBroker: amqtt (pure Python) in a background thread of this process, for a
single-box hall and the demo. MosquittoBroker: /usr/sbin/mosquitto as a child process, for
tests and benchmarks (production runs Mosquitto as a system service, see
`yichuang broker-config`).
"""
from __future__ import annotations

import asyncio
import errno
import logging
import shutil
import socket
import subprocess
import tempfile
import threading
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


class EmbeddedBroker:
    """amqtt on host:port, anonymous, running its own event loop in a daemon thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 1883, *, port_option: str = "--broker-port"):
        self.host, self.port, self._port_option = host, port, port_option
        self._loop: asyncio.AbstractEventLoop | None = None
        self._broker = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"mqtt://{host}:{self.port}"

    def start(self, timeout: float = 10.0) -> "EmbeddedBroker":
        check_port_free(self.host, self.port, self._port_option)
        started = threading.Event()
        failure: list[BaseException] = []
        self._thread = threading.Thread(target=self._run, args=(started, failure), name="amqtt-broker", daemon=True)
        self._thread.start()
        if not started.wait(timeout):
            raise BrokerError(f"the embedded broker did not start on {self.host}:{self.port} within {timeout:.0f} s")
        if failure:
            raise BrokerError(f"the embedded broker could not start on {self.host}:{self.port}: {failure[0]}")
        return self

    def _run(self, started: threading.Event, failure: list) -> None:

        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        config = {
            "listeners": {"default": {"type": "tcp", "bind": f"{self.host}:{self.port}", "max_connections": 0}},
            # only anonymous auth: the default plugin set also logs every packet and publishes $SYS
            "plugins": {"amqtt.plugins.authentication.AnonymousAuthPlugin": {"allow_anonymous": True}},
        }
        try:
            self._broker = _hall_broker_class()(config, loop=self._loop)
            self._loop.run_until_complete(self._broker.start())
        except BaseException as exc:   # reported to start()'s caller
            failure.append(exc)
            started.set()
            return
        started.set()
        self._loop.run_forever()

    def stop(self, timeout: float = 5.0) -> None:
        if not self._loop or not self._broker:
            return
        done = asyncio.run_coroutine_threadsafe(_halt(self._broker, timeout), self._loop)
        try:
            done.result(timeout + 1)
        except Exception:   # stopping anyway; the thread is a daemon
            log.warning("the embedded broker did not shut down cleanly", exc_info=True)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread:
            self._thread.join(timeout)
        self._loop = self._broker = None

    def __enter__(self) -> "EmbeddedBroker":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


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


async def _halt(broker, timeout: float) -> None:
    """Stop amqtt for good, connected clients or not.

    amqtt 0.12.1's shutdown() waits forever for the reader of each connected client, so the
    listeners are closed and every client connection is aborted first (private attributes of
    the pinned amqtt version); then shutdown() runs, bounded by a timeout, and the tasks that
    are left are cancelled.
    """
    for server in broker._servers.values():
        if server.instance:
            server.instance.close()
    for _session, handler in list(broker._sessions.values()):
        stream = getattr(getattr(handler, "writer", None), "_writer", None)
        if stream is not None:
            stream.transport.abort()
    try:
        await asyncio.wait_for(broker.shutdown(), timeout)
    except (asyncio.TimeoutError, Exception):   # best effort: what is left is cancelled below
        log.debug("amqtt shutdown incomplete", exc_info=True)
    current = asyncio.current_task()
    for task in asyncio.all_tasks():
        if task is not current:
            task.cancel()


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
