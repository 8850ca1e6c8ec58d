"""The kiosk's rules, without a window: tiles, the ticket flow, keypad, idle, modes."""
import datetime as dt

from kiosk.flows import idcard
from hall.words import wait_text
from kiosk.flows.hall_view import HallView, Tile
from kiosk.flows.idle import IdleTimer
from kiosk.flows.keypad import Entry
from kiosk.flows.mode import mode_for, pages
from kiosk.flows.appointment import APPOINTMENT, AppointmentFlow
from kiosk.flows.ticket import (CATEGORY, DONE, FACE, FAILED, IDENTITY, ISSUING, PRIORITY,
                                TicketFlow)
from hall.config.model import Category, KioskSettings
from hall.protocol.schema import validate, validator

from kiosk_people import OLD, YOUNG, invented_id

TODAY = dt.date(2026, 11, 21)
CATS = [Category("a", "A", "综合业务"),
        Category("b", "B", "不动产登记", real_name=True, per_person_limit=2),
        Category("c", "C", "税务", priority_allowed=False)]


def state(cat, waiting=3, wait=300, open_=True):
    """A queue state as the server sends it: valid by the contract, and no field it lacks."""
    payload = {"category": cat, "prefix": cat.upper(), "name": "x", "open": open_,
               "waiting": waiting, "next": [], "estimated_wait_s": wait, "ts": 1.0}
    return contract_state("queue", payload)


def contract_state(name, payload):
    validate("state", name, payload)
    assert set(payload) <= set(validator("state", name).schema["properties"]), payload
    return payload


def view(connected=True):
    v = HallView(CATS, today=lambda: TODAY)
    v.set_connected(connected)
    for cat in "abc":
        v.update_state(f"queue/{cat}/state", state(cat))
    return v


def flow():
    count = iter(range(100))
    return TicketFlow(CATS, elderly_age=65, new_transaction=lambda: f"tx{next(count)}",
                      today=lambda: TODAY)


# -- ID numbers ----------------------------------------------------------------------------
def test_id_check_digit_and_problems_in_chinese():
    assert idcard.problem(YOUNG, TODAY) == ""
    wrong_check = YOUNG[:17] + ("0" if YOUNG[17] != "0" else "1")
    assert "有误" in idcard.problem(wrong_check, TODAY)
    assert "18位" in idcard.problem(YOUNG[:10], TODAY)
    assert "出生日期" in idcard.problem(invented_id("19901332"), TODAY)
    assert idcard.age(OLD, TODAY) == 86 and idcard.age(YOUNG, TODAY) == 36


def test_masks_show_only_surname_and_last_four():
    assert idcard.mask_name("王小明") == "王*明"
    assert idcard.mask_name("李明") == "李*"
    assert idcard.mask_name("欧阳小明") == "欧**明"
    assert idcard.mask_id(YOUNG) == "*" * 14 + YOUNG[-4:]
    assert YOUNG[:14] not in idcard.mask_id(YOUNG)


# -- tiles ---------------------------------------------------------------------------------
def test_tiles_follow_retained_state_and_show_closed_and_full():
    v = view()
    v.update_state("queue/b/state", state("b", open_=False))
    v.issue_refused("c", "quota_exceeded")
    tiles = {t.category: t for t in v.tiles()}
    assert tiles["a"].can_take and tiles["a"].detail == "等候3人  约5分钟"
    assert tiles["b"].state == "closed" and not tiles["b"].can_take and tiles["b"].reason
    assert tiles["c"].state == "full" and "取完" in tiles["c"].detail
    assert len(v.tiles()) == 3          # closed and full are shown, not hidden


def test_tiles_read_only_what_the_contract_defines():
    """The server never sends `full` or `reason` (not in state.queue.json): such fields,
    from a stray publisher, change nothing; a full day is learnt from a refused ticket."""
    v = view()
    v.update_state("queue/a/state", dict(state("a"), full=True, reason="内部调试"))
    v.update_state("queue/b/state", dict(state("b", open_=False), reason="内部调试"))
    tiles = {t.category: t for t in v.tiles()}
    assert tiles["a"].can_take and tiles["a"].detail == "等候3人  约5分钟"
    assert tiles["b"].state == "closed" and tiles["b"].reason == "当前不在取号时间"


def test_offline_pauses_every_tile_and_says_why():
    v = view(connected=False)
    assert all(t.state == "paused" and "重连" in t.reason for t in v.tiles())
    assert v.banner().startswith("暂停取号")
    v.set_connected(True)
    assert all(t.can_take for t in v.tiles()) and v.banner() == ""


def test_silent_server_pauses_until_it_publishes_again():
    v = view()
    v.set_server_silent(True)
    assert not any(t.can_take for t in v.tiles())
    assert "没有响应" in v.tiles()[0].reason
    v.update_state("queue/a/state", state("a"))
    assert all(t.can_take for t in v.tiles())


def test_offline_server_status_pauses_even_with_retained_states():
    v = view()
    v.set_server_online(False)
    # the broker hands out a dead server's retained states: they must not reopen the tiles
    v.update_state("queue/a/state", state("a"))
    assert all(t.state == "paused" and "暂停服务" in t.reason for t in v.tiles())
    assert v.banner().startswith("暂停取号")
    v.set_server_online(True)
    assert all(t.can_take for t in v.tiles())


def test_category_without_state_yet_is_paused():
    v = HallView(CATS)
    v.set_connected(True)
    assert v.tiles()[0].state == "paused"


def test_printer_fault_line_on_home():
    v = view()
    v.set_device("printer", {"state": "error", "code": "paper_out", "message": "缺纸"})
    assert "打印机缺纸" in v.banner() and "咨询台" in v.banner()


def test_wait_text():
    assert wait_text(10) == "无需等待"
    assert wait_text(600) == "约10分钟"
    assert wait_text(4800) == "约1小时20分"


def test_an_empty_queue_reads_the_same_on_every_tile_and_ticket():
    def detail(waiting, wait):
        return Tile("a", "A", "综合业务", "open", waiting, wait).detail

    # Nobody waiting: one wording, whatever estimate the server sends.
    assert detail(0, 300) == detail(0, 0) == "无需等待"
    assert detail(2, 10) == "等候2人  约1分钟"          # people waiting: never 无需等待
    f = flow()
    f.choose(tile("c"))
    f.request()
    f.on_response({"ticket": {"number": "C001", "category": "c", "waiting_ahead": 0,
                              "estimated_wait_s": 300}})
    assert f.ticket_lines()["wait"] == "无需等待"
    f.ticket["waiting_ahead"], f.ticket["estimated_wait_s"] = 3, 600
    assert f.ticket_lines()["wait"] == "预计等候约10分钟"


# -- ticket flow ---------------------------------------------------------------------------
def tile(cat):
    return {t.category: t for t in view().tiles()}[cat]


def test_plain_category_asks_priority_then_issues_once():
    f = flow()
    assert f.choose(tile("a")) == PRIORITY
    assert f.choose_priority("disabled") == ISSUING
    args = f.request()
    assert args == {"category": "a", "priority": "disabled"} and f.transaction == "tx0"
    assert f.request() is None                  # impatient second tap: nothing
    assert f.on_response({"ticket": {"number": "A001", "waiting_ahead": 2,
                                     "estimated_wait_s": 240, "priority": "disabled"}}) == DONE
    assert f.ticket_lines()["number"] == "A001" and f.ticket_lines()["priority"] == "残疾人优先"
    assert f.request() is None and f.retry() is None


def test_category_without_priority_goes_straight_to_issue():
    f = flow()
    assert f.choose(tile("c")) == ISSUING


def test_closed_tile_cannot_be_chosen():
    v = view()
    v.update_state("queue/a/state", state("a", open_=False))
    f = flow()
    assert f.choose(v.tiles()[0]) == CATEGORY


def test_real_name_category_validates_card_and_masks():
    f = flow()
    assert f.choose(tile("b")) == IDENTITY
    assert "有误" in f.identify(YOUNG[:17] + "0" if YOUNG[17] != "0" else YOUNG[:17] + "1")
    assert f.step == IDENTITY
    assert f.identify(YOUNG, "张三丰") == "" and f.step == PRIORITY
    assert f.masked_identity() == ("张*丰", "*" * 14 + YOUNG[-4:])
    f.choose_priority("normal")
    assert f.request()["identity"] == {"id_number": YOUNG, "name": "张三丰"}


def test_old_card_holder_is_elderly_without_being_asked():
    f = flow()
    f.choose(tile("b"))
    assert f.identify(OLD, "李四") == "" and f.step == ISSUING and f.auto_elderly
    assert f.request()["priority"] == "elderly"


def test_per_person_limit_is_explained():
    f = flow()
    f.choose(tile("b"))
    f.identify(YOUNG, "", source="manual")
    f.choose_priority("normal")
    f.request()
    assert f.on_response(None, "limit_per_person") == FAILED
    assert "每人每天只能取2个号" in f.error_message and not f.can_retry


def test_timeout_retry_reuses_the_transaction():
    f = flow()
    f.choose(tile("c"))
    f.request()
    f.on_response(None, "timeout")
    assert f.can_retry
    assert f.retry() == {"category": "c", "priority": "normal"}
    assert f.transaction == "tx0" and f.step == ISSUING
    assert f.retry() is None                    # already retrying


def test_clear_forgets_the_person():
    f = flow()
    f.choose(tile("b"))
    f.identify(YOUNG, "张三丰")
    f.clear()
    assert f.identity is None and f.step == CATEGORY and f.masked_identity() == ("", "")


def test_back_goes_one_step_and_forgets_that_choice():
    f = flow()
    f.choose(tile("b"))                             # real-name: the card step
    assert f.back() == CATEGORY and f.category is None
    f.choose(tile("b"))
    f.identify(YOUNG, "张三丰")
    assert f.step == PRIORITY
    assert f.back() == IDENTITY and f.identity is None and f.masked_identity() == ("", "")
    assert f.back() == CATEGORY
    f.choose(tile("a"))                             # no card step: priority -> category
    assert f.back() == CATEGORY and f.category is None
    f.choose(tile("a"))
    f.choose_priority("elderly")
    f.request()
    assert not f.can_go_back and f.back() == ISSUING    # the server is being asked
    f.on_response(None, "timeout")
    assert f.can_go_back


def test_printer_failure_recorded():
    f = flow()
    f.choose(tile("c"))
    f.request()
    f.on_response({"ticket": {"number": "C001"}})
    f.on_printed(False, "打印机缺纸")
    assert f.printed is False and f.print_problem == "打印机缺纸"


# -- keypad, idle, modes -------------------------------------------------------------------
def test_keypad_accepts_x_only_last_and_validates():
    e = Entry()
    assert not e.press("X")
    for ch in YOUNG[:17]:
        e.press(ch)
    assert e.press(YOUNG[17]) and e.complete and e.problem() == ""
    assert not e.press("1")
    assert e.shown() == f"{YOUNG[:6]} {YOUNG[6:14]} {YOUNG[14:]}"
    e.press("back")
    e.press("0" if YOUNG[17] != "0" else "1")
    assert "有误" in e.problem()


def test_idle_timer_counts_down_and_holds():
    now = [100.0]
    t = IdleTimer(60, clock=lambda: now[0])
    now[0] += 59.2
    assert t.remaining() == 1 and not t.expired()
    t.held = True
    now[0] += 10
    assert not t.expired()
    t.held = False
    assert t.expired()
    t.touch(120)
    assert t.remaining() == 120


def test_idle_timer_limit_shortens_but_never_lengthens():
    now = [0.0]
    t = IdleTimer(120, clock=lambda: now[0])
    t.limit_s = 30
    assert t.remaining() == 30
    now[0] += 30
    assert t.expired()
    t.touch(10)
    assert t.remaining() == 10                      # a shorter timeout still wins


def test_elderly_mode_is_bigger_slower_with_fewer_choices():
    s = KioskSettings()
    normal, elderly = mode_for(s, False), mode_for(s, True)
    assert elderly.font_scale > normal.font_scale
    assert elderly.idle_timeout_s > normal.idle_timeout_s
    assert elderly.per_page < normal.per_page and elderly.speak and not normal.speak
    land = mode_for(KioskSettings(orientation="landscape"), False)
    assert land.grid[0] > normal.grid[0]
    assert pages(list(range(9)), 4) == [[0, 1, 2, 3], [4, 5, 6, 7], [8]]


# -- appointment check-in (预约签到) ---------------------------------------------------------
def appointment():
    count = iter(range(100))
    return AppointmentFlow(CATS, elderly_age=65, new_transaction=lambda: f"ap{next(count)}",
                           today=lambda: TODAY)


def test_appointment_code_is_checked_then_sent_once():
    f = appointment()
    assert f.step == APPOINTMENT and f.action == "appointment.checkin"
    assert "8位" in f.enter_code("1234") and f.step == APPOINTMENT
    assert f.enter_code("12345678") == "" and f.step == ISSUING
    assert f.request() == {"code": "12345678"} and f.request() is None    # double tap: nothing
    ticket = {"number": "B003", "category": "b", "priority": "appointment",
              "waiting_ahead": 0, "estimated_wait_s": 0}
    assert f.on_response({"ticket": ticket}) == DONE
    assert f.should_print and f.repeat_line == ""
    lines = f.ticket_lines()
    assert (lines["number"], lines["category"], lines["priority"]) == \
        ("B003", "不动产登记", "预约优先")


def test_appointment_by_id_card_sends_the_identity():
    f = appointment()
    assert "有误" in f.identify(YOUNG[:17] + ("0" if YOUNG[17] != "0" else "1"), "张三丰")
    assert f.identify(YOUNG, "张三丰") == "" and f.step == ISSUING
    assert f.request() == {"identity": {"id_number": YOUNG, "name": "张三丰"}}


def test_refused_codes_go_back_to_the_keypad_in_chinese():
    f = appointment()
    f.enter_code("11111111")
    first = f.request() and f.transaction
    assert f.on_response(None, "unknown_ticket", "没有找到今天的预约") == APPOINTMENT
    assert "没有找到" in f.problem and "预约码" in f.problem
    f.enter_code("22222222")
    assert f.request() == {"code": "22222222"} and f.transaction != first   # a new intention
    assert f.on_response(None, "wrong_day", "您预约的是11月25日，请在那天来签到") == APPOINTMENT
    assert f.problem == "您预约的是11月25日，请在那天来签到"
    f.identify(YOUNG, "张三丰")
    f.request()
    f.on_response(None, "unknown_ticket")
    assert "没有找到您今天的预约" in f.problem and f.identity is None


def test_second_check_in_is_shown_not_printed():
    f = appointment()
    f.enter_code("12345678")
    f.request()
    f.on_response({"ticket": {"number": "A007", "category": "a", "priority": "appointment"},
                   "checked_in_before": True})
    assert f.step == DONE and not f.should_print and "签到过" in f.repeat_line


def test_appointment_timeout_retries_the_same_transaction_and_closed_is_final():
    f = appointment()
    f.enter_code("12345678")
    f.request()
    f.on_response(None, "timeout")
    assert f.retry() == {"code": "12345678"} and f.transaction == "ap0"
    f.on_response(None, "closed")
    assert f.step == FAILED and not f.can_retry and "暂停取号" in f.error_message


def test_a_scanned_booking_code_is_sent_and_another_qr_code_is_explained():
    f = appointment()
    assert "不是预约二维码" in f.scan("https://example.com/pay?x=1") and f.step == APPOINTMENT
    assert f.scan("73739966") == "" and f.request() == {"code": "73739966"}


def test_appointment_clear_forgets_code_and_person():
    f = appointment()
    f.identify(YOUNG, "张三丰")
    f.clear()
    assert (f.step, f.code, f.identity, f.problem) == (APPOINTMENT, "", None, "")


def test_face_verify_category_asks_for_the_face_after_the_card_and_sends_the_result():
    cats = CATS + [Category("f", "F", "出入境业务", real_name=True, face_verify=True,
                            priority_allowed=False)]
    f = TicketFlow(cats, elderly_age=65, new_transaction=lambda: "tx", today=lambda: TODAY)
    f.choose(Tile("f", "F", "出入境业务", "open"))
    assert f.identify(YOUNG, "王测试") == "" and f.step == FACE
    assert f.back() == IDENTITY and f.identity is None          # 上一步 forgets the card
    f.identify(YOUNG, "王测试")
    result = {"result": "fail", "distance": None, "liveness": "failed", "tries": 3, "at": 1.0}
    assert f.face_checked(result) == ISSUING
    assert f.request()["face_check"] == result
    assert f.face_checked({"result": "pass"}) == ISSUING and f.face_check == result   # once
