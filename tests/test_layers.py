"""Imports run one way (docs/architecture.md): every contract of .importlinter holds, and the
pure parts load without the rest of the project or third-party packages."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300, check=False)


def _loaded_after(statement: str) -> dict[str, str]:
    """The modules a fresh interpreter loads for `statement`, each with where it came from:
    "stdlib", or its file outside the standard library."""
    report = ("import sys, json, sysconfig\n"
              "stdlib = sysconfig.get_paths()['stdlib'], sysconfig.get_paths()['platstdlib']\n"
              "def origin(module):\n"
              "    path = getattr(module, '__file__', None) or ''\n"
              "    inside = path.startswith(stdlib) and 'site-packages' not in path\n"
              "    return 'stdlib' if not path or inside else path\n"
              "print(json.dumps({n: origin(m) for n, m in list(sys.modules.items())}))")
    before = _run(report)
    after = _run(f"{statement}\n{report}")
    assert after.returncode == 0, after.stderr
    return {name: origin for name, origin in json.loads(after.stdout).items()
            if name not in json.loads(before.stdout)}


def test_every_import_contract_is_kept():
    result = _run("import sys; from importlinter.cli import lint_imports; "
                  "sys.exit(lint_imports(config_filename='.importlinter', no_cache=True, "
                  "no_logo=True))")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_engine_loads_only_the_standard_library_and_itself():
    loaded = _loaded_after("import queue_server.engine")
    assert "queue_server.engine.order" in loaded
    foreign = {name for name, origin in loaded.items() if origin != "stdlib"
               and name not in ("queue_server", "queue_server.engine")
               and not name.startswith("queue_server.engine.")}
    assert foreign == set()


def test_the_id_number_rule_loads_no_serial_port_or_image_library():
    loaded = {name.split(".")[0] for name in _loaded_after("import drivers.card_reader.idnumber")}
    assert not loaded & {"serial", "PIL", "hall", "queue_server", "kiosk"}


def test_device_profiles_load_without_the_config_loader():
    """A driver's profile declares its options as data: importing every one of them loads
    nothing of hall/ (the config loader), queue_server/ or kiosk/."""
    modules = ["drivers.card_reader.profile", "drivers.printer.profile",
               "drivers.camera.profile", "drivers.display.profile", "drivers.keypad.profile",
               "drivers.voice.profile"]
    loaded = {name.split(".")[0] for name in _loaded_after(
        "\n".join(f"import {module}" for module in modules))}
    assert not loaded & {"hall", "queue_server", "kiosk"}
