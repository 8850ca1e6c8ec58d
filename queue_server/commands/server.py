"""`yichuang server --config FILE`: the queue server (HallService + hall bus [+ embedded broker]).

With no broker URL (neither --broker nor server.broker in the config) an embedded broker runs
in a child process on --broker-port (default: server.broker_port of the config): a private
Mosquitto where it is installed, else amqtt (--embedded-broker chooses). It listens on loopback
only: it has no accounts, so kiosks and windows on other machines need Mosquitto set up by
`yichuang broker-config`.
"""
from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..broker import PROGRAMS, BrokerError, EmbeddedBroker
from ..bus import HallBus
from hall.config.hall import ConfigError, load_hall_config
from hall.config.model import HallConfig

log = logging.getLogger(__name__)


def default_db(config: HallConfig) -> Path:
    """server.database, relative to the config file, or var/<hall id>.sqlite beside it."""
    base = Path(config.source).resolve().parent if config.source else Path.cwd()
    return base / (config.server.database or f"var/{config.id}.sqlite")


@dataclass
class RunningHall:
    """A started server: stop() it in reverse order of starting."""
    config: HallConfig
    service: object
    bus: HallBus
    broker: EmbeddedBroker | None
    broker_url: str
    console: object | None = None     # queue_server.web.ConsoleHandle
    reporter: object | None = None    # queue_server.province.Reporter (province.url set)
    link: object | None = None        # a site's SiteLink to its county (queue_server/sync)

    def stop(self) -> None:
        if self.console:
            self.console.stop()
        if self.reporter:
            self.reporter.stop()
        if self.link:
            self.link.stop()
        self.bus.stop()
        close = getattr(self.service, "close", None)
        if close:
            close()
        if self.broker:
            self.broker.stop()


def start_hall(config: HallConfig, db: Path, broker_url: str = "", *, broker_host: str = "127.0.0.1",
               broker_port: int | None = None, port_option: str = "--broker-port",
               console_host: str | None = None, console_port: int | None = None,
               tls_ca: str | None = None, clock=None, on_failure=None,
               sms_file: str | None = None, embedded_broker: str | None = None) -> RunningHall:
    """Start the embedded broker (when no URL), the service, its bus and, when a console port
    is given, the web console; BrokerError / ConsoleError if a port is taken. `clock`
    (default time.time) is the hall's time: only simulations give another one. `sms_file`:
    the citizens' text messages are written there (a trial without an SMS gateway).
    `embedded_broker`: "mosquitto" or "amqtt" (default: Mosquitto where installed)."""
    broker = None
    if not broker_url:
        # launched first: its process starts (amqtt: imports) while this one imports the rest
        broker = EmbeddedBroker(broker_host, broker_port or config.server.broker_port,
                                port_option=port_option, program=embedded_broker).launch()
        broker_url = broker.url
    try:
        from ..service import HallService   # imported late: `yichuang --help` stays fast
        from ..web import start_console
        if broker:
            broker.wait_ready()
        db.parent.mkdir(parents=True, exist_ok=True)
        from ..applications.senders import FileSender
        service = HallService(config, str(db), **({"clock": clock} if clock else {}),
                              sender=FileSender(sms_file) if sms_file else None)
        bus = HallBus(service, config, broker_url, tls_ca=tls_ca, on_failure=on_failure)
        bus.start()
        hall = RunningHall(config, service, bus, broker, broker_url)
        if config.sync.is_site:
            hall.link = _start_link(service, config, broker, broker_url, tls_ca)
        if config.province.url:
            from ..province import Reporter
            hall.reporter = Reporter(config, str(db), **({"clock": clock} if clock else {})).start()
    except BaseException:
        if broker:
            broker.stop()
        raise
    if console_port is not None:
        try:
            hall.console = start_console(service, config, host=console_host or "0.0.0.0",
                                         port=console_port, broker=broker_url)
        except BaseException:
            hall.stop()
            raise
    return hall


def _start_link(service, config: HallConfig, broker, broker_url: str, tls_ca: str | None):
    from ..sync.site import SiteLink
    if broker:
        log.warning("hall %s syncs with %s, but the embedded broker has no bridge: records wait "
                    "in the database until the server runs on Mosquitto from `yichuang "
                    "broker-config` (docs/sync.md)", config.id, config.sync.county)
    return SiteLink(service, broker_url, tls_ca=tls_ca).start()


class StopSignal:
    """SIGTERM or Ctrl-C, caught from the moment this is made: make it before starting
    anything, so that a stop arriving during start-up still gets the clean shutdown (offline
    status, closed database) instead of killing the process."""

    def __init__(self) -> None:
        self.event = threading.Event()
        # SIGINT too: started from a script (SIGINT ignored) a Ctrl-C still stops it cleanly.
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: self.event.set())

    def wait(self) -> None:
        while not self.event.wait(1.0):
            pass


EXIT_FAILED = 3   # an essential thread died: systemd (Restart=always) starts the server again


def serve(hall: RunningHall, stop: StopSignal) -> int:
    """Serve until stopped (0) or until the hall-bus worker dies (EXIT_FAILED); stop the hall."""
    stop.wait()
    failed = hall.bus.failed.is_set()
    if failed:
        log.critical("hall %s: the hall-bus worker died; stopping so that the service manager "
                     "starts the server again", hall.config.id)
    hall.stop()
    return EXIT_FAILED if failed else 0


def setup_logging(verbose: bool = False) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("amqtt").setLevel(logging.WARNING)
    logging.getLogger("transitions").setLevel(logging.WARNING)


def register(subparsers) -> None:
    parser = subparsers.add_parser("server", help="run the queue server",
                                   description="Run the queue server of one hall.")
    parser.add_argument("--config", required=True, metavar="FILE", help="hall config file (YAML)")
    parser.add_argument("--broker", metavar="URL",
                        help="external broker, mqtt://user:pass@host:port (default: the config's "
                             "server.broker; if empty, an embedded broker)")
    parser.add_argument("--broker-ca", metavar="FILE",
                        help="CA certificate that signed an mqtts:// broker's certificate (default: the system's CAs)")
    parser.add_argument("--broker-port", type=int, metavar="N", help="port of the embedded broker")
    parser.add_argument("--broker-host", default="127.0.0.1", metavar="ADDR",
                        help="loopback address the embedded broker listens on (default 127.0.0.1; "
                             "it has no passwords, so other machines need Mosquitto: broker-config)")
    parser.add_argument("--embedded-broker", choices=PROGRAMS,
                        help="the embedded broker's program (default: mosquitto where installed, else amqtt)")
    parser.add_argument("--db", metavar="PATH", help="SQLite file (default: from the config)")
    parser.add_argument("--console-port", type=int, metavar="N",
                        help="port of the web console (default: server.console_port of the config)")
    parser.add_argument("--no-console", action="store_true", help="do not serve the web console")
    parser.add_argument("--sim-clock", metavar="SIM_START,REAL_START,SPEED",
                        help="simulations and tests only (`yichuang simulate`): the hall's clock "
                             "reads SIM_START (Unix s) at real time REAL_START and runs SPEED "
                             "times faster; never on a real hall")
    parser.add_argument("--sms-file", metavar="PATH",
                        help="write the text messages to citizens to this file, one JSON line each "
                             "(trials; a hall's SMS gateway plugs in as a sender, docs/applications.md)")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.set_defaults(func=run)


def _console_error() -> type:
    from ..web import ConsoleError   # here, not at the top: aiohttp loads while the broker starts
    return ConsoleError


def run(args: argparse.Namespace) -> int:
    try:
        config = load_hall_config(args.config)
    except ConfigError as exc:
        print(f"the hall config has mistakes; the server did not start:\n{exc}", file=sys.stderr)
        return 1
    setup_logging(args.verbose)
    try:
        clock = _sim_clock(args.sim_clock)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    # paho's network thread and the bus worker hand every message to each other: with the
    # default 5 ms GIL switch interval each hand-off can wait that long
    sys.setswitchinterval(0.0005)
    db = Path(args.db) if args.db else default_db(config)
    console_port = None if args.no_console else (args.console_port or config.server.console_port)
    stop = StopSignal()
    try:
        hall = start_hall(config, db, args.broker or config.server.broker,
                          broker_host=args.broker_host, broker_port=args.broker_port,
                          console_host=config.server.console_host, console_port=console_port,
                          tls_ca=args.broker_ca, clock=clock, on_failure=stop.event.set,
                          sms_file=args.sms_file, embedded_broker=args.embedded_broker)
    except (BrokerError, _console_error(), ValueError) as exc:   # evaluated only on an error
        print(f"error: {exc}", file=sys.stderr)
        if isinstance(exc, BrokerError):
            print("(or use a broker that is already running: --broker mqtt://HOST:PORT)", file=sys.stderr)
        if isinstance(exc, _console_error()):
            print("(choose another port with --console-port N)", file=sys.stderr)
        return 1
    if clock:
        log.warning("simulated clock: %s x real time, hall time now %s", clock.speed,
                    time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(clock())))
    log.info("hall %s serving on %s, database %s", config.id, hall.broker_url, db)
    if hall.console:
        log.info("web console on %s", hall.console.url)
    return serve(hall, stop)


def _sim_clock(option: str | None):
    if not option:
        return None
    from ..sim.clock import SimClock
    return SimClock.parse(option)
