"""docs/config.md documents every option the loader reads."""
from __future__ import annotations

from pathlib import Path

import pytest

from hall.config import hall
from hall.config.model import DEVICE_KINDS

DOC = Path(__file__).resolve().parents[2] / "docs" / "config.md"

# Options read outside the option tables of hall.py.
OTHER_OPTIONS = ["id", "name", "kind", "timezone", "catalogue", "hours", "rules", "open",
                 "close", "lunch", "weekdays", "last_ticket_before_close", "prefix",
                 "services", "categories", "display", "keypad", "evaluator", "host",
                 "address", "role", "kiosk", "devices", "profile", "port", "server",
                 "windows", "hosts"]
OPTIONS = sorted({*hall.RULES_OPTIONS, *hall.SERVER_OPTIONS, *hall.KIOSK_OPTIONS,
                  *hall.CATEGORY_OPTIONS, *DEVICE_KINDS, *OTHER_OPTIONS})


@pytest.mark.parametrize("option", OPTIONS)
def test_option_is_documented(option):
    assert f"`{option}`" in DOC.read_text(encoding="utf-8")
