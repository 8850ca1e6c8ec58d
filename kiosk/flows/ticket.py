"""Taking a ticket (取号): one intention of one citizen, from the tap on a category to the
ticket in hand. Exactly one `ticket.issue` transaction per intention: a second tap while the
first is in flight does nothing, and a retry after a timeout repeats the same transaction,
which the server answers with the same ticket (contract: idempotent transactions).
"""
from __future__ import annotations

import datetime as _dt
import uuid

from queue_server.config.model import Category

from . import idcard
from .hall_view import Tile, wait_text

CATEGORY, IDENTITY, PRIORITY, ISSUING, DONE, FAILED = (
    "category", "identity", "priority", "issuing", "done", "failed")

PRIORITY_NAMES = {"normal": "普通", "elderly": "老年人优先", "disabled": "残疾人优先",
                  "green": "绿色通道", "appointment": "预约"}

ERRORS = {
    "closed": "这项业务现在暂停取号",
    "quota_exceeded": "这项业务今天的号已经取完了",
    "unknown_category": "这项业务暂时不能取号，请到咨询台",
    "timeout": "排队系统没有及时回应，请再按一次“重试”",
    "offline": "网络连接中断，没有取到号，请稍后再试",
}
DEFAULT_ERROR = "没有取到号，请到咨询台请工作人员帮助"


def error_text(code: str, category: Category | None) -> str:
    if code == "limit_per_person" and category is not None:
        return (f"这项业务每人每天只能取{category.per_person_limit}个号，"
                f"您今天已经取过了。如需帮助，请到咨询台")
    return ERRORS.get(code, DEFAULT_ERROR)


class TicketFlow:
    def __init__(self, categories: list[Category], elderly_age: int = 65,
                 new_transaction=lambda: uuid.uuid4().hex, today=_dt.date.today):
        self._categories = {c.id: c for c in categories}
        self.elderly_age = elderly_age
        self._new_transaction = new_transaction
        self._today = today
        self.step = CATEGORY
        self.category: Category | None = None
        self.identity: dict | None = None   # {"id_number", "name"}: personal, never logged
        self.identity_source = ""           # card | manual
        self.priority = "normal"
        self.transaction: str | None = None
        self.ticket: dict | None = None
        self.error_code = ""
        self.printed: bool | None = None    # None: not yet known
        self.print_problem = ""

    # -- choices --------------------------------------------------------------------------
    def choose(self, tile: Tile) -> str:
        """The citizen tapped a category tile."""
        if self.step != CATEGORY or not tile.can_take:
            return self.step
        category = self._categories.get(tile.category)
        if category is None:
            return self.step
        self.category = category
        self.step = IDENTITY if category.real_name else self._after_identity()
        return self.step

    def identify(self, id_number: str, name: str = "", source: str = "card") -> str:
        """An ID card was read, or a number typed; the problem in Chinese, "" when accepted."""
        if self.step != IDENTITY:
            return ""
        problem = idcard.problem(id_number, self._today())
        if problem:
            return problem
        self.identity = {"id_number": id_number}
        if name:
            self.identity["name"] = name
        self.identity_source = source
        self.step = self._after_identity()
        return ""

    def choose_priority(self, priority: str) -> str:
        if self.step == PRIORITY and priority in ("normal", "elderly", "disabled"):
            self.priority = priority
            self.step = ISSUING
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

    # -- the request ----------------------------------------------------------------------
    def request(self) -> dict | None:
        """Arguments of `ticket.issue`, once: None when already asked (a double tap)."""
        if self.step != ISSUING or self.transaction is not None:
            return None
        self.transaction = self._new_transaction()
        return self._args()

    def retry(self) -> dict | None:
        """After a timeout: the same transaction again, so no second ticket can come of it."""
        if self.step != FAILED or self.error_code not in ("timeout", "offline"):
            return None
        self.step = ISSUING
        self.error_code = ""
        return self._args()

    def _args(self) -> dict:
        args = {"category": self.category.id, "priority": self.priority}
        if self.identity:
            args["identity"] = dict(self.identity)
        return args

    def on_response(self, data: dict | None, error_code: str = "") -> str:
        """The server's answer (from the network thread, handed to this thread)."""
        if self.step != ISSUING:
            return self.step
        ticket = (data or {}).get("ticket") if not error_code else None
        if ticket and ticket.get("number"):
            self.ticket = ticket
            self.step = DONE
        else:
            self.error_code = error_code or "internal"
            self.step = FAILED
        return self.step

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

    def masked_identity(self) -> tuple[str, str]:
        """(王*明, **************123X) for the screen; never the full number."""
        if not self.identity:
            return "", ""
        return (idcard.mask_name(self.identity.get("name", "")),
                idcard.mask_id(self.identity["id_number"]))

    def ticket_lines(self) -> dict:
        """The ticket as the result screen prints it on glass."""
        t = self.ticket or {}
        name = t.get("name") or t.get("name_masked") or ""
        return {
            "number": t.get("number", ""),
            "category": self.category.name if self.category else "",
            "ahead": f"前面还有{int(t.get('waiting_ahead', 0))}人",
            "wait": wait_text(t.get("estimated_wait_s")),
            "priority": PRIORITY_NAMES.get(t.get("priority", "normal"), "")
            if t.get("priority", "normal") != "normal" else "",
            "holder": f"{name} 身份证尾号{t['id_last4']}" if t.get("id_last4") else name,
            "url": t.get("url") or "",
        }

    def clear(self) -> None:
        """Forget everything about this citizen (back to the home screen)."""
        self.__init__(list(self._categories.values()), self.elderly_age,
                      self._new_transaction, self._today)
