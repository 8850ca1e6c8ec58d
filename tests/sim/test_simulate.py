"""`yichuang simulate`: a short day with every fault, over a real broker and a real server
process on the accelerated clock."""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

from queue_server.cli import main
from queue_server.spawn import spawn_server
from queue_server.sim.faults import FAULTS
from queue_server.sim.run import Options, simulate

HALL = Path(__file__).with_name("hall.yaml")


def test_a_short_day_with_every_fault_loses_and_duplicates_nothing(tmp_path):
    f = simulate(Options(HALL, hours=1, speed=360, seed=2, faults=FAULTS, folder=tmp_path,
                         spawn=spawn_server))
    assert (f.lost, f.duplicated) == ([], []), f.faults
    assert f.findings == [], f.faults   # e.g. the server still answers after the bad burst
    # every citizen got one ticket; every ticket was called or still waits
    assert f.citizens > 10 and f.issued == f.handed == f.citizens and f.unanswered == 0
    assert f.called + f.waiting == f.issued and f.served + f.no_show <= f.called
    assert f.refused_by_fault["malformed"] > 0 and f.refused_by_fault["guessing"] > 0
    assert sum(f.refused.values()) >= sum(f.refused_by_fault.values())
    assert [line.split()[1:3] for line in f.faults] == [
        ["printer-paper", "begin:"], ["broker-restart", "begin:"], ["printer-paper", "end:"],
        ["malformed", "begin:"], ["server-kill", "begin:"], ["card-reader", "begin:"],
        ["card-reader", "end:"], ["guessing", "begin:"]]
    assert all("seen on the bus" in line for line in f.faults if "printer" in line or "card-reader" in line)
    assert f.estimate_mae_s is not None and f.longest_wait_s["normal"] > 0
    # the server ran on the simulated clock: the first ticket in the simulated first hour,
    # and the tickets of a day that took well under a minute spread over more than 20 minutes
    with sqlite3.connect(tmp_path / "hall.sqlite") as db:
        first, last = db.execute("SELECT min(issued_at), max(issued_at) FROM tickets").fetchone()
    opened = dt.datetime.fromtimestamp(first, ZoneInfo("Asia/Shanghai"))
    assert (8, 30) <= (opened.hour, opened.minute) < (9, 30) and last - first > 1200


def test_bad_options_are_refused_with_a_clear_error(capsys):
    assert main(["simulate", "--config", str(HALL), "--faults", "earthquake"]) == 2
    assert "unknown fault earthquake" in capsys.readouterr().err
