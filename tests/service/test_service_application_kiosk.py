"""Applications at the window and the kiosk through HallService: a 补正 becomes a one-time
notice listing everything missing; the words of a refused step come from the glossary; a
citizen follows their applications at the kiosk by ID card or by number + last four digits
and takes a 统一出件 ticket for the ready ones; every change reaches the text sender."""
import dataclasses
import json
import threading

import pytest

from hall import words
from hall.config.model import Category, Window
from halls import id_number
from test_service_applications import ALL, CATALOG, PERSON, act, config, file, seated, texts
from test_service_contract import validate_strict

from queue_server.applications.model import ACTIONS
from queue_server.applications.senders import FileSender

OTHER = {"id_number": id_number(serial="433"), "name": "李四"}


def with_collection():
    """The test hall with 统一出件: queue H and its window 9."""
    c = config()
    return dataclasses.replace(
        c, categories=(*c.categories, Category("out", "H", "统一出件", collection=True)),
        windows=(*c.windows, Window("9", "统一出件窗口", kind="dedicated", categories=("out",))))


@pytest.fixture
def service(open_service, tmp_path):
    service = open_service(config=with_collection())
    service.applications.sender = FileSender(str(tmp_path / "sms.jsonl"))
    return service


def test_a_correction_is_a_one_time_notice_of_everything_missing(service):
    app = file(service, materials={"居民身份证": "received"})
    seated(service)
    asked = act(service, "correct", app["number"], missing=["近期免冠彩色照片", "居住证明"])
    view = asked["data"]["application"]
    validate_strict("response", "application.submit", asked["data"])
    token = view["notice_url"].rsplit("/n/", 1)[1]
    notice = service.notice_by_token(token)
    assert notice["materials"] == ["近期免冠彩色照片", "居住证明"]
    assert notice["application"] == app["number"] and notice["item"] == "sb01"
    audit = next(a for a in service.audit_log() if a["action"] == "application.correct")
    assert audit["details"]["notice"] == notice["number"]
    back = act(service, "resubmit", app["number"], materials={"近期免冠彩色照片": "later", "居住证明": "promise"})
    assert back["data"]["application"]["notice_url"] is None       # the 补正 is over


def test_a_refused_step_names_the_state_and_the_step_in_the_glossarys_words(service):
    app = file(service)
    seated(service)
    answer = act(service, "collect", app["number"])
    assert answer["error"] == {"code": "conflict", "message": "办件当前为“已提交”，不能领取"}
    assert words.application_wrong_state("submitted", "collect") == answer["error"]["message"]


def test_every_application_action_has_words_in_the_audit_log():
    for action in (*ACTIONS, "view", "pickup"):      # find is a query: nothing audited
        assert f"application.{action}" in words.AUDIT_ACTION, action


def test_the_kiosk_finds_by_card_or_by_number_and_last_four(service):
    mine, theirs = file(service), file(service, identity=OTHER)
    by_card = service.handle("kiosk", "k1", "application.find", {"identity": PERSON})
    assert by_card["status"] == "ok"
    validate_strict("response", "application.find", by_card["data"])
    assert [a["number"] for a in by_card["data"]["applications"]] == [mine["number"]]
    by_pair = service.handle("kiosk", "k1", "application.find",
                             {"number": theirs["number"], "last4": OTHER["id_number"][-4:]})
    assert [a["number"] for a in by_pair["data"]["applications"]] == [theirs["number"]]
    wrong = service.handle("kiosk", "k1", "application.find",
                           {"number": theirs["number"], "last4": PERSON["id_number"][-4:]})
    assert wrong["error"]["code"] == "unknown_ticket"
    assert service.handle("kiosk", "k1", "application.find", {"number": theirs["number"]})["error"]["code"] \
        == "bad_request"
    from_window = service.handle("window", "2", "application.find", {"identity": PERSON})
    assert from_window["error"]["code"] == "forbidden"
    shown = json.dumps(by_card["data"], ensure_ascii=False)
    assert "张" not in shown and PERSON["id_number"] not in shown


def test_a_collection_ticket_only_for_ready_applications(service, tmp_path):
    app = file(service)
    seated(service)
    early = service.handle("kiosk", "k1", "application.pickup", {"identity": PERSON})
    assert early["error"] == {"code": "conflict", "message": words.APPLICATION_NONE_READY}
    assert service.engine.tickets == {} or all(t.category != "out" for t in service.engine.tickets.values())
    for action in ("accept", "approve", "ready"):
        assert act(service, action, app["number"], materials=ALL)["status"] == "ok"
    found = service.handle("kiosk", "k1", "application.find", {"identity": PERSON})["data"]["applications"][0]
    assert found["collect_at"] == "请凭受理凭证到统一出件窗口领取" and found["collect_place"] == found["collect_at"]
    taken = service.handle("kiosk", "k1", "application.pickup",
                           {"number": app["number"], "last4": PERSON["id_number"][-4:]})
    validate_strict("response", "application.pickup", taken["data"])
    assert taken["data"]["ticket"]["number"] == "H001"
    assert [a["number"] for a in taken["data"]["applications"]] == [app["number"]]
    again = service.handle("kiosk", "k2", "application.pickup", {"identity": PERSON})   # another kiosk
    validate_strict("response", "application.pickup", again["data"])
    assert again["data"]["ticket"]["number"] == "H001" and again["data"]["taken_before"] is True
    assert len([t for t in service.engine.tickets.values() if t.category == "out"]) == 1
    audit = next(a for a in service.audit_log() if a["action"] == "application.pickup")
    assert audit["ticket"] == "H001" and audit["details"]["applications"] == [app["number"]]
    # the collection window calls it; the application is handed over there
    seated(service, "9")
    called = service.handle("window", "9", "window.call_next", {})["data"]["ticket"]
    assert called["number"] == "H001"
    # the window finds what the ticket was taken for (by number + last four: no card on it)
    assert [a["number"] for a in service.applications.called("9")] == [app["number"]]
    assert act(service, "collect", app["number"], window="9")["data"]["application"]["state"] == "collected"
    # every change reached the citizen's phone, the ready one saying where to go
    sent = [m["text"] for m in texts(tmp_path)]
    assert len(sent) == 5 and "统一出件窗口" in sent[3] and "已领取" in sent[4]


def test_without_a_collection_queue_no_ticket_is_made(open_service):
    service = open_service(config=config())
    app = file(service)
    seated(service)
    for action in ("accept", "approve", "ready"):
        act(service, action, app["number"], materials=ALL)
    refused = service.handle("kiosk", "k1", "application.pickup", {"identity": PERSON})
    assert refused["error"]["code"] == "conflict" and service.engine.tickets == {}


@pytest.mark.parametrize("args", [
    {"number": {"nested": ["x"]}, "last4": "1234"},
    {"number": "x" * 100_000, "last4": "1234"},
    {"identity": ["not", "a", "card"]},
    {"identity": {"id_number": "11010519850312123"}},        # wrong check digit
    {"last4": "1234"},
    {},
])
def test_bad_kiosk_queries_are_refused_and_issue_nothing(service, args):
    file(service)
    for action in ("application.find", "application.pickup"):
        answer = service.handle("kiosk", "k1", action, args)
        assert answer["status"] == "error" and answer["error"]["code"] in ("bad_request", "unknown_ticket", "conflict")
    assert service.engine.tickets == {}
    assert not [a for a in service.audit_log() if a["action"] == "application.pickup"]


def test_application_lookup_is_an_alias_of_find_answered_by_the_same_code(service):
    """The sites' old name: the same answer as application.find by number + last four."""
    app = file(service)
    pair = {"number": app["number"], "last4": PERSON["id_number"][-4:]}
    old = service.handle("kiosk", "k1", "application.lookup", pair)
    new = service.handle("kiosk", "k1", "application.find", pair)
    validate_strict("response", "application.lookup", old["data"])
    validate_strict("response", "application.find", new["data"])
    assert old["data"] == new["data"] and old["data"]["application"] == new["data"]["applications"][0]
    assert old["data"]["application"]["number"] == app["number"]
    wrong = service.handle("kiosk", "k1", "application.lookup", {**pair, "last4": "0000"})
    assert wrong["error"] == {"code": "unknown_ticket", "message": words.APPLICATION_UNKNOWN}


def wrong_pairs(number: str, count: int) -> list[dict]:
    return [{"number": number, "last4": f"{n:04d}"} for n in range(count) if f"{n:04d}" != PERSON["id_number"][-4:]]


@pytest.mark.parametrize("action", ["application.find", "application.lookup", "application.pickup"])
def test_a_kiosk_guessing_pairs_is_slowed_and_the_right_pair_waits_too(service, clock, action):
    app = file(service)
    right = {"number": app["number"], "last4": PERSON["id_number"][-4:]}
    codes = [service.handle("kiosk", "k1", action, p)["error"]["code"] for p in wrong_pairs(app["number"], 40)]
    # 30 misses are free (people mistype), as on the web; then the kiosk is slowed
    assert codes[:30] == ["unknown_ticket" if action != "application.pickup" else "conflict"] * 30
    assert set(codes[30:]) == {"rate_limited"}
    slowed = service.handle("kiosk", "k1", action, right)
    assert slowed["error"] == {"code": "rate_limited", "message": "查询过于频繁，请 10 分钟后再试"}
    # another kiosk asks as before; the card (no guessing) works at the slowed kiosk too
    assert service.handle("kiosk", "k2", "application.find", right)["status"] == "ok"
    assert service.handle("kiosk", "k1", "application.find", {"identity": PERSON})["status"] == "ok"
    clock.advance(601)                              # the misses are 10 minutes old: forgotten
    assert service.handle("kiosk", "k1", "application.find", right)["status"] == "ok"


def test_wrong_pairs_sent_in_parallel_are_counted_each(service):
    """40 guesses at once from one kiosk (threads, as the bus's do): no more than 30 answered."""
    app = file(service)
    start, codes = threading.Barrier(40), []

    def guess(pair):
        start.wait()
        codes.append(service.handle("kiosk", "k1", "application.find", pair)["error"]["code"])
    threads = [threading.Thread(target=guess, args=(p,)) for p in wrong_pairs(app["number"], 41)[:40]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == sorted(["unknown_ticket"] * 30 + ["rate_limited"] * 10)
    right = {"number": app["number"], "last4": PERSON["id_number"][-4:]}
    assert service.handle("kiosk", "k1", "application.find", right)["error"]["code"] == "rate_limited"
