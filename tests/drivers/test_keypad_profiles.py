"""Profiles of the window bus, keypads, evaluator pads and voice: shipped ones load, mistakes
are reported with the file and line."""
import pytest

from drivers.profiles import load_device_profile, load_profile
from queue_server.config import ConfigError, Problems
from queue_server.config.model import DeviceRef

SHIPPED = ["generic-led", "onbon-bx5k", "generic-keypad", "ff68-keypad", "generic-evaluator",
           "ff68-evaluator", "espeak-voice", "clip-voice"]


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_window_profile_loads_cleanly(name):
    problems = Problems()
    assert load_profile(name, problems) is not None
    assert problems.items == []


def test_evaluator_keys_map_to_levels_five_to_one():
    profile = load_profile("generic-evaluator", Problems())
    assert profile.key_map() == {1: 5, 2: 4, 3: 3, 4: 2, 5: 1}


def test_bus_profile_brings_its_keypad_and_evaluator_profiles():
    bus = load_profile("onbon-bx5k", Problems())
    assert bus.protocol == "onbon_bx" and bus.keypad.key_map()[1] == "call_next"
    assert bus.evaluator.kind == "evaluator"


def load_from(tmp_path, name, text):
    (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    problems = Problems()
    load_profile(name, problems, directory=tmp_path)
    with pytest.raises(ConfigError) as err:
        problems.raise_if_any()
    return str(err.value)


def test_unknown_key_action_is_reported_at_its_line(tmp_path):
    text = "kind: keypad\nframe: generic\nkeys:\n  1: call_next\n  2: call_later\n"
    message = load_from(tmp_path, "pad", text)
    assert "pad.yaml:5" in message and "call_later" in message


def test_evaluator_level_out_of_range_is_reported(tmp_path):
    message = load_from(tmp_path, "eval", "kind: evaluator\nkeys: {1: 6}\n")
    assert "eval.yaml:2" in message and "above the maximum 5" in message


def test_a_site_override_is_applied_and_a_bad_one_reported():
    ok = DeviceRef("display_bus", "generic-led", "/dev/ttyUSB0", (("retries", 5),), line=40)
    assert load_device_profile(ok, Problems(), source="site.yaml").retries == 5
    bad = DeviceRef("display_bus", "generic-led", "/dev/ttyUSB0", (("retries", "many"),), line=40)
    problems = Problems()
    load_device_profile(bad, problems, source="site.yaml")
    assert any("site.yaml" in p.file and "line 40" in p.file and "retries" in p.message
               for p in problems.items)


def test_a_voice_profile_is_not_a_display_bus():
    ref = DeviceRef("display_bus", "espeak-voice", "/dev/ttyUSB0")
    problems = Problems()
    assert load_device_profile(ref, problems) is None
    assert "is for a voice, not a display_bus" in problems.items[0].message
