"""过号重排 at the kiosk, without a window: typing the number, and each answer of the server
said plainly (issue 11)."""
from hall.config.model import Category
from kiosk.flows.requeue import NEEDS_NEW_TICKET, REQUEUE, UNKNOWN, RequeueFlow
from kiosk.flows.ticket import DONE, FAILED, ISSUING

CATS = [Category("a", "A", "综合业务"), Category("b", "B", "不动产登记", real_name=True)]


def flow():
    count = iter(range(100))
    return RequeueFlow(CATS, new_transaction=lambda: f"rq{next(count)}")


def typed(f, keys):
    for key in keys:
        f.press(key)
    return f


def sent(f, keys):
    typed(f, keys)
    assert f.submit() == "" and f.step == ISSUING
    return f.request()


def test_letters_are_the_halls_queues_and_replace_each_other():
    f = flow()
    assert f.step == REQUEUE and f.action == "ticket.requeue"
    assert f.letters == [("A", "综合业务"), ("B", "不动产登记")]
    assert typed(f, ["Z", "C", "x"]).typed == ""            # no such queue: nothing typed
    assert typed(f, ["A", "B", "0", "1", "2"]).typed == "B012"
    assert typed(f, ["1", "2", "3", "4"]).typed == "B01212"           # at most 5 digits
    assert typed(f, ["back", "back", "back", "back", "back", "back"]).typed == ""


def test_a_number_needs_its_letter_and_digits_and_short_ones_are_padded():
    f = flow()
    assert "字母" in f.submit() and f.step == REQUEUE
    typed(f, ["A"])
    assert "数字" in f.submit() and not f.ready
    assert sent(f, ["1", "2"]) == {"number": "A012"}
    assert f.request() is None                              # a second tap: nothing more


def test_back_in_the_queue_is_shown_with_its_place_and_not_printed():
    f = flow()
    sent(f, ["A", "0", "0", "7"])
    ticket = {"number": "A007", "category": "a", "status": "waiting", "priority": "normal",
              "waiting_ahead": 3, "estimated_wait_s": 600}
    assert f.on_response({"ticket": ticket}) == DONE
    lines = f.ticket_lines()
    assert (lines["number"], lines["category"], lines["ahead"]) == ("A007", "综合业务", "前面还有3人")
    assert lines["wait"] == "预计等候约10分钟"
    assert not f.should_print


def test_an_unknown_number_goes_back_to_the_keypad_as_a_new_intention():
    f = flow()
    sent(f, ["A", "9", "9", "9"])
    assert f.on_response(None, "unknown_ticket", "没有这个号") == REQUEUE
    assert f.problem == UNKNOWN and f.typed == ""
    assert sent(f, ["A", "1"]) == {"number": "A001"} and f.transaction == "rq1"


def test_a_refusal_says_the_servers_reason_and_offers_a_new_ticket_only_when_it_helps():
    for message, new_ticket in (("过号已超过重排时限，请重新取号", True),
                                ("这个号已经重排过一次，请重新取号", True),
                                ("这个号还在等候，不用重排", False),
                                ("这个号正在叫，请直接到窗口", False)):
        f = flow()
        sent(f, ["A", "1"])
        assert f.on_response(None, "conflict", message) == FAILED
        assert f.error_message == message and f.offers_new_ticket is new_ticket
        assert not f.can_retry


def test_a_timeout_retries_the_same_transaction():
    f = flow()
    sent(f, ["B", "3"])
    f.on_response(None, "timeout")
    assert f.can_retry and "重试" in f.error_message and not f.offers_new_ticket
    assert f.retry() == {"number": "B003"} and f.transaction == "rq0"
    f.on_response(None, "conflict", "")
    assert f.error_message and NEEDS_NEW_TICKET not in f.error_message


def test_clear_forgets_the_number():
    f = flow()
    sent(f, ["A", "1"])
    f.on_response(None, "conflict", "过号已超过重排时限，请重新取号")
    f.clear()
    assert (f.step, f.typed, f.refusal, f.transaction) == (REQUEUE, "", "", None)
