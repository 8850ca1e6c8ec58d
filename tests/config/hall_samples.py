"""A small valid hall config, and helpers to break it one way at a time.

Tests point at the line of a mistake by the text on it (line_of), so a problem's line is
checked against the file as a technician would see it in an editor.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from hall.config.hall import default_devices_dir

# The profiles the shipped sites and BASE name; the hall loader reads each with its driver's
# typed reader, so test folders hold copies of the shipped ones.
PROFILES = ("xprinter-80", "sam-generic", "usb-camera", "generic-led", "serial-qr-scanner")

BASE = """\
hall:
  id: test-hall
  name: 测试县政务服务中心
  kind: county
  hours:
    open: "08:30"
    close: "17:30"
    lunch: ["12:00", "13:30"]
server:
  console_port: 8080
categories:
  - id: zonghe
    prefix: A
    name: 综合业务
  - id: yibao
    prefix: B
    name: 医保业务
    real_name: true
    per_person_limit: 2
windows:
  - id: "1"
    kind: comprehensive
    categories: [yibao]
    display: {host: a1, address: 1}
    keypad: {host: a1, address: 101}
  - id: "2"
    kind: domain
    categories:
      - yibao
    display: {host: a1, address: 2}
hosts:
  - id: k1
    role: kiosk
    devices:
      printer: {profile: xprinter-80, port: /dev/ttyUSB0, paper_width_mm: 80}
  - id: a1
    role: agent
    devices:
      display_bus: {profile: generic-led, port: /dev/ttyUSB1}
"""


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} must occur once in the sample"
    return text.replace(old, new)


def line_of(text: str, snippet: str, nth: int = 0) -> int:
    """1-based line of the nth line containing snippet."""
    lines = [n for n, line in enumerate(text.splitlines(), 1) if snippet in line]
    return lines[nth]


def only(found, fragment: str):
    """The single problem whose message contains fragment."""
    matching = [p for p in found if fragment in p.message]
    assert len(matching) == 1, f"expected one problem with {fragment!r}, got:\n" + \
        "\n".join(map(str, found))
    return matching[0]


def write_profiles(directory: Path, names=PROFILES) -> Path:
    """A devices folder holding copies of some shipped profiles (they are fully checked)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(default_devices_dir() / f"{name}.yaml", directory / f"{name}.yaml")
    return directory
