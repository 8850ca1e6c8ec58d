"""Every shipped device profile loads; a wrong value is reported at its file and line."""
from __future__ import annotations

import shutil

import pytest

from hall.config.devices import PROFILE_KINDS, devices_dir, load_profile, profile_names
from hall.config import Problems, load_yaml_text

SHIPPED = profile_names()


def test_profiles_are_shipped_for_the_example_sites():
    for name in ("xprinter-80", "xprinter-58", "sam-generic", "usb-camera"):
        assert name in SHIPPED


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_profile_loads_without_a_problem(name):
    problems = Problems()
    profile = load_profile(name, problems)
    assert problems.items == []
    assert profile is not None and type(profile).__name__.endswith("Profile")


def test_every_kind_with_a_reader_has_a_shipped_profile():
    kinds = set()
    for path in devices_dir().glob("*.yaml"):
        kinds |= {line.split(":", 1)[1].split("#")[0].strip()
                  for line in path.read_text(encoding="utf-8").splitlines()
                  if line.startswith("kind:")}
    assert {"card_reader", "printer", "camera"} <= kinds <= set(PROFILE_KINDS)


def _copy_with(tmp_path, name: str, option: str, value: str):
    text = (devices_dir() / f"{name}.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(f"{option}:"))
    lines[index] = f"{option}: {value}"
    (tmp_path / f"{name}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return index + 1


@pytest.mark.parametrize("name, option, value, message", [
    ("xprinter-80", "chars_per_line", "60", "do not fit 576 dots"),
    ("xprinter-80", "qr_error_correction", "X", "not one of: L, M, Q, H"),
    ("xprinter-58", "number_scale", "9", "above the maximum 8"),
    ("xprinter-80", "cut", "sideways", "not one of: full, partial"),
    ("sam-generic", "baudrate", "12345", "is not a SAM rate"),
    ("sam-generic", "reply_timeout_s", "0", "below the minimum"),
    ("sam-generic", "photo_output", "jpeg", "not one of: bmp, bgr"),
    ("usb-camera", "fps", "'fast'", "must be a whole number"),
])
def test_a_wrong_value_is_reported_at_its_file_and_line(tmp_path, name, option, value, message):
    line = _copy_with(tmp_path, name, option, value)
    problems = Problems()
    load_profile(name, problems, directory=tmp_path)
    assert [(p.file, p.line) for p in problems.items] == [(str(tmp_path / f"{name}.yaml"), line)]
    assert message in problems.items[0].message


def test_an_unknown_option_is_reported(tmp_path):
    shutil.copy(devices_dir() / "xprinter-80.yaml", tmp_path)
    with open(tmp_path / "xprinter-80.yaml", "a", encoding="utf-8") as f:
        f.write("paper_colour: pink\n")
    problems = Problems()
    load_profile("xprinter-80", problems, directory=tmp_path)
    assert "unknown option 'paper_colour'" in problems.items[0].message


def test_a_site_override_is_applied_and_its_mistakes_point_at_the_site_file():
    problems = Problems()
    site = load_yaml_text("baudrate: 9600\nnumber_scale: 3\n", "county.yaml", problems)
    profile = load_profile("xprinter-80", problems, kind="printer", overrides=site)
    assert problems.items == [] and (profile.baudrate, profile.number_scale) == (9600, 3)
    bad = load_yaml_text("port: /dev/ttyUSB0\nprofile: x\nnumber_scale: 30\n", "county.yaml",
                         problems)
    load_profile("xprinter-80", problems, kind="printer", overrides=bad)
    assert [(p.file, p.line) for p in problems.items] == [("county.yaml", 3)]


def test_a_site_override_that_breaks_a_rule_across_options_is_reported_at_the_site_file():
    problems = Problems()
    site = load_yaml_text("port: /dev/ttyUSB0\nprofile: x\nchars_per_line: 72\n", "county.yaml",
                          problems)
    load_profile("xprinter-80", problems, kind="printer", overrides=site)
    assert [(p.file, p.line) for p in problems.items] == [("county.yaml", 3)]
    assert "72 characters of 12 dots do not fit 576 dots" in problems.items[0].message
