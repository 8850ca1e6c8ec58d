"""Invariants of the engine under random days of operations (hypothesis).

The oracle below watches only what anyone can observe (numbers handed out, statuses, which
window called which ticket, and when) and checks:
- numbers are unique and gapless per category and day;
- no ticket is held by two windows, and every held ticket is called/serving at that window;
- the overtake bound: a normal ticket is passed by priority tickets issued after it at most
  rules.priority_max_overtakes times by windows it was waiting for;
- first come, first served within one category and one class (normal / priority);
- one person sits at one window: a staff id is logged in at most at one window.
"""
from collections import Counter, defaultdict

from halls import at, hall, id_number, person
from hypothesis import given, settings
from hypothesis import strategies as st

from queue_server.engine import EngineError, HallEngine

CATEGORIES = ("a", "b", "c")
WINDOWS = ("1", "2", "3", "4")
SERVES = {"1": {"a", "b", "c"}, "2": {"b"}, "3": {"c"}, "4": {"a"}}   # as in halls.hall()

ops = st.one_of(
    st.tuples(st.just("issue"), st.sampled_from(CATEGORIES),
              st.sampled_from(["normal", "normal", "green", "disabled", "elderly"])),
    st.tuples(st.just("call"), st.sampled_from(WINDOWS)),
    st.tuples(st.sampled_from(["finish", "skip", "recall", "start", "pause", "resume"]),
              st.sampled_from(WINDOWS)),
    st.tuples(st.just("transfer"), st.sampled_from(WINDOWS),
              st.sampled_from(CATEGORIES + tuple("w" + w for w in WINDOWS))),
    st.tuples(st.sampled_from(["login", "logout"]), st.sampled_from(WINDOWS),
              st.sampled_from(["s1", "s2", "s3", "s4", "s5"])),
)


class Oracle:
    def __init__(self, bound):
        self.bound = bound
        self.passes = Counter()
        self.transferred = set()
        self.issued = defaultdict(list)

    def candidates(self, engine, window):
        for t in engine.by_number.values():
            if t.status != "waiting":
                continue
            if t.reserved_for == window or t.reserved_for is None and t.category in SERVES[window]:
                yield t

    def before_call(self, engine, window):
        self.waiting = list(self.candidates(engine, window))

    def after_call(self, engine, called):
        for n in self.waiting:
            if n.priority == "normal" and called.priority != "normal" \
                    and n.issued_at < called.issued_at:
                self.passes[n.number] += 1
                assert self.passes[n.number] <= self.bound, f"{n.number} passed too often"
        if called.number in self.transferred:
            return
        same_class = [u for u in self.waiting if u is not called
                      and u.number not in self.transferred and u.category == called.category
                      and (u.priority == "normal") == (called.priority == "normal")]
        assert all(u.issued_at > called.issued_at for u in same_class), "not FIFO"

    def check(self, engine):
        held = [s.ticket_id for s in engine.slots.values() if s.ticket_id is not None]
        assert len(held) == len(set(held))
        for s in engine.slots.values():
            if s.ticket_id is not None:
                t = engine.tickets[s.ticket_id]
                assert t.window == s.id and t.status in ("called", "serving")
        for t in engine.by_number.values():
            if t.status in ("called", "serving"):
                assert engine.slots[t.window].ticket_id == t.id
        seated = [s.staff for s in engine.slots.values() if s.state != "closed"]
        assert None not in seated and len(seated) == len(set(seated)), "a person at two windows"
        for cat, numbers in self.issued.items():
            assert numbers == [f"{cat.upper()}{i:03d}" for i in range(1, len(numbers) + 1)]


def run(engine, oracle, steps):
    now = at(9)
    people = 0
    for w in WINDOWS:
        engine.login(now, w, "s" + w, "员工" + w)
    for op in steps:
        now += 1
        try:
            if op[0] == "issue":
                people += 1
                who = person({"id_number": id_number(serial=f"{people:03d}")}) if op[1] == "c" else None
                t = engine.issue(now, op[1], priority=op[2], person=who)
                oracle.issued[op[1]].append(t.number)
            elif op[0] == "call":
                oracle.before_call(engine, op[1])
                oracle.after_call(engine, engine.call_next(now, op[1]))
            elif op[0] == "login":
                engine.login(now, op[1], op[2], "员工")
            elif op[0] == "logout":
                engine.logout(now, op[1])
            elif op[0] == "transfer":
                target = {"to_window": op[2][1:]} if op[2].startswith("w") else {"to_category": op[2]}
                oracle.transferred.add(engine.transfer(now, op[1], **target).number)
            else:
                method = {"resume": "resume_window"}.get(op[0], op[0])
                getattr(engine, method)(now, op[1])
        except EngineError as e:
            assert e.code in ("no_ticket_waiting", "conflict", "bad_request", "not_logged_in")
        oracle.check(engine)


@settings(max_examples=150, deadline=None)
@given(steps=st.lists(ops, max_size=120), bound=st.integers(0, 4))
def test_invariants_hold_on_random_days(steps, bound):
    engine = HallEngine(hall(priority_max_overtakes=bound), b"l" * 32, at(9))
    run(engine, Oracle(bound), steps)


@settings(max_examples=60, deadline=None)
@given(bound=st.integers(0, 3), prios=st.lists(st.booleans(), min_size=1, max_size=60))
def test_a_single_window_serves_everybody_within_the_bound(bound, prios):
    """One window, a stream of tickets: nobody waits forever, the bound holds exactly."""
    engine = HallEngine(hall(priority_max_overtakes=bound), b"l" * 32, at(9))
    oracle = Oracle(bound)
    steps = [("issue", "a", "green" if p else "normal") for p in prios]
    steps += [op for _ in prios for op in (("call", "4"), ("finish", "4"))]
    run(engine, oracle, steps)
    assert sorted(t.status for t in engine.by_number.values()) == ["done"] * len(prios)
