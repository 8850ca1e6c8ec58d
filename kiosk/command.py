"""`yichuang kiosk --config FILE --id k1`: the citizen's touch app on a kiosk board.

    --broker URL        the hall bus (default: server.broker of the config, else the
                        embedded broker's port on this machine)
    --simulate          printer, ID card reader and QR scanner simulators on ptys instead of the ports
    --windowed          a window instead of full screen (development)
    --screenshots DIR   draw every screen (both modes, both orientations) into DIR and exit
"""
from __future__ import annotations

import logging
import signal
import subprocess
import sys

log = logging.getLogger(__name__)


def register(subparsers) -> None:
    parser = subparsers.add_parser("kiosk", help="the kiosk touch app (取号)",
                                   description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, help="the hall config file")
    parser.add_argument("--id", default="k1", help="this kiosk's host id in the config (k1)")
    parser.add_argument("--broker", default="", help="mqtt://[user:pass@]host:port of the hall bus")
    parser.add_argument("--simulate", action="store_true",
                        help="simulated printer and card reader (ptys) instead of the real ports")
    parser.add_argument("--sim-dir", default="", metavar="DIR",
                        help="with --simulate: the simulated ports at DIR/<kiosk>-printer and "
                             "DIR/<kiosk>-card_reader")
    parser.add_argument("--windowed", action="store_true", help="not full screen")
    parser.add_argument("--screenshots", metavar="DIR", default="",
                        help="draw every screen into DIR/kiosk-*.png and exit")
    parser.set_defaults(func=run)


def broker_url(config, given: str) -> str:
    return given or config.server.broker or f"mqtt://127.0.0.1:{config.server.broker_port}"


def run(args) -> int:
    from kiosk.fonts import FontMissing, find_cjk_font

    try:
        font = find_cjk_font()
    except FontMissing as exc:
        print(exc, file=sys.stderr)
        return 3
    host_id = args.id.lower()          # ids are lower case on the bus; K1 means k1
    if args.screenshots:
        return _screenshots(args.config, host_id, args.screenshots)
    from hall.config import ConfigError
    from hall.config.hall import load_hall_config

    try:
        config = load_hall_config(args.config)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    host = config.host(host_id)
    if host is None or host.role != "kiosk":
        kiosks = ", ".join(h.id for h in config.hosts if h.role == "kiosk") or "none"
        print(f"{args.config}: no kiosk host '{host_id}' (kiosks: {kiosks})", file=sys.stderr)
        return 2
    return _run_app(config, host, broker_url(config, args.broker), font, args)


def _run_app(config, host, url: str, font: str, args) -> int:
    from kiosk import boot

    size = boot.configure(host.kiosk.orientation, fullscreen=not args.windowed)
    boot.use_font(font)
    from kiosk.app import KioskApp, clock_post
    from kiosk.devices import open_devices
    from kiosk.session import Session
    from hall.protocol.client import HallClient

    devices = open_devices(config, host, simulate=args.simulate, sim_dir=args.sim_dir)
    for sim in devices.simulators:
        print(f"simulated {type(sim).__name__} on {sim.path}")
    voice = getattr(devices.voice, "output", None)
    if args.simulate and getattr(voice, "directory", None):
        print(f"spoken guidance (elderly mode) written to {voice.directory}")
    client = HallClient(config.id, "kiosk", host.id, url)
    session = Session(config, host, client, devices, post=clock_post)
    log.info("kiosk %s of %s on %s", host.id, config.id, url)
    app = KioskApp(session, size)
    # systemd and `yichuang demo` stop the kiosk with SIGTERM: close the window cleanly so
    # the session says goodbye on the bus and the device simulators stop.
    signal.signal(signal.SIGTERM, lambda *_: clock_post(app.stop))
    app.run()
    return 0


def _screenshots(config: str, host_id: str, out: str) -> int:
    # Kivy has one window per process: one child per orientation.
    for orientation in ("portrait", "landscape"):
        done = subprocess.run([sys.executable, "-m", "kiosk.screenshots", "--config", config,
                               "--id", host_id, "--orientation", orientation, "--out", out],
                              timeout=600)
        if done.returncode:
            return done.returncode
    return 0
