"""The application's state machine and deadlines, pure: who may move it from which state, what
容缺受理 and 告知承诺 allow, and the working-day deadline across the 2026 National Day holiday."""
import dataclasses

import pytest

from hall.catalog import Item, Material
from hall.workdays import WorkingDays
from queue_server.applications.model import (STATES, TRANSITIONS, deadline_status,
                                             materials_missing, new_application, transition)
from queue_server.engine import EngineError

DAYS = WorkingDays()
ITEM = Item("sb01", "社会保障卡申领", "社保", "b", committed_days=5, delivery=("window", "post"),
            kiosk=True, materials=(
                Material("居民身份证"), Material("照片", later=True),
                Material("居住证明", promise=True), Material("户口簿", not_needed=True)))
ALL = {"居民身份证": "received", "照片": "received", "居住证明": "received"}


def submitted(materials=None, role="window"):
    return new_application("Q-20260930-0001", "tok", ITEM, role, "2026-09-30",
                           materials=ALL if materials is None else materials)


def step(app, action, today="2026-09-30", role="window", **args):
    return transition(app, action, role, ITEM, today, DAYS, **args)


def refused(call):
    with pytest.raises(EngineError) as caught:
        call()
    return caught.value.code


def test_the_whole_way_from_submission_to_collection():
    app = step(submitted(), "accept")
    assert (app.state, app.accepted_on, app.due) == ("accepted", "2026-09-30", "2026-10-13")
    for action, state in (("approve", "approved"), ("ready", "ready"), ("collect", "collected")):
        app = step(app, action, "2026-10-09")
        assert app.state == state
    assert app.closed_on == "2026-10-09" and app.decided_on == "2026-10-09"


def test_a_deadline_across_national_day_skips_the_holiday_and_counts_the_make_up_saturday():
    # Accepted Wed 30 Sep, 5 working days: 8, 9, 10 (Saturday, 调休), 12, 13 October.
    app = step(submitted(), "accept")
    assert app.due == "2026-10-13"
    assert step(dataclasses.replace(submitted(), committed_days=3), "accept").due == "2026-10-10"


def test_a_correction_after_acceptance_pauses_the_clock_and_extends_the_deadline():
    app = step(submitted(), "accept")
    app = step(app, "correct", "2026-10-08", missing=["照片"])
    assert app.state == "correction" and app.missing == ("照片",) and app.paused_from == "2026-10-08"
    assert deadline_status(app, "2026-10-20", DAYS) == "paused"      # never overdue while paused
    app = step(app, "resubmit", "2026-10-12", materials={"照片": "received"})
    # 9, 10 (make-up Saturday) and 12 October were paused: 3 more working days.
    assert (app.state, app.paused_days, app.due) == ("resubmitted", 3, "2026-10-16")
    assert step(app, "approve", "2026-10-16").state == "approved"


def test_an_incomplete_application_cannot_be_accepted_but_may_be_corrected_first():
    app = submitted({"居民身份证": "received"})
    assert refused(lambda: step(app, "accept")) == "conflict"
    app = step(app, "correct", missing=["照片", "居住证明"])
    assert app.paused_from is None                   # not accepted yet: no clock to stop
    assert refused(lambda: step(app, "resubmit", materials={"照片": "received"})) == "conflict"
    app = step(app, "resubmit", "2026-10-08", materials={"照片": "received", "居住证明": "received"})
    app = step(app, "accept", "2026-10-08")
    assert (app.state, app.due) == ("accepted", "2026-10-14")   # 9, 10, 12, 13, 14


def test_rongque_and_promise_only_where_the_item_allows_them():
    app = step(submitted({"居民身份证": "received", "照片": "later", "居住证明": "promise"}), "accept")
    assert app.state == "accepted"
    assert refused(lambda: step(app, "approve")) == "conflict"          # 容缺 still owed
    assert step(app, "approve", materials={"照片": "received"}).state == "approved"
    assert refused(lambda: submitted({"居民身份证": "later"})) == "bad_request"
    assert refused(lambda: submitted({"照片": "promise"})) == "bad_request"
    assert refused(lambda: submitted({"户口簿": "received"})) == "bad_request"   # read by the hall
    assert materials_missing(ITEM, {"居民身份证": "received"}) == ["照片", "居住证明"]


def test_every_action_outside_its_states_or_roles_is_refused():
    app = submitted()
    for action, rule in TRANSITIONS.items():
        for state in STATES:
            at = dataclasses.replace(app, state=state, accepted_on="2026-09-30", due="2026-10-13")
            if state not in rule.sources:
                assert refused(lambda: step(at, action, reason="理由", missing=["照片"])) == "conflict"
        if "kiosk" not in rule.roles:
            assert refused(lambda: step(app, action, role="kiosk")) == "forbidden"
    assert refused(lambda: step(app, "accept", role="manager")) == "forbidden"
    assert refused(lambda: step(app, "delete")) == "bad_request"


def test_a_refusal_needs_a_reason_and_a_kiosk_files_only_kiosk_items():
    assert refused(lambda: step(submitted(), "refuse", reason=" ")) == "bad_request"
    assert step(submitted(), "refuse", reason="不符合申请条件").reason == "不符合申请条件"
    window_only = dataclasses.replace(ITEM, kiosk=False)
    assert refused(lambda: new_application("n", "t", window_only, "kiosk", "2026-09-30")) == "forbidden"


def test_posting_only_for_items_delivered_by_post():
    app = step(step(step(submitted(), "accept"), "approve"), "ready")
    assert step(app, "post").state == "posted"
    no_post = dataclasses.replace(ITEM, delivery=("window",))
    assert refused(lambda: transition(app, "post", "window", no_post, "2026-09-30", DAYS)) == "conflict"


def test_deadline_warnings_before_at_and_after_the_day():
    app = step(submitted(), "accept")                 # due 13 October
    assert deadline_status(app, "2026-10-08", DAYS) == "ok"
    assert deadline_status(app, "2026-10-12", DAYS) == "soon"
    assert deadline_status(app, "2026-10-13", DAYS) == "due"
    assert deadline_status(app, "2026-10-14", DAYS) == "overdue"
    late = step(app, "approve", "2026-10-14")
    assert deadline_status(late, "2026-10-20", DAYS) == "late"


def test_an_immediate_item_is_due_the_day_it_is_accepted():
    app = dataclasses.replace(submitted(), committed_days=0)
    assert step(app, "accept").due == "2026-09-30"
