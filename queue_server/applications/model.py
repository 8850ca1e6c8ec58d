"""The application (办件) and its state machine, pure: no I/O, no clock, no calendar of its own.

    submitted -> accepted -> (correction <-> resubmitted) -> approved | refused -> ready
              -> collected | posted

A correction (补正) may also be asked before acceptance (the citizen is told everything
missing at once); an application that was never accepted is accepted after its resubmission.
Refusal (不予受理 / 不予许可) takes a reason. Each transition names the roles that may make it
and the states it starts from; anything else is refused with the contract's error codes.

Deadlines count working days after the day of acceptance (hall.workdays), the item's committed
limit (承诺时限; 0 = 即办件, due the day it is accepted). While a correction is awaited after
acceptance the clock stops: the working days from the request up to the resubmission are
added to the limit. `days` is any calendar with add_working_days and working_days_between.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from ..engine.errors import EngineError

STATES = ("submitted", "accepted", "correction", "resubmitted", "approved", "refused", "ready",
          "collected", "posted")
RUNNING = ("accepted", "resubmitted")          # the deadline's clock runs
DECIDED = ("approved", "refused", "ready", "collected", "posted")
CLOSED = ("collected", "posted")

# Material statuses at submission or at the window: brought, 容缺 (owed after acceptance),
# 告知承诺 (a signed promise in its place).
RECEIVED, LATER, PROMISE = "received", "later", "promise"
MATERIAL_STATUSES = (RECEIVED, LATER, PROMISE)


class WrongState(EngineError):
    """A step the application's state does not allow: codes only; the edge says it in words
    (hall.words.application_wrong_state)."""

    def __init__(self, state: str, action: str):
        super().__init__("conflict")
        self.state, self.action = state, action


@dataclass(frozen=True)
class Step:
    sources: tuple[str, ...]
    roles: tuple[str, ...]
    target: str


TRANSITIONS = {
    "accept": Step(("submitted", "resubmitted"), ("window",), "accepted"),
    "correct": Step(("submitted", "accepted", "resubmitted"), ("window",), "correction"),
    "resubmit": Step(("correction",), ("window", "kiosk"), "resubmitted"),
    "approve": Step(("accepted", "resubmitted"), ("window",), "approved"),
    "refuse": Step(("submitted", "accepted", "resubmitted"), ("window",), "refused"),
    "ready": Step(("approved", "refused"), ("window",), "ready"),
    "collect": Step(("ready",), ("window",), "collected"),
    "post": Step(("ready",), ("window",), "posted"),
}
ACTIONS = ("submit", *TRANSITIONS)
SUBMIT_ROLES = ("kiosk", "window")


@dataclass(frozen=True)
class Application:
    number: str                  # readable: HALL-YYYYMMDD-NNNN
    token: str                   # unguessable name of its phone page
    item: str                    # catalogue item code
    state: str
    submitted_on: str            # ISO day
    committed_days: int          # 承诺时限 taken from the item at submission
    materials: dict = field(default_factory=dict)    # name -> received | later | promise
    missing: tuple[str, ...] = ()                    # of the open correction (补正)
    accepted_on: str | None = None
    paused_from: str | None = None                   # a correction after acceptance
    paused_days: int = 0                             # working days spent in corrections
    due: str | None = None                           # ISO day the result is promised for
    decided_on: str | None = None
    closed_on: str | None = None
    reason: str | None = None                        # of a refusal
    channel: str = "window"                          # filed at: kiosk | window
    window: str | None = None                        # the window that last handled it
    ticket: str | None = None                        # the ticket it was filed on
    notice: str | None = None                        # 一次性告知书 number of the last 补正
    collect_ticket: str | None = None                # "<day>/<number>": its 统一出件 ticket


def materials_missing(item, statuses: dict) -> list[str]:
    """What keeps the application from acceptance: the item's materials the citizen has to
    bring that are neither received, nor owed where 容缺 is allowed, nor promised where 告知承诺
    is. A status the item does not allow for that material is bad input, not a missing one."""
    if not isinstance(statuses, dict):
        raise EngineError("bad_request", "材料情况应为对象")
    names = {m.name: m for m in item.materials if m.brought}
    for name, status in statuses.items():
        material = names.get(name)
        if material is None:
            raise EngineError("bad_request", f"“{name}”不是本事项要提交的材料")
        if status not in MATERIAL_STATUSES or status == LATER and not material.later \
                or status == PROMISE and not material.promise:
            raise EngineError("bad_request", f"“{name}”不能{_STATUS_WORDS.get(status, '这样办理')}")
    return [n for n in names if n not in statuses]


_STATUS_WORDS = {LATER: "容缺后补", PROMISE: "以告知承诺代替"}


def new_application(number: str, token: str, item, role: str, today: str, *,
                    materials: dict | None = None, window: str | None = None,
                    ticket: str | None = None) -> Application:
    if role not in SUBMIT_ROLES:
        raise EngineError("forbidden")
    if role == "kiosk" and not item.kiosk:
        raise EngineError("forbidden", "这个事项不能在自助终端申报，请到窗口办理")
    statuses = dict(materials or {})
    materials_missing(item, statuses)             # checks the statuses
    return Application(number, token, item.code, "submitted", today, item.committed_days,
                       statuses, channel=role, window=window, ticket=ticket)


def transition(app: Application, action: str, role: str, item, today: str, days, *,
               materials: dict | None = None, missing: list | None = None,
               reason: str | None = None, window: str | None = None) -> Application:
    """The application after `action` by `role` on `today`, or EngineError."""
    step = TRANSITIONS.get(action)
    if step is None:
        raise EngineError("bad_request", "没有这个办件操作")
    if role not in step.roles:
        raise EngineError("forbidden")
    if app.state not in step.sources:
        raise WrongState(app.state, action)
    changed = _STEPS[action](app, item, today, days, materials=materials, missing=missing,
                             reason=reason)
    return replace(changed, state=step.target, window=window or app.window)


def decided_at_once(app: Application, item, decision: str, reason: str, today: str,
                    days) -> Application:
    """自动核验's decision on a new application (queue_server.applications.checks): accepted
    (its due day set) or refused with the rules' reason; "window" leaves it submitted."""
    if decision == "accept":
        return replace(_accept(app, item, today, days, materials=None), state="accepted")
    if decision == "refuse":
        return replace(_refuse(app, item, today, days, reason=reason), state="refused")
    return app


def _accept(app, item, today, days, *, materials, **_):
    if app.accepted_on is not None:
        raise EngineError("conflict", "已经受理过了")
    statuses = {**app.materials, **(materials or {})}
    left = materials_missing(item, statuses)
    if left:
        raise EngineError("conflict", "材料不齐，不能受理，请出具补正告知：" + "、".join(left))
    due = days.add_working_days(dt.date.fromisoformat(today), app.committed_days).isoformat()
    return replace(app, materials=statuses, accepted_on=today, due=due, missing=())


def _correct(app, item, today, days, *, missing, **_):
    names = [m.name for m in item.materials if m.brought]
    if not isinstance(missing, list) or not missing or len(set(missing)) != len(missing) \
            or any(n not in names for n in missing):
        raise EngineError("bad_request", "请勾选所缺的材料（本事项的材料，每项一次）")
    kept = {n: s for n, s in app.materials.items() if n not in missing}
    paused = today if app.accepted_on is not None else None
    return replace(app, materials=kept, missing=tuple(n for n in names if n in missing),
                   paused_from=paused)


def _resubmit(app, item, today, days, *, materials, **_):
    statuses = {**app.materials, **(materials or {})}
    materials_missing(item, statuses)
    still = [n for n in app.missing if n not in statuses]
    if still:
        raise EngineError("conflict", "补正材料还不齐：" + "、".join(still))
    if app.paused_from is None:
        return replace(app, materials=statuses, missing=())
    paused = app.paused_days + days.working_days_between(
        dt.date.fromisoformat(app.paused_from), dt.date.fromisoformat(today))
    changed = replace(app, materials=statuses, missing=(), paused_from=None, paused_days=paused)
    return replace(changed, due=due_date(changed, days))


def _approve(app, item, today, days, *, materials, **_):
    """The 容缺 materials brought since acceptance come with the decision (materials)."""
    if app.accepted_on is None:
        raise EngineError("conflict", "还没有受理，不能办结")
    statuses = {**app.materials, **(materials or {})}
    materials_missing(item, statuses)
    owed = [n for n, s in statuses.items() if s == LATER]
    if owed:
        raise EngineError("conflict", "容缺的材料还没有补齐：" + "、".join(owed))
    return replace(app, materials=statuses, decided_on=today)


def _refuse(app, item, today, days, *, reason, **_):
    if not isinstance(reason, str) or not reason.strip() or len(reason) > 200:
        raise EngineError("bad_request", "请填写不予办理的理由（不超过200字）")
    return replace(app, decided_on=today, reason=reason.strip(), paused_from=None)


def _ready(app, item, today, days, **_):
    return app


def _collect(app, item, today, days, **_):
    return replace(app, closed_on=today)


def _post(app, item, today, days, **_):
    if "post" not in item.delivery:
        raise EngineError("conflict", "这个事项不提供邮寄送达")
    return replace(app, closed_on=today)


_STEPS = {"accept": _accept, "correct": _correct, "resubmit": _resubmit, "approve": _approve,
          "refuse": _refuse, "ready": _ready, "collect": _collect, "post": _post}

def due_date(app: Application, days) -> str | None:
    """The promised day: the committed working days after acceptance, plus those paused."""
    if app.accepted_on is None:
        return None
    return days.add_working_days(dt.date.fromisoformat(app.accepted_on),
                                 app.committed_days + app.paused_days).isoformat()


def deadline_status(app: Application, today: str, days, warn_days: int = 2) -> str | None:
    """How the deadline stands: None (not running), paused, ok, soon (within warn_days working
    days), due (today), overdue; a decided application is late when decided after its day."""
    if app.due is None:
        return None
    if app.state in DECIDED:
        return "late" if app.decided_on and app.decided_on > app.due else None
    if app.state == "correction":
        return "paused"
    if today > app.due:
        return "overdue"
    if today == app.due:
        return "due"
    left = days.working_days_between(dt.date.fromisoformat(today), dt.date.fromisoformat(app.due))
    return "soon" if left <= warn_days else "ok"
