"""Every hall config shipped in firmware_configs/sites/ loads, and says what it promises."""
from __future__ import annotations

from pathlib import Path

import firmware_configs
import pytest
from hall_samples import write_profiles

from hall.config import load_hall_config

SITES = Path(firmware_configs.__file__).parent / "sites"
SITE_FILES = sorted(SITES.glob("*.yaml"))


def test_the_three_example_sites_are_shipped():
    assert {p.stem for p in SITE_FILES} >= {"county", "township", "village"}


@pytest.mark.parametrize("path", SITE_FILES, ids=lambda p: p.name)
def test_every_shipped_site_config_loads(path):
    # Strict on purpose: against the shipped firmware_configs/devices/, so a site naming a
    # device profile nobody ships fails here.
    config = load_hall_config(path)
    assert config.source == str(path)


@pytest.fixture
def load_site(tmp_path):
    """A shipped site loaded against stand-in profiles: checks the site's own content."""
    devices = write_profiles(tmp_path / "devices")
    return lambda name: load_hall_config(SITES / f"{name}.yaml", devices)


def test_county_hall(load_site):
    config = load_site("county")
    assert config.kind == "county" and len(config.windows) >= 12
    names = {c.name for c in config.categories}
    assert {"医保业务", "社保业务", "不动产登记", "税务业务", "一件事一次办", "办不成事反映"} <= names
    all_ids = {c.id for c in config.categories}
    kinds = {w.kind for w in config.windows}
    assert kinds == {"comprehensive", "domain", "dedicated"}
    for window in config.windows:
        if window.kind == "comprehensive":
            assert set(window.categories) == all_ids
    assert config.category("budongchan").real_name and config.category("shebao").real_name
    roles = {h.id: h.role for h in config.hosts}
    assert roles == {"k1": "kiosk", "k2": "kiosk", "a1": "agent"}
    for kiosk in ("k1", "k2"):
        assert {(d.kind, d.profile) for d in config.host(kiosk).devices} == {
            ("printer", "xprinter-80"), ("card_reader", "sam-generic"), ("camera", "usb-camera"),
            ("scanner", "serial-qr-scanner")}
    assert [(d.kind, d.profile) for d in config.host("a1").devices] == \
        [("display_bus", "generic-led")]
    assert all(w.display and w.keypad and w.evaluator for w in config.windows)


def test_township_centre(load_site):
    config = load_site("township")
    assert (config.kind, len(config.windows)) == ("township", 3)
    assert [(h.role, h.kiosk.room) for h in config.hosts] == [("kiosk", "hall"), ("kiosk", "self_service")]
    assert config.hours.lunch is not None
    assert (config.self_service.open, config.self_service.close) == (0, 24 * 60)
    assert (config.sync.county, config.sync.is_site) == ("qingshan-county", True)


def test_village_station(load_site):
    config = load_site("village")
    assert (config.kind, config.windows) == ("village", ())
    assert [h.role for h in config.hosts] == ["kiosk"]
    assert config.sync.county == "qingshan-county" and config.sync.hub.endswith(":8883")
