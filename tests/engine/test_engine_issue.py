"""Issuing tickets: numbers, hours, caps, identity, priority."""
import dataclasses

import pytest
from halls import MONDAY, at, hall, id_number, person

from hall.config.model import Category, Hours
from drivers.card_reader.idnumber import check_digit, mask_name
from queue_server.engine import EngineError, HallEngine, ticket_view


def codes(fn):
    with pytest.raises(EngineError) as e:
        fn()
    return e.value.code


def test_numbers_count_per_category_with_prefix(engine):
    numbers = [engine.issue(at(9, 1), c).number for c in "aabab"]
    assert numbers == ["A001", "A002", "B001", "A003", "B002"]


def test_four_digits_when_the_cap_is_above_999():
    config = dataclasses.replace(hall(), categories=(Category("a", "A", "综合", daily_cap=1500),))
    e = HallEngine(config, b"l", at(9))
    assert e.issue(at(9), "a").number == "A0001"


def test_cap_gives_quota_exceeded_and_keeps_earlier_tickets():
    config = dataclasses.replace(hall(), categories=(Category("a", "A", "综合", daily_cap=2),))
    e = HallEngine(config, b"l", at(9))
    e.issue(at(9), "a"), e.issue(at(9), "a")
    assert codes(lambda: e.issue(at(9), "a")) == "quota_exceeded"
    assert sorted(e.by_number) == ["A001", "A002"]


@pytest.mark.parametrize("moment", [
    at(8, 29), at(17, 0), at(12, 0, MONDAY.replace(day=30)),   # early, last half hour, Sunday
])
def test_closed_outside_hours(engine, moment):
    assert codes(lambda: engine.issue(moment, "a")) == "closed"


def test_lunch_break_is_closed():
    config = dataclasses.replace(hall(), hours=Hours(lunch=(12 * 60, 13 * 60)))
    e = HallEngine(config, b"l", at(9))
    assert codes(lambda: e.issue(at(12, 30), "a")) == "closed"
    assert e.issue(at(13, 0), "a").number == "A001"


def test_unknown_category_and_bad_arguments(engine):
    assert codes(lambda: engine.issue(at(9), "zz")) == "unknown_category"
    assert codes(lambda: engine.issue(at(9), "a", priority="vip")) == "bad_request"
    assert codes(lambda: engine.issue(at(9), "b", service="xx99")) == "bad_request"
    assert engine.issue(at(9), "b", service="sb01").service == "sb01"
    assert engine.seq["a"] == 0   # refused requests used no number


def test_real_name_category_needs_identity_with_plain_message(engine):
    with pytest.raises(EngineError) as e:
        engine.issue(at(9), "c")
    assert e.value.code == "bad_request" and "身份证" in e.value.message


def test_identity_is_kept_only_masked(engine):
    number = id_number("19850312", "123")
    t = engine.issue(at(9), "c", person=person({"id_number": number, "name": "王小明"}))
    assert (t.name_masked, t.id_last4) == ("王*明", number[-4:])
    assert number not in repr(t) and number[:14] not in repr(t)
    view = ticket_view(engine, t, at(9))
    assert number not in repr(view) and view["name_masked"] == "王*明"


@pytest.mark.parametrize("bad", [
    id_number()[:-1] + ("0" if id_number()[-1] != "0" else "1"),   # wrong check character
    id_number("19851332"),                                          # month 13
    id_number("20991231"),                                          # born in the future
    "12345", None,
])
def test_bad_id_numbers_are_refused(engine, bad):
    assert codes(lambda: person({"id_number": bad})) == "bad_request"


def test_check_digit_x():
    number = next(id_number(serial=f"{i:03d}") for i in range(1000)
                  if id_number(serial=f"{i:03d}").endswith("X"))
    assert check_digit(number[:17]) == "X"


def test_per_person_limit_counts_by_person(engine):
    zhang = person({"id_number": id_number(serial="001"), "name": "张三"})
    engine.issue(at(9), "c", person=zhang)
    assert codes(lambda: engine.issue(at(9, 5), "c", person=zhang)) == "limit_per_person"
    other = person({"id_number": id_number(serial="002")})
    assert engine.issue(at(9, 5), "c", person=other).number == "C002"


def test_elderly_from_birth_date(engine):
    old = person({"id_number": id_number("19500101", "010")})
    young = person({"id_number": id_number("19900101", "011")})
    assert engine.issue(at(9), "a", person=old).priority == "elderly"
    assert engine.issue(at(9), "a", person=young).priority == "normal"
    # turns 65 tomorrow: not yet
    almost = person({"id_number": id_number("19601125", "012")})
    assert engine.issue(at(9), "a", person=almost).priority == "normal"


def test_no_priority_where_the_category_forbids_it():
    config = dataclasses.replace(
        hall(), categories=(Category("a", "A", "综合", priority_allowed=False),))
    e = HallEngine(config, b"l", at(9))
    assert e.issue(at(9), "a", priority="green").priority == "normal"
    assert e.issue(at(9), "a", person=person({"id_number": id_number("19400101")})).priority == "normal"


@pytest.mark.parametrize("name,masked", [("王小明", "王*明"), ("李明", "李*"),
                                          ("欧阳娜娜", "欧**娜"), ("", "")])
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_ticket_url_is_an_unguessable_token(engine):
    t1, t2 = engine.issue(at(9), "a"), engine.issue(at(9), "a")
    assert t1.token != t2.token and len(t1.token) == 32
    assert ticket_view(engine, t1, at(9))["url"] == f"http://127.0.0.1:8080/t/{t1.token}"
    other_hall = HallEngine(hall(), b"other" * 8, at(9))
    assert other_hall.token(t1.date, t1.number) != t1.token
