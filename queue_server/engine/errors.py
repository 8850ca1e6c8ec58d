"""The one error type of the queue engine, with the codes of the bus contract."""
from __future__ import annotations

CODES = (
    "bad_request", "forbidden", "unknown_category", "unknown_ticket", "closed",
    "quota_exceeded", "limit_per_person", "no_ticket_waiting", "not_logged_in",
    "conflict", "internal", "wrong_day", "unknown_upload", "rate_limited",
)

# What a citizen or hall worker reads when no more specific message is given.
DEFAULT_MESSAGES = {
    "bad_request": "请求有误",
    "forbidden": "无权进行此操作",
    "unknown_category": "没有这个业务类别",
    "unknown_ticket": "没有找到这个号",
    "closed": "现在不在取号时间",
    "quota_exceeded": "今天的号已经取完了",
    "limit_per_person": "您今天取号已达上限",
    "no_ticket_waiting": "目前没有等候的号",
    "not_logged_in": "窗口还没有登录",
    "conflict": "当前状态不能进行此操作",
    "internal": "系统出错，请稍后再试",
    "wrong_day": "预约的不是今天",
    "unknown_upload": "照片没有传完，请重新提交",
    "rate_limited": "查询过于频繁，请稍后再试",
}


# Why the hall is closed today, by what the calendar says the day is (Hours.opens_on).
CLOSED_DAY_MESSAGES = {
    "holiday": "今天是法定节假日，大厅不开放",
    "closure": "今天大厅休息，不开放",
}


class EngineError(Exception):
    """A refused request: `code` for programs, `message` (Chinese) for people."""

    def __init__(self, code: str, message: str | None = None):
        if code not in CODES:
            raise ValueError(f"unknown error code {code!r}")
        self.code = code
        self.message = message or DEFAULT_MESSAGES[code]
        super().__init__(f"{code}: {self.message}")

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message}
