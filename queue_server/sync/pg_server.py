"""A private PostgreSQL the project starts itself, for tests and benchmarks (like
broker.MosquittoBroker): Debian's binaries (/usr/lib/postgresql/<n>/bin), initdb into a
folder, pg_ctl on a free port of 127.0.0.1, trust authentication for one local user. A county
in production runs the system's PostgreSQL instead (docs/sync.md).

    with PrivatePostgres() as pg:            # a new folder under /tmp, removed by remove()
        store = CountyStore(pg.dsn)
        pg.create_database("county_1")      # another database of the same server

PostgreSQL refuses to run as root: started by root, the folder (which every parent must let
that user reach: hence /tmp, not pytest's private tmp_path) is given to the `postgres`
system user and the commands run as that user (runuser).
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..broker import free_port

USER = "yichuang"


class PostgresError(RuntimeError):
    pass


def pg_bin() -> Path | None:
    """The newest Debian PostgreSQL's bin folder, or None when none is installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


class PrivatePostgres:
    def __init__(self, folder: str | Path | None = None, port: int | None = None):
        self.folder = Path(folder or tempfile.mkdtemp(prefix="yichuang-pg-")).resolve()
        self.port = port or free_port()
        self.bin = pg_bin()

    def dsn_of(self, database: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user={USER} dbname={database}"

    @property
    def dsn(self) -> str:
        return self.dsn_of()

    def create_database(self, name: str) -> str:
        """A new empty database; its conninfo."""
        import psycopg
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.dsn_of(name)

    def _run(self, *args: str, timeout: float = 60) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise PostgresError(f"{args[0]} failed: {done.stderr.strip() or done.stdout.strip()}")

    def start(self) -> "PrivatePostgres":
        if self.bin is None:
            raise PostgresError("PostgreSQL is not installed (Debian: apt-get install postgresql)")
        data = self.folder / "data"
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        if not data.exists():
            self._run("initdb", "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8",
                      "--locale=C.UTF-8", "--no-sync")
        self._run("pg_ctl", "-D", str(data), "-l", str(self.folder / "log"), "-w", "-t", "60",
                  "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                        "-c fsync=on -c max_connections=50", "start")
        return self

    def stop(self) -> None:
        if (self.folder / "data" / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> "PrivatePostgres":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
