"""FilingFlow without a window: the steps, the answers' checks, 容缺 / 告知承诺, 上一步, the request
it makes, the receipt's lines, and clear() dropping everything personal."""
import datetime as dt

from drivers.card_reader.simulator import SAMPLE_CARDS
from hall.config.catalog_model import Catalog, Item, Material, Question
from kiosk.flows.filing import (FILING_ITEMS, PHOTO, QUESTION, SIGN, SUMMARY, FilingFlow,
                                offered_items)
from kiosk.flows.ticket import DONE, FACE, FAILED, IDENTITY, ISSUING

CARD = SAMPLE_CARDS["resident_two_char"].values
ITEM = Item(code="T-1", name="测试事项", domain="社保", category="c", kiosk=True,
            materials=(Material("居民身份证"), Material("户口簿", not_needed=True),
                       Material("存折", later=True), Material("承诺材料", promise=True)),
            questions=(Question("方式", choices=("甲", "乙")), Question("电话", kind="phone"),
                       Question("车牌", kind="letters", min_len=5, max_len=7)))
FACE_ITEM = Item(code="T-2", name="刷脸事项", domain="社保", category="c", kiosk=True,
                 face_check=True)
OTHER = Item(code="T-3", name="窗口事项", domain="社保", category="c")


def flow(face_possible=False):
    offer = offered_items(Catalog(domains=("社保",), items=(FACE_ITEM, ITEM, OTHER)), face_possible)
    return FilingFlow([], 65, offer=offer, today=lambda: dt.date(2026, 12, 2))


def test_offer_kiosk_items_only_and_face_items_only_with_a_camera():
    assert [(i.code, bool(why)) for i, why in flow().offer] == [("T-1", False), ("T-2", True)]
    assert [(i.code, why) for i, why in flow(True).offer] == [("T-2", ""), ("T-1", "")]
    f = flow()
    assert f.choose_item("T-2") == FILING_ITEMS and "刷脸" in f.problem
    assert f.choose_item("T-3") == FILING_ITEMS
    f = flow(True)
    f.choose_item("T-2")
    f.identify(CARD["id_number"], CARD["name"])
    assert f.step == FACE
    assert f.face_checked({"result": "fail"}) == FAILED and "人脸核验没有通过" in f.error_message


def test_a_whole_filing_and_what_it_sends():
    f = flow()
    f.choose_item("T-1")
    assert f.identify(CARD["id_number"], source="manual").startswith("自助申报需要刷身份证")
    assert f.identify(CARD["id_number"], CARD["name"]) == "" and f.step == QUESTION
    assert f.answer("丙") and f.question == 0                     # not on the list
    f.answer("乙")
    assert f.answer("2380000123") == "手机号码是1开头的11位数字"
    f.answer("13800001234")
    assert f.answer("ab-12") and f.answer("AB12") == "请输入字母或数字，5到7位"
    f.answer("ab123")
    assert f.answers == {"方式": "乙", "电话": "13800001234", "车牌": "AB123"}
    assert f.step == PHOTO and f.current_material.name == "存折"   # not the card, not 户口簿
    assert f.next_material() == PHOTO                              # nothing taken yet
    assert f.without_photo("promise") == PHOTO                     # 存折 allows only 容缺
    f.photographed(b"\xff\xd8jpeg")
    f.photographed(b"\xff\xd8again")                               # 重拍 replaces it
    f.next_material()
    assert f.current_material.name == "承诺材料"
    assert f.without_photo("later") == PHOTO
    assert f.without_photo("promise") == SUMMARY
    summary = dict(f.summary())
    assert summary["申请人"] == "李*  身份证尾号" + CARD["id_number"][-4:]
    assert summary["电话"] == "138****1234" and summary["存折"] == "已拍照"
    assert summary["承诺材料"] == "告知承诺"
    assert f.confirm() == SIGN
    assert f.sign(None) == "请先签名" and f.step == SIGN
    f.sign(b"\x89PNG")
    assert f.step == ISSUING
    args = f.request()
    assert f.request() is None                                     # one filing per intention
    assert args["materials"] == {"居民身份证": "received", "存折": "received",
                                 "承诺材料": "promise"}
    parts = dict(f.parts())
    assert parts[args["photos"][0]["upload"]] == b"\xff\xd8again"
    assert parts[args["signature"]["upload"]] == b"\x89PNG"
    assert args["identity"] == {"id_number": CARD["id_number"], "name": CARD["name"]}
    f.on_response({"application": {"number": "H-20261202-0001", "state": "accepted",
                                   "due": "2026-12-16", "committed_days": 10,
                                   "item_name": "测试事项", "url": "http://h/a/tok"}})
    assert f.step == DONE and f.photos == {} and f.signature is None and f.identity is None
    lines = [getattr(b, "text", getattr(b, "data", "")) for b in f.receipt(32, "青山县政务服务中心")]
    assert "H-20261202-0001" in lines and "承诺2026年12月16日前办结" in lines
    assert "http://h/a/tok" in lines and not any("李" in line for line in lines)


def test_back_forgets_the_step_and_clear_forgets_the_citizen():
    f = flow()
    f.choose_item("T-1")
    f.identify(CARD["id_number"], CARD["name"])
    f.answer("甲")
    assert f.back() == QUESTION and f.question == 0
    assert f.back() == IDENTITY and f.identity is None
    f.identify(CARD["id_number"], CARD["name"])
    for answer in ("甲", "13800001234", "AB123"):
        f.answer(answer)
    f.photographed(b"jpeg")
    f.clear()
    assert (f.step, f.item, f.identity, f.photos, f.answers, f.signature) == \
        (FILING_ITEMS, None, None, {}, {}, None)
    assert [i.code for i, _ in f.offer] == ["T-1", "T-2"]          # the offer stays


def test_lost_parts_are_sent_again_under_a_new_transaction():
    f = flow()
    f.choose_item("T-1")
    f.identify(CARD["id_number"], CARD["name"])
    for answer in ("甲", "13800001234", "AB123"):
        f.answer(answer)
    f.photographed(b"jpeg")
    f.next_material()
    f.without_photo("promise")
    f.confirm()
    f.sign(b"png")
    first = f.request()
    txn, uploads = f.transaction, dict(f.uploads)
    f.on_response(None, "timeout")
    assert f.can_retry and f.retry() == first and f.transaction == txn    # maybe filed: same
    f.on_response(None, "unknown_upload", "照片没有传完，请重新提交")
    assert f.can_retry and "重试" in f.error_message
    again = f.retry()
    assert f.transaction != txn and not set(f.uploads.values()) & set(uploads.values())
    assert again["photos"][0]["upload"] == f.uploads["存折"]
    f.on_response(None, "bad_request", "申请表有误")
    assert not f.can_retry and f.error_message == "申请表有误"
