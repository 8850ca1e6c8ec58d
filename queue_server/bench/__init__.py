"""Benchmarks run by `yichuang bench <name>` (and all of them by `yichuang bench all`).

A benchmark is a module listed in BENCHMARKS with:
    NAME = "bus"                       the subcommand
    HELP = "one line for --help"
    def add_arguments(parser): ...     its options, each with a default
    def run(args) -> int: ...          measures, prints a report, returns an exit code
Keep the module's top-level imports light: every module is imported to build `--help`.
Adding a benchmark is one line here.
"""
BENCHMARKS = [
    "queue_server.bench.bus",
    "queue_server.bench.voice",
    "queue_server.bench.estimate",
    "queue_server.bench.search",
    "queue_server.bench.server",
    "queue_server.bench.sites",
    "queue_server.bench.drain",
    "drivers.printer.bench",
    "drivers.face.bench",
    "kiosk.bench",
]
