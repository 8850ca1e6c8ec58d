"""办事指南 at the kiosk without a window: search -> guide -> parts -> a ticket for the item,
the printed materials checklist decoded from its ESC/POS bytes, and the one-time notice's
round trip (notice number at the kiosk -> the same item) against a real server and broker."""
from pathlib import Path

import pytest

from drivers.printer import PrinterProfile
from drivers.printer.decode import EscPosDecoder
from drivers.printer.ticket import render
from hall.config.hall import load_hall_config
from kiosk.flows.guide import (GUIDE_HOME, GUIDE_ITEM, GUIDE_LIST, GUIDE_SEARCH, NOTICE_ENTRY,
                               GuideBook, GuideFlow)
from kiosk.flows.hall_view import Tile
from kiosk.flows.ticket import DONE, FACE, IDENTITY, ISSUING, PRIORITY
from kiosk.harness import LocalHall, open_hall_clock

from kiosk_people import YOUNG
from test_kiosk_session import UiThread

COUNTY = Path(__file__).parents[2] / "firmware_configs/sites/county.yaml"


@pytest.fixture(scope="module")
def config():
    return load_hall_config(COUNTY)


FAILED_CHECK = {"result": "fail", "distance": None, "liveness": "failed", "tries": 3, "at": 1.0}


def new_flow(config, counts=None):
    book = GuideBook(config)
    book.counts = counts or {}
    count = iter(range(100))
    return GuideFlow(list(config.categories), 65, book=book,
                     new_transaction=lambda: f"tx{next(count)}")


def open_tile(category):
    return Tile(category, "B", "x", "open", waiting=0)


def test_search_by_initials_then_guide_part_by_part_then_a_ticket_for_the_item(config):
    flow = new_flow(config)
    assert flow.step == GUIDE_HOME
    flow.open_search()
    for key in "SBK":
        flow.press(key)
    assert flow.step == GUIDE_SEARCH and flow.query == "sbk"
    found = flow.results(4)
    assert found[0].code == "SB-001" and found[0].name == "社会保障卡申领"
    flow.press("back")
    assert flow.query == "sb"

    flow.open_item("SB-001")
    assert flow.step == GUIDE_ITEM
    pages = flow.pages(6)
    assert [p.title for p in pages] == ["申请条件", "申请材料", "办理时限", "收费", "办理地点"]
    assert pages[1].lines == ("居民身份证（原件）", "近期免冠彩色照片（原件，2份）：可容缺后补")
    assert pages[2].lines[0] == "承诺5个工作日内办结（法定20个工作日）"
    assert pages[3].lines == ("不收费",)
    assert "社保业务" in pages[4].lines[0]
    assert pages[1].spoken.startswith("申请材料，居民身份证")
    for _ in range(10):                       # 下一部分 stops at the last part
        flow.turn(1, len(pages))
    assert flow.part == 4
    flow.turn(-1, len(pages))
    assert flow.part == 3

    # 取号办理: 社保 needs the ID card, SB-001 the face check (face_check in the catalogue),
    # then the priority question, then the ticket
    flow.take(open_tile("shebao"))
    assert flow.step == IDENTITY
    assert flow.identify(YOUNG) == "" and flow.step == FACE
    assert flow.face_checked(FAILED_CHECK) == PRIORITY
    flow.back()
    assert flow.step == IDENTITY and flow.identity is None and flow.face_check is None
    flow.back()
    assert flow.step == GUIDE_ITEM and flow.item.code == "SB-001"      # back on the guide
    flow.take(open_tile("shebao"))
    flow.identify(YOUNG)
    flow.face_checked(FAILED_CHECK)
    flow.choose_priority("normal")
    assert flow.step == ISSUING
    args = flow.request()
    assert args["category"] == "shebao" and args["service"] == "SB-001"
    assert args["face_check"] == FAILED_CHECK         # a failure too: staff verify at the window
    assert flow.request() is None                                      # one transaction


def test_an_item_filed_after_face_verification_asks_for_the_card_and_the_face(config):
    # YB-001 has face_check in the catalogue; its category 医保 asks for neither.
    passed = {"result": "pass", "distance": 0.4, "liveness": "passed", "tries": 1, "at": 1.0}
    flow = new_flow(config)
    flow.open_item("YB-001")
    assert flow.item.face_check and not flow.category
    flow.take(open_tile("yibao"))
    assert flow.step == IDENTITY
    assert flow.identify(YOUNG) == "" and flow.step == FACE
    flow.back()                                            # 上一步 from the face check
    assert flow.step == IDENTITY and flow.identity is None
    flow.identify(YOUNG)
    assert flow.face_checked(passed) == PRIORITY
    flow.choose_priority("normal")
    args = flow.request()
    assert args["service"] == "YB-001" and args["face_check"] == passed and "identity" in args
    flow.clear()
    flow.open_item("YB-002")                               # an item of 医保 without it
    assert not flow.item.face_check
    flow.take(open_tile("yibao"))
    assert flow.step == PRIORITY


def test_a_closed_category_says_why_on_the_guide(config):
    flow = new_flow(config)
    flow.open_domain("医保")
    assert flow.step == GUIDE_LIST
    assert all(item.domain == "医保" for item in flow.results(100))
    flow.open_item("YB-003")
    flow.take(Tile("yibao", "B", "医保业务", "closed", reason="当前不在取号时间"))
    assert flow.step == GUIDE_ITEM and flow.problem == "当前不在取号时间"
    flow.back()
    assert flow.step == GUIDE_LIST
    flow.back()
    assert flow.step == GUIDE_HOME


def test_most_asked_items_come_first(config):
    flow = new_flow(config, counts={"SW-003": 9, "BDC-002": 4})
    asked = [item.code for item in flow.book.most_asked(3)]
    assert asked[:2] == ["SW-003", "BDC-002"]


def test_printed_checklist_lists_what_to_bring_with_the_guide_qr_code(config):
    flow = new_flow(config)
    flow.open_search()
    flow.open_item("YB-001")           # 户口簿 is read from shared data: not on the list
    profile = PrinterProfile()
    decoder = EscPosDecoder()
    decoder.feed(render(flow.checklist(profile.chars_per_line), profile))
    paper = decoder.documents[-1]
    text = "\n".join(paper.texts)
    assert "城乡居民基本医疗保险参保登记" in text and "申请材料清单" in text
    assert "□ 居民身份证（原件）" in paper.texts
    assert "户口簿" not in text
    assert [qr.data for qr in paper.qr_codes] == ["http://192.168.10.2:8080/g/YB-001"]
    assert paper.cut


def test_a_notice_number_leads_back_to_its_item_only(config):
    flow = new_flow(config)
    flow.open_notice()
    assert flow.step == NOTICE_ENTRY
    for key in "2612":
        flow.type_notice(key)
    assert flow.notice_request() is None and "9位" in flow.problem
    for key in "02007":
        flow.type_notice(key)
    assert flow.notice_request() == {"number": "261202007"}
    assert flow.notice_request() is None                  # asked once
    flow.on_notice(None, "unknown_ticket")
    assert flow.step == NOTICE_ENTRY and flow.problem == "没有找到这份告知书，请核对编号"
    for key in "261202007":
        flow.type_notice(key)
    flow.notice_request()
    flow.on_notice({"notice": {"number": "261202007", "item": "YB-003"}})
    assert flow.step == GUIDE_ITEM and flow.item.code == "YB-003" and flow.notice_item


# -- against a real server ---------------------------------------------------------------------
@pytest.fixture
def county():
    config = load_hall_config(COUNTY)
    hall = LocalHall(COUNTY, "k1", clock=open_hall_clock(config.timezone)).start()
    ui = UiThread()
    session = hall.session(post=ui.post, simulate=True)
    session.start()
    assert ui.run_until(lambda: session.view.tile(config.category("yibao")).can_take)
    yield hall, session, ui
    session.stop()
    hall.stop()


def take_for_item(session, ui, code):
    session.new_guide()
    session.guide("open_search")
    session.guide("open_item", code)
    return take_for_item_from_guide(session, ui)


def test_notice_round_trip_kiosk_window_kiosk(county):
    hall, session, ui = county
    service = hall.service
    ticket = take_for_item(session, ui, "YB-003")
    assert ticket["service"] == "YB-003" and ticket["category"] == "yibao"
    assert ui.run_until(lambda: session.flow.printed is not None)

    service.staff.add("s1", "李明", "window", "mima-1234")
    window = next(w.id for w in hall.config.windows if "yibao" in w.categories)
    service.handle("window", window, "window.login", {"staff": "s1", "password": "mima-1234"})
    called = service.handle("window", window, "window.call_next", {})["data"]
    assert called["window"]["service"] == "YB-003"              # the caller shows the item
    answer = service.handle("window", window, "notice.issue", {"materials": ["参保凭证"]})
    notice = answer["data"]["notice"]
    assert notice["materials"] == ["参保凭证"] and notice["item"] == "YB-003"
    audit = service.audit_log()[0]
    assert audit["action"] == "notice.issue" and audit["details"]["notice"] == notice["number"]

    # the citizen comes back: the most asked list knows the item, the number leads to it
    session.new_guide()
    assert ui.run_until(lambda: session.book.counts.get("YB-003") == 1)
    session.guide("open_notice")
    for key in notice["number"]:
        session.guide("type_notice", key)
    assert session.lookup_notice() == ""
    assert ui.run_until(lambda: session.flow.step == GUIDE_ITEM)
    assert session.flow.item.code == "YB-003"
    again = take_for_item_from_guide(session, ui)
    assert again["service"] == "YB-003" and again["number"] != ticket["number"]


def take_for_item_from_guide(session, ui):
    session.take_for_item()
    if session.flow.step == PRIORITY:
        session.choose_priority("normal")
    assert ui.run_until(lambda: session.flow.step == DONE), session.flow.step
    return session.flow.ticket


def test_kiosk_prints_the_checklist_on_the_real_printer_driver(county):
    hall, session, ui = county
    printer = session.devices.simulators[0]
    before = len(printer.printed)
    session.new_guide()
    session.guide("open_search")
    session.guide("open_item", "SB-001")
    session.print_checklist()
    assert session.flow.print_state == "printing"
    assert ui.run_until(lambda: session.flow.print_state == "printed")
    paper = printer.printed[before]
    assert "□ 近期免冠彩色照片（原件，2份）：可容缺后补" in paper.texts
    assert paper.qr_codes[0].data.endswith("/g/SB-001")
