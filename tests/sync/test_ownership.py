"""Who owns what (docs/sync.md): the site owns its tickets and filings, the county the
catalogue and the decisions. At a synced site the windows cannot approve or refuse and the
manager cannot edit the catalogue; what the county sends down goes over the site's state,
once, however often it is delivered. What the site owes is put with the change itself, and
nothing personal travels in clear."""
from __future__ import annotations

import base64
import json

import pytest

from hall.catalog.edits import item_fields
from hall.protocol import sync as contract
from hall.words import CATALOG_BY_COUNTY, DECIDED_BY_COUNTY
from queue_server.applications.sealing import Sealer
from queue_server.engine import EngineError
from queue_server.outbox import Outbox
from queue_server.service import HallService
from queue_server.store import sync_key_path
from queue_server.sync.site import COUNTY as OUTBOX_COUNTY, SiteLink
from sites import NOON, TOWN, file_application, person, rated_ticket, site_config, staffed_site


@pytest.fixture
def town(tmp_path):
    service, link = staffed_site(site_config(TOWN), str(tmp_path / "town.sqlite"), lambda: NOON)
    yield service, link
    service.close()


def down(link, *envelopes):
    link.handle(contract.topic(TOWN, "down"), contract.encode(list(envelopes)))


def test_a_sites_windows_cannot_decide_and_its_manager_cannot_edit_the_catalogue(town):
    service, _link = town
    app = file_application(service, 1)
    for verb in ("approve", "refuse"):
        answer = service.handle("window", "1", f"application.{verb}",
                                {"number": app["number"], "reason": "x"})
        assert answer["error"] == {"code": "forbidden", "message": DECIDED_BY_COUNTY}
    assert service.handle("window", "1", "application.accept",
                          {"number": app["number"]})["status"] == "ok"      # accepting is the site's
    item = item_fields(service.config.catalog.item("zh01"))
    with pytest.raises(EngineError) as refused:
        service.catalogue.edit("zh01", {**item, "name": "改名"}, "m01", NOON)
    assert refused.value.message == CATALOG_BY_COUNTY


def test_the_countys_decision_overwrites_the_sites_state_once(town):
    service, link = town
    app = file_application(service, 2)
    service.handle("window", "1", "application.accept", {"number": app["number"]})
    decision = contract.envelope(TOWN, "decision", app["number"], NOON, {
        "number": app["number"], "decision": "refuse", "state": "refused", "reason": "不符合条件"})
    for _ in range(3):                                   # redelivered: acked each time, applied once
        down(link, decision)
    row = service.store.application("number", app["number"])
    assert (row["state"], row["decided_by"]) == ("refused", "county")
    assert [s[1]["ids"] for s in link.sent if s[0].endswith("down-ack")] == [[decision["id"]]] * 3
    decisions = [a for a in service.audit_log(service.date) if a["action"] == "application.decision"]
    assert len(decisions) == 1


def test_the_countys_catalogue_change_reaches_the_site_once(town):
    service, link = town
    fields = {**item_fields(service.config.catalog.item("zh01")), "name": "无犯罪记录证明开具"}
    change = contract.envelope(TOWN, "catalog", "zh01.7", NOON, {"action": "edit", "fields": fields})
    down(link, change)
    down(link, change)
    assert service.config.catalog.item("zh01").name == "无犯罪记录证明开具"
    assert len(service.catalogue.history("zh01")) == 1


def test_what_the_site_owes_is_put_with_the_change_and_sealed(town, tmp_path):
    service, _link = town
    app = file_application(service, 3)
    rated_ticket(service, 2)
    owed = Outbox(service.store.db).due(OUTBOX_COUNTY)
    kinds = {r.kind: r for r in owed}
    assert sorted(kinds) == ["application", "case", "rating"]     # the bad rating's case
    application = kinds["application"]
    assert application.id == f"{TOWN}/application/{app['number']}.1"
    text = json.dumps(application.body, ensure_ascii=False)
    assert "石桥村" not in text and "13812345678" not in text and person(3)["id_number"] not in text
    assert "token" not in application.body["record"]
    # the county, holding a copy of the site's key file, opens what it needs
    key = bytes.fromhex(sync_key_path(str(tmp_path / "town.sqlite")).read_text().strip())
    opened = Sealer(key).open(app["number"], base64.b64decode(application.body["sealed"]))
    assert opened["form"] == {"住址": "石桥村3组"} and opened["phone"] == "13812345678"
    assert kinds["rating"].body["level"] == 2 and "staff" not in kinds["rating"].body
    assert (kinds["case"].body["step"], kinds["case"].body["level"]) == ("open", 2)
    assert "staff" not in kinds["case"].body


def test_a_complaint_each_case_step_and_each_rating_change_are_owed(town, tmp_path):
    service, _link = town
    service.staff.add("boss", "王大明", "manager", "mima-1234")
    filed = service.handle("kiosk", "k1", "complaint.file", {
        "tried": "开无犯罪记录证明", "problem": "说要回户籍地开", "phone": "13912345678"})
    number = filed["data"]["case"]["number"]
    step = service.handle("manager", "boss", "case.step", {"number": number, "step": "verify"})
    assert step["status"] == "ok", step
    note = {"number": number, "step": "note", "text": "已联系户籍地"}
    for _ in range(2):          # the same step twice at the same instant: two records
        assert service.handle("manager", "boss", "case.step", note)["status"] == "ok"
    rating = rated_ticket(service, 4)
    changed = service.handle("window", "1", "evaluation.submit",
                             {"ticket": rating["ticket"], "level": 1, "reasons": []})
    assert changed["data"]["evaluation"]["version"] == 2, changed
    owed = Outbox(service.store.db).due(OUTBOX_COUNTY)
    by_kind = {}
    for record in owed:
        by_kind.setdefault(record.kind, []).append(record)
    assert [r.body["step"] for r in by_kind["case"]] == ["file", "verify", "note", "note", "open"]
    assert len({r.id for r in by_kind["case"]}) == 5
    [complaint] = by_kind["complaint"]
    assert complaint.id == f"{TOWN}/complaint/{number}"
    text = json.dumps([r.body for r in owed], ensure_ascii=False)
    assert "13912345678" not in text and "户籍地" not in text
    key = bytes.fromhex(sync_key_path(str(tmp_path / "town.sqlite")).read_text().strip())
    opened = Sealer(key).open(number, base64.b64decode(complaint.body["sealed"]))
    assert opened == {"tried": "开无犯罪记录证明", "problem": "说要回户籍地开", "phone": "13912345678"}
    first, second = by_kind["rating"]
    assert first.id == f"{TOWN}/rating/e{rating['id']}"
    assert second.id == f"{TOWN}/rating/e{rating['id']}.2"
    assert (first.body["level"], second.body["level"], second.body["version"]) == (4, 1, 2)


def test_a_refused_filing_owes_nothing(town):
    service, _link = town
    answer = service.handle("kiosk", "k1", "application.submit", {"item": "nope"})
    assert answer["status"] == "error"
    assert Outbox(service.store.db).due(OUTBOX_COUNTY) == []


def test_the_days_figures_are_owed_at_the_day_roll_once(tmp_path):
    now = [NOON]
    service = HallService(site_config(TOWN), str(tmp_path / "town.sqlite"), clock=lambda: now[0])
    try:
        service.staff.add("w1", "李明", "window", "mima-1234")
        service.handle("window", "1", "window.login", {"staff": "w1", "password": "mima-1234"})
        rated_ticket(service, 4)
        rated_ticket(service, 2)
        service.handle("kiosk", "k1", "ticket.issue", {"category": "a"})      # never called
        day = service.date
        for hours in (24, 25):                   # the roll, and a later tick: owed once
            now[0] = NOON + hours * 3600
            service.tick()
        figures = [r for r in Outbox(service.store.db).due(OUTBOX_COUNTY) if r.kind == "figures"]
        assert [r.id for r in figures] == [f"{TOWN}/figures/{day}"]
        assert {k: figures[0].body[k] for k in ("issued", "served", "ratings", "mean_level")} == \
            {"issued": 3, "served": 2, "ratings": 2, "mean_level": 3.0}
    finally:
        service.close()


def test_yichuang_server_runs_the_link_of_a_site(tmp_path):
    """start_hall (what `yichuang server` runs) starts the site link beside the hall bus when
    the config names a county, and stops it with the hall; a county hall gets none."""
    from queue_server.broker import MosquittoBroker, free_port
    from queue_server.commands.server import start_hall
    from sites import county_config
    with MosquittoBroker(free_port()) as broker:
        site = start_hall(site_config(TOWN), tmp_path / "town.sqlite", broker.url)
        county = start_hall(county_config(), tmp_path / "county.sqlite", broker.url)
        try:
            assert isinstance(site.link, SiteLink) and county.link is None
            assert site.link.bus.wait_connected(10)
        finally:
            site.stop()
            county.stop()
        assert not site.link.bus.connected
