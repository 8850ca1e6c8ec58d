"""The `yichuang` entry point: each command found by its module alone, and all in the help."""
from __future__ import annotations

import argparse
import importlib

import pytest

from queue_server.cli import COMMAND_MODULES, COMMANDS, main


def _registered(module: str) -> set[str]:
    sub = argparse.ArgumentParser().add_subparsers()
    importlib.import_module(module).register(sub)
    return set(sub.choices)


def test_every_command_is_listed_with_the_module_that_registers_it():
    for module in COMMAND_MODULES:
        assert _registered(module) == {c for c, m in COMMANDS.items() if m == module}, module


def test_the_help_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert all(command in out for command in COMMANDS)


def test_a_command_runs_with_only_its_module_and_a_wrong_one_lists_them_all(capsys, tmp_path):
    bad = tmp_path / "hall.yaml"
    bad.write_text("hall: [", encoding="utf-8")
    assert main(["config", "check", str(bad)]) == 1
    assert "YAML syntax error" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["sever"])
    err = capsys.readouterr().err
    assert "invalid choice: 'sever'" in err and "'server'" in err
