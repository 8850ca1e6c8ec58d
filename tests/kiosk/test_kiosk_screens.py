"""The kiosk's screens in a real offscreen Kivy window, against a real queue server and an
embedded MQTT broker, with the real printer and card reader drivers on simulator ptys.

Kivy's window is process-global, so this module shares one window and one hall; each test
starts from the home screen.
"""
import datetime as dt
import json
import re
import wave
import threading
from contextlib import contextmanager

import paho.mqtt.client as mqtt
import pytest

from drivers.card_reader.simulator import SAMPLE_CARDS
from kiosk_people import invented_id
from kiosk_window import back_home, find, kiosk_app, on_screen, pump, shown, tap

HALL_YAML = __file__.rsplit("/", 1)[0] + "/hall.yaml"


@pytest.fixture(scope="module")
def kiosk():
    with kiosk_app(HALL_YAML) as kiosk:
        yield kiosk


@pytest.fixture(autouse=True)
def from_home(kiosk):
    back_home(kiosk)


def server_tickets(kiosk, category):
    return [t for t in kiosk.hall.service.tickets_of_day() if t["category"] == category]


@contextmanager
def server_hung(kiosk):
    """A real hang while the block runs: the server's worker waits on its own lock."""
    frozen, release = threading.Event(), threading.Event()

    def hang_the_server():
        with kiosk.hall.service._lock:
            frozen.set()
            release.wait(30)

    threading.Thread(target=hang_the_server, daemon=True).start()
    try:
        assert frozen.wait(5)
        yield release
    finally:
        release.set()


def printed_after(kiosk, count, timeout=10):
    assert pump(lambda: len(kiosk.printer.printed) > count, timeout), "nothing printed"
    return kiosk.printer.printed[-1]


def test_tiles_show_every_category_live(kiosk):
    tap(kiosk.root, "home:take_ticket")
    assert on_screen(kiosk, "take_ticket")
    text = shown(kiosk.root)
    for name in ("综合业务", "不动产登记", "税务业务", "医保社保", "公积金"):
        assert name in text
    assert "无需等待" in text and "等候0人" not in text     # an empty queue, one wording
    waiting_before = kiosk.session.view.tile(kiosk.session.hall.category("gongjijin")).waiting
    kiosk.hall.service.handle("kiosk", "k2", "ticket.issue",
                              {"category": "gongjijin", "transaction": "other-kiosk-1"})
    assert pump(lambda: f"等候{waiting_before + 1}人" in shown(kiosk.root)), \
        "the tile did not follow the queue state"


def test_one_tap_prints_the_number_the_server_issued(kiosk):
    done = len(kiosk.printer.printed)
    before = len(server_tickets(kiosk, "shuiwu"))
    tap(kiosk.root, "home:take_ticket")
    assert on_screen(kiosk, "take_ticket")
    tap(kiosk.root, "category:shuiwu", times=3)          # an impatient citizen
    assert on_screen(kiosk, "ticket")
    document = printed_after(kiosk, done)
    issued = server_tickets(kiosk, "shuiwu")
    assert len(issued) == before + 1, "several taps gave several tickets"
    number = issued[-1]["number"]
    assert any(number in line for line in document.texts)
    assert document.qr_codes and document.qr_codes[0].data == kiosk.session.flow.ticket["url"]
    assert pump(lambda: "请取走号票" in shown(kiosk.root))
    assert number in shown(kiosk.root)
    pump(timeout=0.5)
    assert len(kiosk.printer.printed) == done + 1


def test_a_request_the_server_never_answered_is_tried_again_by_the_retry_button(kiosk):
    """A real hang (the server's worker waits on its own lock): the ticket screen says no
    number came and offers 重试; once the server answers, 重试 gives exactly one ticket."""
    before = len(server_tickets(kiosk, "shuiwu"))
    session, timeout = kiosk.session, kiosk.session.request_timeout_s
    session.request_timeout_s = 1.0
    try:
        with server_hung(kiosk):
            tap(kiosk.root, "home:take_ticket")
            assert on_screen(kiosk, "take_ticket")
            tap(kiosk.root, "category:shuiwu")
            assert pump(lambda: "没有取到号" in shown(kiosk.root) and find(kiosk.root, "ticket:retry"))
    finally:
        session.request_timeout_s = timeout
    tap(kiosk.root, "ticket:retry")
    assert pump(lambda: "请取走号票" in shown(kiosk.root), 15)
    assert len(server_tickets(kiosk, "shuiwu")) == before + 1


def test_priority_choice_gives_a_priority_ticket(kiosk):
    tap(kiosk.root, "home:take_ticket")
    on_screen(kiosk, "take_ticket")
    tap(kiosk.root, "category:zonghe")
    assert on_screen(kiosk, "priority")
    assert "老年人优先" in shown(kiosk.root) and "残疾人优先" in shown(kiosk.root)
    tap(kiosk.root, "priority:disabled")
    assert on_screen(kiosk, "ticket")
    assert pump(lambda: "残疾人优先" in shown(kiosk.root))
    assert server_tickets(kiosk, "zonghe")[-1]["priority"] == "disabled"


def test_id_card_masked_then_per_person_limit_explained(kiosk):
    card = SAMPLE_CARDS["resident"]
    id_number = card.values["id_number"]
    for attempt in (1, 2):
        tap(kiosk.root, "home:take_ticket")
        on_screen(kiosk, "take_ticket")
        tap(kiosk.root, "category:budongchan")
        assert on_screen(kiosk, "identity")
        assert "请将身份证放在感应区" in shown(kiosk.root)
        kiosk.card.present(card)
        if attempt == 1:
            assert on_screen(kiosk, "priority"), shown(kiosk.root)
            assert "王*试" in shown(kiosk.root) and id_number[-4:] in shown(kiosk.root)
            assert id_number not in shown(kiosk.root).replace(" ", "")
            tap(kiosk.root, "priority:normal")
            assert on_screen(kiosk, "ticket")
            assert pump(lambda: "请取走号票" in shown(kiosk.root))
            kiosk.card.lift()
            kiosk.ui.go("home")
        else:
            tap_normal = lambda: find(kiosk.root, "priority:normal")
            assert pump(tap_normal)
            tap(kiosk.root, "priority:normal")
            assert pump(lambda: "每人每天只能取1个号" in shown(kiosk.root)), shown(kiosk.root)
    assert len(server_tickets(kiosk, "budongchan")) == 1


def test_elderly_card_holder_gets_elderly_ticket_without_asking(kiosk):
    tap(kiosk.root, "home:take_ticket")
    on_screen(kiosk, "take_ticket")
    tap(kiosk.root, "category:budongchan")
    on_screen(kiosk, "identity")
    kiosk.card.present(SAMPLE_CARDS["resident_two_char"])     # born 1950
    assert on_screen(kiosk, "ticket")
    assert pump(lambda: "老年人优先" in shown(kiosk.root))
    assert server_tickets(kiosk, "budongchan")[-1]["priority"] == "elderly"


def test_manual_id_entry_checks_the_check_digit(kiosk):
    person = invented_id("19880808", "417")
    wrong = person[:17] + ("1" if person[17] != "1" else "2")
    tap(kiosk.root, "home:take_ticket")
    on_screen(kiosk, "take_ticket")
    tap(kiosk.root, "category:budongchan")
    on_screen(kiosk, "identity")
    tap(kiosk.root, "identity:manual")
    assert on_screen(kiosk, "manual_id")
    for key in wrong:
        tap(kiosk.root, f"key:{key}")
    tap(kiosk.root, "manual:ok")
    assert pump(lambda: "有误" in shown(kiosk.root))
    assert kiosk.ui.manager.current == "manual_id"
    tap(kiosk.root, "key:back")
    tap(kiosk.root, f"key:{person[17]}")
    tap(kiosk.root, "manual:ok")
    assert on_screen(kiosk, "priority")
    assert person[-4:] in shown(kiosk.root) and person not in shown(kiosk.root)


def test_printer_out_of_paper_shows_ticket_longer_and_reports(kiosk):
    seen = []
    topic = f"yichuang/{kiosk.hall.config.id}/kiosk/k1/devices"
    watcher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    got = threading.Event()

    def message(_c, _u, msg):
        seen.append(json.loads(msg.payload))
        if seen[-1].get("printer", {}).get("code") == "paper_out":
            got.set()

    watcher.on_message = message
    watcher.connect("127.0.0.1", kiosk.hall.port)
    watcher.subscribe(topic, qos=1)
    watcher.loop_start()
    try:
        kiosk.printer.paper = "out"
        tap(kiosk.root, "home:take_ticket")
        on_screen(kiosk, "take_ticket")
        tap(kiosk.root, "category:shuiwu")
        assert on_screen(kiosk, "ticket")
        assert pump(lambda: "请拍下本页" in shown(kiosk.root)), shown(kiosk.root)
        number = server_tickets(kiosk, "shuiwu")[-1]["number"]
        assert number in shown(kiosk.root) and "缺纸" in shown(kiosk.root)
        settings = kiosk.session.settings
        assert kiosk.session.idle.remaining() > settings.ticket_show_s
        assert got.wait(10), f"no paper_out on {topic}: {seen}"
        kiosk.ui.go("home")
        assert "打印机缺纸" in shown(kiosk.root)
    finally:
        watcher.loop_stop()
        watcher.disconnect()


def test_idle_countdown_returns_home_and_forgets_the_citizen(kiosk):
    tap(kiosk.root, "home:take_ticket")
    on_screen(kiosk, "take_ticket")
    tap(kiosk.root, "category:budongchan")
    on_screen(kiosk, "identity")
    tap(kiosk.root, "identity:manual")
    on_screen(kiosk, "manual_id")
    for key in "11010119":
        tap(kiosk.root, f"key:{key}")
    assert "110101 19" in shown(kiosk.root)
    assert "秒后自动返回首页" in shown(kiosk.root)
    kiosk.session.idle.touch(2)                 # as if the idle time were nearly over
    assert on_screen(kiosk, "home", timeout=6)
    everything = "\n".join(shown(screen) for screen in kiosk.ui.screens.values())
    assert "110101 19" not in everything and "11010119" not in everything
    assert kiosk.session.flow.identity is None and kiosk.session.flow.category is None


def test_full_category_is_shown_as_full(kiosk):
    tap(kiosk.root, "home:take_ticket")
    assert on_screen(kiosk, "take_ticket"), (kiosk.ui.manager.current, shown(kiosk.root))
    for _ in range(2):
        if find(kiosk.root, "category:yibao").enabled:
            tap(kiosk.root, "category:yibao")
            on_screen(kiosk, "ticket")
            pump(lambda: kiosk.session.flow.step in ("done", "failed"))
            kiosk.ui.go("take_ticket")
            on_screen(kiosk, "take_ticket")
    tile = find(kiosk.root, "category:yibao")
    assert not tile.enabled and "今日号票已取完" in shown(kiosk.root)
    assert len(server_tickets(kiosk, "yibao")) == 1


def test_elderly_mode_larger_text_fewer_tiles(kiosk):
    tap(kiosk.root, "home:take_ticket")
    on_screen(kiosk, "take_ticket")
    normal_size = max(w.font_size for w in find(kiosk.root, "category:zonghe").children)
    normal_tiles = sum(1 for c in "zonghe budongchan shuiwu yibao gongjijin".split()
                       if find(kiosk.root, f"category:{c}"))
    kiosk.ui.go("home")
    tap(kiosk.root, "home:elderly")
    assert pump(lambda: "退出适老模式" in shown(kiosk.root))
    tap(kiosk.root, "home:take_ticket")
    on_screen(kiosk, "take_ticket")
    big_size = max(w.font_size for w in find(kiosk.root, "category:zonghe").children)
    elderly_tiles = sum(1 for c in "zonghe budongchan shuiwu yibao gongjijin".split()
                        if find(kiosk.root, f"category:{c}"))
    assert big_size > normal_size and elderly_tiles < normal_tiles
    assert find(kiosk.root, "page:next") is not None
    kiosk.ui.go("home")
    assert kiosk.session.elderly                # 返回首页: still the same citizen
    kiosk.session.idle.touch(1)                 # nobody touches the home screen any more
    assert pump(lambda: not kiosk.session.elderly, 5)
    assert "适老模式（大字、语音）" in shown(kiosk.root)   # the next citizen: the default mode


def test_broker_outage_pauses_and_recovers_by_itself(kiosk):
    tap(kiosk.root, "home:take_ticket")
    on_screen(kiosk, "take_ticket")
    kiosk.hall.stop_broker()
    try:
        assert pump(lambda: "暂停取号" in shown(kiosk.root), 15)
        assert not find(kiosk.root, "category:zonghe").enabled
        assert "网络连接中断" in shown(kiosk.root)
        kiosk.session.idle.touch(600)
    finally:
        kiosk.hall.start_broker()
    assert pump(lambda: find(kiosk.root, "category:zonghe").enabled, 30), shown(kiosk.root)
    assert "暂停取号" not in shown(kiosk.root)


# -- never stuck or exposed ----------------------------------------------------------------------
def title_size(tap_widget):
    return max(w.font_size for w in tap_widget.children)


def test_back_one_step_on_every_screen_keeps_elderly_mode(kiosk):
    tap(kiosk.root, "home:elderly")
    assert pump(lambda: "退出适老模式" in shown(kiosk.root))
    tap(kiosk.root, "home:take_ticket")
    assert on_screen(kiosk, "take_ticket")
    assert "上一步" in shown(kiosk.root)
    tap(kiosk.root, "category:budongchan")          # the wrong category
    assert on_screen(kiosk, "identity")
    tap(kiosk.root, "footer:back")
    assert on_screen(kiosk, "take_ticket") and kiosk.session.flow.category is None
    tap(kiosk.root, "category:budongchan")
    assert on_screen(kiosk, "identity")
    tap(kiosk.root, "identity:manual")
    assert on_screen(kiosk, "manual_id")
    tap(kiosk.root, "key:1")
    tap(kiosk.root, "footer:back")
    assert on_screen(kiosk, "identity") and kiosk.session.id_entry.text == ""
    kiosk.card.present(SAMPLE_CARDS["resident"])
    assert on_screen(kiosk, "priority")
    assert "王*试" in shown(kiosk.root)
    kiosk.card.lift()
    tap(kiosk.root, "footer:back")
    assert on_screen(kiosk, "identity")
    assert "王*试" not in shown(kiosk.root) and kiosk.session.flow.identity is None
    tap(kiosk.root, "footer:back")
    assert on_screen(kiosk, "take_ticket")
    tap(kiosk.root, "footer:back")
    assert on_screen(kiosk, "home")
    assert kiosk.session.elderly and "退出适老模式" in shown(kiosk.root)
    kiosk.session.end()


def test_footer_is_as_large_as_the_mode(kiosk):
    tap(kiosk.root, "home:take_ticket")
    assert on_screen(kiosk, "take_ticket")
    normal = title_size(find(kiosk.root, "footer:back"))
    kiosk.ui.go("home")
    tap(kiosk.root, "home:elderly")
    tap(kiosk.root, "home:take_ticket")
    assert on_screen(kiosk, "take_ticket")
    elderly = title_size(find(kiosk.root, "footer:back"))
    assert elderly >= normal * 1.3 and title_size(find(kiosk.root, "footer:home")) == elderly
    kiosk.session.end()


def test_typed_id_number_is_wiped_after_a_short_time_even_in_elderly_mode(kiosk):
    person = invented_id("19880808", "417")
    wrong = person[:17] + ("1" if person[17] != "1" else "2")
    limit = kiosk.session.settings.personal_data_s
    tap(kiosk.root, "home:elderly")
    tap(kiosk.root, "home:take_ticket")
    on_screen(kiosk, "take_ticket")
    tap(kiosk.root, "category:budongchan")
    on_screen(kiosk, "identity")
    tap(kiosk.root, "identity:manual")
    assert on_screen(kiosk, "manual_id")
    for key in wrong:
        tap(kiosk.root, f"key:{key}")
    tap(kiosk.root, "manual:ok")
    assert pump(lambda: "有误" in shown(kiosk.root))
    # The countdown says the short time, not the elderly idle time (120 s).
    assert kiosk.session.mode.idle_timeout_s > limit
    assert pump(lambda: f"{limit}秒后自动返回首页" in shown(kiosk.root), 3), shown(kiosk.root)
    kiosk.session.idle._since -= limit              # the citizen walked away that long ago
    assert on_screen(kiosk, "home", timeout=5)
    everything = "\n".join(shown(screen) for screen in kiosk.ui.screens.values())
    assert wrong not in everything.replace(" ", "") and wrong[:6] not in everything
    assert not kiosk.session.elderly                # the session ended with them


def looks_like_a_button(widget):
    """A filled, rounded shape in a colour other than the screen's background."""
    from kivy.graphics import Color, RoundedRectangle

    from kiosk.widgets import BACKGROUND

    colour = None
    for instruction in widget.canvas.before.children:
        if isinstance(instruction, Color):
            colour = tuple(instruction.rgba)
        elif isinstance(instruction, RoundedRectangle) and colour != tuple(BACKGROUND):
            return True
    return False


def test_disabled_things_look_disabled_and_notices_are_not_buttons(kiosk):
    tap(kiosk.root, "home:elderly")
    tap(kiosk.root, "home:take_ticket")
    assert on_screen(kiosk, "take_ticket")
    prev, more = find(kiosk.root, "page:prev"), find(kiosk.root, "page:next")
    assert not prev.enabled and not looks_like_a_button(prev)
    assert more.enabled and looks_like_a_button(more)
    assert looks_like_a_button(find(kiosk.root, "footer:home"))
    tap(kiosk.root, "page:prev")                    # does nothing, and shows nothing pressed
    assert "第1页" in shown(kiosk.root) and not looks_like_a_button(find(kiosk.root, "page:prev"))
    tap(kiosk.root, "page:next")
    assert pump(lambda: "第2页" in shown(kiosk.root))
    last = find(kiosk.root, "page:next")
    assert not last.enabled and not looks_like_a_button(last)
    tap(kiosk.root, "page:next")
    assert "第2页" in shown(kiosk.root)
    kiosk.session.end()
    tap(kiosk.root, "home:take_ticket")
    on_screen(kiosk, "take_ticket")
    tap(kiosk.root, "category:shuiwu")
    assert on_screen(kiosk, "ticket")
    assert pump(lambda: "请取走号票，留意叫号" in shown(kiosk.root))
    assert not looks_like_a_button(find(kiosk.root, "ticket:print_state"))


# -- 预约签到 --------------------------------------------------------------------------------
def type_code(kiosk, code):
    for key in code:
        tap(kiosk.root, f"key:{key}")
    tap(kiosk.root, "appointment:ok")


def test_home_has_take_ticket_and_appointment_tiles(kiosk):
    text = shown(kiosk.root)
    assert find(kiosk.root, "home:take_ticket") and find(kiosk.root, "home:appointment")
    assert "取号" in text and "预约签到" in text


def test_booked_code_typed_prints_the_appointment_ticket_once(kiosk):
    service = kiosk.hall.service
    code = service.book_appointment("zonghe", service.date, "09:00-09:30")
    done = len(kiosk.printer.printed)
    before = {t["number"] for t in service.tickets_of_day()}
    tap(kiosk.root, "home:appointment")
    assert on_screen(kiosk, "appointment")
    assert "请输入8位预约码" in shown(kiosk.root)
    type_code(kiosk, code)
    assert on_screen(kiosk, "ticket")
    document = printed_after(kiosk, done)
    issued = [t for t in service.tickets_of_day() if t["number"] not in before]
    assert len(issued) == 1 and issued[0]["priority"] == "appointment"
    number = issued[0]["number"]
    assert any(number in line for line in document.texts)
    assert pump(lambda: "请取走号票" in shown(kiosk.root))
    assert number in shown(kiosk.root) and "预约优先" in shown(kiosk.root)
    # The same code again (a second visit to the kiosk): the same number, shown, not printed.
    kiosk.ui.go("home")
    tap(kiosk.root, "home:appointment")
    assert on_screen(kiosk, "appointment")
    type_code(kiosk, code)
    assert pump(lambda: "签到过" in shown(kiosk.root)), shown(kiosk.root)
    assert number in shown(kiosk.root)
    pump(timeout=0.5)
    assert len(kiosk.printer.printed) == done + 1
    assert kiosk.session.idle.remaining() > kiosk.session.settings.ticket_show_s


def test_unknown_and_wrong_day_codes_are_explained_on_the_keypad(kiosk):
    service = kiosk.hall.service
    tomorrow = (dt.date.fromisoformat(service.date) + dt.timedelta(days=1))
    later = service.book_appointment("zonghe", tomorrow.isoformat(), "10:00-10:30")
    done = len(kiosk.printer.printed)
    tap(kiosk.root, "home:appointment")
    assert on_screen(kiosk, "appointment")
    type_code(kiosk, "1234567")
    assert find(kiosk.root, "appointment:ok").enabled is False     # 7 digits: not yet
    tap(kiosk.root, "key:back")
    unknown = next(c for c in ("00000000", "00000001") if c != later)
    type_code(kiosk, unknown)
    assert pump(lambda: "没有找到今天的这个预约" in shown(kiosk.root)), shown(kiosk.root)
    assert kiosk.ui.manager.current == "appointment"
    type_code(kiosk, later)
    day = f"{tomorrow.month}月{tomorrow.day}日"
    assert pump(lambda: day in shown(kiosk.root) and "请在那天来签到" in shown(kiosk.root)), \
        shown(kiosk.root)
    assert kiosk.ui.manager.current == "appointment"
    pump(timeout=0.3)
    assert len(kiosk.printer.printed) == done


def test_a_booking_qr_scanned_on_the_home_screen_prints_its_ticket(kiosk):
    service = kiosk.hall.service
    code = service.book_appointment("zonghe", service.date, "11:00-11:30")
    done = len(kiosk.printer.printed)
    assert kiosk.ui.manager.current == "home"
    kiosk.scanner.scan(code)                      # real CR LF frames through the pty and driver
    assert on_screen(kiosk, "ticket")
    document = printed_after(kiosk, done)
    ticket = next(t for t in service.tickets_of_day() if t["number"] in " ".join(document.texts))
    assert ticket["priority"] == "appointment"
    assert pump(lambda: "预约优先" in shown(kiosk.root)), shown(kiosk.root)


def test_another_qr_code_at_the_check_in_is_explained(kiosk):
    tap(kiosk.root, "home:appointment")
    assert on_screen(kiosk, "appointment")
    done = len(kiosk.printer.printed)
    kiosk.scanner.scan("https://pay.example.com/qr/abc")
    assert pump(lambda: "不是预约二维码" in shown(kiosk.root)), shown(kiosk.root)
    assert kiosk.ui.manager.current == "appointment" and len(kiosk.printer.printed) == done


def test_appointment_by_id_card(kiosk):
    card = SAMPLE_CARDS["hmt_permit"]
    person = {"id_number": card.values["id_number"], "name": card.values["name"]}
    service = kiosk.hall.service
    service.book_appointment("gongjijin", service.date, "14:00-14:30", person)
    done = len(kiosk.printer.printed)
    tap(kiosk.root, "home:appointment")
    assert on_screen(kiosk, "appointment")
    assert "刷身份证" in shown(kiosk.root)
    kiosk.card.present(card)
    assert on_screen(kiosk, "ticket")
    printed_after(kiosk, done)
    assert pump(lambda: "陈*例" in shown(kiosk.root)), shown(kiosk.root)
    assert person["id_number"] not in shown(kiosk.root).replace(" ", "")
    ticket = [t for t in service.tickets_of_day() if t["category"] == "gongjijin"][-1]
    assert ticket["priority"] == "appointment" and ticket["number"] in shown(kiosk.root)


# -- what a citizen cannot see but must be able to trust ---------------------------------------
def voice_files(kiosk):
    return sorted(kiosk.session.devices.voice.output.directory.glob("*.wav"))


def test_elderly_mode_speaks_its_guidance_through_the_voice_driver(kiosk):
    kiosk.session.devices._voice_jobs.submit(lambda: None)   # (nothing queued from before)
    pump(timeout=0.3)
    before = len(voice_files(kiosk)) if kiosk.session.devices.voice.output.directory.exists() \
        else 0
    tap(kiosk.root, "home:take_ticket")
    on_screen(kiosk, "take_ticket")
    pump(timeout=0.5)
    quiet = len(voice_files(kiosk)) if kiosk.session.devices.voice.output.directory.exists() \
        else 0
    assert quiet == before, "normal mode must not speak"
    kiosk.ui.go("home")
    tap(kiosk.root, "home:elderly")
    tap(kiosk.root, "home:take_ticket")
    assert on_screen(kiosk, "take_ticket")
    assert pump(lambda: kiosk.session.devices.voice.output.directory.exists()
                and len(voice_files(kiosk)) > before, 15), "no guidance spoken"
    with wave.open(str(voice_files(kiosk)[-1])) as sound:
        assert sound.getnframes() / sound.getframerate() > 0.5     # a sentence, not a click


def reachable_text(obj, seen=None, depth=0):
    """Every string held by the session's own objects (flows, view, timers), recursively."""
    seen = set() if seen is None else seen
    if id(obj) in seen or depth > 6:
        return
    seen.add(id(obj))
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from reachable_text(key, seen, depth + 1)
            yield from reachable_text(value, seen, depth + 1)
    elif isinstance(obj, (list, tuple, set)):
        for value in obj:
            yield from reachable_text(value, seen, depth + 1)
    elif hasattr(obj, "__dict__") and type(obj).__module__.startswith("kiosk."):
        yield from reachable_text(vars(obj), seen, depth + 1)


def test_no_personal_data_survives_the_return_home(kiosk):
    card = SAMPLE_CARDS["resident"]
    secrets = [card.values["id_number"], "王*试", card.values["name"],
               card.values["id_number"][-4:]]
    old_flow = kiosk.session.flow
    tap(kiosk.root, "home:take_ticket")
    on_screen(kiosk, "take_ticket")
    tap(kiosk.root, "category:zonghe")          # not real-name: the card is read anyway
    kiosk.ui.go("home")
    tap(kiosk.root, "home:take_ticket")
    on_screen(kiosk, "take_ticket")
    tap(kiosk.root, "category:budongchan")
    on_screen(kiosk, "identity")
    kiosk.card.present(card)
    assert on_screen(kiosk, "priority") or on_screen(kiosk, "ticket")
    assert "王*试" in shown(kiosk.root)
    flow = kiosk.session.flow
    kiosk.session.idle.touch(1)                 # the idle time runs out
    assert on_screen(kiosk, "home", timeout=5)
    held = set(reachable_text(kiosk.session)) | set(reachable_text(flow)) \
        | set(reachable_text(old_flow))
    for screen in kiosk.ui.screens.values():
        held |= set(reachable_text(vars(screen)))
        held |= set(shown(screen).split("\n"))
    leaks = [s for s in secrets for text in held if s in text]
    assert not leaks, leaks


def test_ui_stays_live_while_the_server_and_the_printer_hang(kiosk):
    """Taps return at once while the server hangs (the request is on the network thread),
    and the ticket shows while the printer does not answer (printing is on its worker)."""
    with server_hung(kiosk) as release:
        tap(kiosk.root, "home:take_ticket")
        on_screen(kiosk, "take_ticket")
        kiosk.printer.silent = True
        tap(kiosk.root, "category:shuiwu")
        # the tap has returned: the screen already says it is asking, the server still hangs
        assert kiosk.session.flow.step == "issuing" and not release.is_set()
        assert pump(lambda: "正在取号" in shown(kiosk.root))
    assert pump(lambda: kiosk.session.flow.step == "done", 10)
    number = kiosk.session.flow.ticket["number"]
    assert pump(lambda: number in shown(kiosk.root) and "号票正在打印" in shown(kiosk.root))
    kiosk.printer.silent = False
    assert pump(lambda: kiosk.session.flow.printed is not None, 15)


def test_every_printed_number_was_issued_by_the_server(kiosk):
    """Runs last in this module: every slip printed by all the tests above."""
    issued = {t["number"] for t in kiosk.hall.service.tickets_of_day()}
    printed = [line for document in kiosk.printer.printed for line in document.texts]
    numbers = {n for line in printed for n in re.findall(r"(?<![A-Za-z0-9])[A-Z][0-9]{3}(?![0-9])",
                                                         line)}
    assert len(numbers) >= 5 and numbers <= issued, (numbers, issued)


def test_a_site_whose_line_is_down_says_what_needs_it(kiosk):
    """The hall state of a site synced with its county (docs/sync.md) says the line is
    down: the banner says what still works, and 预约签到 (at the township or county) says it
    needs the line and does not open; the line back, all is as before."""
    from hall.words import LINE_DOWN_KIOSK, LINE_NEEDS
    state = dict(kiosk.hall.service.retained_states()["hall/state"])
    # the banner is one line, and a device fault comes first: start from a healthy kiosk (a
    # test before may have left the printer's paper-out still being cleared by its poll)
    assert pump(lambda: kiosk.session.view.banner() == "", timeout=15), kiosk.session.view.banner()
    down = {**state, "line": {"state": "down", "backlog": 3, "oldest": 1.0, "last_sync": None}}
    kiosk.session._state("hall/state", down)
    try:
        assert pump(lambda: LINE_DOWN_KIOSK in shown(kiosk.root) and LINE_NEEDS in shown(kiosk.root))
        tap(kiosk.root, "home:appointment")
        pump(timeout=0.5)
        assert kiosk.ui.manager.current == "home"
    finally:
        kiosk.session._state("hall/state", {**state, "line": {"state": "up", "backlog": 0}})
    assert pump(lambda: LINE_NEEDS not in shown(kiosk.root) and LINE_DOWN_KIOSK not in shown(kiosk.root))


def test_a_village_kiosk_offers_booking_at_the_township_by_qr_code(kiosk):
    """At a village station (no windows) with `sync.book_url`, 预约 shows a QR code of the
    township's /book page for the citizen's phone, in plain words, instead of 预约签到; with
    the line down the tile says it needs the line and does not open."""
    from dataclasses import replace

    import cv2
    import numpy as np

    from hall.words import BOOK_ELSEWHERE_HOW, LINE_NEEDS
    from kiosk.widgets import Qr
    from kiosk_window import walk

    hall = kiosk.session.hall
    kiosk.session.hall = replace(hall, kind="village", sync=replace(
        hall.sync, county="qingshan", hub="hub.example:8883", book_url="https://zwfw.baisha.gov.cn/"))
    state = dict(kiosk.hall.service.retained_states()["hall/state"])
    try:
        kiosk.ui.go("home")
        kiosk.ui.manager.get_screen("home").refresh()
        assert pump(lambda: find(kiosk.root, "home:book_elsewhere") is not None)
        assert find(kiosk.root, "home:appointment") is None        # nothing to check in at
        tap(kiosk.root, "home:book_elsewhere")
        assert on_screen(kiosk, "book_elsewhere")
        assert BOOK_ELSEWHERE_HOW in shown(kiosk.root)
        [qr] = [w for w in walk(kiosk.root) if isinstance(w, Qr)]
        texture = qr.texture
        pixels = np.frombuffer(texture.pixels, np.uint8).reshape(texture.height, texture.width, 4)
        data, _points, _ = cv2.QRCodeDetector().detectAndDecode(cv2.cvtColor(pixels, cv2.COLOR_RGBA2GRAY))
        assert data == "https://zwfw.baisha.gov.cn/book"

        kiosk.ui.go("home")
        kiosk.session._state("hall/state", {**state, "line": {"state": "down", "backlog": 1,
                                                             "oldest": 1.0, "last_sync": None}})
        assert pump(lambda: LINE_NEEDS in shown(find(kiosk.root, "home:book_elsewhere") or kiosk.root))
        tap(kiosk.root, "home:book_elsewhere")
        pump(timeout=0.5)
        assert kiosk.ui.manager.current == "home"
    finally:
        kiosk.session.hall = hall
        kiosk.session._state("hall/state", {**state, "line": {"state": "up", "backlog": 0}})
        kiosk.ui.manager.get_screen("home").refresh()
