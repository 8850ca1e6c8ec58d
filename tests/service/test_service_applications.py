"""Applications (办件) through HallService, as the bus and the console use it: filed, accepted,
corrected, decided, collected; every change audited, on the bus, and texted to the citizen;
the personal part sealed on disk with a key outside the database, erased after its retention;
numbers distinct under parallel filing and kept across SIGKILL."""
import base64
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from halls import MONDAY, at, hall, id_number
from hall.catalog import Catalog, Item, Material
from queue_server.applications.senders import FileSender
from queue_server.store import app_key_path
from test_service_contract import validate_strict

ENGINE_TESTS = Path(__file__).resolve().parents[1] / "engine"
CATALOG = Catalog(domains=("社保", "综合"), items=(
    Item("sb01", "社会保障卡申领", "社保", "b", committed_days=5, kiosk=True, retention_days=30,
         materials=(Material("居民身份证"), Material("近期免冠彩色照片", later=True),
                    Material("居住证明", promise=True), Material("户口簿", not_needed=True))),
    Item("zh01", "证明开具", "综合", "a"),
))
PERSON = {"id_number": id_number(serial="432"), "name": "张小飞"}
FORM = {"住址": "幸福路十八号院三单元", "联系人": "张小飞"}
ALL = {"居民身份证": "received", "近期免冠彩色照片": "received", "居住证明": "received"}


def config():
    return replace(hall(), catalog=CATALOG)


@pytest.fixture
def service(open_service, tmp_path):
    service = open_service(config=config())
    service.applications.sender = FileSender(str(tmp_path / "sms.jsonl"))
    return service


def texts(tmp_path):
    path = tmp_path / "sms.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def seated(service, window="2"):
    service.staff.add(f"s{window}", "李明", "window", "mima-1234")
    assert service.handle("window", window, "window.login",
                          {"staff": f"s{window}", "password": "mima-1234"})["status"] == "ok"


def file(service, role="kiosk", client="k1", **extra):
    args = {"item": "sb01", "identity": PERSON, "form": FORM, "phone": "13812345678",
            "materials": ALL, **extra}
    answer = service.handle(role, client, "application.submit", args)
    assert answer["status"] == "ok", answer
    return answer["data"]["application"]


def act(service, action, number, window="2", **args):
    return service.handle("window", window, f"application.{action}", {"number": number, **args})


def test_filed_at_a_window_from_the_called_ticket_and_followed_to_collection(service, tmp_path):
    seen = []
    service.add_listener(lambda kind, suffix, payload: seen.append((kind, suffix, payload)))
    seated(service)
    service.handle("kiosk", "k1", "ticket.issue", {"category": "b", "service": "sb01"})
    service.handle("window", "2", "window.call_next", {})
    answer = service.handle("window", "2", "application.submit",
                            {"identity": PERSON, "form": FORM, "phone": "13812345678"})
    validate_strict("response", "application.submit", answer["data"])
    app = answer["data"]["application"]
    assert app["number"] == "TESTHALL-20251124-0001" and app["item"] == "sb01"
    assert app["state"] == "submitted"
    assert service.applications.for_window(app["number"])["ticket"] == "B001"
    assert [a["number"] for a in service.applications.called("2")] == [app["number"]]
    assert service.applications.called("1") == []                  # nothing called there
    assert act(service, "accept", app["number"])["error"]["code"] == "conflict"   # nothing received
    accepted = act(service, "accept", app["number"], materials=ALL)["data"]["application"]
    assert accepted["due"] == "2025-12-01" and accepted["deadline"] == "ok"      # 5 working days
    for action in ("approve", "ready", "collect"):
        assert act(service, action, app["number"])["status"] == "ok"
    events = [p for kind, suffix, p in seen if suffix == "event/application"]
    assert [e["state"] for e in events] == ["submitted", "accepted", "approved", "ready", "collected"]
    for e in events:
        validate_strict("event", "application", e)
        assert "张" not in json.dumps(e, ensure_ascii=False)
    audit = [a for a in service.audit_log() if a["action"].startswith("application.")]
    assert [a["action"] for a in reversed(audit)] == [
        "application.submit", "application.accept", "application.approve", "application.ready",
        "application.collect"]
    assert all(a["staff"] == "s2" and a["details"]["application"] == app["number"] for a in audit)
    sent = texts(tmp_path)
    assert [m["to"] for m in sent] == ["13812345678"] * 5
    assert "2025年12月1日前办结" in sent[1]["text"] and "统一出件窗口" in sent[3]["text"]
    assert all(app["url"] in m["text"] for m in sent)


def test_the_database_file_holds_no_form_text_name_or_phone(service, tmp_path):
    app = file(service, photos=[{"material": "居民身份证",
                                 "data": base64.b64encode(b"JPEG-of-the-card-front").decode()}])
    seated(service)
    act(service, "accept", app["number"])
    key = app_key_path(str(tmp_path / "hall.sqlite"))
    assert oct(key.stat().st_mode & 0o777) == "0o600" and len(bytes.fromhex(key.read_text())) == 32
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("hall.sqlite*"))
    for secret in ("幸福路十八号院", "张小飞", "张*飞", "13812345678", "JPEG-of-the-card-front"):
        assert secret.encode() not in stored, secret
    shown = service.applications.for_window(app["number"])
    assert shown["form"] == FORM and shown["name"] == "张*飞" and shown["phone"] == "138****5678"
    assert shown["photos"] == [{"material": "居民身份证", "index": 0}]
    assert service.applications.photo(app["number"], 0, staff="s2", window="2") == \
        ("居民身份证", b"JPEG-of-the-card-front")
    assert service.applications.photo(app["number"], 1, staff="s2", window="2") is None
    # Another key (a copy of the database without its key file) opens nothing.
    key.write_text(os.urandom(32).hex())
    other = type(service)(config(), str(tmp_path / "hall.sqlite"), clock=service.clock)
    try:
        with pytest.raises(ValueError):
            other.applications.for_window(app["number"])
    finally:
        other.close()


def test_a_correction_is_texted_and_the_phone_view_shows_what_is_missing(service, tmp_path):
    app = file(service, materials={"居民身份证": "received"})
    seated(service)
    asked = act(service, "correct", app["number"], missing=["近期免冠彩色照片", "居住证明"])
    assert asked["data"]["application"]["missing"] == ["近期免冠彩色照片", "居住证明"]
    token = app["url"].rsplit("/a/", 1)[1]
    page = service.applications.by_token(token)
    assert page["state"] == "correction" and page["missing"] == ["近期免冠彩色照片", "居住证明"]
    assert "form" not in page and "name" not in page
    assert "请补齐：近期免冠彩色照片、居住证明" in texts(tmp_path)[-1]["text"]
    # 容缺: the photo may come later, the residence proof replaced by a signed promise.
    back = act(service, "resubmit", app["number"],
               materials={"近期免冠彩色照片": "later", "居住证明": "promise"})
    assert back["data"]["application"]["state"] == "resubmitted"
    accepted = act(service, "accept", app["number"])["data"]["application"]
    assert accepted["owed"] == ["近期免冠彩色照片"]
    assert act(service, "approve", app["number"])["error"]["code"] == "conflict"


def test_lookup_needs_the_number_and_the_last_four_digits(service):
    app = file(service)
    last4 = PERSON["id_number"][-4:]
    assert service.applications.lookup(app["number"], last4)["state"] == "submitted"
    assert service.applications.lookup(app["number"].lower(), last4) is not None
    assert service.applications.lookup(app["number"], "0000") is None
    assert service.applications.lookup("TESTHALL-20251124-0002", last4) is None
    assert service.applications.by_token("not-a-token") is None


@pytest.mark.parametrize("role, client, action, args, code", [
    ("kiosk", "k1", "application.accept", {}, "forbidden"),      # only a window decides
    ("kiosk", "k9", "application.submit", {}, "forbidden"),      # not a kiosk of this hall
    ("window", "1", "application.accept", {}, "not_logged_in"),
    ("kiosk", "k1", "application.submit", {"item": "zh01"}, "forbidden"),   # not a kiosk item
    ("kiosk", "k1", "application.submit", {"phone": "123"}, "bad_request"),
    ("kiosk", "k1", "application.submit", {"form": {"a": "x" * 501}}, "bad_request"),
    ("kiosk", "k1", "application.submit", {"form": {f"f{i}": "x" for i in range(41)}}, "bad_request"),
    ("kiosk", "k1", "application.submit", {"identity": {"id_number": "11010519850312123"}}, "bad_request"),
    ("kiosk", "k1", "application.submit", {"photos": [{"material": "居民身份证", "data": "%%"}]}, "bad_request"),
    ("kiosk", "k1", "application.submit", {"photos": [{"material": "营业执照", "data": ""}]}, "bad_request"),
    ("kiosk", "k1", "application.submit", {"materials": {"居民身份证": "later"}}, "bad_request"),
])
def test_refused_requests_keep_nothing(service, tmp_path, role, client, action, args, code):
    if action == "application.accept":
        args = {"number": file(service)["number"]}
    full = {"item": "sb01", "identity": PERSON, "form": FORM, **args} if action.endswith("submit") else args
    answer = service.handle(role, client, action, full)
    assert answer["status"] == "error" and answer["error"]["code"] == code, answer
    kept = service.store.applications()
    assert len(kept) == (1 if action == "application.accept" else 0)
    assert kept == [] or kept[0]["state"] == "submitted"
    assert service.store.db.execute("SELECT count(*) FROM application_photos").fetchone()[0] == 0


def test_personal_data_is_erased_after_the_items_retention(service, clock):
    app = file(service)
    seated(service)
    for action in ("accept", "approve", "ready", "collect"):
        act(service, action, app["number"], materials=ALL)
    clock.now = at(9, day=MONDAY + dt.timedelta(days=30))
    service.tick()
    assert service.applications.for_window(app["number"])["form"] == FORM      # the 30th day: kept
    clock.now = at(9, day=MONDAY + dt.timedelta(days=31))
    service.tick()
    shown = service.applications.for_window(app["number"])
    assert shown["purged"] and shown["form"] == {} and shown["state"] == "collected"
    assert service.applications.lookup(app["number"], PERSON["id_number"][-4:]) is None


def test_overdue_report_per_department_and_window(service, clock):
    app = file(service)
    seated(service)
    act(service, "accept", app["number"])
    clock.now = at(9, day=dt.date(2025, 12, 1))          # the due day
    service.tick()
    report = service.applications.deadlines()
    assert [w["deadline"] for w in report["warnings"]] == ["due"]
    clock.now = at(9, day=dt.date(2025, 12, 2))
    service.tick()
    report = service.applications.deadlines()
    assert report["overdue_by_domain"] == {"社保": 1} and report["overdue_by_window"] == {"2": 1}


def test_twenty_parallel_filings_get_distinct_numbers(service):
    numbers, start = [], threading.Barrier(20)

    def one(i):
        start.wait()
        answer = service.handle("kiosk", f"k{i % 3 + 1}", "application.submit",
                                {"item": "sb01", "identity": PERSON, "transaction": f"t{i}"})
        numbers.append(answer["data"]["application"]["number"])
    threads = [threading.Thread(target=one, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(numbers) == [f"TESTHALL-20251124-{i:04d}" for i in range(1, 21)]


CRASHER = textwrap.dedent("""
    import sys
    from dataclasses import replace
    sys.path.insert(0, sys.argv[2]); sys.path.insert(0, sys.argv[3])
    from halls import at, hall
    from test_service_applications import config, PERSON, FORM
    from queue_server.service import HallService
    now = [at(9)]
    def clock():
        now[0] += 0.01
        return now[0]
    service = HallService(config(), sys.argv[1], clock=clock)
    i = 0
    while True:
        i += 1
        reply = service.handle("kiosk", "k1", "application.submit",
                               {"item": "sb01", "identity": PERSON, "form": FORM, "transaction": f"t{i}"})
        if reply["status"] != "ok":
            print("ERR", reply, flush=True)
            break
        print(reply["data"]["application"]["number"], flush=True)
""")


def test_no_application_a_citizen_was_told_of_is_lost_to_sigkill(tmp_path, open_service):
    db = tmp_path / "hall.sqlite"
    script = tmp_path / "crasher.py"
    script.write_text(CRASHER)
    proc = subprocess.Popen([sys.executable, str(script), str(db), str(ENGINE_TESTS),
                             str(Path(__file__).parent)], stdout=subprocess.PIPE, text=True)
    told = []
    try:
        while len(told) < 40:
            line = proc.stdout.readline()
            assert line and not line.startswith("ERR"), line
            told.append(line.strip())
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    service = open_service(db, config=config())
    for number in told:
        assert service.applications.for_window(number)["form"] == FORM
    kept = len(service.store.applications())
    assert kept >= len(told)
    again = service.handle("kiosk", "k2", "application.submit", {"item": "sb01", "identity": PERSON})
    assert again["data"]["application"]["number"] == f"TESTHALL-20251124-{kept + 1:04d}"
