"""Play a simulated day over the real hall bus against a real `yichuang server` process.

Everything the hall would have is real but the people: a broker (embedded amqtt or
Mosquitto) this process can restart, the server as a child process on an accelerated clock
(`--sim-clock`) that can be SIGKILLed and started again, a HallClient per kiosk and per
window. Citizens from the day model take tickets at the kiosks; each window logs in, calls,
recalls and skips no-shows, serves the others for their service time, and sends ratings.
Faults come on the schedule of faults.py. At the end the figures come from what the clients
saw and from the server's database (ledger.py).
"""
from __future__ import annotations

import datetime as dt
import logging
import secrets
import signal
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from hall.config.hall import load_hall_config
from hall.protocol.client import HallClient, RequestError, RequestTimeout, wait_for_server
from hall.workdays import WorkingDays
from ..broker import EmbeddedBroker, MosquittoBroker, free_port
from ..staff import StaffDirectory
from ..store import Store
from . import faults as fault_kinds
from .clock import SimClock
from .day import Citizen, DayModel, Profile
from .ledger import Figures, Ledger, tally

log = logging.getLogger(__name__)

LEAD_REAL_S = 5.0          # real seconds between starting the server and opening the hall
ASK_TIMEOUT_S = 2.0        # real seconds before a request is sent again (same transaction)
PATIENCE_S = 60.0          # real seconds a client keeps retrying before it gives up
DRAIN_S = 3600.0           # simulated seconds the windows go on serving after issuing ends
POLL_S = 30.0              # simulated seconds between a window's calls to an empty queue
WALK_S = 40.0              # simulated seconds from the call to the citizen at the window
RECALL_S = 60.0            # simulated seconds between calls of a citizen who does not come


@dataclass
class Options:
    config: Path
    hours: float | None = None        # simulate only the first hours of issuing
    speed: float = 120.0              # simulated seconds per real second
    seed: int = 1
    faults: tuple[str, ...] = fault_kinds.FAULTS
    broker: str = "embedded"          # embedded | mosquitto
    load: float = Profile().load
    folder: Path | None = None        # keep the database and the server's log here
    # how to start `yichuang server` (queue_server.spawn.spawn_server: the commands use this
    # package, not the other way round)
    spawn: Callable | None = None


def hall_day(config, today: dt.date) -> dt.date:
    """The latest day up to today on which the hall opens (its hours and the working-day
    calendar: Hours.opens_on)."""
    days = WorkingDays.for_hall(config)
    day = today
    while not config.hours.opens_on(day.isoweekday(), days.day_kind(day)):
        day -= dt.timedelta(days=1)
    return day


def ask(client: HallClient, action: str, args: dict | None = None) -> dict:
    """A request as a kiosk or a window program sends it: sent again with the same
    transaction until answered (the server answers a repeat without acting twice)."""
    transaction = uuid.uuid4().hex
    give_up = time.monotonic() + PATIENCE_S
    while True:
        try:
            return client.request(action, args, timeout=ASK_TIMEOUT_S, transaction=transaction)
        except RequestTimeout:
            if time.monotonic() > give_up:
                raise


class Broker:
    """The hall's broker on a fixed port, restartable (it comes back empty)."""

    def __init__(self, kind: str):
        self.kind, self.port = kind, free_port()
        self._broker = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._broker = (MosquittoBroker(self.port) if self.kind == "mosquitto"
                        else EmbeddedBroker("127.0.0.1", self.port, program="amqtt")).start()

    def stop(self) -> None:
        if self._broker:
            self._broker.stop()
            self._broker = None


class Server:
    """`yichuang server` on the simulated clock, killed and restarted like a real one."""

    def __init__(self, spawn: Callable, config: Path, db: Path, broker_url: str, clock: SimClock):
        self.spawn = spawn
        self.args = (config, db, db.with_suffix(".log"), "--broker", broker_url, "--sim-clock", clock.option())
        self.process = None

    def start(self) -> None:
        self.process = self.spawn(*self.args)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except Exception:
                self.process.kill()
                self.process.wait(10)


class Day:
    def __init__(self, options: Options, folder: Path):
        self.options = options
        self.config_path = Path(options.config)
        self.config = load_hall_config(self.config_path)
        self.kiosk_hosts = [h for h in self.config.hosts if h.role == "kiosk"]
        if not self.kiosk_hosts:
            raise ValueError("the hall config lists no kiosk (hosts with role kiosk)")
        zone = ZoneInfo(self.config.timezone)
        self.date = hall_day(self.config, dt.datetime.now(zone).date())
        hours = self.config.hours
        self.opening = dt.datetime.combine(self.date, dt.time(hours.open // 60, hours.open % 60), zone).timestamp()
        model = DayModel(self.config, Profile(load=options.load), options.seed)
        minutes = options.hours * 60 if options.hours else None
        self.citizens = model.citizens(self.date, minutes)
        issuing = len(model.issuing_minutes()) * 60.0
        self.period_s = min(issuing, minutes * 60) if minutes else issuing
        self.clock = SimClock(self.opening - LEAD_REAL_S * options.speed, time.time(), options.speed)
        self.db = folder / "hall.sqlite"
        self.password = "sim-" + secrets.token_hex(8)
        self.ledger = Ledger()
        self.broker = Broker(options.broker)
        if options.spawn is None:
            raise ValueError("Options.spawn must say how to start the server")
        self.server = Server(options.spawn, self.config_path, self.db, self.broker.url, self.clock)
        self.issuing_done = threading.Event()
        self.stop_windows = threading.Event()

    # -- set up ----------------------------------------------------------------------------
    def _staff(self) -> None:
        Store(str(self.db)).close()
        staff = StaffDirectory(str(self.db))
        try:
            for window in self.config.windows:
                staff.add(f"s{window.id}", "模拟员", "window", self.password)
            staff.add("admin", "模拟管理员", "admin", self.password)
        finally:
            staff.close()

    def _client(self, role: str, client_id: str) -> HallClient:
        client = HallClient(self.config.id, role, client_id, self.broker.url, watch=False)
        client.start()
        return client

    # -- the day ---------------------------------------------------------------------------
    def run(self) -> Figures:
        self._staff()
        self.broker.start()
        self.server.start()
        kiosks = {h.id: self._client("kiosk", h.id) for h in self.kiosk_hosts}
        windows = {w.id: self._client("window", w.id) for w in self.config.windows}
        self.health = {k: {"printer": {"state": "ok"}, "card_reader": {"state": "ok"}} for k in kiosks}
        for kiosk_id, client in kiosks.items():   # as the kiosk program: health on every connect
            client.on_connection(lambda up, k=kiosk_id, c=client: up and c.publish_devices(self.health[k]))
        self.intruder = fault_kinds.Intruder(self.config.id, self.broker.url, self.config.windows[-1].id)
        self.intruder.start()
        self.kiosks = kiosks
        clients = [*kiosks.values(), *windows.values()]
        try:
            if not wait_for_server(next(iter(kiosks.values())), 30):
                raise RuntimeError("the server did not answer; see " + str(self.server.args[2]))
            threads = [threading.Thread(target=self._window, args=(wid, c), name=f"sim-window-{wid}", daemon=True)
                       for wid, c in windows.items()]
            threads.append(threading.Thread(target=self._faults, name="sim-faults", daemon=True))
            for t in threads:
                t.start()
            self._arrivals(list(kiosks.values()))
            self.clock.sleep_until(self.opening + self.period_s)
            self.issuing_done.set()
            drain_end = time.time() + DRAIN_S / self.options.speed
            for t in threads:
                t.join(max(0.0, drain_end - time.time()))
            self.stop_windows.set()
            for t in threads:
                t.join(PATIENCE_S)
        finally:
            for c in clients:
                c.stop()
            self.intruder.stop()
            self.server.stop()
            self.broker.stop()
        store = Store(str(self.db))
        try:
            rows = store.tickets("date = ?", [self.date.isoformat()])
        finally:
            store.close()
        return tally(self.ledger, rows, len(self.citizens))

    def _arrivals(self, kiosks: list[HallClient]) -> None:
        """Each citizen at a kiosk at their time; the elderly prefer the elderly kiosk."""
        elderly_kiosk = next((self.kiosks[h.id] for h in self.kiosk_hosts if h.kiosk.elderly_default), None)
        with ThreadPoolExecutor(16, thread_name_prefix="sim-citizen") as pool:
            for citizen in self.citizens:
                self.clock.sleep_until(self.opening + citizen.arrive_s)
                kiosk = elderly_kiosk if citizen.elderly and elderly_kiosk else kiosks[citizen.n % len(kiosks)]
                pool.submit(self._take_ticket, kiosk, citizen)

    def _take_ticket(self, kiosk: HallClient, citizen: Citizen) -> None:
        args = {"category": citizen.category, "identity": {"id_number": citizen.id_number}}
        try:
            self.ledger.handed(citizen, ask(kiosk, "ticket.issue", args)["ticket"])
        except RequestTimeout:
            self.ledger.give_up()
        except RequestError as exc:
            self.ledger.refuse(exc.code)

    # -- a window --------------------------------------------------------------------------
    def _window(self, window_id: str, client: HallClient) -> None:
        try:
            ask(client, "window.login", {"staff": f"s{window_id}", "password": self.password})
            while not self.stop_windows.is_set():
                try:
                    ticket = ask(client, "window.call_next")["ticket"]
                except RequestError as exc:
                    self.ledger.refuse(exc.code)
                    if exc.code == "no_ticket_waiting" and self.issuing_done.is_set():
                        return
                    self.clock.sleep(POLL_S)
                    continue
                self._serve(client, ticket["number"])
        except RequestError as exc:   # a window that cannot go on (given up after retrying)
            self.ledger.note(f"window {window_id} stopped: {exc}")
            self.ledger.refuse(exc.code)

    def _serve(self, client: HallClient, number: str) -> None:
        citizen = self.ledger.citizen_of(number, timeout=2.0)
        if citizen is not None and citizen.no_show:
            for _ in range(self.config.rules.max_recalls):
                self.clock.sleep(RECALL_S)
                ask(client, "window.recall")
            self.clock.sleep(RECALL_S)
            ask(client, "window.skip")
            return
        service_s = citizen.service_s if citizen else 360.0
        walk = min(WALK_S, service_s / 2)
        self.clock.sleep(walk)
        ask(client, "window.start")
        self.clock.sleep(service_s - walk)
        ask(client, "window.finish")
        if citizen is not None and citizen.rating is not None:
            try:
                ask(client, "evaluation.submit", {"ticket": number, "level": citizen.rating})
            except RequestError as exc:
                self.ledger.refuse(exc.code)

    # -- faults ----------------------------------------------------------------------------
    def _faults(self) -> None:
        for at, name, phase in fault_kinds.timeline(self.options.faults, self.period_s):
            self.clock.sleep_until(self.opening + at)
            clock_text = dt.datetime.fromtimestamp(self.clock(), ZoneInfo(self.config.timezone)).strftime("%H:%M")
            try:
                outcome = getattr(self, "_" + name.replace("-", "_"))(phase)
            except Exception as exc:   # a fault that could not be made is itself news
                log.exception("fault %s failed", name)
                outcome = f"could not be made: {exc}"
            self.ledger.note(f"{clock_text} {name} {phase}: {outcome}")

    def _broker_restart(self, _phase: str) -> str:
        started = time.monotonic()
        self.broker.stop()
        time.sleep(0.5)
        self.broker.start()
        return f"broker down {time.monotonic() - started:.1f} s (real), restarted empty"

    def _server_kill(self, _phase: str) -> str:
        started = time.monotonic()
        self.server.kill()
        time.sleep(0.5)
        self.server.start()
        back = wait_for_server(next(iter(self.kiosks.values())), 30)
        if not back:
            self.ledger.find("the server did not come back within 30 s of a restart")
        return (f"SIGKILL, restarted, answering again after {time.monotonic() - started:.1f} s (real)"
                if back else "SIGKILL, restarted, NOT answering after 30 s")

    def _device(self, device: str, health: dict) -> str:
        kiosk = self.kiosk_hosts[0].id
        self.health[kiosk] = {**self.health[kiosk], device: health}
        self.kiosks[kiosk].publish_devices(self.health[kiosk])
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if self.intruder.device_state(kiosk, device).get("state") == health["state"]:
                return f"kiosk {kiosk} {device} {health.get('code') or health['state']}, seen on the bus"
            time.sleep(0.05)
        return f"kiosk {kiosk} {device} {health.get('code') or health['state']}, NOT seen on the bus"

    def _printer_paper(self, phase: str) -> str:
        return self._device("printer", fault_kinds.paper_out() if phase == "begin" else {"state": "ok"})

    def _card_reader(self, phase: str) -> str:
        port = next((d.port for d in self.kiosk_hosts[0].devices if d.kind == "card_reader"), "") or "card_reader"
        return self._device("card_reader", fault_kinds.unplugged(port) if phase == "begin" else {"state": "ok"})

    def _malformed(self, _phase: str) -> str:
        category = self.config.categories[0].id
        sent, answers = self.intruder.burst(category, self.config.server.max_payload_bytes)
        self._count_refused(answers, "malformed")
        alive = wait_for_server(next(iter(self.kiosks.values())), 10)
        if not alive:
            self.ledger.find("the server stopped answering after a burst of malformed requests")
        return (f"{sent} sent, {len(answers)} answered "
                f"({sum(a.get('status') == 'error' for a in answers)} refused); "
                f"the server {'still answers' if alive else 'NO LONGER ANSWERS'}")

    def _guessing(self, _phase: str) -> str:
        sent, answers = self.intruder.guess(["admin", f"s{self.config.windows[0].id}"])
        self._count_refused(answers, "guessing")
        admitted = sum(a.get("status") == "ok" for a in answers)
        if admitted:
            self.ledger.find(f"{admitted} guessed passwords were let in")
        return (f"{sent} wrong passwords sent, {len(answers)} answered "
                f"({len(answers) - admitted} refused, {admitted} let in)")

    def _count_refused(self, answers: list[dict], fault: str) -> None:
        for a in answers:
            if a.get("status") == "error":
                self.ledger.refuse(str((a.get("error") or {}).get("code", "error")), fault)


def simulate(options: Options) -> Figures:
    if options.folder:
        options.folder.mkdir(parents=True, exist_ok=True)
        return Day(options, options.folder).run()
    with tempfile.TemporaryDirectory(prefix="yichuang-sim-") as tmp:
        return Day(options, Path(tmp)).run()
