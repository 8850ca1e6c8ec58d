"""The scale benchmarks in miniature, so that their code paths cannot rot: `bench sites` with
three sites (the county hall, a township, a village) publishing a few seconds of their day
through a real Mosquitto hub into the county receiver and PostgreSQL, every ack back; `bench
drain` with a small township's three hours of line down, then restored."""
import argparse

from queue_server.bench import sites as bench


def test_three_sites_through_the_hub_into_postgresql(postgres, capsys):
    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    args = parser.parse_args(["--sites", "3", "--townships", "1", "--speed", "3000",
                              "--step-s", "2", "--workers", "2", "--grace", "60"])
    code = bench.run(args, pg=postgres)
    out = capsys.readouterr().out
    assert code == 0, out                           # every record published is stored once
    assert "3 sites (1 county hall, 1 townships, 1 villages)" in out
    row = next(line for line in out.splitlines() if line.startswith(" 3000"))
    offered, acked, unacked = row.split()[1:4]
    assert float(offered) > 10 and unacked == "0", out   # kept up or not: the machine's load decides
    published = int(out.split("records in PostgreSQL: ")[1].split()[0])
    assert published >= 2 * float(offered)


def test_a_townships_backlog_drains_once_the_line_is_back(postgres, capsys):
    from queue_server.bench import drain
    parser = argparse.ArgumentParser()
    drain.add_arguments(parser)
    args = parser.parse_args(["--size", "0.5", "--hours", "3", "--runs", "1", "--timeout", "60"])
    code = drain.run(args, pg=postgres)
    out = capsys.readouterr().out
    assert code == 0, out                           # every record at the county, once
    line = next(line for line in out.splitlines() if line.startswith("run 1:"))
    records = int(line.split()[2])
    assert records > 10 and f"stored once: {records}" in line
    assert "every ack back in" in line
