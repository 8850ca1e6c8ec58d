"""`yichuang config check`: what a technician sees, and the exit code a script sees."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hall_samples import BASE, edit, line_of

from queue_server.cli import main

YICHUANG = Path(sys.executable).parent / "yichuang"


def test_good_file_prints_a_summary_and_exits_0(write, profiles_dir, capsys):
    path = write(BASE)
    assert main(["config", "check", str(path), "--devices", str(profiles_dir)]) == 0
    out = capsys.readouterr().out
    assert out == (f"{path}: ok: hall test-hall (测试县政务服务中心), county, 2 categories, "
                   "2 windows, 2 hosts\n")


def test_bad_file_prints_every_problem_and_exits_1(write, profiles_dir, capsys):
    text = edit(BASE, "    prefix: B", "    prefix: A")
    text = edit(text, "  console_port: 8080", "  console_port: 0")
    path = write(text)
    assert main(["config", "check", str(path), "--devices", str(profiles_dir)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{path}:{line_of(text, 'console_port')}: " \
                       "'server.console_port' is 0, below the minimum 1"
    first, second = line_of(text, "prefix: A"), line_of(text, "prefix: A", nth=1)
    assert lines[1] == f"{path}:{second}: category prefix 'A' is used twice (first at line {first})"
    assert lines[2] == "    hint: give every category its own prefix"
    assert lines[-1] == "2 problem(s) in 1 of 1 file(s)"


def test_several_files_each_reported(write, profiles_dir, capsys):
    good = write(BASE, "good.yaml")
    bad = write("hall: [", "bad.yaml")
    assert main(["config", "check", str(good), str(bad), "--devices", str(profiles_dir)]) == 1
    out = capsys.readouterr().out
    assert f"{good}: ok: hall test-hall" in out
    assert f"{bad}:1: YAML syntax error" in out
    assert out.rstrip().endswith("1 problem(s) in 1 of 2 file(s)")


def test_missing_file(tmp_path, capsys):
    path = tmp_path / "nope.yaml"
    assert main(["config", "check", str(path)]) == 1
    assert f"{path}:0: cannot read file" in capsys.readouterr().out


def test_installed_command(write, profiles_dir):
    good = write(BASE, "good.yaml")
    bad = write(edit(BASE, "    name: 医保业务", "    name: 医保业务\n    colour: red"), "bad.yaml")
    ok = subprocess.run([str(YICHUANG), "config", "check", str(good), "--devices",
                         str(profiles_dir)], capture_output=True, text=True, timeout=60)
    assert (ok.returncode, ok.stderr) == (0, "")
    assert "ok: hall test-hall" in ok.stdout
    failed = subprocess.run([str(YICHUANG), "config", "check", str(bad), "--devices",
                             str(profiles_dir)], capture_output=True, text=True, timeout=60)
    assert failed.returncode == 1
    assert "unknown option 'categories[1].colour'" in failed.stdout


def test_a_public_url_that_cannot_be_this_console_is_warned_about(write, profiles_dir, capsys):
    """The shipped examples' LAN address (192.168.10.2) on a machine that does not have it."""
    text = edit(BASE, "  console_port: 8080",
                "  console_port: 8080\n  public_url: \"http://192.0.2.77:8081\"")
    path = write(text)
    assert main(["config", "check", str(path), "--devices", str(profiles_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{path}: ok: hall test-hall")
    assert lines[1] == (f"{path}: warning: public_url http://192.0.2.77:8081: 192.0.2.77 is not "
                        "an address of this machine, so the QR codes on tickets lead nowhere if "
                        "the console runs here (set it to the address phones reach this machine "
                        "at)")
    assert lines[2] == (f"{path}: warning: public_url http://192.0.2.77:8081: port 8081, but "
                        "the console listens on 8080 (fine only behind a proxy that forwards it)")


def test_a_public_url_on_this_machine_and_port_is_not_warned_about(write, profiles_dir, capsys):
    text = edit(BASE, "  console_port: 8080",
                "  console_port: 8080\n  public_url: \"http://127.0.0.1:8080\"")
    path = write(text)
    assert main(["config", "check", str(path), "--devices", str(profiles_dir)]) == 0
    assert "warning" not in capsys.readouterr().out
