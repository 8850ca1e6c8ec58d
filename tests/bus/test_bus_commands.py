"""The bus commands a technician types: ticket, window, watch, server, demo."""
from __future__ import annotations

import socket
import subprocess
import sys
import threading

import pytest

from queue_server.broker import free_port
from queue_server.cli import main

from bus_helpers import HALL_YAML, PASSWORD, wait_until


@pytest.fixture
def env(server, broker, monkeypatch):
    monkeypatch.setenv("YICHUANG_HALL", "testhall")
    monkeypatch.setenv("YICHUANG_BROKER", broker.url)


@pytest.mark.parametrize("broker", ["mosquitto"], indirect=True)
def test_ticket_and_window_commands_print_chinese_lines(env, capsys):
    assert main(["ticket", "issue", "--category", "zonghe"]) == 0
    assert "取号成功: A" in capsys.readouterr().out
    assert main(["window", "call-next", "--window", "1"]) == 1
    assert "not_logged_in" in capsys.readouterr().err
    assert main(["window", "login", "--window", "1", "--staff", "w1", "--password", PASSWORD]) == 0
    assert main(["window", "call-next", "--window", "1"]) == 0
    out = capsys.readouterr().out
    assert "1号窗口 叫号: A" in out and "第1次呼叫" in out
    assert main(["ticket", "issue", "--category", "nosuch"]) == 1
    assert "unknown_category" in capsys.readouterr().err


@pytest.mark.parametrize("broker", ["mosquitto"], indirect=True)
def test_watch_prints_states_and_calls(env, clients, capsys):
    watcher = threading.Thread(target=main, args=(["watch", "--duration", "3"],))
    watcher.start()
    kiosk, window = clients("kiosk", "k1"), clients("window", "2")
    seen = []
    assert wait_until(lambda: seen.append(capsys.readouterr().out) or "已连接" in "".join(seen), 5)
    kiosk.request("ticket.issue", {"category": "zonghe"})
    kiosk.request("ticket.issue", {"category": "zonghe"})
    window.request("window.login", {"staff": "w2", "password": PASSWORD})
    window.request("window.call_next")
    window.request("window.skip")
    window.request("window.call_next")
    window.request("window.finish", {"outcome": "not_done", "reason": "材料不全"})
    window.request("evaluation.submit", {"ticket": "A0002", "level": 2})
    watcher.join(10)
    out = ("".join(seen) + capsys.readouterr().out).replace(" ", "")
    assert "排队服务器在线" in out and "连接中断" not in out
    assert "队列A综合业务" in out and "2号窗口空闲" in out
    for line in ("取号:A0001", "叫号:请A0001号到2号窗口", "过号:A0001(2号窗口)", "未办成:A0002(2号窗口)",
                 "评价:A0002(2号窗口)2分"):
        assert line in out, line


def test_server_refuses_an_invalid_config(tmp_path, capsys):
    bad = tmp_path / "hall.yaml"
    bad.write_text("hall:\n  id: Bad Id\n", encoding="utf-8")
    assert main(["server", "--config", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "did not start" in err and "hall.yaml:2" in err


def test_demo_says_how_to_choose_another_port_when_taken(tmp_path, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["demo", "--broker-port", str(port), "--db", str(tmp_path / "d.sqlite")]) == 1
    err = capsys.readouterr().err
    assert f"port {port}" in err and "--broker-port" in err


def test_server_says_how_to_choose_another_port_when_taken(tmp_path, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["server", "--config", str(HALL_YAML), "--db", str(tmp_path / "s.sqlite"),
                     "--broker-host", "127.0.0.1", "--broker-port", str(port), "--no-console"]) == 1
    err = capsys.readouterr().err
    assert f"port {port}" in err and "--broker-port N" in err and "--broker mqtt://" in err


def test_server_says_how_to_choose_another_console_port_when_taken(tmp_path, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["server", "--config", str(HALL_YAML), "--db", str(tmp_path / "s.sqlite"),
                     "--broker-port", str(free_port()), "--console-port", str(port)]) == 1
    err = capsys.readouterr().err
    assert "web console" in err and "--console-port N" in err


def test_bench_bus_runs_end_to_end(capsys):
    """`yichuang bench bus` in small: a server process, kiosks, a window process, a display;
    it reports every measurement with no error (its figures are for docs/bench, not here)."""
    assert main(["bench", "bus", "--broker", "mosquitto", "--duration", "0.5", "--kiosks", "2",
                 "--windows", "1", "--rate", "20"]) == 0
    out = capsys.readouterr().out
    row = next(line.split() for line in out.splitlines() if line.startswith("mosquitto "))
    assert len(row) == 7 and row[-1] == "0", out   # broker, 5 figures, errors
    assert all(cell.endswith("ms") for cell in (row[1], row[2], row[4], row[5])), out
    assert int(row[3]) > 0, out


def test_bench_server_runs_end_to_end(capsys):
    """`yichuang bench server` with one launch: both answers, and the memory of the server's
    two processes (its exit code says whether this machine met the times: not asserted)."""
    assert main(["bench", "server", "--runs", "1"]) in (0, 1)
    out = capsys.readouterr().out
    for measure in ("launch -> first bus answer", "launch -> first HTTP 200", "RSS, all processes"):
        assert next(line for line in out.splitlines() if line.startswith(measure)).count(" median ") == 1, out
    assert "run 1: " in out and " 2 processes," in out and "broker child" in out, out


@pytest.mark.parametrize("broker", ["mosquitto"], indirect=True)
def test_watch_into_a_pipe_that_closes_ends_quietly(env):
    """`yichuang watch | head -2`: once head has its lines, watch ends without a traceback."""
    watch = subprocess.Popen([sys.executable, "-m", "queue_server.cli", "watch"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    try:
        lines = [watch.stdout.readline() for _ in range(2)]
        assert all(line.startswith(b"[") for line in lines), lines
        watch.stdout.close()                 # what head does when it has enough
        assert watch.wait(15) == 0
        assert b"Traceback" not in watch.stderr.read()
    finally:
        if watch.poll() is None:
            watch.kill()
            watch.wait(5)


def test_the_embedded_broker_refuses_to_listen_beyond_this_machine(tmp_path, capsys):
    """It has no passwords: on the hall's network anyone could read ID numbers and logins."""
    assert main(["server", "--config", str(HALL_YAML), "--db", str(tmp_path / "s.sqlite"),
                 "--broker-host", "0.0.0.0", "--broker-port", str(free_port()), "--no-console"]) == 1
    err = capsys.readouterr().err
    assert "127.0.0.1" in err and "broker-config" in err
