"""Taking a ticket (取号): one intention of one citizen, from the tap on a category to the
ticket in hand. Exactly one `ticket.issue` transaction per intention: a second tap while
the first is in flight does nothing, and a retry after a timeout repeats the same
transaction, which the server answers with the same ticket (contract: idempotent
transactions). `IssuingFlow` is what it shares with the other ways to a ticket (预约签到).
"""
from __future__ import annotations

import datetime as _dt
import uuid

from hall.config.model import Category
from hall.words import FACE_FALLBACK, NO_WAIT, wait_words

from . import idcard
from .hall_view import Tile

CATEGORY, IDENTITY, FACE, PRIORITY, ISSUING, DONE, FAILED = (
    "category", "identity", "face", "priority", "issuing", "done", "failed")

PRIORITY_NAMES = {"normal": "普通", "elderly": "老年人优先", "disabled": "残疾人优先",
                  "green": "绿色通道", "appointment": "预约优先"}

ERRORS = {
    "closed": "这项业务现在暂停取号",
    "quota_exceeded": "这项业务今天的号已经取完了",
    "unknown_category": "这项业务暂时不能取号，请到咨询台",
    "timeout": "排队系统没有及时回应，请再按一次“重试”",
    "offline": "网络连接中断，没有取到号，请稍后再试",
}
DEFAULT_ERROR = "没有取到号，请到咨询台请工作人员帮助"


def error_text(code: str, category: Category | None) -> str:
    """What went wrong, for the citizen."""
    if code == "limit_per_person" and category is not None:
        return (f"这项业务每人每天只能取{category.per_person_limit}个号，"
                f"您今天已经取过了。如需帮助，请到咨询台")
    return ERRORS.get(code, DEFAULT_ERROR)


class IssuingFlow:
    """What every way to a ticket shares: one transaction per intention, the server's
    answer, the printer's result and the ticket as the screen shows it. A subclass says
    which action it sends (`action`), with which arguments (`_args`), and where it starts.
    """
    action = ""
    first_step = ""
    typed_personal = False         # personal data typed into the flow itself (a phone number)

    def __init__(self, categories: list[Category], elderly_age: int = 65,
                 new_transaction=lambda: uuid.uuid4().hex, today=_dt.date.today):
        self._categories = {c.id: c for c in categories}
        self.elderly_age = elderly_age
        self._new_transaction = new_transaction
        self._today = today
        self.step = self.first_step
        self.category: Category | None = None
        self.identity: dict | None = None   # {"id_number", "name"}: personal, never logged
        self.identity_source = ""           # card | manual
        self.transaction: str | None = None
        self.ticket: dict | None = None
        self.repeat = False                 # the server had issued this ticket before
        self.error_code = ""
        self.printed: bool | None = None    # None: not yet known
        self.print_problem = ""
        self.face_check: dict | None = None  # 人证核验 result (never an image)

    def _accept_identity(self, id_number: str, name: str, source: str) -> str:
        """Check a read or typed ID number; keep it when valid. Its problem, "" if none."""
        problem = idcard.problem(id_number, self._today())
        if problem:
            return problem
        self.identity = {"id_number": id_number}
        if name:
            self.identity["name"] = name
        self.identity_source = source
        return ""

    # -- the request ----------------------------------------------------------------------
    @property
    def asking(self) -> bool:
        """The server is (to be) asked: the session sends the request of this step."""
        return self.step == ISSUING

    def request(self) -> dict | None:
        """Arguments of the action, once: None when already asked (a double tap)."""
        if self.step != ISSUING or self.transaction is not None:
            return None
        self.transaction = self._new_transaction()
        return self._args()

    def retry(self) -> dict | None:
        """After a timeout: the same transaction again, so no second ticket can come of it."""
        if not self.can_retry:
            return None
        self.step = ISSUING
        self.error_code = ""
        return self._args()

    def _args(self) -> dict:  # pragma: no cover - every flow overrides it
        raise NotImplementedError

    def back(self) -> str:
        """上一步 within the flow (flows with more than one choice override it)."""
        return self.step

    @property
    def can_go_back(self) -> bool:
        """Not while the server is asked: the answer would belong to nobody."""
        return self.step != ISSUING

    def on_response(self, data: dict | None, error_code: str = "", message: str = "") -> str:
        """The server's answer (from the network thread, handed to this thread). `message`,
        the server's own words about an error, is for flows that show it."""
        if self.step != ISSUING:
            return self.step
        ticket = (data or {}).get("ticket") if not error_code else None
        if ticket and ticket.get("number"):
            self.ticket = ticket
            self.repeat = bool((data or {}).get("checked_in_before"))
            self.category = self._categories.get(ticket.get("category")) or self.category
            self.step = DONE
        else:
            self.error_code = error_code or "internal"
            self.step = FAILED
        return self.step

    @property
    def should_print(self) -> bool:
        """A new ticket goes to the printer; one the server had issued before does not."""
        return self.step == DONE and not self.repeat

    def on_printed(self, ok: bool, problem: str = "") -> None:
        self.printed = ok
        self.print_problem = "" if ok else (problem or "打印机故障")

    # -- what the screens show ------------------------------------------------------------
    @property
    def can_retry(self) -> bool:
        return self.step == FAILED and self.error_code in ("timeout", "offline")

    @property
    def error_message(self) -> str:
        return error_text(self.error_code, self.category) if self.step == FAILED else ""

    @property
    def spoken(self) -> str:
        """What the voice says once the answer is in (elderly mode)."""
        t = self.ticket or {}
        return f"您的号码是{t.get('number', '')}，前面还有{t.get('waiting_ahead', 0)}人，请留意叫号"

    @property
    def repeat_line(self) -> str:
        """What the ticket screen says about a ticket issued before ("" otherwise)."""
        return "您已经签到过了，这是您的号码（不再重复打印）" if self.repeat else ""

    def masked_identity(self) -> tuple[str, str]:
        """(王*明, **************123X) for the screen; never the full number."""
        if not self.identity:
            return "", ""
        return (idcard.mask_name(self.identity.get("name", "")),
                idcard.mask_id(self.identity["id_number"]))

    def ticket_lines(self) -> dict:
        """The ticket as the result screen prints it on glass."""
        t = self.ticket or {}
        name = t.get("name_masked") or ""
        priority = t.get("priority", "normal")
        wait = wait_words(int(t.get("waiting_ahead", 0)), t.get("estimated_wait_s"),
                          t.get("estimated_wait_range_s"))
        return {
            "number": t.get("number", ""),
            "category": self.category.name if self.category else "",
            "ahead": f"前面还有{int(t.get('waiting_ahead', 0))}人",
            "wait": f"预计等候{wait}" if wait and wait != NO_WAIT else wait,
            "priority": PRIORITY_NAMES.get(priority, "") if priority != "normal" else "",
            "holder": f"{name} 身份证尾号{t['id_last4']}" if t.get("id_last4") else name,
            "url": t.get("url") or "",
            "face": FACE_FALLBACK if (self.face_check or {}).get("result") == "fail" else "",
        }

    def clear(self) -> None:
        """Forget everything about this citizen (back to the home screen)."""
        IssuingFlow.__init__(self, list(self._categories.values()), self.elderly_age,
                             self._new_transaction, self._today)


class TicketFlow(IssuingFlow):
    action = "ticket.issue"
    first_step = CATEGORY

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.priority = "normal"

    def clear(self) -> None:
        super().clear()
        self.priority = "normal"

    # -- choices --------------------------------------------------------------------------
    def choose(self, tile: Tile) -> str:
        """The citizen tapped a category tile."""
        if self.step != CATEGORY or not tile.can_take:
            return self.step
        category = self._categories.get(tile.category)
        if category is None:
            return self.step
        self.category = category
        self.step = IDENTITY if self.needs_identity else self._after_identity()
        return self.step

    @property
    def needs_face(self) -> bool:
        """人证核验 before the ticket: the category asks for it (the guide adds its item's)."""
        return bool(self.category and self.category.face_verify)

    @property
    def needs_identity(self) -> bool:
        """The ID card first: a real-name category, or a face to compare with its photo."""
        return bool(self.category and self.category.real_name) or self.needs_face

    def identify(self, id_number: str, name: str = "", source: str = "card") -> str:
        """An ID card was read, or a number typed; the problem in Chinese, "" when accepted."""
        if self.step != IDENTITY:
            return ""
        problem = self._accept_identity(id_number, name, source)
        if not problem:
            self.step = FACE if self.needs_face else self._after_identity()
        return problem

    def face_checked(self, result: dict) -> str:
        """The face check's result (passed, or failed after its tries): on to the ticket,
        which carries the result; a failure sends the citizen to staff at the window."""
        if self.step == FACE:
            self.face_check = dict(result)
            self.step = self._after_identity()
        return self.step

    def choose_priority(self, priority: str) -> str:
        if self.step == PRIORITY and priority in ("normal", "elderly", "disabled"):
            self.priority = priority
            self.step = ISSUING
        return self.step

    def back(self) -> str:
        """上一步 from a choice: the step before it, forgetting what was chosen there."""
        if self.step in (PRIORITY, FACE) and self.needs_identity:
            self.identity, self.identity_source, self.face_check = None, "", None
            self.step = IDENTITY
        elif self.step in (IDENTITY, PRIORITY):
            self.category, self.identity, self.identity_source = None, None, ""
            self.step = CATEGORY
        return self.step

    def _after_identity(self) -> str:
        if self.auto_elderly:
            self.priority = "elderly"
            return ISSUING
        return PRIORITY if self.category.priority_allowed else ISSUING

    @property
    def auto_elderly(self) -> bool:
        """An ID holder of the configured age gets an elderly ticket without being asked."""
        if not (self.identity and self.category and self.category.priority_allowed):
            return False
        years = idcard.age(self.identity["id_number"], self._today())
        return years is not None and years >= self.elderly_age

    def _args(self) -> dict:
        args = {"category": self.category.id, "priority": self.priority}
        if self.identity:
            args["identity"] = dict(self.identity)
        if self.face_check:
            args["face_check"] = dict(self.face_check)
        return args
