"""The queue server as a child process, for the tests and the benchmarks (which must not
import the command-line layer that lists them)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def spawn_server(config: Path, db: Path, log: Path, *extra_args: str) -> subprocess.Popen:
    """`yichuang server` as a child process (tests kill it, benchmarks give it its own core),
    without the web console (its port would be shared by every such process); its output
    goes to a file: a pipe nobody reads would stall it once full."""
    args = [sys.executable, "-m", "queue_server.cli", "server", "--config", str(config), "--db", str(db),
            "--no-console", *extra_args]
    with open(log, "ab") as out:
        return subprocess.Popen(args, env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=out,
                                stderr=subprocess.STDOUT)
