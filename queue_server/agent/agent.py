"""`yichuang agent`: drives one host's window devices for the hall bus.

One RS-485 bus (the host's display_bus device) carries each window's LED display, caller
keypad and evaluator pad; a speaker (the host's voice device) announces calls.

MQTT identities: the agent connects once as itself (role `agent`, id = host id) to follow
the hall's retained window states and events and to publish its devices' health, and once
per window it drives as that window (role `window`, id = window id). A keypad is that
window's caller, and request topics carry the requester's identity, so its presses must go
out on the window's own request topic: the broker's ACL gives the agent host those window
accounts. (A window's staff use the web console over HTTP, so no other MQTT client takes the
id `window-<id>`.)
"""
from __future__ import annotations

import logging
import tempfile
import threading
from dataclasses import dataclass, field

from hall.config.model import HallConfig, Window
from hall.protocol.client import HallClient

from drivers.rs485 import Bus
from drivers.display.profile import BusProfile
from drivers.rs485.simulator import BusSimulator
from drivers.display import Display
from drivers.display.simulator import SimDisplay
from drivers.keypad import KeyPad
from drivers.keypad.simulator import SimKeyPad
from drivers.simcontrol import ControlServer
from .window import WindowView, call_lines

log = logging.getLogger(__name__)
HEALTH_EVERY_S = 1.0


class AgentError(Exception):
    """The agent cannot run with this config (a plain message for the technician)."""


@dataclass
class WindowUnit:
    window: Window
    view: WindowView
    client: HallClient
    display: Display | None = None
    keypad: KeyPad | None = None
    evaluator: KeyPad | None = None


@dataclass
class Simulation:
    """The simulated devices of --simulate, by window id (tests press keys on them; with a
    control socket, `yichuang device sim --port <bus.path> press ADDRESS KEY` does)."""
    bus: BusSimulator
    control: ControlServer | None = None
    displays: dict[str, SimDisplay] = field(default_factory=dict)
    keypads: dict[str, SimKeyPad] = field(default_factory=dict)
    evaluators: dict[str, SimKeyPad] = field(default_factory=dict)


class Agent:
    def __init__(self, config: HallConfig, host_id: str, broker: str, *, simulate: bool = False,
                 wav_dir: str | None = None, sim_port: str | None = None, voice=None,
                 speaker: bool = False):
        """simulate: window devices on a simulated bus (at `sim_port`, a stable path with a
        control socket, when given). voice: the voice profile of a host that lists none (the
        demo's). speaker: a simulated host still plays calls on the sound card, not to WAV."""
        host = config.host(host_id)
        if host is None or host.role != "agent":
            raise AgentError(f"the config has no agent host '{host_id}'")
        self.config, self.host = config, host
        refs = {d.kind: d for d in host.devices}
        # Profiles were read and checked with the hall config (DeviceRef.settings).
        profiles = {kind: refs[kind].settings for kind in ("display_bus", "voice") if kind in refs}
        self.windows = config.windows_on_agent(host_id)
        self.client = HallClient(config.id, "agent", host_id, broker)
        self.simulation: Simulation | None = None
        self.bus: Bus | None = None
        self.units: dict[str, WindowUnit] = {}
        bus_profile: BusProfile | None = profiles.get("display_bus")
        if self.windows and bus_profile is None:
            raise AgentError(f"agent host '{host_id}' drives windows but has no display_bus")
        port = refs["display_bus"].port if bus_profile else ""
        if bus_profile and simulate:
            self.simulation = self._simulate(bus_profile, sim_port)
            port = self.simulation.bus.path
        if bus_profile:
            self.bus = Bus(port, baudrate=bus_profile.baudrate, timeout=bus_profile.timeout_s,
                           retries=bus_profile.retries, poll_interval=bus_profile.poll_interval_s)
        for window in self.windows:
            self.units[window.id] = self._unit(window, bus_profile, broker)
        self.announcer = None
        voice = profiles.get("voice", voice)
        if voice is not None:
            if simulate and wav_dir is None and not speaker:
                wav_dir = tempfile.mkdtemp(prefix="yichuang-voice-")
            self.announcer = voice.make_announcer(wav_dir)
        self.client.on_state(self._state)
        self.client.on_event(self._event)
        self.client.on_connection(self._connection)
        self._stop = threading.Event()
        self._health_thread: threading.Thread | None = None
        self._published: dict | None = None

    # -- building -----------------------------------------------------------------------
    def _mine(self, device: tuple[str, int] | None) -> int | None:
        return device[1] if device and device[0] == self.host.id else None

    def _unit(self, window: Window, profile: BusProfile, broker: str) -> WindowUnit:
        unit = WindowUnit(window, WindowView(window.id, window.name),
                          HallClient(self.config.id, "window", window.id, broker))
        if (address := self._mine(window.display)) is not None:
            unit.display = Display(self.bus, address, profile.display_protocol(),
                                   keepalive=profile.keepalive_s)
        for kind in ("keypad", "evaluator"):
            address = self._mine(getattr(window, kind))
            pad_profile = getattr(profile, kind)
            if address is not None and pad_profile is not None:
                pad = KeyPad(self.bus, address, pad_profile.protocol(), pad_profile.key_map(),
                             lambda pad, value, unit=unit: self._press(unit, pad, value),
                             kind=kind)
                setattr(unit, kind, pad)
        return unit

    def _simulate(self, profile: BusProfile, port: str | None) -> Simulation:
        sim = Simulation(BusSimulator(port))
        for window in self.windows:
            if (address := self._mine(window.display)) is not None:
                sim.displays[window.id] = sim.bus.add(
                    SimDisplay(address, profile.display_protocol()))
            for kind, found in (("keypad", sim.keypads), ("evaluator", sim.evaluators)):
                address, pads = self._mine(getattr(window, kind)), getattr(profile, kind)
                if address is not None and pads is not None:
                    found[window.id] = sim.bus.add(
                        SimKeyPad(address, pads.protocol(), pads.key_map(), kind))
        return sim

    # -- life cycle ---------------------------------------------------------------------
    def start(self) -> "Agent":
        if self.simulation:
            self.simulation.bus.start()
            try:
                self.simulation.control = ControlServer(self.simulation.bus).start()
            except OSError as exc:      # a socket path longer than Unix allows (108 bytes)
                log.warning("simulated bus %s has no control socket: %s",
                            self.simulation.bus.path, exc)
        if self.announcer:
            self.announcer.start()
        self.client.start()
        for unit in self.units.values():
            unit.client.start()
        if self.bus:
            self.bus.start()
        self._stop.clear()
        self._health_thread = threading.Thread(target=self._health_loop, name="agent-health",
                                               daemon=True)
        self._health_thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._health_thread:
            self._health_thread.join(5)
        if self.bus:
            self.bus.stop()
        if self.announcer:
            self.announcer.stop()
        for unit in self.units.values():
            unit.client.stop()
        self.client.stop()
        if self.simulation:
            if self.simulation.control:
                self.simulation.control.stop()
            self.simulation.bus.stop()

    def wait_connected(self, timeout: float = 10.0) -> bool:
        clients = [self.client] + [u.client for u in self.units.values()]
        return all(c.wait_connected(timeout) for c in clients)

    # -- hall bus -> devices (paho's thread: only record and wake) -----------------------
    def _state(self, suffix: str, payload: dict) -> None:
        parts = suffix.split("/")
        if len(parts) != 3 or parts[0] != "window" or parts[1] not in self.units:
            return
        unit = self.units[parts[1]]
        lines = unit.view.update(payload)
        self._show(unit, lines)

    def _event(self, name: str, payload: dict) -> None:
        if name != "call" or str(payload.get("window")) not in self.units:
            return
        unit = self.units[str(payload["window"])]
        if isinstance(payload.get("ticket"), str):
            self._show(unit, call_lines(payload, unit.window.name))
        if self.announcer:
            self.announcer.announce(payload)

    def _show(self, unit: WindowUnit, lines: list[str] | None) -> None:
        if unit.display is None:
            return
        try:
            if lines is None:
                unit.display.clear()
            else:
                unit.display.show(lines)
        except ValueError as exc:        # text the display cannot show: say so, keep running
            log.warning("window %s display: %s", unit.window.id, exc)

    # -- devices -> hall bus (bus worker thread: send async) -----------------------------
    def _press(self, unit: WindowUnit, pad: KeyPad, value) -> None:
        if pad.kind == "evaluator":
            ticket = unit.view.take_ticket_to_rate()
            if ticket is None:
                log.info("window %s: rating %s with no ticket to rate", unit.window.id, value)
                return
            action, args = "evaluation.submit", {"ticket": ticket, "level": int(value)}
        else:
            action, args = unit.view.request_for(value), {}

        def answered(_data, error) -> None:
            if error is not None:
                log.warning("window %s %s: %s", unit.window.id, action, error)

        unit.client.request_async(action, args, answered)

    def _connection(self, connected: bool) -> None:
        if connected:
            self._published = None      # a restarted broker may have lost the retained health

    # -- health -------------------------------------------------------------------------
    def devices(self) -> dict[str, dict]:
        """Health of every device this agent drives, by name (display-3, keypad-3, voice)."""
        out: dict[str, dict] = {}
        for unit in self.units.values():
            for kind in ("display", "keypad", "evaluator"):
                device = getattr(unit, kind)
                if device is not None:
                    out[f"{kind}-{unit.window.id}"] = self.bus.health(device.address).as_dict()
        if self.announcer:
            out["voice"] = self.announcer.health.as_dict()
        return out

    def _health_loop(self) -> None:
        while not self._stop.wait(HEALTH_EVERY_S):
            current = self.devices()
            if current != self._published and self.client.connected:
                self.client.publish_devices(current)
                self._published = current
