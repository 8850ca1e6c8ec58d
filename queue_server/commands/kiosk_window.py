"""The demo's kiosk window: `yichuang kiosk --simulate` as a child process.

The server side never imports the kiosk app: it starts it as a command, by module name.
"""
from __future__ import annotations

import glob
import os
import re
import subprocess
import sys
from pathlib import Path


def display_available(env=os.environ) -> str:
    """Where a kiosk window can open: "x11"/"wayland" (a desktop), "kms" (a Linux console
    with a DRM device, as on a kiosk board), or "" when there is none."""
    if env.get("WAYLAND_DISPLAY"):
        return "wayland"
    if env.get("DISPLAY"):
        return "x11"
    try:
        console = os.ttyname(sys.stdin.fileno())
    except (OSError, ValueError):
        return ""
    on_vt = re.fullmatch(r"/dev/tty[0-9]+", console) is not None
    return "kms" if on_vt and glob.glob("/dev/dri/card*") else ""


def spawn_kiosk(config: Path, host_id: str, broker: str, log_path: Path,
                windowed: bool = True, sim_dir: Path | None = None) -> subprocess.Popen:
    """`yichuang kiosk ... --simulate` as a child process (Kivy wants its own main thread);
    its output goes to `log_path`. Stop it with stop_kiosk()."""
    cmd = [sys.executable, "-m", "queue_server.cli", "kiosk", "--config", str(config),
           "--id", host_id, "--broker", broker, "--simulate"]
    if windowed:
        cmd.append("--windowed")
    if sim_dir is not None:
        cmd += ["--sim-dir", str(sim_dir)]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as out:
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)


def stop_kiosk(child: subprocess.Popen, timeout: float = 10.0) -> int:
    """SIGTERM (the window closes cleanly), then SIGKILL if it does not go in time."""
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(timeout)
    return child.returncode


def start_for_demo(config_path: Path, config, broker: str, folder: Path,
                   mode: str = "auto") -> subprocess.Popen | None:
    """`yichuang demo`'s kiosk: its first kiosk host in a window with simulated devices when
    a display is there (mode "auto"), always ("on": Kivy draws offscreen without one), or
    never ("off"). Says what it did; the caller stops the child with stop_kiosk()."""
    kiosks = [host.id for host in config.hosts if host.role == "kiosk"]
    if mode == "off" or not kiosks:
        return None
    display = display_available()
    if mode == "auto" and not display:
        print("Kiosk: no display here (DISPLAY and WAYLAND_DISPLAY unset, not on a KMS "
              "console), so no kiosk window; `yichuang demo --kiosk` starts one anyway.",
              flush=True)
        return None
    log_path = folder / f"kiosk-{kiosks[0]}.log"
    sim_dir = folder / "devices"
    sim_dir.mkdir(parents=True, exist_ok=True)
    child = spawn_kiosk(config_path, kiosks[0], broker, log_path, windowed=display != "kms",
                        sim_dir=sim_dir)
    reader = sim_dir / f"{kiosks[0]}-card_reader"
    print(f"Kiosk {kiosks[0]}: window with a simulated printer and ID card reader "
          f"(pid {child.pid}, log {log_path})\n"
          f"  lay a card:  yichuang device sim --port {reader} present resident\n"
          f"  printer:     yichuang device sim --port {sim_dir / (kiosks[0] + '-printer')} help",
          flush=True)
    return child
