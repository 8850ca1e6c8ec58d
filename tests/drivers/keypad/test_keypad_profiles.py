"""Profiles of the window bus, keypads, evaluator pads and voice: shipped ones load, mistakes
are reported with the file and line."""
import pytest

from hall.config.devices import load_profile
from hall.config import load_yaml_text
from hall.config import ConfigError, Problems

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


def _site_entry(text: str, problems: Problems):
    return load_yaml_text(text, "site.yaml", problems).section("display_bus")


def test_a_site_override_is_applied_and_a_bad_one_reported():
    problems = Problems()
    ok = _site_entry("display_bus:\n  profile: generic-led\n  retries: 5\n", problems)
    assert load_profile("generic-led", problems, kind="display_bus", overrides=ok).retries == 5
    assert not problems.items
    bad = _site_entry("display_bus:\n  profile: generic-led\n  retries: many\n", problems)
    load_profile("generic-led", problems, kind="display_bus", overrides=bad)
    assert any(p.file == "site.yaml" and p.line == 3 and "retries" in p.message
               for p in problems.items)


def test_a_voice_profile_is_not_a_display_bus():
    problems = Problems()
    entry = _site_entry("display_bus:\n  profile: espeak-voice\n", problems)
    assert load_profile("espeak-voice", problems, kind="display_bus", overrides=entry) is None
    assert "is for a voice, not a display_bus" in problems.items[0].message


def test_a_bus_profile_naming_a_missing_pad_profile_is_reported_at_that_line(tmp_path):
    message = load_from(tmp_path, "bus", "kind: display_bus\nkeypad: no-such-pad\n")
    assert "bus.yaml:2: no device profile 'no-such-pad'" in message
    assert "generic-keypad" in message          # the hint lists the profiles there are


def test_a_pad_profile_name_is_only_a_name(tmp_path):
    message = load_from(tmp_path, "bus", "kind: display_bus\nevaluator: ../sites/x\n")
    assert "bus.yaml:2: 'evaluator' value '../sites/x' has the wrong form" in message


def test_a_bus_profile_finds_its_pad_profile_beside_it_before_the_shipped_ones(tmp_path):
    (tmp_path / "bus.yaml").write_text("kind: display_bus\nkeypad: county-keypad\n",
                                       encoding="utf-8")
    (tmp_path / "county-keypad.yaml").write_text("kind: keypad\nkeys: {7: recall}\n",
                                                 encoding="utf-8")
    problems = Problems()
    bus = load_profile("bus", problems, directory=tmp_path)
    assert problems.items == [] and bus.keypad.key_map() == {7: "recall"}
    assert bus.evaluator.key_map()[1] == 5      # not beside it: the shipped generic-evaluator


def test_a_site_may_name_another_pad_profile_for_its_bus():
    problems = Problems()
    entry = _site_entry("display_bus:\n  profile: generic-led\n  keypad: ff68-keypad\n",
                        problems)
    bus = load_profile("generic-led", problems, kind="display_bus", overrides=entry)
    assert problems.items == [] and bus.keypad.frame == "ff68"
    wrong = _site_entry("display_bus:\n  profile: generic-led\n  keypad: espeak-voice\n",
                        problems)
    load_profile("generic-led", problems, kind="display_bus", overrides=wrong)
    assert "is for a voice, not a keypad" in problems.items[0].message
