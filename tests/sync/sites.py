"""The county, a township and a village of the sync tests, as HallConfigs (tests/engine/halls.py
plus a catalogue with a kiosk item), and a day's traffic to drive through them."""
from __future__ import annotations

import getpass
from dataclasses import replace

from halls import at, hall, id_number
from hall.catalog import Catalog, Item, Material
from hall.config.model import Category, SiteRef, SyncSettings
from queue_server.broker import MosquittoBroker, free_port
from queue_server.commands import broker_config

COUNTY, TOWN, VILLAGE = "qingshan", "baisha", "shiqiao"
CATALOG = Catalog(domains=("社保", "综合"), items=(
    Item("sb01", "社会保障卡申领", "社保", "b", committed_days=5, kiosk=True,
         materials=(Material("居民身份证"),)),
    Item("zh01", "证明开具", "综合", "a", kiosk=True),
))
NOON = at(10)


def county_config():
    return replace(hall(), id=COUNTY, name="青山县政务服务中心", catalog=CATALOG, sync=SyncSettings(
        sites=(SiteRef(TOWN, "township", "白沙镇便民服务中心"), SiteRef(VILLAGE, "village", "石桥村便民服务站"))))


def site_config(site: str, hub: str = "127.0.0.1:1"):
    sync = SyncSettings(county=COUNTY, hub=hub, interval_s=0.3)
    base = replace(hall(), id=site, catalog=CATALOG, sync=sync)
    if site == VILLAGE:     # no windows: a kiosk for guides, self-filing and following
        return replace(base, name="石桥村便民服务站", kind="village", windows=(),
                       categories=(Category("b", "B", "帮办代办", services=("sb01",)),))
    return replace(base, name="白沙镇便民服务中心", kind="township")


def start_broker(config, folder, **extra) -> tuple[MosquittoBroker, dict]:
    """Mosquitto with the config `yichuang broker-config` writes (accounts, ACL, bridge)."""
    port = free_port()
    passwords = broker_config.write(config, folder, port=port, bind="127.0.0.1",
                                    user=getpass.getuser(), **extra)
    return MosquittoBroker(port, config=folder / "mosquitto.conf").start(), passwords


def person(n: int) -> dict:
    return {"id_number": id_number(serial=f"{n % 1000:03d}"), "name": "张小飞"}


def file_application(service, n: int) -> dict:
    answer = service.handle("kiosk", "k1", "application.submit", {
        "item": "sb01", "identity": person(n), "form": {"住址": f"石桥村{n}组"},
        "phone": "13812345678", "materials": {"居民身份证": "received"}})
    assert answer["status"] == "ok", answer
    return answer["data"]["application"]


def rated_ticket(service, level: int) -> dict:
    """A ticket issued at the kiosk, served at window 1 and rated there."""
    ticket = service.handle("kiosk", "k1", "ticket.issue", {"category": "a"})["data"]["ticket"]
    assert service.handle("window", "1", "window.call_next", {})["status"] == "ok"
    assert service.handle("window", "1", "window.finish", {})["status"] == "ok"
    answer = service.handle("window", "1", "evaluation.submit",
                            {"ticket": ticket["number"], "level": level})
    assert answer["status"] == "ok", answer
    return answer["data"]["evaluation"]


def staffed_site(config, db: str, clock, *, add_staff: bool = True):
    """A site's HallService with w1 logged in at window 1, and its SiteLink not started:
    the test hands it messages, and what it would publish is kept in `link.sent`."""
    import json

    from queue_server.service import HallService
    from queue_server.sync.site import SiteLink
    service = HallService(config, db, clock=clock)
    if add_staff:
        service.staff.add("w1", "李明", "window", "mima-1234")
    assert service.handle("window", "1", "window.login",
                          {"staff": "w1", "password": "mima-1234"})["status"] == "ok"
    link = SiteLink(service, "mqtt://127.0.0.1:1")
    link.sent = []
    link.bus.publish = lambda topic, payload: link.sent.append((topic, json.loads(payload)))
    return service, link
