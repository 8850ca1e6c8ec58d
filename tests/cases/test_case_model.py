"""The case state machine (queue_server/cases/model.py): every step from every state by every
role, allowed or refused with the contract's codes; deadlines in working days across the 2026
National Day holiday; the 回访 record's checks."""
from dataclasses import replace

import pytest

from hall.workdays import WorkingDays
from queue_server.cases.model import (ROLES, STATES, TRANSITIONS, Case, actor_role, deadline_status,
                                      new_case, transition)
from queue_server.engine import EngineError

DAYS = WorkingDays()
OPENED = "2026-09-30"             # the Wednesday before the National Day holiday (Oct 1-7)
REVISIT = {"how": "phone", "at": "2026-10-09T10:30", "said": "问题已解决，满意", "satisfied": True}
ARGS = {"text": "窗口人员已道歉并改进", "revisit": REVISIT, "lead": "1002"}
TODAY = "2026-10-09"


def case(state="open", **fields) -> Case:
    return replace(new_case("Q-C20260930-0001", "tok", "rating", OPENED, DAYS, 5, lead="1001"),
                   state=state, **fields)


@pytest.mark.parametrize("action", list(TRANSITIONS))
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_every_step_from_every_state_by_every_role(action, state, role):
    step = TRANSITIONS[action]
    if role in step.roles and state in step.sources:
        after = transition(case(state), action, role, TODAY, **ARGS)
        assert after.state == (step.target or state)
        return
    with pytest.raises(EngineError) as refused:
        transition(case(state), action, role, TODAY, **ARGS)
    assert refused.value.code == ("forbidden" if role not in step.roles else "conflict")


def test_the_whole_way_and_what_each_step_keeps():
    c = case()
    c = transition(c, "verify", "lead", "2026-10-08")
    c = transition(c, "rectify", "lead", "2026-10-09", text="  已对窗口人员批评教育  ")
    assert (c.state, c.answer, c.rectified_on) == ("rectified", "已对窗口人员批评教育", "2026-10-09")
    c = transition(c, "revisit", "window", "2026-10-09", revisit=REVISIT)
    assert c.revisit == REVISIT and c.revisited_on == "2026-10-09"
    c = transition(c, "close", "manager", "2026-10-12")
    assert (c.state, c.closed_on) == ("closed", "2026-10-12")


def test_unfounded_needs_a_reason_and_a_manager_to_confirm_or_send_it_back():
    with pytest.raises(EngineError) as no_reason:
        transition(case(), "unfounded", "lead", TODAY, text="  ")
    assert no_reason.value.code == "bad_request"
    judged = transition(case(), "unfounded", "lead", TODAY, text="监控显示当时已按规定办理")
    assert judged.state == "unfounded" and judged.reason == "监控显示当时已按规定办理"
    with pytest.raises(EngineError) as lead_confirms:
        transition(judged, "confirm", "lead", TODAY)
    assert lead_confirms.value.code == "forbidden"
    assert transition(judged, "confirm", "manager", TODAY).state == "dismissed"
    back = transition(judged, "reopen", "manager", TODAY)
    assert back.state == "verified" and back.reason == ""


@pytest.mark.parametrize("revisit", [
    None, {}, {**REVISIT, "how": "pigeon"}, {**REVISIT, "satisfied": "yes"},
    {**REVISIT, "said": ""}, {**REVISIT, "said": "好" * 501}, {**REVISIT, "at": "yesterday"},
    {**REVISIT, "at": "2026-10-10T09:00"},            # after today
    {**REVISIT, "at": "2026-09-29T09:00"},            # before the case was opened
    {**REVISIT, "at": ["2026-10-09"]}])
def test_a_revisit_record_says_how_when_what_and_whether_satisfied(revisit):
    with pytest.raises(EngineError) as refused:
        transition(case("rectified"), "revisit", "lead", TODAY, revisit=revisit)
    assert refused.value.code == "bad_request"


def test_the_deadline_runs_in_working_days_across_national_day_2026():
    # Oct 1-7 are holidays, Oct 10 (a Saturday) a make-up working day: 5 working days after
    # Sep 30 are Oct 8, 9, 10, 12, 13.
    c = case()
    assert c.due == "2026-10-13"
    assert deadline_status(c, "2026-10-05", DAYS, warn_days=1) == "ok"
    assert deadline_status(c, "2026-10-12", DAYS, warn_days=1) == "soon"
    assert deadline_status(c, "2026-10-13", DAYS) == "due"
    assert deadline_status(c, "2026-10-14", DAYS) == "overdue"
    done = transition(case("verified"), "rectify", "lead", "2026-10-13", text="已整改")
    assert deadline_status(done, "2026-10-20", DAYS) == "on_time"
    late = transition(case("verified"), "rectify", "lead", "2026-10-14", text="已整改")
    assert deadline_status(late, "2026-10-14", DAYS) == "late"
    assert deadline_status(case("unfounded"), "2026-10-20", DAYS) is None
    complaint = new_case("Q-C20261001-0001", "t", "complaint", "2026-10-01", DAYS, 3)
    assert complaint.due == "2026-10-10"          # filed on a holiday: Oct 8, 9, 10 (Saturday)


def test_who_is_the_lead_is_decided_by_the_account_not_by_what_it_claims():
    c = case()
    assert actor_role("window", "1001", c) == "lead"
    assert actor_role("window", "2002", c) == "window"
    assert actor_role("manager", "boss", c) == "manager"
    for role, staff in (("window", None), ("kiosk", "1001"), ("lead", "1001"), ("public", None)):
        with pytest.raises(EngineError) as refused:
            actor_role(role, staff, c)
        assert refused.value.code == "forbidden"


def test_a_kind_that_is_not_one_is_refused():
    with pytest.raises(EngineError):
        new_case("n", "t", "praise", OPENED, DAYS, 5)
