"""好差评 through HallService: the one set of rules for the pad, the kiosk and the phone."""
import dataclasses
import json
import sqlite3

import pytest
from halls import hall, id_number

from hall.config.model import Province, Ratings
from queue_server.applications.senders import FileSender
from queue_server.service import HallService

CARD = {"id_number": id_number(serial="432"), "name": "张飞"}
OTHER = {"id_number": id_number(serial="517"), "name": "关羽"}


def ok(reply):
    assert reply["status"] == "ok", reply
    return reply["data"]


def refused(reply, code):
    assert reply["status"] == "error", reply
    assert reply["error"]["code"] == code, reply
    return reply["error"]["message"]


@pytest.fixture
def served(service):
    """A001 (anonymous) and C001 (张飞's card) served and finished at window 1; A002 waiting."""
    service.staff.add("s1", "李明", "window", "secret001")
    ok(service.handle("window", "1", "window.login", {"staff": "s1", "password": "secret001"}))
    for args in ({"category": "a"}, {"category": "c", "identity": CARD}):
        ok(service.handle("kiosk", "k1", "ticket.issue", args))
    for _ in range(2):
        ok(service.handle("window", "1", "window.call_next", {}))
        ok(service.handle("window", "1", "window.finish", {}))
    ok(service.handle("kiosk", "k1", "ticket.issue", {"category": "a"}))
    return service


def token_of(service, number):
    return service.store.tickets("number = ?", [number])[0].token


def test_the_pad_rates_its_own_window_once_and_may_change_it_for_ten_minutes(served, clock):
    got = ok(served.handle("window", "1", "evaluation.submit", {"ticket": "A001", "level": 4}))
    assert (got["evaluation"]["level_text"], got["evaluation"]["channel"]) == ("满意", "evaluator")
    assert got["evaluation"]["named"] is False
    clock.advance(9 * 60)
    changed = ok(served.handle("window", "1", "evaluation.submit",
                               {"ticket": "A001", "level": 2, "reasons": ["等候时间长", "态度差"]}))
    assert changed["evaluation"]["version"] == 2
    assert changed["evaluation"]["reasons"] == ["态度差", "等候时间长"]      # in the list's order
    [row] = served.evaluations()
    assert (row["level"], row["bad"], row["staff"], row["category"], row["version"]) == (2, True, "s1", "a", 2)
    clock.advance(61)            # ten minutes after the first rating: closed
    assert "10分钟" in refused(served.handle("window", "1", "evaluation.submit",
                                              {"ticket": "A001", "level": 5}), "conflict")
    assert served.evaluations()[0]["level"] == 2
    assert refused(served.handle("window", "2", "evaluation.submit", {"ticket": "C001", "level": 5}),
                   "forbidden")


def test_words_reasons_and_free_text_are_checked_the_same_for_everyone(served):
    token = token_of(served, "A001")
    for args, why in [({"level": 0}, "level"), ({"level": True}, "level"), ({"level": "5"}, "level"),
                      ({"level": 1, "reasons": ["编的原因"]}, "not in the list"),
                      ({"level": 1, "reasons": ["态度差", "态度差"]}, "twice"),
                      ({"level": 1, "reasons": ["态度差"] * 100}, "oversized"),
                      ({"level": 1, "reasons": [["态度差"]]}, "nested"),
                      ({"level": 5, "reasons": ["态度差"]}, "reasons for a good level"),
                      ({"level": 1, "comment": "差" * 201}, "too long"),
                      ({"level": 1, "comment": "\u200b" * 2000}, "invisible flood"),
                      ({"level": 1, "comment": {"a": 1}}, "not text"),
                      ({"level": 1, "phone": "12345"}, "bad phone")]:
        assert refused(served.handle("citizen", "phone", "evaluation.submit", {"token": token, **args}),
                       "bad_request"), why
    assert served.evaluations() == []          # nothing kept of any of them
    got = ok(served.handle("citizen", "phone", "evaluation.submit", {
        "token": token, "level": 1, "reasons": ["多次跑动"],
        "comment": "  来了\u202e三次\u0000，\n\n还是  没办成\u200b ", "phone": "13800001234"}))
    assert got["evaluation"]["comment"] == "来了三次， 还是 没办成"     # neutralised
    [row] = served.evaluations()
    assert (row["channel"], row["named"], row["phone"], row["id_hash"]) == ("mobile", True, "13800001234", None)


def test_the_phone_needs_the_link_and_a_finished_ticket(served):
    assert refused(served.handle("citizen", "phone", "evaluation.submit", {"token": "guess", "level": 1}),
                   "unknown_ticket")
    assert refused(served.handle("citizen", "phone", "evaluation.submit",
                                 {"token": token_of(served, "A002"), "level": 1}), "conflict")
    got = ok(served.handle("citizen", "phone", "evaluation.submit",
                           {"token": token_of(served, "C001"), "level": 5, "via": "sms"}))
    # the ticket holder's card was read at the kiosk: named, by the keyed hash only
    assert (got["evaluation"]["channel"], got["evaluation"]["named"]) == ("sms", True)
    raw = sqlite3.connect(served.store.path).execute("SELECT * FROM evaluations").fetchall()
    assert CARD["id_number"] not in json.dumps(raw, ensure_ascii=False)


def test_the_kiosk_rates_only_the_card_holders_own_last_service(served):
    last = ok(served.handle("kiosk", "k1", "evaluation.last", {"identity": CARD}))
    assert (last["ticket"], last["evaluation"]) == ("C001", None)
    assert refused(served.handle("kiosk", "k1", "evaluation.submit", {"ticket": "A001", "level": 1}),
                   "bad_request")                        # no card, no rating
    assert refused(served.handle("kiosk", "k1", "evaluation.last", {"identity": OTHER}), "unknown_ticket")
    assert refused(served.handle("kiosk", "k1", "evaluation.submit", {"identity": OTHER, "level": 1}),
                   "unknown_ticket")                     # another's card rates nothing of 张飞's
    got = ok(served.handle("kiosk", "k1", "evaluation.submit", {"identity": CARD, "ticket": "A001", "level": 3}))
    assert (got["evaluation"]["ticket"], got["evaluation"]["channel"]) == ("C001", "kiosk")
    # the rating given on the kiosk is changed from the phone: still one rating
    ok(served.handle("citizen", "phone", "evaluation.submit", {"token": token_of(served, "C001"), "level": 4}))
    [row] = served.evaluations()
    assert (row["ticket"], row["level"], row["channel"], row["version"]) == ("C001", 4, "mobile", 2)
    again = ok(served.handle("kiosk", "k1", "evaluation.last", {"identity": CARD}))
    assert again["evaluation"]["level_text"] == "满意"


def test_the_bus_has_no_citizen_role(served):
    """Only the web console speaks for a phone: on the bus the role does not exist."""
    from hall.protocol.topics import CLIENT_ROLES
    assert "citizen" not in CLIENT_ROLES
    assert refused(served.handle("citizen", "phone", "window.call_next", {}), "forbidden")


def test_parallel_ratings_of_one_ticket_are_one_row(open_service, tmp_path):
    """The bus and the web at once, from two processes' worth of threads: one rating."""
    import threading
    service = open_service()
    service.staff.add("s1", "李明", "window", "secret001")
    service.handle("window", "1", "window.login", {"staff": "s1", "password": "secret001"})
    service.handle("kiosk", "k1", "ticket.issue", {"category": "a"})
    service.handle("window", "1", "window.call_next", {})
    service.handle("window", "1", "window.finish", {})
    token = token_of(service, "A001")
    answers, start = [], threading.Barrier(20)

    def rate(i):
        start.wait()
        if i % 2:
            answers.append(service.handle("window", "1", "evaluation.submit", {"ticket": "A001", "level": 1 + i % 5}))
        else:
            answers.append(service.handle("citizen", "phone", "evaluation.submit",
                                          {"token": token, "level": 1 + i % 5}, channel="web"))
    threads = [threading.Thread(target=rate, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(a["status"] == "ok" for a in answers)
    [row] = service.evaluations()
    assert row["version"] == 20               # each a change of the one rating, none lost


def test_older_rows_keep_working(tmp_path, clock):
    """A rating stored before migration 0010 reads back and can be rectified."""
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    from queue_server.store import migrations
    for version, name, sql in migrations():
        if version < 10:
            db.executescript(sql)
    db.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL)")
    db.executemany("INSERT INTO schema_version VALUES (?, ?, 0)", [(v, n) for v, n, _ in migrations() if v < 10])
    db.execute("INSERT INTO evaluations (ticket_id, ticket, date, level, reasons, window, staff, channel, ts, bad) "
               "VALUES (1, 'A001', '2026-03-02', 1, '[\"态度差\"]', '1', 's1', 'mqtt', 100.0, 1)")
    db.commit()
    db.close()
    service = HallService(hall(), str(path), clock=clock)
    try:
        [row] = service.evaluations()
        assert (row["level"], row["reasons"], row["named"], row["version"], row["created_at"]) == \
            (1, ["态度差"], False, 1, None)
        service.rectify_evaluation(row["id"], {"cause": "等候久", "action": "增开窗口"}, "m01")
    finally:
        service.close()


def test_a_finished_service_texts_the_rating_link_where_a_phone_is_known(tmp_path, clock):
    sms = tmp_path / "sms.jsonl"
    service = HallService(hall(), str(tmp_path / "h.sqlite"), clock=clock, sender=FileSender(str(sms)))
    try:
        service.staff.add("s1", "李明", "window", "secret001")
        service.handle("window", "1", "window.login", {"staff": "s1", "password": "secret001"})
        code = service.book_appointment("a", service.date, "09:00-09:30")
        with service.exclusive() as store:
            store.db.execute("UPDATE appointments SET phone = '13900001111' WHERE code = ?", [code])
        ok(service.handle("kiosk", "k1", "appointment.checkin", {"code": code}))
        ok(service.handle("kiosk", "k1", "ticket.issue", {"category": "a"}))     # no phone: no text
        for _ in range(2):
            ok(service.handle("window", "1", "window.call_next", {}))
            ok(service.handle("window", "1", "window.finish", {}))
        [text] = [json.loads(line) for line in sms.read_text().splitlines()]
        booked = service.store.tickets("appointment = ?", [code])[0]
        assert text["to"] == "13900001111"
        assert f"/t/{booked.token}?via=sms" in text["text"] and "评价" in text["text"]
    finally:
        service.close()


def test_no_text_when_the_hall_turns_it_off(tmp_path, clock):
    config = dataclasses.replace(hall(), ratings=Ratings(sms_link=False))
    sms = tmp_path / "sms.jsonl"
    service = HallService(config, str(tmp_path / "h.sqlite"), clock=clock, sender=FileSender(str(sms)))
    try:
        service.staff.add("s1", "李明", "window", "secret001")
        service.handle("window", "1", "window.login", {"staff": "s1", "password": "secret001"})
        code = service.book_appointment("a", service.date, "09:00-09:30")
        with service.exclusive() as store:
            store.db.execute("UPDATE appointments SET phone = '13900001111' WHERE code = ?", [code])
        ok(service.handle("kiosk", "k1", "appointment.checkin", {"code": code}))
        ok(service.handle("window", "1", "window.call_next", {}))
        ok(service.handle("window", "1", "window.finish", {}))
        assert not sms.exists()
    finally:
        service.close()


def test_each_rating_and_change_is_owed_to_the_province_in_its_transaction(tmp_path, clock):
    config = dataclasses.replace(hall(), province=Province(url="https://127.0.0.1:9/r", hall_code="360101"))
    service = HallService(config, str(tmp_path / "h.sqlite"), clock=clock)
    try:
        service.staff.add("s1", "李明", "window", "secret001")
        service.handle("window", "1", "window.login", {"staff": "s1", "password": "secret001"})
        service.handle("kiosk", "k1", "ticket.issue", {"category": "a"})
        service.handle("window", "1", "window.call_next", {})
        service.handle("window", "1", "window.finish", {})
        token = token_of(service, "A001")
        ok(service.handle("citizen", "phone", "evaluation.submit",
                          {"token": token, "level": 1, "reasons": ["态度差"], "phone": "13800001234"}))
        ok(service.handle("citizen", "phone", "evaluation.submit", {"token": token, "level": 2}))
        refused(service.handle("citizen", "phone", "evaluation.submit", {"token": token, "level": 9}), "bad_request")
        rows = service.store.db.execute("SELECT id, kind, body FROM outbox ORDER BY seq").fetchall()
        assert [r[0] for r in rows if r[1] == "rating"] == ["360101:rating:1.1", "360101:rating:1.2"]
        first = json.loads(rows[0][2])
        assert (first["level_text"], first["phone"], first["hall"]) == ("非常不满意", "138****1234", "360101")
        assert "id_hash" not in first and "13800001234" not in rows[0][2]
        # the bad rating opened one case (not a second one for the change, which the case
        # follows): a case is just another kind
        case, changed = [json.loads(r[2]) for r in rows if r[1] == "case"]
        assert (case["case_kind"], case["step"], case["state"], case["rating"], case["named"]) == \
            ("rating", "open", "open", "360101:rating:1", True)
        assert (changed["case"], changed["step"], changed["state"], changed["level"]) == \
            (case["case"], "rerate", "open", 2)
        assert "13800001234" not in json.dumps(case, ensure_ascii=False)
    finally:
        service.close()


def test_the_day_roll_forgets_delivered_records_after_a_week_never_owed_ones(tmp_path, clock):
    config = dataclasses.replace(hall(), province=Province(url="https://127.0.0.1:9/r"))
    service = HallService(config, str(tmp_path / "h.sqlite"), clock=clock)
    try:
        service.staff.add("s1", "李明", "window", "secret001")
        service.handle("window", "1", "window.login", {"staff": "s1", "password": "secret001"})
        for _ in range(2):
            service.handle("kiosk", "k1", "ticket.issue", {"category": "a"})
            number = service.handle("window", "1", "window.call_next", {})["data"]["ticket"]["number"]
            service.handle("window", "1", "window.finish", {})
            ok(service.handle("window", "1", "evaluation.submit", {"ticket": number, "level": 5}))
        with service.exclusive():
            service.province.outbox.delivered("province", ["testhall:rating:1.1"])
            service.province.outbox.put("county", "c1", "figures", {})     # another's: not ours to forget
            service.province.outbox.delivered("county", ["c1"])
        for _ in range(8):                   # a week and a day of midnights
            clock.advance(86400)
            service.tick()
        left = [r[0] for r in service.store.db.execute("SELECT id FROM outbox")]
        assert sorted(left) == ["c1", "testhall:rating:2.1"]
    finally:
        service.close()
