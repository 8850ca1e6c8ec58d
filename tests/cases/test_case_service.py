"""Cases through HallService, as the bus and the console use it: a bad rating opens a case
assigned to its department's lead; complaints filed at a kiosk, a window and the mobile page;
every step audited and told on the bus; the phone sealed; the roles checked on every channel
(a window account cannot close or confirm, whatever it sends); old rectified ratings migrated."""
import json
import sqlite3
from dataclasses import replace

import pytest

from halls import hall
from hall.catalog import Catalog, Item
from hall.config.model import Cases
from test_service_contract import validate_strict
from queue_server.store import Store, migrations

CATALOG = Catalog(domains=("社保", "综合"), items=(
    Item("sb01", "社会保障卡申领", "社保", "b"), Item("zh01", "证明开具", "综合", "a")))
REVISIT = {"how": "phone", "at": "2025-11-24T15:00", "said": "满意", "satisfied": True}


def config():
    base = hall()
    windows = tuple(replace(w, department="不动产") if w.id == "3" else w for w in base.windows)
    return replace(base, catalog=CATALOG, windows=windows,
                   cases=Cases(rating_days=5, complaint_days=3,
                               leads=(("社保", "lead1"), ("不动产", "lead3")), default_lead="boss"))


@pytest.fixture
def service(open_service):
    service = open_service(config=config())
    service.staff.add("boss", "王大明", "manager", "mima-1234")
    for account, window in (("lead1", "2"), ("clerk", "1"), ("lead3", "3")):
        service.staff.add(account, "李明", "window", "mima-1234")
        assert service.handle("window", window, "window.login",
                              {"staff": account, "password": "mima-1234"})["status"] == "ok"
    return service


def served_and_rated(service, level, window="2", category="b", item="sb01"):
    number = service.handle("kiosk", "k1", "ticket.issue", {"category": category, "service": item})[
        "data"]["ticket"]["number"]
    service.handle("window", window, "window.call_next", {})
    service.handle("window", window, "window.start", {})
    service.handle("window", window, "window.finish", {})
    answer = service.handle("window", window, "evaluation.submit", {"ticket": number, "level": level})
    assert answer["status"] == "ok", answer
    return number


def step(service, number, verb, role="window", client="2", **args):
    return service.handle(role, client, "case.step", {"number": number, "step": verb, **args})


def only_case(service):
    rows = service.cases.listing(live=False)
    assert len(rows) == 1
    return rows[0]


def test_a_bad_rating_opens_a_case_for_the_lead_of_the_items_department(service):
    seen = []
    service.add_listener(lambda kind, suffix, payload: seen.append((suffix, payload)))
    served_and_rated(service, 5)
    assert service.cases.listing() == []          # a good rating opens nothing
    ticket = served_and_rated(service, 1)
    case = only_case(service)
    assert (case["kind"], case["state"], case["department"], case["lead"], case["ticket"],
            case["level"], case["staff"]) == ("rating", "open", "社保", "lead1", ticket, 1, "lead1")
    assert case["due"] == "2025-12-01"             # Monday + 5 working days
    events = [payload for suffix, payload in seen if suffix == "event/case"]
    assert events == [{"number": case["number"], "kind": "rating", "action": "open", "state": "open",
                       "department": "社保", "window": "2", "due": "2025-12-01", "ts": events[0]["ts"]}]
    validate_strict("event", "case", events[0])
    audit = service.audit_log()
    assert audit[0]["action"] == "case.open" and audit[0]["details"]["case"] == case["number"]


def test_the_lead_works_the_case_and_only_a_manager_closes_it(service):
    served_and_rated(service, 2)
    number = only_case(service)["number"]
    clerk = step(service, number, "verify", client="1")          # not the lead
    assert clerk["error"]["code"] == "forbidden"
    verified = step(service, number, "verify")
    validate_strict("response", "case.step", verified["data"])
    assert verified["data"]["case"]["state"] == "verified"
    again = step(service, number, "verify")
    assert again["error"]["code"] == "conflict"
    assert step(service, number, "rectify", text="")["error"]["code"] == "bad_request"
    assert step(service, number, "rectify", text="已当面致歉，改进取号指引")["status"] == "ok"
    revisited = step(service, number, "revisit", client="1", revisit=REVISIT)
    validate_strict("response", "case.step", revisited["data"])
    # The bypass: the lead's window account sends close itself, on the bus as on the web.
    for channel in ("mqtt", "web"):
        refused = service.handle("window", "2", "case.step", {"number": number, "step": "close"},
                                 channel=channel)
        assert refused["error"]["code"] == "forbidden"
    # Nor does naming itself a manager help: a window account is no manager.
    assert step(service, number, "close", role="manager", client="lead1")["error"]["code"] == "forbidden"
    assert step(service, number, "close", role="manager", client="boss")["data"]["case"]["state"] == "closed"
    view = service.cases.staff_view(number)
    assert [n["action"] for n in view["notes"]] == ["rectify"]
    assert view["revisit"]["said"] == "满意" and view["deadline"] == "on_time"
    actions = [a["action"] for a in service.audit_log() if a["action"].startswith("case.")]
    assert actions == ["case.close", "case.revisit", "case.rectify", "case.verify", "case.open"]


def test_unfounded_is_confirmed_by_a_manager_only(service):
    served_and_rated(service, 1)
    number = only_case(service)["number"]
    assert step(service, number, "unfounded", text="录像显示已按规定办理")["data"]["case"]["state"] == "unfounded"
    assert step(service, number, "confirm")["error"]["code"] == "forbidden"
    assert step(service, number, "confirm", role="manager", client="boss")["data"]["case"]["state"] == "dismissed"


def test_complaints_from_kiosk_window_and_phone_sealed_and_assigned(service, tmp_path):
    kiosk = service.handle("kiosk", "k1", "complaint.file", {
        "item": "sb01", "tried": "办社保卡", "problem": "系统说我已有卡，但卡丢了", "phone": "13812345678"})
    case = kiosk["data"]["case"]
    validate_strict("response", "complaint.file", kiosk["data"])
    assert (case["kind"], case["state"], case["due"]) == ("complaint", "open", "2025-11-27")
    assert "phone" not in json.dumps(case) and "13812345678" not in json.dumps(case)
    window = service.handle("window", "3", "complaint.file", {"tried": "查房产证", "problem": "说要去市里"})
    phone = service.handle("public", "web", "complaint.file", {"tried": "开证明", "problem": "不知道去哪"})
    leads = {c["number"]: (c["lead"], c["channel"], c["department"]) for c in service.cases.listing()}
    assert leads == {case["number"]: ("lead1", "kiosk", "社保"),
                     window["data"]["case"]["number"]: ("lead3", "window", "不动产"),
                     phone["data"]["case"]["number"]: ("boss", "mobile", "")}
    assert service.cases.staff_view(case["number"])["phone"] == "138****5678"
    raw = (tmp_path / "hall.sqlite").read_bytes() + b"".join(
        p.read_bytes() for p in tmp_path.glob("hall.sqlite-*"))
    assert "13812345678".encode() not in raw and "办社保卡".encode("utf-8") in raw


BAD_COMPLAINTS = [
    {}, {"tried": "办事"}, {"tried": "办事", "problem": "x" * 501}, {"tried": "", "problem": "问题"},
    {"tried": "办事", "problem": "问题", "phone": "12345"}, {"tried": "办事", "problem": "问题", "item": "nope"},
    {"tried": "办事", "problem": "问题", "domain": "外星"}, {"tried": ["办事"], "problem": {"a": 1}}]


def test_a_bad_complaint_is_refused_and_leaves_nothing(service):
    for args in BAD_COMPLAINTS:
        answer = service.handle("kiosk", "k1", "complaint.file", args)
        assert answer["error"]["code"] == "bad_request", args
    assert service.cases.listing() == []


def test_an_unknown_kiosk_or_a_made_up_role_cannot_file_or_step(service):
    assert service.handle("kiosk", "k9", "complaint.file", {"tried": "a", "problem": "b"})["error"]["code"] == "forbidden"
    assert service.handle("display", "d1", "case.step", {"number": "x", "step": "close"})["error"]["code"] == "forbidden"
    assert service.handle("kiosk", "k1", "case.step", {"number": "x", "step": "close"})["error"]["code"] == "forbidden"


def test_old_bad_ratings_become_cases_when_the_database_is_migrated(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                 "applied_at REAL NOT NULL)")
    for version, name, sql in migrations():
        if version < 11:
            conn.executescript(sql)
            conn.execute("INSERT INTO schema_version VALUES (?, ?, 0)", [version, name])
    rows = [(1, "A001", 1, None, None), (2, "A002", 2, 1764000000.0, {"cause": "态度", "action": "道歉"}),
            (3, "A003", 2, 1764000000.0, {"cause": "慢", "action": "提速", "callback": "满意"}),
            (4, "A004", 5, None, None)]
    for ticket_id, ticket, level, at, note in rows:
        conn.execute("INSERT INTO evaluations (ticket_id, ticket, date, level, reasons, window, staff, "
                     "channel, ts, bad, rectified_at, rectified_by, rectification) VALUES "
                     "(?, ?, '2025-11-20', ?, '[]', '2', 's2', 'mqtt', 1763600000, ?, ?, 'boss', ?)",
                     [ticket_id, ticket, level, int(level <= 2), at, json.dumps(note) if note else None])
    conn.commit()
    conn.close()
    store = Store(str(path))
    cases = {c["ticket"]: (c["state"], json.loads(c["record"])) for c in
             (dict(r, ticket=json.loads(r["record"])["ticket"]) for r in store.cases())}
    store.close()
    assert set(cases) == {"A001", "A002", "A003"}
    assert cases["A001"][0] == "open" and cases["A002"][0] == "rectified" and cases["A003"][0] == "revisited"
    assert cases["A002"][1]["answer"] == "态度；道歉" and cases["A003"][1]["revisit"]["said"] == "满意"
    assert cases["A001"][1]["due"] == "2025-11-27"


def test_a_finished_complaints_phone_is_erased_after_thirty_days(service, clock, tmp_path):
    filed = service.handle("window", "3", "complaint.file",
                           {"tried": "查房产证", "problem": "说要去市里", "phone": "13812345678"})
    number = filed["data"]["case"]["number"]
    for verb, args in (("verify", {}), ("rectify", {"text": "已答复"}), ("revisit", {"revisit": REVISIT})):
        assert step(service, number, verb, client="3", **args)["status"] == "ok"
    assert step(service, number, "close", role="manager", client="boss")["status"] == "ok"
    clock.advance(29 * 86400)
    service.tick()
    assert service.cases.staff_view(number)["phone"] == "138****5678"
    clock.advance(2 * 86400)
    service.tick()
    assert service.cases.staff_view(number)["phone"] == ""
    assert service.store.case("number", number)["sealed"] is None
    assert service.cases.staff_view(number)["state"] == "closed"     # the case itself stays


def rerate(service, ticket, level, reasons=(), client="2", channel="mqtt"):
    answer = service.handle("window", client, "evaluation.submit",
                            {"ticket": ticket, "level": level, "reasons": list(reasons)}, channel=channel)
    assert answer["status"] == "ok", answer
    return service.cases.listing(live=False)


@pytest.fixture
def reported(open_service):
    """The hall reporting to a province (nothing is sent here: the outbox is read)."""
    from hall.config.model import Province
    service = open_service(config=replace(config(), province=Province(url="https://province.invalid")))
    service.staff.add("lead1", "李明", "window", "mima-1234")
    service.handle("window", "2", "window.login", {"staff": "lead1", "password": "mima-1234"})
    return service


def owed_cases(service):
    rows = service.store.db.execute("SELECT body FROM outbox WHERE kind = 'case' ORDER BY seq")
    return [(b["step"], b["state"], b["level"]) for b in (json.loads(r[0]) for r in rows)]


def test_a_bad_rating_changed_to_good_withdraws_its_case_not_counted(reported, clock):
    seen = []
    reported.add_listener(lambda kind, suffix, payload: seen.append((suffix, payload)))
    ticket = served_and_rated(reported, 1)
    number = only_case(reported)["number"]
    [case] = rerate(reported, ticket, 4)
    assert (case["number"], case["state"], case["level"], case["state_text"]) == (number, "withdrawn", 4, "已撤销")
    assert reported.cases.listing() == []                   # not a live case any more
    assert case["deadline"] is None and case["closed_on"] == case["opened_on"]
    audit = reported.audit_log()[0]
    assert audit["action"] == "case.withdraw" and audit["staff"] is None
    assert [p["action"] for s, p in seen if s == "event/case"] == ["open", "withdraw"]
    assert owed_cases(reported) == [("open", "open", 1), ("withdraw", "withdrawn", 4)]
    notes = reported.cases.staff_view(number)["notes"]
    assert [(n["action"], n["staff"], n["text"]) for n in notes] == [
        ("withdraw", None, "群众将评价改为“满意”，工单撤销")]
    # No person can take the system's steps, on any channel.
    for verb in ("withdraw", "reinstate", "rerate"):
        assert step(reported, number, verb)["error"]["code"] == "forbidden"
    # Withdrawn: not a named bad rating in 按期整改率, even long after its day.
    from queue_server.cases.figures import figures
    total = figures("day", [], [], [{**case, "named": True}], lambda t: "", "2099-01-01")["total"]
    assert (total["named_bad"], total["on_time_rate"]) == (0, None)


def test_changed_back_to_bad_the_same_case_is_reinstated(reported):
    ticket = served_and_rated(reported, 2)
    rerate(reported, ticket, 5)
    [case] = rerate(reported, ticket, 1, ["态度差"])
    assert (case["state"], case["level"], case["reasons"], case["closed_on"]) == ("open", 1, ["态度差"], None)
    assert owed_cases(reported) == [("open", "open", 2), ("withdraw", "withdrawn", 5),
                                    ("reinstate", "open", 1)]


def test_bad_to_bad_keeps_one_case_with_the_new_reasons(service):
    ticket = served_and_rated(service, 2)
    [first] = service.cases.listing()
    [case] = rerate(service, ticket, 1, ["等候时间长", "态度差"])
    assert (case["number"], case["level"], case["reasons"]) == (first["number"], 1, ["态度差", "等候时间长"])
    notes = service.cases.staff_view(case["number"])["notes"]
    assert [n["text"] for n in notes] == ["群众将评价改为“非常不满意”（态度差、等候时间长）"]
    assert len(rerate(service, ticket, 1, ["等候时间长", "态度差"])) == 1     # the same again: nothing new
    assert len(service.cases.staff_view(case["number"])["notes"]) == 1


def test_good_to_bad_opens_one_case_once(service):
    ticket = served_and_rated(service, 5)
    assert service.cases.listing(live=False) == []
    assert len(rerate(service, ticket, 2, ["多次跑动"])) == 1
    assert len(rerate(service, ticket, 1, ["多次跑动"], channel="web")) == 1
    assert [a["action"] for a in service.audit_log() if a["action"].startswith("case.")] == [
        "case.rerate", "case.open"]


@pytest.mark.parametrize("work", ["note", "verify"])
def test_once_work_has_started_a_good_rating_keeps_the_case_and_notes_it(service, work):
    ticket = served_and_rated(service, 1)
    number = only_case(service)["number"]
    assert step(service, number, work, text="已调取录像")["status"] == "ok"
    [case] = rerate(service, ticket, 5)
    assert (case["number"], case["state"], case["level"]) == (
        number, "open" if work == "note" else "verified", 5)
    notes = service.cases.staff_view(number)["notes"]
    assert notes[-1]["text"] == "群众将评价改为“非常满意”，整改已开始，工单保留"
    assert notes[-1]["action"] == "rerate"


def test_evidence_photos_only_from_the_console_on_a_live_case(service):
    ticket = served_and_rated(service, 1)
    number = only_case(service)["number"]
    # The bus carries text: no evidence step there, whoever asks.
    assert step(service, number, "evidence", photo="/9j/4AAQ")["error"]["code"] == "bad_request"
    jpeg = b"\xff\xd8\xff\xe0" + b"\0" * 100
    from queue_server.engine import EngineError
    with pytest.raises(EngineError) as no_image:
        service.cases.add_evidence(number, b"GIF89a" + b"\0" * 10, role="manager", staff="boss")
    assert no_image.value.code == "bad_request"
    service.cases.add_evidence(number, jpeg, role="manager", staff="boss")
    rerate(service, ticket, 5)                   # a staff's photo is work: the case is kept
    assert only_case(service)["state"] == "open"
    assert step(service, number, "unfounded", text="录像显示已按规定办理")["status"] == "ok"
    assert step(service, number, "confirm", role="manager", client="boss")["status"] == "ok"
    with pytest.raises(EngineError) as final:
        service.cases.add_evidence(number, jpeg, role="manager", staff="boss")
    assert final.value.code == "conflict"
    assert len(service.cases.staff_view(number)["evidence"]) == 1
