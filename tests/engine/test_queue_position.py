"""A ticket's number ahead is its place in the order the windows would call the tickets
waiting now (one source: engine.order.calls)."""
import copy

from halls import at
from hypothesis import given, settings
from hypothesis import strategies as st

from hall.config.model import Category, HallConfig, Host, QueueRules, Window
from queue_server.engine import EngineError, HallEngine, queue_state, ticket_view

# Windows 1-3 work; 8 and 9 serve one category each and are only opened by the check below,
# so that their order is exactly the category's order.
WORKING = ("1", "2", "3")
SPARE = {"a": "9", "b": "8"}


def two_queue_hall(bound: int) -> HallConfig:
    return HallConfig(
        id="poshall", name="测试县政务服务中心", rules=QueueRules(priority_max_overtakes=bound),
        categories=(Category("a", "A", "综合业务"), Category("b", "B", "社保业务")),
        windows=(Window("1", "1号窗口", kind="comprehensive", categories=("b",)),
                 Window("2", "2号窗口", kind="domain", categories=("a",)),
                 Window("3", "3号窗口", kind="domain", categories=("b",)),
                 Window("8", "8号窗口", kind="domain", categories=("b",)),
                 Window("9", "9号窗口", kind="domain", categories=("a",))),
        hosts=(Host("k1", "kiosk"),))


ops = st.one_of(
    st.tuples(st.just("issue"), st.sampled_from("ab"),
              st.sampled_from(["normal", "normal", "elderly", "green", "disabled"])),
    st.tuples(st.sampled_from(["call", "call", "finish", "skip", "start"]), st.sampled_from(WORKING)),
    st.tuples(st.just("transfer"), st.sampled_from(WORKING),
              st.sampled_from(["a", "b"] + ["w" + w for w in WORKING])),
)


def play(engine: HallEngine, steps) -> float:
    now = at(9)
    for w in WORKING:
        engine.login(now, w, "s" + w, "员工")
    for op in steps:
        now += 1
        try:
            if op[0] == "issue":
                engine.issue(now, op[1], priority=op[2])
            elif op[0] == "call":
                engine.call_next(now, op[1])
            elif op[0] == "transfer":
                target = {"to_window": op[2][1:]} if op[2].startswith("w") else {"to_category": op[2]}
                engine.transfer(now, op[1], **target)
            else:
                getattr(engine, op[0])(now, op[1])
        except EngineError as e:
            assert e.code in ("no_ticket_waiting", "conflict", "bad_request")
    return now


def called_in_turn(engine: HallEngine, window: str, now: float) -> list[str]:
    """Numbers a window calls, one after another, from a copy of the hall (nobody new comes)."""
    engine = copy.deepcopy(engine)
    slot = engine.slots[window]
    if slot.state in ("calling", "serving"):
        engine.finish(now, window)
    elif slot.state == "closed":
        engine.login(now, window, "check", "员工")
    numbers = []
    while True:
        try:
            numbers.append(engine.call_next(now, window).number)
        except EngineError as e:
            assert e.code == "no_ticket_waiting"
            return numbers
        engine.finish(now, window)


@settings(max_examples=200, deadline=None)
@given(steps=st.lists(ops, max_size=80), bound=st.integers(0, 3))
def test_each_ticket_is_told_its_place_in_the_calling_order(steps, bound):
    engine = HallEngine(two_queue_hall(bound), b"l" * 32, at(9))
    now = play(engine, steps)
    waiting = [t for t in engine.by_number.values() if t.status == "waiting"]
    orders = {}
    for t in waiting:
        window = t.reserved_for or SPARE[t.category]
        if window not in orders:
            orders[window] = called_in_turn(engine, window, now)
        order = orders[window]
        assert ticket_view(engine, t, now)["waiting_ahead"] == order.index(t.number), (t.number, order)
    for cat, window in SPARE.items():
        expected = called_in_turn(engine, window, now)[:3]
        assert queue_state(engine, cat, now)["next"] == expected


def test_a_priority_ticket_is_told_the_tickets_called_before_it(make_engine):
    """Bound 1: A001 elderly, A002 normal, A003 elderly. The windows call A001, A003, A002,
    so A003 has one ticket ahead (it used to be told two) and A002 two."""
    engine = make_engine(priority_max_overtakes=1)
    for priority in ("elderly", "normal", "elderly"):
        engine.issue(at(9), "a", priority=priority)
    ahead = {n: ticket_view(engine, engine.lookup(n), at(9))["waiting_ahead"] for n in ("A001", "A002", "A003")}
    assert ahead == {"A001": 0, "A003": 1, "A002": 2}
    engine.login(at(9), "4", "s4", "李明")
    called = []
    for _ in range(3):
        called.append(engine.call_next(at(9, 1), "4").number)
        engine.finish(at(9, 2), "4")
    assert called == ["A001", "A003", "A002"]
