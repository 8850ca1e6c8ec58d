"""`yichuang bench <name> [options]` and `yichuang bench all`: the project's benchmarks.

The list lives in queue_server.bench.BENCHMARKS; `all` runs each with its default options.
"""
from __future__ import annotations

import argparse
import importlib

from ..bench import BENCHMARKS


def _modules() -> list:
    return [importlib.import_module(name) for name in BENCHMARKS]


def register(subparsers) -> None:
    bench = subparsers.add_parser("bench", help="run benchmarks (results for docs/bench/)",
                                  description="Run a benchmark, or all of them with their defaults.")
    names = bench.add_subparsers(dest="bench_name", metavar="NAME", required=True)
    for module in _modules():
        parser = names.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(parser)
        parser.set_defaults(func=module.run)
    names.add_parser("all", help="every benchmark with its default options").set_defaults(func=run_all)


def run_all(_args: argparse.Namespace) -> int:
    worst = 0
    for module in _modules():
        parser = argparse.ArgumentParser(prog=f"yichuang bench {module.NAME}")
        module.add_arguments(parser)
        print(f"== yichuang bench {module.NAME}", flush=True)
        worst = max(worst, int(module.run(parser.parse_args([])) or 0))
    return worst
