"""What the kiosk of a site says about the line, from the hall state its own server publishes
(the real payload of a village's HallService), and the self-service room's hours: after the
windows close, its kiosk keeps to the self-service items."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hall.config.hall import ConfigError, load_hall_config
from hall.words import LINE_DOWN_KIOSK, LINE_NEEDS
from kiosk.flows.hall_view import HallView
from kiosk.session import Session
from queue_server.service import HallService
from sites import NOON, VILLAGE, file_application, site_config

SITES = Path(__file__).resolve().parents[2] / "firmware_configs" / "sites"
TZ = ZoneInfo("Asia/Shanghai")


def test_the_kiosk_says_plainly_what_needs_the_line(tmp_path):
    config = site_config(VILLAGE)
    service = HallService(config, str(tmp_path / "village.sqlite"), clock=lambda: NOON)
    view = HallView(config.categories)
    view.set_connected(True)
    try:
        def show() -> None:
            view.update_state("hall/state", service.retained_states()["hall/state"])

        show()
        assert view.line is None and view.banner() == "" and view.needs_line() == ""
        service.set_line({"state": "down", "backlog": 0, "oldest": None, "last_sync": None})
        show()
        assert view.banner() == LINE_DOWN_KIOSK and view.needs_line() == LINE_NEEDS
        # filing still works with the line down: held, counted in the backlog the kiosk sees
        file_application(service, 1)
        service.set_line({"state": "down", "backlog": 1, "oldest": NOON, "last_sync": None})
        show()
        assert view.line["backlog"] == 1
        service.set_line({"state": "up", "backlog": 0, "oldest": None, "last_sync": NOON})
        show()
        assert view.banner() == "" and view.needs_line() == ""
    finally:
        service.close()


def at_local(hour: int, day: dt.date = dt.date(2026, 12, 2)) -> float:     # a Wednesday
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ).timestamp()


def test_the_self_service_room_keeps_to_self_service_after_hours():
    config = load_hall_config(SITES / "township.yaml")
    wall = [at_local(20)]
    room = Session(config, config.host("k2"), None, None, wall=lambda: wall[0])
    hall = Session(config, config.host("k1"), None, None, wall=lambda: wall[0])
    for session in (room, hall):
        session.view.update_state("hall/state", {"waiting": 0, "served_today": 0,
                                                 "open_windows": 0, "open": False, "ts": 0})
    assert room.self_service_only() and not hall.self_service_only()
    wall[0] = at_local(3, dt.date(2026, 10, 1))          # 国庆节, 3 a.m.: the room is open
    assert room.self_service_only()
    room.view.update_state("hall/state", {"waiting": 0, "served_today": 0, "open_windows": 2,
                                          "open": True, "ts": 0})
    assert not room.self_service_only()                  # the windows are open: everything


def test_a_self_service_kiosk_needs_the_rooms_hours(tmp_path):
    text = (SITES / "township.yaml").read_text(encoding="utf-8")
    start = text.index("  self_service_hours:")
    broken = tmp_path / "township.yaml"
    broken.write_text(text[:start] + text[text.index("\n", start) + 1:], encoding="utf-8")
    (tmp_path / "county-ca.pem").write_text("")
    with pytest.raises(ConfigError, match="k2.*self-service room.*self_service_hours"):
        load_hall_config(broken)


def test_a_sites_sync_section_is_checked(tmp_path):
    text = (SITES / "village.yaml").read_text(encoding="utf-8")
    cases = {"  hub: hub.qingshan.gov.cn:8883\n": ("", "needs the county's hub"),
             "  book_url: \"https://zwfw.baisha.gov.cn\"": ("  book_url: baisha", "book_url"),
             "  county: qingshan-county\n": ("  county: shiqiao-village\n", "its own county")}
    for old, (new, message) in cases.items():
        path = tmp_path / "village.yaml"
        path.write_text(text.replace(old, new), encoding="utf-8")
        with pytest.raises(ConfigError, match=message):
            load_hall_config(path)
    county = (SITES / "county.yaml").read_text(encoding="utf-8").replace(
        "    - {id: shiqiao-village, kind: village", "    - {id: baisha-town, kind: village")
    (tmp_path / "county.yaml").write_text(county, encoding="utf-8")
    with pytest.raises(ConfigError, match="site id 'baisha-town' is used twice"):
        load_hall_config(tmp_path / "county.yaml")
