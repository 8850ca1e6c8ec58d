"""The county, a township and a village, each with its own Mosquitto (from `broker-config`,
the sites' bridged to the county's hub), the county receiver into PostgreSQL, real sites'
HallServices with their links. The village's line is cut (its TCP line to the hub dropped
and refused) through a stream of filings and ratings, then restored: everything arrives
exactly once, and the county's decisions reach the village's kiosk."""
from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from hall.protocol import sync as contract
from hall.words import APPLICATION_STATE as STATE_WORDS
from queue_server.sim.line import TcpRelay
from hall.protocol.client import HallClient
from queue_server.bus import HallBus
from queue_server.service import HallService
from queue_server.sync.county import CountyReceiver
from queue_server.sync.county_store import CountyStore
from queue_server.sync.site import SiteLink
from sites import (COUNTY, NOON, TOWN, VILLAGE, county_config, file_application, person,
                   rated_ticket, site_config, start_broker)


def wait_for(check, timeout: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def county(tmp_path, county_store, county_dsn):
    config = county_config()
    broker, passwords = start_broker(config, tmp_path / "county-mqtt")
    for site in config.sync.sites:
        county_store.add_site(site.id, site.kind, site.name)
    url = f"mqtt://server-sync:{passwords['server-sync']}@127.0.0.1:{broker.port}"
    receiver = CountyReceiver(CountyStore(county_dsn), url, county=COUNTY, resend_s=0.3).start()
    assert receiver.wait_connected(10)
    hub = SimpleNamespace(broker=broker, store=county_store, receiver=receiver, url=url,
                          store_dsn=county_dsn, secrets=tmp_path / "county-mqtt" / "secrets",
                          passwords=passwords)
    yield hub
    hub.receiver.stop()
    hub.receiver.store.close()
    broker.stop()


@pytest.fixture
def open_site(tmp_path, county):
    opened = []

    def open_(site: str):
        line = TcpRelay(county.broker.port)
        config = site_config(site, line.address)
        broker, passwords = start_broker(config, tmp_path / f"{site}-mqtt",
                                         county_secrets=county.secrets)
        service = HallService(config, str(tmp_path / f"{site}.sqlite"), clock=lambda: NOON)
        if config.windows:
            service.staff.add("w1", "李明", "window", "mima-1234")
            assert service.handle("window", "1", "window.login",
                                  {"staff": "w1", "password": "mima-1234"})["status"] == "ok"
        url = f"mqtt://server-main:{passwords['server-main']}@127.0.0.1:{broker.port}"
        bus = HallBus(service, config, url)       # the site's own hall bus, for its kiosk
        bus.start()
        link = SiteLink(service, url, interval_s=0.3).start()
        kiosk = HallClient(site, "kiosk", "k1",
                           f"mqtt://kiosk-k1:{passwords['kiosk-k1']}@127.0.0.1:{broker.port}")
        kiosk.start()
        opened.append((kiosk, link, bus, service, broker, line))
        return SimpleNamespace(id=site, line=line, broker=broker, service=service, link=link,
                               kiosk=kiosk)

    yield open_
    for kiosk, link, bus, service, broker, line in opened:
        kiosk.stop()
        link.stop()
        bus.stop()
        service.close()
        broker.stop()
        line.close()


def site_row(store, site):
    return next(s for s in store.sites() if s["site"] == site)


def records(store, site, kind):
    return store.records(site, kind)


def test_a_cut_line_loses_nothing_and_doubles_nothing(county, open_site):
    town, village = open_site(TOWN), open_site(VILLAGE)
    store = county.store
    wait_for(lambda: all(site_row(store, s)["line"] == "up" for s in (TOWN, VILLAGE)),
             what="both lines up at the county")

    # Morning, line up: filings at the village, ratings at the township.
    filed = [file_application(village.service, n) for n in range(3)]
    rated = [rated_ticket(town.service, level) for level in (5, 4, 5, 2)]
    wait_for(lambda: len(records(store, VILLAGE, "application")) == 3, what="3 filings")
    wait_for(lambda: len(records(store, TOWN, "rating")) == 4, what="4 ratings")

    # The village's line goes down: the county sees it, so does the village's kiosk.
    village.line.cut()
    wait_for(lambda: site_row(store, VILLAGE)["line"] == "down", what="county sees the cut")
    wait_for(lambda: (village.service.line or {}).get("state") == "down",
             what="the village sees the cut")
    wait_for(lambda: village.kiosk.states().get("hall/state", {}).get("line", {}).get("state")
             == "down", what="the village's kiosk told over its bus")

    # The day goes on: filings held at the village, ratings flowing at the township, and
    # the county decides on two of the village's morning filings.
    filed += [file_application(village.service, n) for n in range(3, 11)]
    rated += [rated_ticket(town.service, level) for level in (3, 5, 1, 4)]
    store.decide(VILLAGE, filed[0]["number"], "approve")
    store.decide(VILLAGE, filed[1]["number"], "refuse", "材料与事项不符")
    wait_for(lambda: len(records(store, TOWN, "rating")) == 8, what="township unaffected")
    time.sleep(1.0)                               # several of the village's send rounds
    assert len(records(store, VILLAGE, "application")) == 3
    assert village.service.line["backlog"] == 8
    assert village.service.store.application("number", filed[0]["number"])["state"] == "submitted"

    # The line is back: everything arrives, once.
    village.line.mend()
    wait_for(lambda: len(records(store, VILLAGE, "application")) == 11, timeout=60,
             what="the held filings")
    wait_for(lambda: site_row(store, VILLAGE)["down_backlog"] == 0, timeout=30,
             what="the decisions delivered")
    wait_for(lambda: (village.service.line or {}).get("backlog") == 0, what="village backlog 0")
    wait_for(lambda: village.kiosk.states()["hall/state"]["line"]["state"] == "up",
             what="the kiosk told the line is back")
    time.sleep(1.0)                               # late redeliveries would land now
    apps = records(store, VILLAGE, "application")
    assert sorted(r["body"]["number"] for r in apps) == sorted(a["number"] for a in filed)
    assert site_row(store, VILLAGE)["received"] == 11
    assert sorted(r["body"]["level"] for r in records(store, TOWN, "rating")) == \
        sorted(r["level"] for r in rated)
    assert len(records(store, TOWN, "case")) == 2         # the cases the 2 and the 1 opened
    assert site_row(store, TOWN)["received"] == 8 + 2
    assert site_row(store, VILLAGE)["line"] == "up" and site_row(store, VILLAGE)["backlog"] == 0

    # The decisions are at the village: in its database and on its kiosk.
    for app, state in ((filed[0], "approved"), (filed[1], "refused")):
        row = village.service.store.application("number", app["number"])
        assert (row["state"], row["decided_by"]) == (state, "county")
    # ... and on its kiosk, which asks its own server over the village's bus
    assert village.kiosk.wait_server(True, 10)
    seen = village.kiosk.request("application.find", {
        "number": filed[1]["number"], "last4": person(1)["id_number"][-4:]}, timeout=10)
    [shown] = seen["applications"]
    assert (shown["state"], shown["reason"]) == ("refused", "材料与事项不符")
    assert shown["state_text"] == STATE_WORDS["refused"]

    # Nothing personal in clear at the county: the form travelled sealed.
    body = apps[0]["body"]
    assert "石桥村" not in str(body) and "13812345678" not in str(body) and body["sealed"]


def test_a_sites_bridge_account_cannot_write_as_another_site(county):
    """The county hub's ACL (broker-config): bridge-baisha may send only baisha's records; a
    township forging the village's topic reaches nobody, and a forged envelope on its own
    topic is refused by the receiver."""
    import paho.mqtt.client as mqtt
    forger = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="forger", protocol=mqtt.MQTTv311)
    forger.username_pw_set(f"bridge-{TOWN}", county.passwords[f"bridge-{TOWN}"])
    forger.connect("127.0.0.1", county.broker.port)
    forger.loop_start()
    try:
        as_village = contract.envelope(VILLAGE, "rating", "e1", NOON, {"level": 1})
        forger.publish(contract.topic(VILLAGE, "up"), contract.encode([as_village]), qos=1).wait_for_publish(5)
        forger.publish(contract.topic(TOWN, "up"), contract.encode([as_village]), qos=1).wait_for_publish(5)
        own = contract.envelope(TOWN, "rating", "e9", NOON, {"level": 4})
        forger.publish(contract.topic(TOWN, "up"), contract.encode([own]), qos=1).wait_for_publish(5)
        wait_for(lambda: county.store.records(TOWN), what="the township's own record")
        assert county.store.records(VILLAGE) == []
        assert [r["id"] for r in county.store.records(TOWN)] == [own["id"]]
        assert county.receiver.refused == 1
    finally:
        forger.loop_stop()
        forger.disconnect()


def test_the_county_hub_and_receiver_going_down_lose_nothing(county, open_site):
    """The other way to lose the line: the county's hub stops (the sites' bridges drop) and
    the receiver restarts meanwhile; the township rates and files on, then everything
    arrives once."""
    town = open_site(TOWN)
    store = county.store
    wait_for(lambda: site_row(store, TOWN)["line"] == "up", what="the township's line")
    rated = [rated_ticket(town.service, 5) for _ in range(3)]
    wait_for(lambda: len(records(store, TOWN, "rating")) == 3, what="3 ratings")

    county.broker.stop()
    wait_for(lambda: (town.service.line or {}).get("state") == "down", what="the township sees it")
    county.receiver.stop()
    county.receiver.store.close()
    rated += [rated_ticket(town.service, level) for level in (1, 2, 3, 4)]
    filed = [file_application(town.service, n) for n in range(4)]
    county.broker.start()
    county.receiver = CountyReceiver(CountyStore(county.store_dsn), county.url, county=COUNTY,
                                     resend_s=0.3).start()
    wait_for(lambda: len(records(store, TOWN, "rating")) == 7 and
             len(records(store, TOWN, "application")) == 4, timeout=60, what="everything")
    wait_for(lambda: (town.service.line or {}).get("backlog") == 0, what="the township's backlog")
    time.sleep(1.0)
    assert sorted(r["body"]["level"] for r in records(store, TOWN, "rating")) == \
        sorted(r["level"] for r in rated)
    assert len(records(store, TOWN, "case")) == 2         # the cases the 1 and the 2 opened
    assert site_row(store, TOWN)["received"] == 7 + 4 + 2 and site_row(store, TOWN)["line"] == "up"
    assert sorted(r["body"]["number"] for r in records(store, TOWN, "application")) == \
        sorted(a["number"] for a in filed)


def test_complaints_case_steps_and_rating_changes_cross_a_cut_line_once(county, open_site):
    """A township files a complaint, works it, and a rating is changed while its line is
    down; after the line is back the county holds each exactly once, the rating at its
    latest version, and its report counts them."""
    town = open_site(TOWN)
    store = county.store
    wait_for(lambda: site_row(store, TOWN)["line"] == "up", what="the township's line")
    town.service.staff.add("boss", "王大明", "manager", "mima-1234")
    kept = rated_ticket(town.service, 5)
    changed = rated_ticket(town.service, 4)
    wait_for(lambda: len(records(store, TOWN, "rating")) == 2, what="2 ratings")

    town.line.cut()
    wait_for(lambda: (town.service.line or {}).get("state") == "down", what="the township sees it")
    filed = town.service.handle("kiosk", "k1", "complaint.file", {
        "tried": "开无犯罪记录证明", "problem": "说要回户籍地开", "phone": "13912345678"})
    number = filed["data"]["case"]["number"]
    for verb, text in (("verify", None), ("rectify", "已告知可在本中心开具")):
        answer = town.service.handle("manager", "boss", "case.step",
                                     {"number": number, "step": verb, "text": text})
        assert answer["status"] == "ok", answer
    again = town.service.handle("window", "1", "evaluation.submit",
                                {"ticket": changed["ticket"], "level": 2})      # opens a case
    assert again["data"]["evaluation"]["version"] == 2
    time.sleep(1.0)                               # several of the township's send rounds
    assert records(store, TOWN, "complaint") == [] and records(store, TOWN, "case") == []
    assert town.service.line["backlog"] == 6      # complaint, 3 steps, the change, its case

    town.line.mend()
    wait_for(lambda: len(records(store, TOWN, "case")) == 4, timeout=60, what="the case steps")
    wait_for(lambda: (town.service.line or {}).get("backlog") == 0, what="the township's backlog")
    time.sleep(1.0)                               # late redeliveries would land now
    assert site_row(store, TOWN)["received"] == 2 + 6
    [complaint] = records(store, TOWN, "complaint")
    assert complaint["body"]["case"] == number and complaint["body"]["sealed"]
    steps = sorted((r["body"]["case"], r["body"]["step"]) for r in records(store, TOWN, "case"))
    assert [s for n, s in steps if n == number] == ["file", "rectify", "verify"]
    assert [s for n, s in steps if n != number] == ["open"]
    assert len(records(store, TOWN, "rating")) == 3          # each version kept as sent ...
    latest = {r["rating"]: (r["version"], r["level"]) for r in store.ratings(TOWN)}
    assert latest == {f"e{kept['id']}": (1, 5), f"e{changed['id']}": (2, 2)}   # ... the latest counts
    everyday = (0, time.time() + 60)   # the sites' clock is fixed at NOON, their outboxes' is not
    report = {r["kind"]: r for r in store.report(*everyday) if r["site"] == TOWN}
    assert {k: r["count"] for k, r in report.items()} == {"case": 4, "complaint": 1, "rating": 2}
    assert report["rating"]["mean_level"] == 3.5
    everything = str([r["body"] for r in store.records(TOWN)])
    assert "13912345678" not in everything and "户籍地" not in everything


def test_the_countys_config_changes_reach_a_township_across_a_cut_line(county, open_site):
    """Two config records owed while the township's line is down: once it is back, both
    arrive, the newer wins, the ratings change is in force without a restart and each record
    is acknowledged (nothing owed)."""
    town = open_site(TOWN)
    store = county.store
    wait_for(lambda: site_row(store, TOWN)["line"] == "up", what="the township's line")
    town.line.cut()
    wait_for(lambda: (town.service.line or {}).get("state") == "down", what="the township sees it")
    with store.conn.transaction():
        store.put_down(TOWN, "config", "1", {"hall": {"ratings": "change_minutes: 20\n"}})
    with store.conn.transaction():
        store.put_down(TOWN, "config", "2", {"hall": {"ratings": "{change_minutes: 25}\n",
                                                      "cases": "warn_days: 2\n"}})
    time.sleep(1.0)                                 # several of the county's send rounds
    assert town.service.config.ratings.change_minutes == 10
    town.line.mend()
    wait_for(lambda: town.service.config.cases.warn_days == 2, timeout=60, what="the change")
    wait_for(lambda: site_row(store, TOWN)["down_backlog"] == 0, what="both acknowledged")
    assert town.service.config.ratings.change_minutes == 25
