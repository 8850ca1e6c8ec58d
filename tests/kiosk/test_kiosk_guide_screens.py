"""办事指南 screens in a real offscreen Kivy window, on the county hall with its example
catalogue, a real server and broker and the printer simulator: the words each screen shows,
the A-Z search, the guide part by part with 上一步, the guide read aloud in elderly mode,
a ticket for the item, and a notice number leading back to its item."""
from pathlib import Path

import pytest

from kiosk_people import YOUNG
from kiosk_window import back_home, kiosk_app, on_screen, opening_clock, pump, shown, tap

COUNTY = Path(__file__).parents[2] / "firmware_configs/sites/county.yaml"


@pytest.fixture(scope="module")
def kiosk():
    with kiosk_app(COUNTY, opening_clock(COUNTY)) as kiosk:
        kiosk.spoken = []
        voice = kiosk.session.devices.voice
        if voice is not None:            # what is said goes on to the real voice, and is noted
            real = voice.say
            voice.say = lambda text: (kiosk.spoken.append(text), real(text))
        else:
            kiosk.session.devices.say = kiosk.spoken.append
        yield kiosk


@pytest.fixture(autouse=True)
def from_home(kiosk):
    back_home(kiosk)


def open_guide(kiosk):
    tap(kiosk.root, "home:guide")
    assert on_screen(kiosk, "guide")


def test_the_guide_home_shows_domains_most_asked_and_ways_to_find(kiosk):
    assert "办事指南" in shown(kiosk.root)
    open_guide(kiosk)
    text = shown(kiosk.root)
    for words in ("按拼音查找", "凭告知书取号", "本大厅常办事项", "医保", "社保", "不动产", "税务"):
        assert words in text, words
    tap(kiosk.root, "domain:医保")
    assert on_screen(kiosk, "guide_list")
    assert "医保类事项" in shown(kiosk.root) and "职工基本医疗保险参保登记" in shown(kiosk.root)
    tap(kiosk.root, "footer:back")
    assert on_screen(kiosk, "guide")


def test_search_by_initials_then_the_guide_one_part_at_a_time(kiosk):
    open_guide(kiosk)
    tap(kiosk.root, "guide:search")
    assert on_screen(kiosk, "guide_search")
    assert "例如“社保卡”请按 S B K" in shown(kiosk.root)
    for key in "SBK":
        tap(kiosk.root, f"letter:{key}")
    assert pump(lambda: "S B K" in shown(kiosk.root))
    assert "社会保障卡申领" in shown(kiosk.root)          # the list follows every key
    tap(kiosk.root, "item:SB-001")
    assert on_screen(kiosk, "guide_item")
    text = shown(kiosk.root)
    assert "社会保障卡申领" in text and "申请条件" in text and "在本县参加社会保险的人员" in text
    assert "第1页 / 共5页" in text
    tap(kiosk.root, "page:next")
    assert pump(lambda: "居民身份证（原件）" in shown(kiosk.root))
    assert "申请材料" in shown(kiosk.root) and "近期免冠彩色照片（原件，2份）：可容缺后补" in shown(kiosk.root)
    for title in ("办理时限", "收费", "办理地点"):
        tap(kiosk.root, "page:next")
        assert pump(lambda: title in shown(kiosk.root)), title
    assert "社保业务" in shown(kiosk.root)
    tap(kiosk.root, "footer:back")                        # 上一步: back to the search, as typed
    assert on_screen(kiosk, "guide_search")
    assert "S B K" in shown(kiosk.root)


def test_elderly_mode_reads_each_part_aloud(kiosk):
    kiosk.session.set_elderly(True)
    open_guide(kiosk)
    tap(kiosk.root, "domain:医保")
    assert on_screen(kiosk, "guide_list")
    del kiosk.spoken[:]
    tap(kiosk.root, "item:YB-003")
    assert on_screen(kiosk, "guide_item")
    assert pump(lambda: any(s.startswith("医保关系转移接续。申请条件") for s in kiosk.spoken))
    tap(kiosk.root, "page:next")
    assert pump(lambda: any(s.startswith("申请材料，居民身份证（原件）") for s in kiosk.spoken)), \
        kiosk.spoken


def test_print_the_checklist_and_take_a_ticket_for_the_item(kiosk):
    open_guide(kiosk)
    tap(kiosk.root, "domain:医保")
    assert on_screen(kiosk, "guide_list")
    tap(kiosk.root, "item:YB-003")
    assert on_screen(kiosk, "guide_item")
    before = len(kiosk.printer.printed)
    tap(kiosk.root, "guide:print")
    assert pump(lambda: "请取走材料清单" in shown(kiosk.root))
    paper = kiosk.printer.printed[before]
    assert "医保关系转移接续" in paper.texts and "□ 居民身份证（原件）" in paper.texts
    assert paper.qr_codes[0].data.endswith("/g/YB-003")

    tap(kiosk.root, "guide:take")
    if pump(lambda: kiosk.ui.manager.current == "priority", 2):
        tap(kiosk.root, "priority:normal")
    assert on_screen(kiosk, "ticket")
    assert pump(lambda: kiosk.session.flow.ticket is not None)
    ticket = kiosk.session.flow.ticket
    assert ticket["service"] == "YB-003"
    assert pump(lambda: ticket["number"] in shown(kiosk.root))


def test_a_notice_number_opens_its_items_guide(kiosk):
    service, config = kiosk.hall.service, kiosk.hall.config
    # SW-003 is filed after 人脸核验: the ticket carries the card and the check's result.
    taken = service.handle("kiosk", "k2", "ticket.issue", {
        "category": "shuiwu", "service": "SW-003", "identity": {"id_number": YOUNG},
        "face_check": {"result": "pass", "liveness": "passed", "tries": 1, "at": 1.0}})
    assert taken["status"] == "ok", taken
    service.staff.add("s9", "刘洋", "window", "mima-9876")
    window = "13"                    # a window of 税务 only: it calls this ticket
    service.handle("window", window, "window.login", {"staff": "s9", "password": "mima-9876"})
    service.handle("window", window, "window.call_next", {})
    item = config.catalog.item("SW-003")
    missing = [m.name for m in item.materials if m.brought][:1]
    number = service.handle("window", window, "notice.issue",
                            {"materials": missing})["data"]["notice"]["number"]
    open_guide(kiosk)
    tap(kiosk.root, "guide:notice")
    assert on_screen(kiosk, "notice_entry")
    assert "请输入告知书编号" in shown(kiosk.root)
    for key in "123":
        tap(kiosk.root, f"key:{key}")
    for _ in range(3):
        tap(kiosk.root, "key:back")
    for key in number:
        tap(kiosk.root, f"key:{key}")
    tap(kiosk.root, "notice:ok")
    assert on_screen(kiosk, "guide_item")
    assert pump(lambda: item.name in shown(kiosk.root)), shown(kiosk.root)
    assert f"告知书{number}所办事项" in shown(kiosk.root)
