"""一次性告知书 and tickets for a service item, through HallService as the bus and the console
use it: the notice lists every ticked material and nothing else, is audited, and its number
answers a kiosk with the item only; the link to read it is a separate unguessable token."""
import threading
from dataclasses import replace

import pytest

from halls import hall
from hall.catalog import Catalog, Item, Material
from test_service_contract import validate_strict

CATALOG = Catalog(domains=("社保", "综合"), items=(
    Item("sb01", "社会保障卡申领", "社保", "b", materials=(
        Material("居民身份证"), Material("近期免冠彩色照片", count=2, later=True),
        Material("户口簿", not_needed=True))),
    Item("sb02", "社会保障卡补换", "社保", "b", retired=True),
    Item("zh01", "证明开具", "综合", "a"),
))


@pytest.fixture
def service(open_service):
    return open_service(config=replace(hall(), catalog=CATALOG))


def at_window(service, window="2", ticket_args=None):
    """A ticket for sb01 taken at a kiosk and called at the window."""
    service.staff.add(f"s{window}", "李明", "window", "mima-1234")
    taken = service.handle("kiosk", "k1", "ticket.issue",
                           ticket_args or {"category": "b", "service": "sb01"})
    assert taken["status"] == "ok", taken
    service.handle("window", window, "window.login", {"staff": f"s{window}", "password": "mima-1234"})
    called = service.handle("window", window, "window.call_next", {})
    assert called["status"] == "ok", called
    return called["data"]


def notice(service, materials, window="2"):
    return service.handle("window", window, "notice.issue", {"materials": materials})


def test_the_notice_lists_all_ticked_materials_and_only_them(service):
    called = at_window(service)
    assert called["window"]["service"] == "sb01"
    answer = notice(service, ["近期免冠彩色照片", "居民身份证"])
    assert answer["status"] == "ok", answer
    made = answer["data"]["notice"]
    assert made["materials"] == ["居民身份证", "近期免冠彩色照片"]      # the guide's order
    assert made["item"] == "sb01" and made["ticket"] == called["ticket"]["number"]
    token = made["url"].rsplit("/n/", 1)[1]
    stored = service.notice_by_token(token)
    assert stored["materials"] == made["materials"] and stored["number"] == made["number"]
    shown = service.notices_of_ticket(made["ticket"], service.date)
    assert [n["number"] for n in shown] == [made["number"]]
    audit = service.audit_log()[0]
    assert audit["action"] == "notice.issue" and audit["ticket"] == made["ticket"]
    assert audit["details"] == {"result": "ok", "notice": made["number"], "item": "sb01",
                                "materials": 2}


@pytest.mark.parametrize("materials, code", [
    ([], "bad_request"), (["居民身份证", "居民身份证"], "bad_request"), ("居民身份证", "bad_request"),
    ([["居民身份证"]], "bad_request"), (["居民身份证"] * 51, "bad_request"),
    (["营业执照"], "conflict"),                       # not a material of the called ticket's item
    (["户口簿"], "conflict"),                         # read by the hall itself: never missing
    (["居民身份证", "营业执照"], "conflict")])
def test_a_notice_of_something_else_is_refused_and_nothing_is_kept(service, materials, code):
    at_window(service)
    answer = notice(service, materials)
    assert answer["status"] == "error" and answer["error"]["code"] == code
    assert service.notices_of_ticket("B001", service.date) == []


def test_no_notice_without_a_called_ticket_for_an_item(service):
    service.staff.add("s1", "王芳", "window", "mima-1234")
    service.handle("window", "1", "window.login", {"staff": "s1", "password": "mima-1234"})
    assert notice(service, ["居民身份证"], "1")["error"]["code"] == "conflict"   # nobody called
    service.handle("kiosk", "k1", "ticket.issue", {"category": "a"})          # no item
    service.handle("window", "1", "window.call_next", {})
    assert notice(service, ["居民身份证"], "1")["error"]["code"] == "conflict"


def test_only_a_window_issues_and_only_a_kiosk_looks_up(service):
    at_window(service)
    made = notice(service, ["居民身份证"])["data"]["notice"]
    assert service.handle("kiosk", "k1", "notice.issue",
                          {"materials": ["居民身份证"]})["error"]["code"] == "forbidden"
    assert service.handle("window", "2", "notice.lookup",
                          {"number": made["number"]})["error"]["code"] == "forbidden"
    assert service.handle("kiosk", "k9", "notice.lookup",
                          {"number": made["number"]})["error"]["code"] == "forbidden"


def test_a_notice_number_at_a_kiosk_answers_the_item_and_nothing_else(service):
    at_window(service, ticket_args={"category": "b", "service": "sb01",
                                    "identity": {"id_number": "110105198503121234",
                                                 "name": "张三"}})
    made = notice(service, ["居民身份证"])["data"]["notice"]
    answer = service.handle("kiosk", "k1", "notice.lookup", {"number": made["number"]})
    assert answer["data"] == {"notice": {"number": made["number"], "item": "sb01"}}
    # walking the numbers yields items only: no materials, ticket, window, link or person
    for guess in (made["number"], str(int(made["number"]) + 1), "000000001"):
        reply = service.handle("kiosk", "k1", "notice.lookup", {"number": guess})
        text = str(reply)
        for secret in ("居民身份证", made["ticket"], "/n/", "1234", "张"):
            assert secret not in text
    assert service.handle("kiosk", "k1", "notice.lookup",
                          {"number": "999999999"})["error"]["code"] == "unknown_ticket"


def test_the_link_is_not_the_number_and_cannot_be_guessed_from_it(service):
    at_window(service)
    first = notice(service, ["居民身份证"])["data"]["notice"]
    second = notice(service, ["近期免冠彩色照片"])["data"]["notice"]
    assert int(second["number"]) == int(first["number"]) + 1      # easy to read out and type
    tokens = [n["url"].rsplit("/n/", 1)[1] for n in (first, second)]
    assert all(len(t) >= 32 for t in tokens) and tokens[0] != tokens[1]
    assert service.notice_by_token(first["number"]) is None
    assert service.notice_by_token(None) is None


def test_parallel_notices_never_share_a_number(service):
    at_window(service)
    numbers, errors = [], []

    def one():
        answer = notice(service, ["居民身份证"])
        (numbers if answer["status"] == "ok" else errors).append(
            answer.get("data", {}).get("notice", {}).get("number") or answer)
    threads = [threading.Thread(target=one) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(set(numbers)) == 12


@pytest.mark.parametrize("args", [{"category": "b", "service": "nope"},
                                  {"category": "a", "service": "sb01"},     # another category's
                                  {"category": "b", "service": "sb02"},     # retired
                                  {"category": "b", "service": 7}])
def test_a_ticket_for_an_item_must_name_an_offered_item_of_its_category(service, args):
    answer = service.handle("kiosk", "k1", "ticket.issue", args)
    assert answer["status"] == "error" and answer["error"]["code"] == "bad_request"
    assert service.tickets_of_day() == []


def test_most_asked_counts_tickets_per_item(service):
    for args in ({"category": "b", "service": "sb01"}, {"category": "b", "service": "sb01"},
                 {"category": "a", "service": "zh01"}, {"category": "a"}):
        assert service.handle("kiosk", "k1", "ticket.issue", args)["status"] == "ok"
    answer = service.handle("kiosk", "k1", "catalog.popular", {})
    assert answer["data"] == {"counts": {"sb01": 2, "zh01": 1}}


def test_answers_and_states_match_the_contract(service):
    seen = []
    service.add_listener(lambda kind, suffix, payload: seen.append((kind, suffix, payload)))
    at_window(service)
    replies = [("notice.issue", notice(service, ["居民身份证"]))]
    number = replies[0][1]["data"]["notice"]["number"]
    replies.append(("notice.lookup", service.handle("kiosk", "k1", "notice.lookup",
                                                    {"number": number})))
    replies.append(("catalog.popular", service.handle("kiosk", "k1", "catalog.popular", {})))
    for action, reply in replies:
        validate_strict("response", None, reply)
        validate_strict("response", action, reply["data"])
    windows = [p for kind, suffix, p in seen if suffix == "window/2/state"]
    assert windows[-1]["service"] == "sb01"
    for payload in windows:
        validate_strict("state", "window", payload)
