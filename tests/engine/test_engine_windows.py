"""Window operations, calling order, transfer, estimates and the daily reset."""
import math
from statistics import NormalDist

import pytest
from halls import MONDAY, at

from queue_server.engine import EngineError, queue_state, ticket_view, window_state


def code(fn):
    with pytest.raises(EngineError) as e:
        fn()
    return e.value.code


def open_window(engine, wid="1", staff="s1", name="李明"):
    engine.login(at(8, 30), wid, staff, name)


def test_closed_window_cannot_call(engine):
    engine.issue(at(9), "a")
    assert code(lambda: engine.call_next(at(9), "1")) == "not_logged_in"
    assert code(lambda: engine.call_next(at(9), "99")) == "forbidden"


def test_call_recall_until_automatic_no_show(make_engine):
    engine = make_engine(max_recalls=2)
    engine.issue(at(9), "a")
    open_window(engine)
    t = engine.call_next(at(9, 1), "1")
    assert (t.number, t.status, t.attempt, t.window) == ("A001", "called", 1, "1")
    assert engine.recall(at(9, 2), "1").attempt == 2
    assert engine.recall(at(9, 3), "1").attempt == 3
    t = engine.recall(at(9, 4), "1")     # a fourth call would exceed max_recalls + 1
    assert (t.status, t.attempt) == ("no_show", 3)
    assert engine.slots["1"].state == "idle"
    calls = [p for name, p in engine.changes.events if name == "call"]
    assert [c["attempt"] for c in calls] == [1, 2, 3]
    assert (calls[0]["ticket"], calls[0]["window_name"]) == ("A001", "1号窗口")


def test_skip_start_finish_not_done(engine):
    for _ in range(2):
        engine.issue(at(9), "a")
    open_window(engine)
    engine.call_next(at(9, 1), "1")
    assert engine.skip(at(9, 2), "1").status == "no_show"
    engine.call_next(at(9, 3), "1")
    assert engine.start(at(9, 4), "1").status == "serving"
    assert engine.slots["1"].state == "serving"
    t = engine.finish(at(9, 13), "1", "not_done", "材料不全")
    assert (t.status, t.outcome, t.reason) == ("done", "not_done", "材料不全")
    assert engine.served_today == 1
    # handle times run from the call to the finish; the no-show is counted apart
    assert engine.learned.done["a"] == [10 * 60]
    assert engine.learned.no_show["a"] == [60]


def test_conflicts(engine):
    engine.issue(at(9), "a")
    open_window(engine)
    assert code(lambda: engine.recall(at(9), "1")) == "conflict"
    engine.call_next(at(9), "1")
    assert code(lambda: engine.call_next(at(9), "1")) == "conflict"
    assert code(lambda: engine.pause(at(9), "1")) == "conflict"
    assert code(lambda: engine.logout(at(9), "1")) == "conflict"
    assert code(lambda: engine.login(at(9), "1", "s2", "赵四")) == "conflict"
    assert code(lambda: engine.finish(at(9), "1", "maybe")) == "bad_request"
    engine.finish(at(9, 5), "1")
    assert code(lambda: engine.call_next(at(9), "1")) == "no_ticket_waiting"
    engine.pause(at(9, 6), "1", "午休")
    assert window_state(engine, "1", at(9, 6))["reason"] == "午休"
    assert code(lambda: engine.call_next(at(9), "1")) == "conflict"
    engine.resume_window(at(9, 7), "1")
    engine.logout(at(9, 8), "1")
    assert code(lambda: engine.logout(at(9, 8), "1")) == "not_logged_in"


def test_only_served_categories_are_called(engine):
    engine.issue(at(9), "b")
    engine.issue(at(9, 1), "a")
    open_window(engine, "4")        # dedicated a
    open_window(engine, "2", "s2")  # domain b
    assert engine.call_next(at(9, 2), "4").number == "A001"
    engine.finish(at(9, 2), "4")
    assert code(lambda: engine.call_next(at(9, 2), "4")) == "no_ticket_waiting"
    assert engine.call_next(at(9, 2), "2").number == "B001"


def test_comprehensive_window_serves_all_oldest_first_listed_first_on_ties(engine):
    engine.issue(at(9, 0), "b")
    engine.issue(at(9, 0), "a")     # same second: window 1 lists a first
    engine.issue(at(9, 1), "a")
    open_window(engine)
    got = []
    for _ in range(3):
        got.append(engine.call_next(at(9, 5), "1").number)
        engine.finish(at(9, 5), "1")
    assert got == ["A001", "B001", "A002"]


def test_priority_goes_ahead_at_most_bound_times(make_engine):
    engine = make_engine(priority_max_overtakes=2)
    engine.issue(at(9, 0), "a")
    for minute in (1, 2, 3):
        engine.issue(at(9, minute), "a", priority="green")
    open_window(engine)
    order = []
    for _ in range(4):
        order.append(engine.call_next(at(9, 10), "1").number)
        engine.finish(at(9, 10), "1")
    assert order == ["A002", "A003", "A001", "A004"]


def test_bound_zero_is_first_come_first_served(make_engine):
    engine = make_engine(priority_max_overtakes=0)
    engine.issue(at(9, 0), "a")
    engine.issue(at(9, 1), "a", priority="disabled")
    open_window(engine)
    assert engine.call_next(at(9, 2), "1").number == "A001"


def test_queue_state_previews_the_calling_order(make_engine):
    engine = make_engine(priority_max_overtakes=1)
    engine.issue(at(9, 0), "a")
    engine.issue(at(9, 1), "a", priority="elderly")
    engine.issue(at(9, 2), "a", priority="elderly")
    engine.issue(at(9, 3), "a")
    state = queue_state(engine, "a", at(9, 4))
    assert state["next"] == ["A002", "A001", "A003"]
    assert state["waiting"] == 4
    open_window(engine)
    assert [engine.call_next(at(9, 5), "1").number, engine.finish(at(9, 5), "1").number,
            engine.call_next(at(9, 5), "1").number] == ["A002", "A002", "A001"]


def test_transfer_to_category_keeps_number_and_place(engine):
    engine.issue(at(9, 0), "a")
    engine.issue(at(9, 5), "b")
    open_window(engine, "4")
    open_window(engine, "2", "s2")
    engine.call_next(at(9, 6), "4")
    t = engine.transfer(at(9, 7), "4", to_category="b")
    assert (t.number, t.status, t.category) == ("A001", "waiting", "b")
    assert t.transferred_from == {"category": "a", "window": "4"}
    assert engine.slots["4"].state == "idle"
    assert engine.call_next(at(9, 8), "2").number == "A001"   # older than B001


def test_transfer_to_window_is_reserved_for_it(engine):
    engine.issue(at(9, 0), "a")
    engine.issue(at(9, 1), "a")
    open_window(engine, "4")
    open_window(engine, "1", "s2")
    engine.call_next(at(9, 2), "4")
    assert code(lambda: engine.transfer(at(9, 3), "4", to_window="4")) == "conflict"
    assert code(lambda: engine.transfer(at(9, 3), "4")) == "bad_request"
    assert code(lambda: engine.transfer(at(9, 3), "4", to_category="zz")) == "unknown_category"
    engine.transfer(at(9, 3), "4", to_window="3")
    assert engine.call_next(at(9, 4), "1").number == "A002"
    assert code(lambda: engine.call_next(at(9, 4), "4")) == "no_ticket_waiting"
    open_window(engine, "3", "s3")
    t = engine.call_next(at(9, 5), "3")   # window 3 serves only c, but A001 is reserved for it
    assert (t.number, t.reserved_for) == ("A001", None)


def test_wait_estimate_uses_mean_and_open_windows(make_engine):
    engine = make_engine(handle_time_default_s=300)
    for _ in range(3):
        engine.issue(at(9), "a")
    view = ticket_view(engine, engine.lookup("A003"), at(9))
    # no window open: the third in line waits three rounds of the default at one window
    assert (view["waiting_ahead"], view["estimated_wait_s"]) == (2, 3 * 300)
    open_window(engine, "1")
    open_window(engine, "4", "s4")
    # two windows free now call A001 and A002; A003 follows the first of them to finish.
    # Handle times are assumed lognormal, mean 300 s, sd 150 s (the default's spread): the
    # earlier of two ends on average half their mean difference before the mean,
    # 300 - 300 * (2 * Phi(sigma / sqrt 2) - 1) = 222 s (a little less for the 5% no-shows
    # at 180 s); 24 plays average it to within about 20 s
    sigma = math.sqrt(math.log(1.25))
    first_of_two = 300 - 300 * (2 * NormalDist().cdf(sigma / math.sqrt(2)) - 1)
    wait = ticket_view(engine, engine.lookup("A003"), at(9))["estimated_wait_s"]
    assert wait == pytest.approx(first_of_two, abs=50) and wait < 0.95 * 300 + 0.05 * 180
    engine.call_next(at(9, 1), "1")
    engine.call_next(at(9, 1), "4")
    engine.finish(at(9, 3), "1")            # today's first finish: 120 s
    view = ticket_view(engine, engine.lookup("A003"), at(9, 3))
    assert (view["waiting_ahead"], view["estimated_wait_s"]) == (0, 0)   # window 1 is free
    # a new ticket comes after A003 at window 1 or A002 at window 4, whichever ends first:
    # today's 120 s counts with the default's weight of two tickets (240 s on average), and
    # A002 has been held 120 s of it
    assert 60 < queue_state(engine, "a", at(9, 3))["estimated_wait_s"] < 240 - 60


def test_daily_reset(engine):
    engine.issue(at(9), "a")
    engine.issue(at(9), "a")
    open_window(engine)
    engine.call_next(at(9, 1), "1")
    assert not engine.roll_day(at(23, 59))
    tomorrow = MONDAY.replace(day=25)
    assert engine.roll_day(at(0, 0, tomorrow))
    assert engine.date == "2025-11-25"
    assert engine.slots["1"].state == "calling" and engine.slots["1"].staff == "s1"
    assert engine.waiting_count() == 0
    cancelled = [t for t in engine.changes.ticket_rows.values() if t.status == "cancelled"]
    assert [t.number for t in cancelled] == ["A002"]
    assert engine.issue(at(9, 0, tomorrow), "a").number == "A001"
    assert engine.finish(at(9, 1, tomorrow), "1").date == "2025-11-24"   # yesterday's, finished
