"""What the window clerk is told before and after: the last recall, 过号重排, transfers to a
window (issue 11)."""
import pytest
from halls import at

from queue_server.engine import EngineError, queue_state, ticket_view, window_state


def code(fn):
    with pytest.raises(EngineError) as e:
        fn()
    return e.value.code


def calling(engine, wid="1", staff="s1"):
    engine.login(at(8, 30), wid, staff, "李*")
    return engine.call_next(at(9, 1), wid)


def test_the_window_state_says_when_the_next_recall_is_a_no_show(make_engine):
    engine = make_engine(max_recalls=2)
    engine.issue(at(9), "a")
    calling(engine)
    left = [window_state(engine, "1", at(9, 1))["recalls_left"]]
    for minute in (2, 3):
        engine.recall(at(9, minute), "1")
        left.append(window_state(engine, "1", at(9, minute))["recalls_left"])
    assert left == [2, 1, 0]
    t = engine.recall(at(9, 4), "1")      # the button said 过号(重呼已满)
    assert t.status == "no_show"
    assert "recalls_left" not in window_state(engine, "1", at(9, 4))


def skipped_with_four_behind(make_engine, **rules):
    engine = make_engine(**rules)
    for minute in range(5):
        engine.issue(at(9, minute), "a")            # A001 .. A005
    engine.login(at(8, 30), "4", "s1", "李*")
    assert engine.call_next(at(9, 10), "4").number == "A001"
    engine.skip(at(9, 11), "4")
    return engine


def test_a_requeued_ticket_comes_back_behind_the_next_few(make_engine):
    engine = skipped_with_four_behind(make_engine, requeue_behind=3, requeue_within_min=30)
    t = engine.lookup("A001")
    assert ticket_view(engine, t, at(9, 12))["requeue_until"] == at(9, 41)
    t = engine.requeue(at(9, 20), "A001")
    assert (t.status, t.window, t.attempt) == ("waiting", None, 0)
    assert ticket_view(engine, t, at(9, 20))["waiting_ahead"] == 3
    assert "requeue_until" not in ticket_view(engine, t, at(9, 20))
    assert queue_state(engine, "a", at(9, 20))["next"] == ["A002", "A003", "A004"]
    order = []
    for i in range(5):
        order.append(engine.call_next(at(9, 21 + i), "4").number)
        engine.finish(at(9, 21 + i, second=30), "4")
    assert order == ["A002", "A003", "A004", "A001", "A005"]


def test_requeue_only_once_only_in_time_only_a_no_show(make_engine):
    engine = skipped_with_four_behind(make_engine, requeue_within_min=30)
    assert code(lambda: engine.requeue(at(9, 42), "A001")) == "conflict"      # 31 min after
    assert code(lambda: engine.requeue(at(9, 20), "A002")) == "conflict"      # still waiting
    assert code(lambda: engine.requeue(at(9, 20), "A999")) == "unknown_ticket"
    engine.requeue(at(9, 41), "A001")
    engine.call_next(at(9, 42), "4")
    engine.skip(at(9, 43), "4")
    assert engine.call_next(at(9, 44), "4").number == "A003"
    engine.skip(at(9, 45), "4")
    engine.call_next(at(9, 46), "4")
    engine.skip(at(9, 47), "4")            # A004
    assert engine.call_next(at(9, 48), "4").number == "A001"
    engine.skip(at(9, 49), "4")
    assert code(lambda: engine.requeue(at(9, 50), "A001")) == "conflict"      # a second time
    assert "requeue_until" not in ticket_view(engine, engine.lookup("A001"), at(9, 50))


def test_requeue_can_be_switched_off(make_engine):
    engine = skipped_with_four_behind(make_engine, requeue_within_min=0)
    assert "requeue_until" not in ticket_view(engine, engine.lookup("A001"), at(9, 12))
    assert code(lambda: engine.requeue(at(9, 12), "A001")) == "conflict"


def test_fewer_waiting_than_the_gap_puts_it_last(make_engine):
    engine = make_engine(requeue_behind=3)
    engine.issue(at(9), "a")
    engine.issue(at(9, 1), "a")
    calling(engine, "4")
    engine.skip(at(9, 2), "4")
    engine.requeue(at(9, 3), "A001")
    engine.issue(at(9, 4), "a")
    assert queue_state(engine, "a", at(9, 5))["next"] == ["A002", "A001", "A003"]


def test_a_window_sees_the_tickets_transferred_to_it(engine):
    engine.issue(at(9), "a")
    calling(engine, "4")
    engine.changes.window_states.clear()
    engine.transfer(at(9, 2), "4", to_window="3")           # window 3 is closed
    assert "3" in engine.changes.window_states | engine.changes.window_rows
    assert window_state(engine, "3", at(9, 2))["transferred_in"] == ["A001"]
    engine.login(at(9, 3), "3", "s3", "周*")
    engine.call_next(at(9, 4), "3")
    assert window_state(engine, "3", at(9, 4))["transferred_in"] == []
