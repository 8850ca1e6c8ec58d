"""docs/config.md documents every option the loader reads, in the table of its own section.

A mention anywhere in the text is not enough: a technician looks an option up in the table
of the section it belongs to.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from hall.config import hall
from hall.config.model import DEVICE_KINDS

DOC = Path(__file__).resolve().parents[2] / "docs" / "config.md"
HEADING = re.compile(r"^#{2,3} `([^`]+)`\s*$")
ROW = re.compile(r"^\| `([^`]+)` \|")
KINDS_LINE = re.compile(r"`([a-z_]+)` \(")

# section heading -> the options its table must list
SECTIONS = {
    "hall": ["id", "name", "kind", "timezone", "catalogue", "closures", "hours", "rules",
             "appointments", "self_service_hours", "cases", "ratings"],
    "hall.cases": [*sorted(hall.CASE_OPTIONS), "default_lead", "leads"],
    "hall.cases.leads": ["department", "staff"],
    "hall.ratings": ["reasons", *sorted(hall.RATINGS_OPTIONS)],
    "province": sorted(hall.PROVINCE_OPTIONS),
    "hall.hours": ["open", "close", "lunch", "weekdays", "last_ticket_before_close"],
    "hall.rules": sorted(hall.RULES_OPTIONS),
    "hall.appointments": [*sorted(hall.APPOINTMENT_OPTIONS), "extended_hours", "weekend_service",
                          "no_show_block"],
    "hall.appointments.extended_hours": ["from", "to"],
    "hall.appointments.weekend_service": ["weekday", "from", "to"],
    "hall.appointments.no_show_block": sorted(hall.NO_SHOW_OPTIONS),
    "server": sorted(hall.SERVER_OPTIONS),
    "sync": [*sorted(hall.SYNC_OPTIONS), "sites"],
    "sync.sites": ["id", "kind", "name"],
    "categories": ["id", "prefix", "name", "services", *sorted(hall.CATEGORY_OPTIONS)],
    "windows": ["id", "name", "kind", "categories", "display", "keypad", "evaluator", "host",
                "address", "department"],
    "hosts": ["id", "role", "kiosk", "devices"],
    "hosts[].kiosk": sorted(hall.KIOSK_OPTIONS),
    "hosts[].devices": ["profile", "port"],
}


def documented() -> dict[str, set[str]]:
    """Each section's table rows (options) and, for the devices section, its kinds."""
    rows: dict[str, set[str]] = {}
    section = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = HEADING.match(line)
        if heading:
            section = heading.group(1)
            rows.setdefault(section, set())
        elif line.startswith("#"):
            section = None
        elif section:
            row = ROW.match(line)
            if row:
                rows[section].add(row.group(1))
            if section == "hosts[].devices" and line.startswith("Kinds:"):
                rows["kinds"] = set()
            if "kinds" in rows and section == "hosts[].devices":
                rows["kinds"].update(KINDS_LINE.findall(line))
    return rows


CASES = [(section, option) for section, options in SECTIONS.items() for option in options]


@pytest.mark.parametrize("section,option", CASES)
def test_option_is_in_its_sections_table(section, option):
    assert option in documented().get(section, set()), f"`{option}` missing from `{section}`"


@pytest.mark.parametrize("kind", DEVICE_KINDS)
def test_device_kind_is_listed(kind):
    assert kind in documented().get("kinds", set())


def test_the_check_would_see_a_missing_row(tmp_path, monkeypatch):
    """The parser is not fooled by a mention outside the table."""
    text = DOC.read_text(encoding="utf-8")
    without = "\n".join(line for line in text.splitlines() if not line.startswith("| `elderly_age`"))
    fake = tmp_path / "config.md"
    fake.write_text(without + "\nSee `elderly_age` above.\n", encoding="utf-8")
    monkeypatch.setitem(globals(), "DOC", fake)
    assert "elderly_age" not in documented()["hall.rules"]
