"""The hall config loader: what a valid file becomes, and where each kind of mistake points."""
from __future__ import annotations

import pytest
from hall_samples import BASE, edit, line_of, only

from hall.config import ConfigError, load_hall_config
from hall.config.model import (Category, HallConfig, Hours, KioskSettings, QueueRules,
                               ServerSettings, Window)


# -- a valid file --------------------------------------------------------------------------

def test_valid_config_becomes_plain_data(write, profiles_dir):
    config = load_hall_config(write(BASE), profiles_dir)
    assert (config.id, config.name, config.kind) == ("test-hall", "测试县政务服务中心", "county")
    assert config.timezone == "Asia/Shanghai"
    assert config.hours == Hours(open=510, close=1050, lunch=(720, 810))
    assert config.rules == QueueRules() and config.server == ServerSettings()
    yibao = config.category("yibao")
    assert (yibao.prefix, yibao.name, yibao.real_name, yibao.per_person_limit) == \
        ("B", "医保业务", True, 2)
    assert yibao.line == line_of(BASE, "- id: yibao")


def test_comprehensive_window_serves_every_category_listed_first(write, profiles_dir):
    config = load_hall_config(write(BASE), profiles_dir)
    assert config.window("1").categories == ("yibao", "zonghe")
    assert config.window("2").categories == ("yibao",)       # domain: only its own
    assert config.window("1").name == "1号窗口"               # default name
    assert config.window("1").display == ("a1", 1)
    assert config.window("1").keypad == ("a1", 101)
    assert config.window("2").evaluator is None


def test_a_comprehensive_window_serves_every_category_however_the_config_is_made():
    """One rule (hall.config.model.served_categories): the engine and the console's window
    page read Window.categories, also of a config made in code, not read from a file."""
    config = HallConfig(id="h", name="测试中心", categories=(Category("a", "A", "综合业务"),
                                                             Category("b", "B", "社保业务")),
                        windows=(Window("1", "1号窗口", kind="comprehensive", categories=("b",)),
                                 Window("2", "2号窗口", kind="domain", categories=("a",))))
    assert config.window("1").categories == ("b", "a")
    assert config.window("2").categories == ("a",)


def test_hosts_keep_devices_and_profile_overrides(write, profiles_dir):
    config = load_hall_config(write(BASE), profiles_dir)
    printer = config.host("k1").devices[0]
    assert (printer.kind, printer.profile, printer.port) == ("printer", "xprinter-80",
                                                              "/dev/ttyUSB0")
    assert printer.options == (("paper_width_mm", 80),)
    assert printer.settings.paper_width_mm == 80 and printer.settings.chars_per_line == 48
    assert printer.line == line_of(BASE, "printer:")
    assert config.host("k1").kiosk == KioskSettings()
    assert config.host("a1").role == "agent"


def test_unquoted_times_and_24_hour_hall(write, profiles_dir):
    # YAML reads unquoted 00:00 as a number; the loader still takes it as a time.
    text = edit(BASE, '''    open: "08:30"
    close: "17:30"
    lunch: ["12:00", "13:30"]''', "    open: 00:00\n    close: \"24:00\"")
    hours = load_hall_config(write(text), profiles_dir).hours
    assert (hours.open, hours.close, hours.lunch) == (0, 1440, None)
    assert hours.last_ticket_before_close == 0     # a 24-hour hall never stops issuing
    assert hours.is_open(1, 23 * 60 + 59)
    assert not hours.open_on_holidays              # holidays close unless the config says


def test_open_on_holidays_is_read(write, profiles_dir):
    text = edit(BASE, '    open: "08:30"\n', '    open: "08:30"\n    open_on_holidays: true\n')
    assert load_hall_config(write(text), profiles_dir).hours.open_on_holidays


def test_every_section_option_is_read(write, profiles_dir):
    text = edit(BASE, "server:\n  console_port: 8080\n", """\
  timezone: Asia/Urumqi
  rules:
    max_recalls: 3
    elderly_age: 70
server:
  broker: "mqtts://hall:secret@10.0.0.2:8883"
  console_port: 8081
  max_payload_bytes: 65536
""")
    text = edit(text, "    role: kiosk\n", """\
    role: kiosk
    kiosk: {orientation: landscape, idle_timeout_s: 45, elderly_default: true}
""")
    config = load_hall_config(write(text), profiles_dir)
    assert config.timezone == "Asia/Urumqi"
    assert (config.rules.max_recalls, config.rules.elderly_age) == (3, 70)
    assert config.server.broker == "mqtts://hall:secret@10.0.0.2:8883"
    assert (config.server.console_port, config.server.max_payload_bytes) == (8081, 65536)
    kiosk = config.host("k1").kiosk
    assert (kiosk.orientation, kiosk.idle_timeout_s, kiosk.elderly_default) == \
        ("landscape", 45, True)


def test_catalogue_path_is_relative_to_the_config(write, profiles_dir, tmp_path):
    # JSON is YAML: the smallest valid catalogue (docs/catalog.md), one item of category yibao.
    (tmp_path / "catalogue.json").write_text(
        '{"domains": ["医保"], "items": [{"code": "YB-1", "name": "医保登记", "domain": "医保",'
        ' "category": "yibao", "legal_days": 0}]}', encoding="utf-8")
    text = edit(BASE, "  kind: county\n", "  kind: county\n  catalogue: catalogue.json\n")
    config = load_hall_config(write(text), profiles_dir)
    assert config.catalogue == str(tmp_path / "catalogue.json")
    assert config.catalog.item("YB-1").category == "yibao"


# -- each kind of mistake, at its line ------------------------------------------------------

def test_wrong_type(problems):
    text = edit(BASE, "    per_person_limit: 2", "    per_person_limit: two")
    problem = only(problems(text), "per_person_limit")
    assert problem.line == line_of(text, "per_person_limit: two")
    assert problem.message == "'categories[1].per_person_limit' must be a whole number, got 'two'"


def test_out_of_range(problems):
    text = edit(BASE, "  console_port: 8080", "  console_port: 70000")
    problem = only(problems(text), "console_port")
    assert problem.line == line_of(text, "console_port")
    assert "above the maximum 65535" in problem.message


def test_unknown_option_names_the_known_ones(problems):
    text = edit(BASE, "    real_name: true", "    real_name: true\n    dialy_cap: 50")
    problem = only(problems(text), "unknown option")
    assert problem.line == line_of(text, "dialy_cap")
    assert problem.message == "unknown option 'categories[1].dialy_cap'"
    assert "daily_cap" in problem.hint and "per_person_limit" in problem.hint


def test_misspelt_device_kind_is_unknown(problems):
    text = edit(BASE, "      printer: {", "      priner: {")
    problem = only(problems(text), "unknown option")
    assert problem.line == line_of(text, "priner")
    assert "card_reader" in problem.hint and "printer" in problem.hint


def test_duplicate_prefix_points_at_the_second(problems):
    text = edit(BASE, "    prefix: B", "    prefix: A")
    problem = only(problems(text), "prefix")
    assert problem.line == line_of(text, "prefix: A", nth=1)
    assert problem.message == \
        f"category prefix 'A' is used twice (first at line {line_of(text, 'prefix: A')})"


def test_duplicate_window_id(problems):
    text = edit(BASE, '  - id: "2"', '  - id: "1"')
    problem = only(problems(text), "window id")
    assert problem.line == line_of(text, '- id: "1"', nth=1)


def test_window_naming_unknown_category(problems):
    text = edit(BASE, "      - yibao\n", "      - yibao\n      - shuiwu\n")
    problem = only(problems(text), "shuiwu")
    assert problem.line == line_of(text, "- shuiwu")
    assert problem.message == "window category 'shuiwu' is not a category of this hall"
    assert problem.hint == "categories are: zonghe, yibao"


def test_yaml_syntax_error_is_the_only_problem(problems):
    text = edit(BASE, "    name: 医保业务", "    name: [医保业务")
    found = problems(text)
    assert len(found) == 1
    assert found[0].message.startswith("YAML syntax error")
    # PyYAML notices the unclosed bracket at the next key; the report is within a line of it.
    assert found[0].line in (line_of(text, "[医保业务"), line_of(text, "[医保业务") + 1)


def test_missing_required_option(problems):
    text = edit(BASE, "    prefix: B\n", "")
    problem = only(problems(text), "missing")
    assert problem.message == "missing required option 'categories[1].prefix'"
    assert problem.line == line_of(text, "- id: yibao")
    assert problem.hint == "add 'prefix:' to this section"


def test_several_problems_reported_together_in_line_order(problems):
    text = edit(BASE, "  kind: county", "  kind: city")
    text = edit(text, "    prefix: B", "    prefix: b")
    text = edit(text, "address: 2}", "address: 300}")
    found = problems(text)
    assert [p.line for p in found] == [line_of(text, "kind: city"), line_of(text, "prefix: b"),
                                       line_of(text, "address: 300")]
    assert "not one of: county, township, village" in found[0].message
    assert "has the wrong form" in found[1].message
    assert "above the maximum 254" in found[2].message


# -- cross-checks ----------------------------------------------------------------------------

def test_display_must_hang_on_an_agent_host(problems):
    text = edit(BASE, "display: {host: a1, address: 2}", "display: {host: k1, address: 2}")
    problem = only(problems(text), "not an agent")
    assert problem.line == line_of(text, "host: k1")
    assert problem.message == "host 'k1' is a kiosk, not an agent"


def test_display_on_an_unknown_host_lists_the_agents(problems):
    text = edit(BASE, "display: {host: a1, address: 2}", "display: {host: a9, address: 2}")
    problem = only(problems(text), "a9")
    assert problem.hint == "agent hosts are: a1"


def test_agent_without_a_display_bus(problems):
    text = edit(BASE, "      display_bus: {profile: generic-led, port: /dev/ttyUSB1}\n", "")
    found = problems(text)
    assert {p.line for p in found if "no display_bus" in p.message} == \
        {line_of(text, "address: 1}"), line_of(text, "address: 101}"),
         line_of(text, "address: 2}")}


def test_bus_addresses_are_unique_per_agent(problems):
    text = edit(BASE, "keypad: {host: a1, address: 101}", "keypad: {host: a1, address: 2}")
    problem = only(problems(text), "address 2")
    assert problem.line == line_of(text, "display: {host: a1, address: 2}")
    assert problem.message == "address 2 on host 'a1' is already window 1's keypad"


def test_device_profile_must_exist(problems):
    text = edit(BASE, "profile: xprinter-80", "profile: xprinter-58")
    problem = only(problems(text), "xprinter-58")
    assert problem.line == line_of(text, "xprinter-58")
    assert "generic-led" in problem.hint and "xprinter-80" in problem.hint


def test_profiles_are_found_in_the_installed_package_not_the_cwd(write, tmp_path, monkeypatch):
    import firmware_configs
    from pathlib import Path

    from hall.config import ConfigError
    shipped = Path(firmware_configs.__file__).parent / "devices"
    elsewhere = tmp_path / "cwd"
    (elsewhere / "firmware_configs" / "devices").mkdir(parents=True)
    (elsewhere / "firmware_configs" / "devices" / "no-such-model.yaml").write_text("kind: x\n")
    monkeypatch.chdir(elsewhere)
    path = write(edit(BASE, "profile: xprinter-80", "profile: no-such-model"))
    with pytest.raises(ConfigError) as info:
        load_hall_config(path)
    assert f"no device profile 'no-such-model' in {shipped}" in str(info.value)


def test_domain_window_needs_categories(problems):
    text = edit(BASE, "    categories:\n      - yibao\n", "")
    problem = only(problems(text), "needs its categories")
    assert problem.line == line_of(text, '- id: "2"')


def test_category_that_no_window_serves(problems):
    text = edit(BASE, "    kind: comprehensive", "    kind: dedicated")
    problem = only(problems(text), "no window serves")
    assert problem.line == line_of(text, "- id: zonghe")
    assert problem.message == "no window serves category 'zonghe' (综合业务)"
    assert "comprehensive window" in problem.hint


def test_village_station_has_no_windows(problems):
    text = edit(BASE, "  kind: county", "  kind: village")
    problem = only(problems(text), "village")
    assert problem.line == line_of(text, "windows:")
    assert problem.hint.startswith("remove the windows: section")


def test_village_station_without_windows_loads(write, profiles_dir):
    text = edit(BASE, "  kind: county", "  kind: village")
    text = text[:text.index("windows:")] + text[text.index("hosts:"):]
    text = text.replace("  - id: a1\n    role: agent\n    devices:\n      display_bus: "
                        "{profile: generic-led, port: /dev/ttyUSB1}\n", "")
    config = load_hall_config(write(text), profiles_dir)
    assert (config.kind, config.windows, len(config.hosts)) == ("village", (), 1)


def test_county_hall_needs_windows_and_categories(problems):
    text = edit(BASE, BASE[BASE.index("categories:"):BASE.index("hosts:")], "categories: []\n")
    found = problems(text)
    assert only(found, "at least one category").line == line_of(text, "categories: []")
    assert only(found, "at least one window").line == line_of(text, "categories: []")


@pytest.mark.parametrize("hours, snippet, fragment", [
    ('open: "17:30"\n    close: "08:30"', 'close: "08:30"', "closes (08:30) before it opens"),
    ('open: "08:30"\n    close: "17:30"\n    lunch: ["07:00", "09:00"]', "lunch: [",
     "not inside the opening hours 08:30-17:30"),
    ('open: "08:30"\n    close: "09:00"\n    last_ticket_before_close: 30',
     "last_ticket_before_close", "leaves no time"),
    ('open: "08:30"\n    close: "17:30"\n    weekdays: [1, 2, 8]', "weekdays", "weekday 8"),
    ('open: "08:30"\n    close: "17:30"\n    lunch: "12:00"', "lunch:", "must be two times"),
    ('open: "8.30"\n    close: "17:30"', "open:", "not a time of day"),
])
def test_opening_hours_mistakes(problems, hours, snippet, fragment):
    text = edit(BASE, 'open: "08:30"\n    close: "17:30"\n    lunch: ["12:00", "13:30"]', hours)
    problem = only(problems(text), fragment)
    assert problem.line == line_of(text, snippet)


@pytest.mark.parametrize("old, new, fragment", [
    ("  console_port: 8080", '  broker: "http://10.0.0.2"', "not an mqtt:// or mqtts://"),
    ("  console_port: 8080", '  broker: "mqtt://10.0.0.2:99999"', "bad port"),
    ("  console_port: 8080", "  console_port: 1883", "both want port 1883"),
    ("  kind: county", "  kind: county\n  timezone: Asia/Beijing", "unknown time zone"),
    ("  kind: county", "  kind: county\n  catalogue: nowhere.json", "catalogue file"),
    ("    name: 医保业务", "    name: Medical", "must be Chinese"),
    ("    real_name: true\n", "", "needs real_name: true"),
    ("  - id: a1\n", "  - id: a1\n    kiosk: {orientation: portrait}\n", "has kiosk: settings"),
    ("paper_width_mm: 80", "paper_width_mm: {a: 1}", "single value or a list"),
    ("  id: test-hall", "  id: Test Hall", "'hall.id' value 'Test Hall' has the wrong form"),
])
def test_other_mistakes(problems, old, new, fragment):
    text = edit(BASE, old, new)
    problem = only(problems(text), fragment)
    assert problem.line == line_of(text, new.strip().splitlines()[-1] if new.strip() else
                                   "per_person_limit")


def test_device_override_is_checked_by_its_driver_at_the_site_line(write, profiles_dir):
    text = edit(BASE, "paper_width_mm: 80}", "paper_width_mm: 80, baudrate: 12, colour: red}")
    with pytest.raises(ConfigError) as info:
        load_hall_config(write(text), profiles_dir)
    problems = info.value.problems
    line = line_of(text, "colour: red")
    assert any("'baudrate' is 12, below the minimum 1200" in p.message and p.line == line
               for p in problems)
    assert any("unknown option" in p.message and "colour" in p.message and p.line == line
               for p in problems)


def test_face_verify_is_read_and_needs_real_name(write, profiles_dir, problems):
    text = edit(BASE, "    per_person_limit: 2", "    per_person_limit: 2\n    face_verify: true")
    assert load_hall_config(write(text), profiles_dir).categories[1].face_verify is True
    text = edit(BASE, "    name: 综合业务", "    name: 综合业务\n    face_verify: true")
    problem = only(problems(text), "face_verify")
    assert problem.line == line_of(text, "face_verify: true")
    assert "needs real_name: true" in problem.message
