"""Wait estimates: the look-ahead of engine/estimate.py against what the hall then does."""
import math
import random

import pytest
from halls import at, hall

from hall.config.hall import load_hall_config
from hall.words import range_text, wait_words
from queue_server.bench.estimate import COUNTY, Replay, figures
from queue_server.engine import HallEngine
from queue_server.engine.estimate import History, Learned, look_ahead
from queue_server.engine.views import queue_state, ticket_view

NOW = at(9)


def exact_hall(handle_s=600.0, var=0.0, prio_per_hour=0.0, **rules) -> HallEngine:
    """An engine whose history says every ticket takes exactly handle_s and nobody misses a call."""
    engine = HallEngine(hall(**rules), b"link" * 8, NOW)
    cats = engine.categories
    engine.learn_history(History(handle={c: (handle_s, var, 100) for c in cats},
                                 no_show={c: 0.0 for c in cats},
                                 prio_per_hour={c: prio_per_hour for c in cats}))
    return engine


def login(engine, *windows):
    for w in windows:
        engine.login(NOW - 600, w, f"s{w}", "李*")


def wait_of(engine, number, now=NOW):
    return ticket_view(engine, engine.lookup(number), now)["estimated_wait_s"]


def test_a_ticket_behind_five_others_at_two_windows():
    engine = exact_hall(600)
    login(engine, "1", "4")            # both call category a (window 1 also b and c)
    for _ in range(6):
        engine.issue(NOW, "a")
    # A001 and A002 now, A003-A004 after 600 s, A005-A006 after 1200 s
    assert [wait_of(engine, f"A00{i}") for i in range(1, 7)] == [0, 0, 600, 600, 1200, 1200]
    # a ticket taken now comes after all six
    assert queue_state(engine, "a", NOW)["estimated_wait_s"] == 1800
    login(engine, "2")                 # window 2 serves only b: nothing changes for a
    assert wait_of(engine, "A006") == 1200


def test_future_priority_tickets_overtake_up_to_the_bound():
    """One window, A001 called now for 600 s, then A002; priority tickets arrive at random,
    12 an hour (Poisson, as the plays draw them). Bound 0: nobody passes A002, called at 600.
    Bound 2: at 600 s a priority ticket goes first if one came in the first 600 s (n1 >= 1),
    at 1200 s another if two came by then: A002 at 600 s with chance e^-2, at 1200 s with
    chance 2e^-2 * e^-2 (one came, none after), else at 1800 s."""
    e2 = math.exp(-2)
    expected = 600 * e2 + 1200 * 2 * e2 * e2 + 1800 * (1 - e2 - 2 * e2 * e2)   # 1,616 s
    for bound, wait in ((0, 600), (2, expected)):
        engine = exact_hall(600, prio_per_hour=12, priority_max_overtakes=bound)
        login(engine, "4")
        engine.issue(NOW, "a")
        a002 = engine.issue(NOW, "a")
        predicted, _ = look_ahead(engine, NOW, plays=400)
        # 400 plays: the mean's standard error is about 21 s
        assert predicted[a002.id].wait_s == pytest.approx(wait, abs=70), bound


def test_a_window_holding_a_long_ticket_frees_when_such_tickets_end():
    engine = exact_hall(600)
    login(engine, "4")
    for held in [300] * 6 + [1200] * 5:     # today's handle times at window 4: A001-A011
        engine.issue(NOW, "a")
        engine.call_next(NOW, "4")
        engine.finish(NOW + held, "4")
    engine.issue(NOW, "a")
    engine.issue(NOW, "a")
    engine.call_next(NOW, "4")              # A012, held since NOW
    now = NOW + 900
    # after 900 s it is one of the long ones: they ran 1200 s, so about 300 s are left
    # (scaled by the window's pace against the mean, here 1.0)
    assert wait_of(engine, "A013", now) == pytest.approx(300, abs=60)
    assert wait_of(engine, "A013", NOW + 60) > 500     # early on, most of a mean is left


def test_a_wide_spread_is_a_range_a_narrow_one_is_not():
    narrow, wide = exact_hall(600, var=0.0), exact_hall(600, var=400.0 ** 2)
    for engine in (narrow, wide):
        login(engine, "4")
        for _ in range(8):
            engine.issue(NOW, "a")
    assert "estimated_wait_range_s" not in ticket_view(narrow, narrow.lookup("A008"), NOW)
    view = ticket_view(wide, wide.lookup("A008"), NOW)
    low, high = view["estimated_wait_range_s"]
    # A008 waits for seven handle times of sd 400 s: mean 4,200 s, sd 400 * sqrt(7) = 1,058 s
    # (24 plays: the mean within three standard errors, the sd within 2.5 of its own)
    assert low < view["estimated_wait_s"] < high
    assert view["estimated_wait_s"] == pytest.approx(7 * 600, abs=650)
    assert high - low == pytest.approx(2 * 400 * math.sqrt(7), rel=0.35)
    assert "estimated_wait_range_s" in queue_state(wide, "a", NOW)
    assert "estimated_wait_range_s" not in ticket_view(wide, wide.lookup("A001"), NOW)  # now


def test_range_words():
    assert range_text(15 * 60, 25 * 60) == "约15-25分钟"
    assert range_text(13 * 60, 26 * 60) == "约10-30分钟"
    assert range_text(60, 400) == "约1-10分钟"
    assert range_text(50 * 60, 75 * 60) == "约50分钟-1小时15分"
    assert wait_words(3, 1200, [900, 1500]) == "约15-25分钟"
    assert wait_words(3, 1200) == "约20分钟"
    assert wait_words(0, 1200, [900, 1500]) == "无需等待"


@pytest.mark.parametrize("seed", range(20))
def test_with_exact_times_the_look_ahead_calls_as_the_hall_does(seed):
    """Random queues of normal and priority tickets in three categories, a comprehensive
    window among them, a bound of 1 or 2: played with handle times exactly as learned, every
    ticket is called exactly when the look-ahead said (one source of the calling rule). The
    hall opened only minutes ago: no priority arrivals are expected yet."""
    rng = random.Random(seed)
    engine = exact_hall(600, priority_max_overtakes=rng.choice((1, 2)))
    login(engine, "1", "2", "3", "4")
    for i in range(rng.randint(10, 30)):
        cat = "abc"[i] if i < 3 else rng.choice("abc")
        engine.issue(NOW - 300 + i, cat, priority=rng.choice(("normal", "normal", "elderly")),
                     person=_person(i) if cat == "c" else None)
    # some passes already counted: the first calls happen before the look-ahead
    for w in ("1", "2"):
        engine.call_next(NOW - 100, w)
    predicted, _ = look_ahead(engine, NOW)
    waiting = {t.id for q in (*engine.normals.values(), *engine.prios.values()) for t in q}
    assert set(predicted) == waiting
    free = {w: NOW + 500 if w in ("1", "2") else NOW for w in ("1", "2", "3", "4")}
    while any(engine.normals.values()) or any(engine.prios.values()):
        now = min(free.values())
        w = min((w for w in free if free[w] == now), key=list(engine.slots).index)
        slot = engine.slots[w]
        if slot.state != "idle":
            engine.finish(now, w)
        try:
            t = engine.call_next(now, w)
        except Exception:
            free[w] = float("inf")
            continue
        assert predicted[t.id].wait_s == pytest.approx(t.called_at - NOW), t.number
        free[w] = now + 600


def _person(i):
    import datetime as dt
    from queue_server.engine import Person
    return Person(f"h{i}", "0000", "李*", dt.date(1980, 1, 1))


def test_on_a_short_county_day_the_new_estimate_beats_the_old_by_far():
    """Seeded: the first three hours of a county day at 90% of capacity, played in-process
    (old: MAE 10.7 min, 36% within 5 min; new: 3.0 min, 78%, 0.9 min optimistic: the
    morning, when the fits have little to go on)."""
    errors = Replay(load_hall_config(COUNTY), 0.9, seed=1, hours=3).run()
    old, new = figures(errors.old), figures(errors.new)
    assert len(errors.new) > 250
    assert new["mae_min"] < old["mae_min"] / 2
    assert new["within"] > old["within"] + 0.25
    assert abs(new["bias_min"]) < 1.5


def test_the_bench_history_is_what_past_days_of_the_day_model_teach():
    """`bench estimate --history 1`: a played past day gives the estimator the day model's
    handle times (lognormal means) and a priority rate near a third of the arrivals."""
    from queue_server.bench.estimate import past_history
    from queue_server.sim.day import DayModel, Profile

    config = load_hall_config(COUNTY)
    history = past_history(config, 0.9, weeks=1)
    profile = Profile(load=0.9)
    for category in ("zonghe", "yibao", "budongchan"):
        mean, _var, n = history.handle[category]
        assert n > 50 and abs(mean / profile.mean_s(category) - 1) < 0.15, category
    per_hour = DayModel(config, profile).hourly_rates()["zonghe"]
    assert 0.2 < history.prio_per_hour["zonghe"] / per_hour < 0.45
    assert past_history(config, 0.9, weeks=0) is None


def test_tickets_being_served_count_into_the_morning_fit():
    """The first hour of one category, five seeded mornings: 80 services (lognormal, mean
    600 s) started every 45 s. At 10:00 the finished ones are the shorter ones; counting the
    ten-odd unfinished as lasting at least as long as they have brings the fit closer to
    the mean of all 80 (errors about 13 s against 33 s on these mornings)."""
    sigma = 0.45
    mu = math.log(600) - sigma ** 2 / 2
    without, with_serving = [], []
    for seed in range(1, 6):
        rng = random.Random(seed)
        learned = Learned(300)
        serving, every = [], []
        for k in range(80):
            started, took = k * 45.0, rng.lognormvariate(mu, sigma)
            every.append(took)
            if started + took <= 3600:
                learned.finished("a", None, took, no_show=False)
            else:
                serving.append(3600 - started)
        real = sum(every) / len(every)
        assert learned.handle("a")[0] < real            # the long ones are not done yet
        without.append(abs(learned.handle("a")[0] - real))
        with_serving.append(abs(learned.handle("a", serving)[0] - real))
    assert sum(with_serving) < 0.6 * sum(without)
    # nothing done yet, two held for 15 minutes: the default of 5 minutes gives way
    assert Learned(300).handle("a", [900, 900])[0] > 2 * 300


def test_a_window_is_paced_apart_only_where_windows_really_differ():
    """Ten windows, 40 tickets each, handle times varying by sd 45%: alike, every pace stays
    near 1.0 (the noise explains the spread); with window 3 taking twice as long, it shows."""
    def paces(slow):
        rng = random.Random(3)
        learned = Learned(600, History(handle={"a": (600.0, 270.0 ** 2, 100)}))
        for w in range(10):
            for _ in range(40):
                took = rng.lognormvariate(math.log(600) - 0.1, 0.45) * (2 if w == slow else 1)
                learned.finished("a", str(w), took, no_show=False)
        return learned.paces()
    alike = paces(slow=None)
    assert all(p == pytest.approx(1.0, abs=0.06) for p in alike.values()), alike
    apart = paces(slow=3)
    others = [p for w, p in apart.items() if w != "3"]
    assert all(p < 1.0 for p in others)            # the category's mean moved up with window 3
    assert apart["3"] / (sum(others) / len(others)) == pytest.approx(2.0, rel=0.2)
