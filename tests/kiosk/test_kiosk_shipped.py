"""What ships for kiosks: board profiles, the systemd unit, the command, the font check,
and the screenshots command in its own process (landscape from the config, to prove that
layout and the orientation setting too)."""
import configparser
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kiosk.fonts import FontMissing, find_cjk_font

ROOT = Path(__file__).resolve().parents[2]
BOARDS = sorted((ROOT / "firmware_configs" / "boards").glob("*.yaml"))


def test_three_boards_ship():
    assert {p.stem for p in BOARDS} >= {"rpi4", "rpi5", "rk3568"}


@pytest.mark.parametrize("path", BOARDS, ids=lambda p: p.stem)
def test_board_profile_has_display_gpu_and_serial(path):
    board = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert board["board"] == path.stem
    assert board["display"]["orientation"] in ("portrait", "landscape")
    assert board["gpu"]["sdl_videodriver"] == "kmsdrm" and board["gpu"]["egl"]
    assert board["serial"]["printer"] and board["serial"]["card_reader"]


def test_systemd_unit_owns_the_console_and_restarts():
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(ROOT / "systemd" / "yichuang-kiosk.service")
    service = parser["Service"]
    assert service["Restart"] == "always"
    assert service["TTYPath"] == "/dev/tty1"
    assert "yichuang kiosk --config" in service["ExecStart"]
    assert "getty@tty1.service" in parser["Unit"]["Conflicts"]
    assert parser["Install"]["WantedBy"] == "multi-user.target"


def test_missing_cjk_font_names_the_package(tmp_path):
    with pytest.raises(FontMissing) as info:
        find_cjk_font(candidates=(str(tmp_path / "none.ttc"),), use_fontconfig=False)
    assert "fonts-noto-cjk" in str(info.value) and "fonts-wqy-microhei" in str(info.value)


def test_kiosk_command_refuses_unknown_host():
    done = subprocess.run([sys.executable, "-m", "queue_server.cli", "kiosk", "--config",
                           str(Path(__file__).parent / "hall.yaml"), "--id", "K9"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "no kiosk host 'k9'" in done.stderr


def test_screenshots_of_every_screen_in_the_configured_landscape(tmp_path):
    # No --orientation: k2 is a landscape kiosk in hall.yaml, so that is what is drawn.
    done = subprocess.run([sys.executable, "-m", "kiosk.screenshots", "--config",
                           str(Path(__file__).parent / "hall.yaml"), "--id", "k2",
                           "--scale", "0.5", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    from PIL import Image

    names = {p.name for p in tmp_path.glob("kiosk-*.png")}
    for mode in ("normal", "elderly"):
        for screen in ("home", "take-ticket", "identity", "manual-id", "priority", "ticket",
                       "appointment", "appointment-ticket", "requeue", "requeue-done",
                       "requeue-refused", "rate-card", "rate", "rate-reasons", "rate-done"):
            assert f"kiosk-landscape-{mode}-{screen}.png" in names
    image = Image.open(tmp_path / "kiosk-landscape-normal-ticket.png")
    assert image.size == (960, 540)
    assert len(image.convert("L").getcolors(65536)) > 20     # drawn, not a blank frame
