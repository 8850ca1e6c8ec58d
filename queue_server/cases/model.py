"""A case (工单) and its state machine, pure: no I/O, no clock, no calendar of its own.

One model for both kinds: a bad rating (kind "rating", levels 1-2) and a 办不成事 / 有诉即办
complaint (kind "complaint").

    open -> verified -> rectified -> revisited (回访 done) -> closed
    open | verified -> unfounded (judged so, with a reason) -> dismissed (a manager confirms)
                                                            -> verified  (a manager does not)

Who acts: "lead" (the department lead the case is assigned to), "manager" (a manager account
in the console), "window" (any other clerk at a window: notes and the 回访 of a complaint taken
at the 办不成事 window). Each step names the roles that may take it and the states it starts
from; anything else is refused with the contract's error codes (engine/errors.py).

The deadline counts working days after the day the case is opened (hall.workdays), `days`
per kind in the hall config. It runs until the case is rectified (for a complaint: answered);
a case rectified after its day is late. `days` is any calendar with add_working_days and
working_days_between.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from hall.words import CASE_ACTION as ACTION_WORDS
from hall.words import CASE_STATE as STATE_WORDS
from hall.words import REVISIT_HOW as REVISIT_WORDS

from ..engine.errors import EngineError

KINDS = ("rating", "complaint")
STATES = ("open", "verified", "rectified", "revisited", "closed", "unfounded", "dismissed",
          "withdrawn")
RUNNING = ("open", "verified")              # the deadline's clock runs
FINAL = ("closed", "dismissed", "withdrawn")
ROLES = ("lead", "manager", "window")
# "system": the rating a case follows was changed (within hall.ratings.change_minutes) and
# the case follows it. actor_role never answers "system": no person can take these steps.
REVISIT_HOW = tuple(REVISIT_WORDS)      # phone, sms, visit, in_person
MAX_TEXT = 500


@dataclass(frozen=True)
class Step:
    sources: tuple[str, ...]
    roles: tuple[str, ...]
    target: str | None               # None: the state stays (a note, a new lead)


LIVE = tuple(s for s in STATES if s not in FINAL)
TRANSITIONS = {
    "verify": Step(("open",), ("lead", "manager"), "verified"),
    "rectify": Step(("verified",), ("lead", "manager"), "rectified"),
    "revisit": Step(("rectified",), ("lead", "manager", "window"), "revisited"),
    "close": Step(("revisited",), ("manager",), "closed"),
    "unfounded": Step(("open", "verified"), ("lead", "manager"), "unfounded"),
    "confirm": Step(("unfounded",), ("manager",), "dismissed"),
    "reopen": Step(("unfounded",), ("manager",), "verified"),
    "assign": Step(("open", "verified"), ("manager",), None),
    "note": Step(LIVE, ROLES, None),
    "withdraw": Step(("open",), ("system",), "withdrawn"),     # changed to good, nobody at work
    "reinstate": Step(("withdrawn",), ("system",), "open"),   # and back to bad
    "rerate": Step(LIVE, ("system",), None),                  # a new level or reasons, noted
}


@dataclass(frozen=True)
class Case:
    number: str                      # readable: HALL-CYYYYMMDD-NNNN
    token: str                       # unguessable name of the citizen's page
    kind: str                        # rating | complaint
    state: str
    opened_on: str                   # ISO day
    due: str                         # ISO day it must be rectified (answered) by
    department: str = ""             # the item's domain, else the window's
    lead: str | None = None          # staff account answering for it
    named: bool = False              # the citizen gave a name (实名): counts in 按期整改率
    item: str | None = None          # catalogue item code
    window: str | None = None
    staff: str | None = None         # the staff member rated or complained about
    ticket: str | None = None
    evaluation: int | None = None    # the bad rating's row
    level: int | None = None         # its level (1-5: it follows a changed rating)
    reasons: tuple = ()              # its reasons (a JSON list once stored)
    channel: str = "window"          # rating: the evaluation's; complaint: window | kiosk | mobile
    tried: str = ""                  # a complaint: what the citizen tried to do
    summary: str = ""                # a complaint: what went wrong (the citizen's words)
    answer: str = ""                 # the rectification (整改措施) or the complaint's answer
    rectified_on: str | None = None
    revisit: dict | None = None      # 回访: how, at (ISO time), said, satisfied
    revisited_on: str | None = None
    reason: str = ""                 # why judged unfounded
    closed_on: str | None = None


def new_case(number: str, token: str, kind: str, today: str, days, limit: int, **fields) -> Case:
    if kind not in KINDS:
        raise EngineError("bad_request", "没有这类工单")
    due = days.add_working_days(dt.date.fromisoformat(today), limit).isoformat()
    return Case(number, token, kind, "open", today, due, **fields)


def actor_role(account_role: str, staff: str | None, case: Case) -> str:
    """The role in this case of whoever acts: the bus and the console both ask here.
    A window account is the case's lead only when it is the account the case is assigned to."""
    if account_role == "manager":
        return "manager"
    if account_role == "window" and staff is not None:
        return "lead" if staff == case.lead else "window"
    raise EngineError("forbidden")


def transition(case: Case, action: str, role: str, today: str, *, text: object = None,
               revisit: object = None, lead: object = None, rating: tuple | None = None) -> Case:
    """The case after `action` by `role` on `today`, or EngineError."""
    step = TRANSITIONS.get(action)
    if step is None:
        raise EngineError("bad_request", "没有这个工单操作")
    if role not in step.roles:
        raise EngineError("forbidden", f"您不能{ACTION_WORDS[action]}这个工单")
    if case.state not in step.sources:
        raise EngineError("conflict", f"工单当前为“{STATE_WORDS[case.state]}”，不能{ACTION_WORDS[action]}")
    changed = _STEPS[action](case, today, text=text, revisit=revisit, lead=lead, rating=rating)
    return replace(changed, state=step.target or case.state)


def clean_text(value: object, what: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or len(value) > limit or required and not value.strip():
        raise EngineError("bad_request", f"请填写{what}（不超过{limit}字）")
    return value.strip()


def _verify(case, today, **_):
    return case


def _rectify(case, today, *, text, **_):
    what = "答复内容" if case.kind == "complaint" else "整改措施"
    return replace(case, answer=clean_text(text, what), rectified_on=today)


def _revisit(case, today, *, revisit, **_):
    if not isinstance(revisit, dict) or revisit.get("how") not in REVISIT_HOW \
            or not isinstance(revisit.get("satisfied"), bool):
        raise EngineError("bad_request", "请填写回访方式、时间、群众意见和是否满意")
    at = revisit.get("at")
    try:
        when = dt.datetime.fromisoformat(at) if isinstance(at, str) and len(at) <= 32 else None
    except ValueError:
        when = None
    if when is None or when.date().isoformat() > today or when.date().isoformat() < case.opened_on:
        raise EngineError("bad_request", "回访时间应在工单开出之后、不晚于今天")
    record = {"how": revisit["how"], "at": when.isoformat(timespec="minutes"),
              "said": clean_text(revisit.get("said"), "群众意见"), "satisfied": revisit["satisfied"]}
    return replace(case, revisit=record, revisited_on=today)


def _close(case, today, **_):
    return replace(case, closed_on=today)


def _unfounded(case, today, *, text, **_):
    return replace(case, reason=clean_text(text, "不属实的理由"))


def _confirm(case, today, **_):
    return replace(case, closed_on=today)


def _reopen(case, today, **_):
    return replace(case, reason="")


def _assign(case, today, *, lead, **_):
    if not isinstance(lead, str) or not 0 < len(lead) <= 32:
        raise EngineError("bad_request", "请选择负责人")
    return replace(case, lead=lead)


def _note(case, today, **_):
    return case


def _rerate(case, today, *, rating, **_):
    """The rating's new (level, reasons); a reinstated case is open again with its first day
    to answer by."""
    level, reasons = rating
    return replace(case, level=level, reasons=tuple(reasons), closed_on=None)


def _withdraw(case, today, *, rating, **_):
    return replace(_rerate(case, today, rating=rating), closed_on=today)


_STEPS = {"verify": _verify, "rectify": _rectify, "revisit": _revisit, "close": _close,
          "unfounded": _unfounded, "confirm": _confirm, "reopen": _reopen, "assign": _assign,
          "note": _note, "withdraw": _withdraw, "reinstate": _rerate, "rerate": _rerate}


def deadline_status(case: Case, today: str, days, warn_days: int = 1) -> str | None:
    """ok, soon (within warn_days working days), due (today), overdue while the clock runs;
    on_time or late once rectified; None for a case judged unfounded."""
    if case.rectified_on is not None:
        return "late" if case.rectified_on > case.due else "on_time"
    if case.state not in RUNNING:
        return None
    if today > case.due:
        return "overdue"
    if today == case.due:
        return "due"
    left = days.working_days_between(dt.date.fromisoformat(today), dt.date.fromisoformat(case.due))
    return "soon" if left <= warn_days else "ok"
