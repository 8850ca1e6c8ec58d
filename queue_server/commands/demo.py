"""`yichuang demo`: a whole county hall on this machine, open around the clock.

The shipped example firmware_configs/sites/county.yaml with 24-hour opening hours, an
embedded broker and the web console on free ports of 127.0.0.1 (a system Mosquitto on 1883
is no obstacle), a database under the temp folder, the hall's agents with simulated window
devices and a voice (the sound card, or WAV files), a kiosk window with simulated devices
when a display is there (`--kiosk`: always), demo staff accounts (one per window, a manager
and an admin), and a living hall (demo_hall.py; `--quiet-hall`: nobody comes); then it
prints the addresses and commands to try.
"""
from __future__ import annotations

import argparse
import dataclasses
import shutil
import sys
import tempfile
from importlib import resources
from pathlib import Path

from ..broker import BrokerError, free_port
from hall.config.hall import ConfigError, load_hall_config
from hall.config.model import HallConfig, Host
from .kiosk_window import start_for_demo, stop_kiosk
from .server import StopSignal, setup_logging, start_hall

DEMO_PASSWORD = "yichuang-demo"


CLI_KIOSK = "cli"   # `yichuang ticket`'s default kiosk id


DEMO_KIOSK = "demo-citizens"   # the living hall's kiosk


def demo_config(path: Path, console_url: str = "") -> HallConfig:
    """The example hall, open every day, all day, with no lunch break: a demo at 3 a.m. works.
    It also lists the command line's kiosk, so `yichuang ticket issue` may take tickets (the
    server answers `forbidden` to a kiosk the config does not list), and the living hall's.
    The QR codes of its tickets point at the console the demo really serves (`console_url`)."""
    config = load_hall_config(path)
    hours = dataclasses.replace(config.hours, open=0, close=24 * 60, lunch=None,
                                weekdays=(1, 2, 3, 4, 5, 6, 7), last_ticket_before_close=0)
    hosts = config.hosts + tuple(Host(k, "kiosk") for k in (CLI_KIOSK, DEMO_KIOSK)
                                 if config.host(k) is None)
    server = (dataclasses.replace(config.server, public_url=console_url) if console_url
              else config.server)
    return dataclasses.replace(config, hours=hours, hosts=hosts, server=server)


def demo_voice():
    """The demo hall's voice: the sound card when ALSA has one, WAV files otherwise.
    Returns (profile, speaker?)."""
    from drivers.voice.profile import VoiceProfile
    card = Path("/proc/asound/cards")
    has_card = (shutil.which("aplay") is not None and card.exists()
                and "no soundcards" not in card.read_text(errors="replace"))
    return VoiceProfile(repeat=1), has_card


def add_demo_staff(service, config: HallConfig) -> list[str]:
    """Staff w<window id> for each window, a hall manager `manager` and an `admin`, all with
    the password DEMO_PASSWORD; existing accounts are kept."""
    accounts = [(f"w{w.id}", f"演示{w.id}号", "window") for w in config.windows]
    accounts += [("manager", "演示管理员", "manager"), ("admin", "演示系统管理员", "admin")]
    for staff_id, name, role in accounts:
        if service.staff.get(staff_id) is None:
            service.staff.add(staff_id, name, role, DEMO_PASSWORD)
    return [staff_id for staff_id, _name, _role in accounts]


def next_steps(config: HallConfig, broker_url: str, db: Path, console_url: str) -> str:
    window = config.windows[0].id if config.windows else "1"
    category = config.categories[0].id if config.categories else "a"
    return f"""
一窗 demo: hall {config.id} ({config.name}) is open. Database: {db}
Web console: {console_url}
  hall screen {console_url}/screen   staff caller: log in as w{window}   dashboard: log in as manager
  demo password for every account: {DEMO_PASSWORD}
In another terminal:
  export YICHUANG_HALL={config.id} YICHUANG_BROKER={broker_url}
  yichuang watch                                            # the hall's states and calls, live
  yichuang ticket issue --category {category}                    # take a ticket as a kiosk
  yichuang window login --window {window} --staff w{window} --password {DEMO_PASSWORD}
  yichuang window call-next --window {window}                     # call it; watch shows the call
  yichuang window start --window {window}; yichuang window finish --window {window}
Categories: {", ".join(c.id for c in config.categories)}; windows 1-{len(config.windows)}, staff w<window>.
Stop with Ctrl-C.
"""


def register(subparsers) -> None:
    parser = subparsers.add_parser("demo", help="run a demo hall (server + embedded broker)",
                                   description="Run the example county hall on this machine, open all day.")
    parser.add_argument("--config", metavar="FILE", help="hall config (default: the shipped county.yaml)")
    parser.add_argument("--broker-port", type=int, metavar="N",
                        help="port of the embedded broker (default: a free one)")
    parser.add_argument("--console-port", type=int, metavar="N",
                        help="port of the web console (default: a free one)")
    parser.add_argument("--quiet-hall", action="store_true",
                        help="nobody comes: no simulated citizens and window staff")
    parser.add_argument("--db", metavar="PATH", help="SQLite file (default: under the temp folder)")
    parser.add_argument("--kiosk", dest="kiosk", action="store_const", const="on", default="auto",
                        help="open the kiosk window even without a display (default: when there is one)")
    parser.add_argument("--no-kiosk", dest="kiosk", action="store_const", const="off",
                        help="no kiosk window")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.config) if args.config else Path(str(resources.files("firmware_configs") / "sites" / "county.yaml"))
    broker_port = args.broker_port or free_port()
    console_port = args.console_port or free_port()
    try:
        config = demo_config(path, f"http://127.0.0.1:{console_port}")
    except ConfigError as exc:
        print(f"the demo hall config has mistakes:\n{exc}", file=sys.stderr)
        return 1
    db = Path(args.db) if args.db else Path(tempfile.gettempdir()) / "yichuang-demo" / f"{config.id}.sqlite"
    setup_logging(args.verbose)
    from ..web import ConsoleError
    stop = StopSignal()
    try:
        hall = start_hall(config, db, "", broker_host="127.0.0.1", broker_port=broker_port,
                          console_host="127.0.0.1", console_port=console_port)
    except BrokerError as exc:
        print(f"error: {exc}\n(or leave --broker-port out: the demo picks a free port)",
              file=sys.stderr)
        return 1
    except ConsoleError as exc:
        print(f"error: {exc}\n(choose another port with --console-port N, or leave it out: "
              f"the demo picks a free port)", file=sys.stderr)
        return 1
    add_demo_staff(hall.service, config)
    agents = start_simulated_agents(config, hall.broker_url, db.parent / "devices")
    print(next_steps(config, hall.broker_url, db, hall.console.url), flush=True)
    for agent in agents:
        print(agent_lines(agent), flush=True)
    kiosk = start_for_demo(path, config, hall.broker_url, db.parent, args.kiosk)
    live = None if args.quiet_hall else start_live_hall(config, hall.broker_url, agents)
    if live is not None:
        print(f"A living hall: citizens take tickets, windows {', '.join(live.windows)} call "
              f"and serve them (--quiet-hall: nobody comes).", flush=True)
    stop.wait()
    if live is not None:
        live.stop()
    if kiosk is not None:
        stop_kiosk(kiosk)
    for agent in agents:
        agent.stop()
    hall.stop()
    return 0


def agent_lines(agent) -> str:
    """What the greeting says about one agent: its voice and how to drive its devices."""
    out = agent.announcer.output if agent.announcer else None
    voice = (f"calls written as WAV files to {out.directory}" if getattr(out, "directory", None)
             else "calls played on the sound card" if out else "no voice")
    lines = [f"Agent {agent.host.id}: simulated window displays, keypads and evaluator pads; "
             f"{voice}"]
    if agent.simulation is not None:
        port = agent.simulation.bus.path
        unit = next(iter(agent.units.values()), None)
        if unit is not None and unit.keypad and unit.evaluator:
            lines += [f"  window {unit.window.id}'s keypad:    yichuang device sim --port {port} "
                      f"press {unit.keypad.address} call_next",
                      f"  window {unit.window.id}'s evaluator: yichuang device sim --port {port} "
                      f"press {unit.evaluator.address} 5",
                      "  (keypads and evaluator pads of the other windows: their addresses in "
                      "the hall config)"]
    return "\n".join(lines)


def start_simulated_agents(config: HallConfig, broker_url: str, sim_dir: Path) -> list:
    """Every agent host of the hall with simulated window devices (LED text, keys, voice);
    each simulated bus at sim_dir/<host>-bus, driven by `yichuang device sim`."""
    from queue_server.agent import Agent   # late: `yichuang --help` stays fast
    sim_dir.mkdir(parents=True, exist_ok=True)
    voice, speaker = demo_voice()
    return [Agent(config, host.id, broker_url, simulate=True, sim_port=str(sim_dir / f"{host.id}-bus"),
                  voice=voice, speaker=speaker).start()
            for host in config.hosts if host.role == "agent"]


def start_live_hall(config: HallConfig, broker_url: str, agents: list):
    """The living hall, on the agents' own window clients (one MQTT client per window id)."""
    from hall.protocol.client import HallClient
    from .demo_hall import LiveHall
    windows = {w: unit.client for agent in agents for w, unit in agent.units.items()}
    kiosk = HallClient(config.id, "kiosk", DEMO_KIOSK, broker_url, watch=False)
    return LiveHall(config, kiosk, windows, DEMO_PASSWORD).start()
