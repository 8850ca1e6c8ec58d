"""`yichuang agent --config FILE --id A1`: drive a host's window displays, keypads, evaluator
pads and speaker for the hall bus (drivers/agent). `--simulate` puts simulated devices on a
pty instead of the configured serial port and writes the announcements as WAV files."""
from __future__ import annotations

import argparse
import logging
import sys

from hall.config.hall import ConfigError, load_hall_config
from .server import StopSignal, setup_logging

log = logging.getLogger(__name__)


def register(subparsers) -> None:
    parser = subparsers.add_parser("agent", help="drive the window devices of an agent host",
                                   description="Drive the RS-485 bus of window displays, caller "
                                               "keypads and evaluator pads, and the speaker.")
    parser.add_argument("--config", required=True, metavar="FILE", help="hall config file (YAML)")
    parser.add_argument("--id", required=True, metavar="HOST", help="this agent's host id")
    parser.add_argument("--broker", metavar="URL", help="broker URL (default: the config's "
                        "server.broker, else mqtt://127.0.0.1:<server.broker_port>)")
    parser.add_argument("--simulate", action="store_true",
                        help="simulated devices on a pty instead of the serial port")
    parser.add_argument("--wav-dir", metavar="DIR",
                        help="write announcements as WAV files here instead of playing them")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from queue_server.agent import Agent, AgentError   # late: `yichuang --help` stays fast

    try:
        config = load_hall_config(args.config)
        broker = (args.broker or config.server.broker
                  or f"mqtt://127.0.0.1:{config.server.broker_port}")
        agent = Agent(config, args.id, broker, simulate=args.simulate, wav_dir=args.wav_dir)
    except ConfigError as exc:
        print(f"the config has mistakes; the agent did not start:\n{exc}", file=sys.stderr)
        return 1
    except AgentError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    setup_logging(args.verbose)
    stop = StopSignal()
    agent.start()
    log.info("agent %s: %d windows on %s, broker %s", args.id, len(agent.units),
             agent.bus.port if agent.bus else "no bus", broker)
    if agent.announcer is not None and hasattr(agent.announcer.output, "directory"):
        log.info("announcements are written to %s", agent.announcer.output.directory)
    stop.wait()
    agent.stop()
    return 0
