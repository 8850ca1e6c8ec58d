"""办件查询 at the kiosk without a window: typing the number and the last four digits, a card
read instead, the server's answers, and one transaction per intention (find, then pickup)."""
from hall.config.model import Category
from hall.words import APPLICATION_LOOKUP_FAILED, APPLICATION_UNKNOWN, GUESSED_TOO_FAST
from kiosk.flows.application import FIND, STATUS, ApplicationFlow
from kiosk.flows.ticket import DONE, FAILED, ISSUING
from kiosk_people import invented_id

CATS = [Category("a", "A", "综合业务"), Category("out", "H", "统一出件", collection=True)]
CARD_ID = invented_id("19800101")
READY = {"number": "QINGSHAN-COUNTY-20261202-0007", "state": "ready", "accepted_on": "2026-12-02",
         "due": "2026-12-09", "committed_days": 5, "item_name": "社会保障卡申领", "hall": "青山县政务服务中心",
         "url": "http://hall/a/token", "lines": []}


def flow():
    count = iter(range(100))
    return ApplicationFlow(CATS, new_transaction=lambda: f"t{next(count)}", hall_id="qingshan-county")


def typed(f, keys):
    for key in keys:
        f.press(key)
    return f


def test_twelve_digits_then_the_last_four_with_x_only_last():
    f = typed(flow(), "2026120200071234")
    assert f.ready and f.number() == "QINGSHAN-COUNTY-20261202-0007" and f.last4 == "1234"
    f = typed(flow(), "202612020007")
    typed(f, ["X", "1", "2", "X", "3", "X"])         # X only as the last character
    assert f.last4 == "123X"
    typed(f, ["back", "back", "back", "back", "back"])
    assert (f.digits, f.last4) == ("20261202000", "")
    assert typed(f, ["clear"]).digits == "" and not f.ready
    f.submit()
    assert f.step == FIND and f.request() is None    # not ready: nothing asked


def test_typed_and_found_then_a_pickup_with_its_own_transaction():
    f = typed(flow(), "2026120200071234")
    f.submit()
    assert f.step == ISSUING and f.action == "application.find"
    assert f.request() == {"number": "QINGSHAN-COUNTY-20261202-0007", "last4": "1234"}
    assert f.request() is None                       # a double tap asks once
    assert f.on_response({"applications": [READY]}) == STATUS and f.has_ready
    f.pickup()
    assert f.step == ISSUING and f.action == "application.pickup"
    args = f.request()
    assert args == {"number": "QINGSHAN-COUNTY-20261202-0007", "last4": "1234"} and f.transaction == "t1"
    assert f.on_response({"ticket": {"number": "H001", "category": "out"}, "applications": [READY]}) == DONE
    assert f.should_print and f.category.id == "out"


def test_a_card_finds_its_holders_applications():
    f = flow()
    assert f.identify(CARD_ID, "陈示例") == ""
    assert f.step == ISSUING and f.request() == {"identity": {"id_number": CARD_ID, "name": "陈示例"}}
    assert f.on_response({"applications": [dict(READY, state="accepted")]}) == STATUS
    assert not f.has_ready
    f.pickup()
    assert f.step == STATUS                          # nothing ready: no ticket asked
    assert f.receipt(0).rows[2] == ("申请人", "陈*例")


def test_not_found_and_offline_go_back_to_the_keypad_with_the_reason():
    f = typed(flow(), "2026120200071234")
    f.submit()
    f.request()
    assert f.on_response(None, "unknown_ticket", "x") == FIND and f.problem == APPLICATION_UNKNOWN
    assert f.digits == f.last4 == "" and f.transaction is None
    typed(f, "2026120200071234").submit()
    f.request()
    assert f.on_response(None, "timeout") == FIND and f.problem == APPLICATION_LOOKUP_FAILED


def test_a_slowed_kiosk_says_how_long_to_wait():
    """After too many wrong pairs the server answers rate_limited: the citizen reads its
    words (how many minutes), not "not found" (which would invite another try)."""
    f = typed(flow(), "2026120200071234")
    f.submit()
    f.request()
    slowed = GUESSED_TOO_FAST.format(minutes=10)
    assert f.on_response(None, "rate_limited", slowed) == FIND and f.problem == slowed
    assert f.digits == f.last4 == ""


def test_a_refused_pickup_says_the_servers_words():
    f = typed(flow(), "2026120200071234")
    f.submit()
    f.request()
    f.on_response({"applications": [READY]})
    f.pickup()
    f.request()
    assert f.on_response(None, "conflict", "您没有待领取的办件") == FAILED
    assert f.error_message == "您没有待领取的办件"
    f.clear()
    assert f.step == FIND and f.applications == [] and f.last4 == "" and f.identity is None
