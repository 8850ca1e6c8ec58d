"""Self-filing's server side: 自动核验 (the catalogue's rules, pure), photos sent in parts over the
hall bus (`application.photo`) with their limits, and 20 kiosks filing with photos at once over
a real broker. (tests/service/test_service_applications.py already proves 20 parallel filings
through the service get distinct numbers; here they come over the bus, each with its own photo
in parts interleaved with the others', and each application must hold exactly its own.)"""
from __future__ import annotations

import base64
import datetime as dt
import os
import threading
from pathlib import Path

import pytest

from drivers.card_reader.idnumber import check_digit
from hall.config.catalog_model import AutoCheck, Item, Material
from hall.protocol.client import HallClient, RequestError
from queue_server.applications.checks import verdict
from queue_server.applications.uploads import MAX_PARTS, PART_BYTES

ROOT = Path(__file__).parents[2]
COUNTY = ROOT / "firmware_configs/sites/county.yaml"
TODAY = dt.date(2026, 12, 2)
KIOSKS = 20


def person(region: str, born: str, serial: str = "012") -> str:
    first17 = region + born + serial
    return first17 + check_digit(first17)


ELDER = person("990101", "19500101")          # 76, the county's region: SB-005 passes
ITEM = Item(code="T-1", name="测试事项", domain="社保", category="shebao", kiosk=True,
            materials=(Material("居民身份证"), Material("存折", later=True), Material("照片")),
            auto_check=AutoCheck(min_age=60, max_age=90, regions=("9901",)))


@pytest.mark.parametrize("id_number,materials,decision,reason", [
    (ELDER, {"居民身份证": "received", "存折": "received", "照片": "received"}, "accept", ""),
    (ELDER, {"居民身份证": "received", "存折": "later", "照片": "received"}, "accept", ""),
    (ELDER, {"居民身份证": "received", "存折": "received"}, "window", "材料不齐：照片"),
    (person("990101", "19661203"), {}, "refuse", "申请人应年满60周岁"),    # 60 tomorrow
    (person("990101", "19661202"), {"居民身份证": "received", "存折": "received",
                                    "照片": "received"}, "accept", ""),    # 60 today
    (person("990101", "19351201"), {}, "refuse", "申请人应不超过90周岁"),
    (person("110101", "19500101"), {}, "refuse", "身份证号码所属地区不在本事项的办理范围"),
])
def test_auto_check_decides_from_the_id_number_and_the_materials(id_number, materials,
                                                                 decision, reason):
    found = verdict(ITEM, id_number, materials, TODAY)
    assert (found.decision, found.reason) == (decision, reason)


def test_an_item_without_rules_waits_for_the_window():
    from dataclasses import replace
    assert verdict(replace(ITEM, auto_check=None), ELDER, {}, TODAY).decision == "window"


# -- over the bus ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    """The county hall with 20 more kiosks, its real server and embedded broker."""
    from kiosk.harness import LocalHall, open_hall_clock

    folder = tmp_path_factory.mktemp("hall")
    text = COUNTY.read_text(encoding="utf-8").replace(
        "catalogue: ../catalog/county-example.yaml",
        f"catalogue: {ROOT / 'firmware_configs/catalog/county-example.yaml'}")
    extra = "".join(f"  - {{id: f{n}, role: kiosk}}\n" for n in range(KIOSKS))
    text = text.replace("  - id: a1 ", extra + "  - id: a1 ", 1)
    config = folder / "county.yaml"
    config.write_text(text, encoding="utf-8")
    local = LocalHall(config, "k1")
    local.clock = open_hall_clock(local.config.timezone)
    local.start()
    yield local
    local.stop()


def kiosk(hall, host="k1") -> HallClient:
    client = HallClient(hall.config.id, "kiosk", host, hall.url)
    client.start()
    assert client.wait_connected(10)
    return client


def filing(upload: str, sign: str | None = None) -> dict:
    return {"item": "SB-005", "identity": {"id_number": ELDER, "name": "李样"},
            "form": {"领取方式": "存折"},
            "materials": {"居民身份证": "received", "本人银行卡或存折": "received"},
            "photos": [{"material": "本人银行卡或存折", "upload": upload}],
            **({"signature": {"upload": sign}} if sign else {})}


def test_parts_make_the_photo_the_window_opens(hall):
    client = kiosk(hall)
    try:
        photo, ink = os.urandom(3 * PART_BYTES + 100), os.urandom(500)
        client.upload("photo-0001", photo)
        client.upload("sign-00001", ink)
        made = client.request("application.submit", filing("photo-0001", "sign-00001"))
        number = made["application"]["number"]
        assert made["application"]["state"] == "accepted" and made["application"]["due"]
        service = hall.service
        opened = {p["material"]: service.applications.sealer.open_bytes(number, p["sealed"])
                  for p in service.store.photos(number)}
        assert opened == {"本人银行卡或存折": photo, "申请人签名": ink}
        with pytest.raises(RequestError) as used:                      # an upload is used once
            client.request("application.submit", filing("photo-0001"))
        assert used.value.code == "unknown_upload"
    finally:
        client.stop()


def test_a_face_item_needs_a_passed_face_check_from_the_kiosk(hall):
    client = kiosk(hall)
    try:
        args = {**filing("none-00001"), "item": "SB-001", "photos": [],
                "materials": {"居民身份证": "received"}}
        for face in (None, {"result": "fail"}, "pass"):
            with pytest.raises(RequestError) as refused:
                client.request("application.submit", {**args, **({"face_check": face} if face else {})})
            assert refused.value.code in ("forbidden", "bad_request")
        made = client.request("application.submit",
                              {**args, "face_check": {"result": "pass", "distance": 0.3, "liveness": "passed", "tries": 1, "at": 1.0}})
        assert made["application"]["item"] == "SB-001"
    finally:
        client.stop()


def test_parts_are_checked_and_belong_to_their_kiosk(hall):
    one, other = kiosk(hall), kiosk(hall, "k2")
    window = HallClient(hall.config.id, "window", hall.config.windows[0].id, hall.url)
    window.start()
    assert window.wait_connected(10)
    chunk = base64.b64encode(b"x" * PART_BYTES).decode()

    def refused(client, args):
        with pytest.raises(RequestError) as error:
            client.request("application.photo", args)
        return error.value.code, error.value.message

    try:
        base = {"upload": "mine-0001", "part": 0, "parts": 2, "data": chunk}
        assert refused(one, {**base, "data": base64.b64encode(b"x" * (PART_BYTES + 1)).decode()})[0] \
            == "bad_request"                                            # a part too large
        assert refused(one, {**base, "parts": MAX_PARTS + 1})[0] == "bad_request"   # > 4 MB
        assert refused(one, {**base, "part": 2})[0] == "bad_request"
        assert refused(one, {**base, "data": "不是base64"})[0] == "bad_request"
        assert refused(one, {**base, "upload": "../../etc"})[0] == "bad_request"
        assert refused(window, base)[0] == "forbidden"                 # kiosks only
        one.request("application.photo", base)
        with pytest.raises(RequestError) as half:                      # one part of two
            one.request("application.submit", filing("mine-0001"))
        assert half.value.code == "unknown_upload"
        one.request("application.photo", {**base, "part": 1})
        with pytest.raises(RequestError) as foreign:                   # not k2's to use
            other.request("application.submit", filing("mine-0001"))
        assert foreign.value.code == "unknown_upload"
        assert one.request("application.submit", filing("mine-0001"))["application"]["number"]
    finally:
        for client in (one, other, window):
            client.stop()


def test_twenty_kiosks_filing_with_photos_at_once_get_distinct_numbers_and_their_own_photos(hall):
    clients = [kiosk(hall, f"f{n}") for n in range(KIOSKS)]
    photos = [os.urandom(2 * PART_BYTES + n) for n in range(KIOSKS)]
    answers: dict[int, dict] = {}
    start = threading.Barrier(KIOSKS)

    def one(n):
        start.wait()
        clients[n].upload(f"upload-{n:04d}", photos[n])
        answers[n] = clients[n].request("application.submit", filing(f"upload-{n:04d}"),
                                        timeout=30)["application"]
    threads = [threading.Thread(target=one, args=(n,)) for n in range(KIOSKS)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        for client in clients:
            client.stop()
    assert len(answers) == KIOSKS
    numbers = [a["number"] for a in answers.values()]
    assert len(set(numbers)) == KIOSKS
    service = hall.service
    for n, application in answers.items():
        held = service.store.photos(application["number"])
        assert [service.applications.sealer.open_bytes(application["number"], p["sealed"])
                for p in held] == [photos[n]]


def test_guessing_number_and_last_four_over_the_bus_is_slowed_per_kiosk(hall):
    """40 wrong pairs sent at once by one kiosk (the web's limit, 30 free misses, holds on the
    bus too); then its right pair waits as well, while another kiosk asks as before."""
    guesser, other = kiosk(hall, "f0"), kiosk(hall, "f1")
    try:
        made = other.request("application.submit", {
            **filing("none-00002"), "item": "SB-001", "photos": [], "materials": {"居民身份证": "received"},
            "face_check": {"result": "pass", "distance": 0.3, "liveness": "passed", "tries": 1, "at": 1.0}})
        number, right = made["application"]["number"], ELDER[-4:]
        codes, done = [], threading.Semaphore(0)

        def answered(data, error):
            codes.append(error.code if error else "ok")
            done.release()
        wrong = [f"{n:04d}" for n in range(41) if f"{n:04d}" != right][:40]
        for last4 in wrong:
            guesser.request_async("application.find", {"number": number, "last4": last4}, answered, timeout=15)
        for _ in wrong:
            assert done.acquire(timeout=20)
        assert sorted(codes) == sorted(["unknown_ticket"] * 30 + ["rate_limited"] * 10)
        with pytest.raises(RequestError) as slowed:
            guesser.request("application.find", {"number": number, "last4": right})
        assert (slowed.value.code, slowed.value.message) == ("rate_limited", "查询过于频繁，请 10 分钟后再试")
        with pytest.raises(RequestError) as old_name:               # the alias is the same door
            guesser.request("application.lookup", {"number": number, "last4": right})
        assert old_name.value.code == "rate_limited"
        found = other.request("application.find", {"number": number, "last4": right})
        assert [a["number"] for a in found["applications"]] == [number]
    finally:
        guesser.stop()
        other.stop()
