"""A wait as people read it, on the kiosk's tiles and tickets and on the mobile ticket page:
无需等待, 约5分钟, 约1小时20分, and a range where the estimate is unsure: 约15-25分钟.

One source for these words (the server's estimate: docs/queue.md, "Wait estimates").
"""
from __future__ import annotations

import math

NO_WAIT = "无需等待"


def wait_text(seconds: float | None) -> str:
    """无需等待, 约5分钟, 约1小时20分."""
    if seconds is None:
        return ""
    minutes = int(round(seconds / 60))
    if minutes < 1:
        return NO_WAIT
    return "约" + _minutes(minutes)


def range_text(low_s: float, high_s: float) -> str:
    """约15-25分钟 (ends on whole 5 minutes, the low end at least 1 minute), 约50分钟-1小时15分."""
    low = max(1, int(low_s // 300) * 5)
    high = max(low + 5, int(math.ceil(high_s / 300)) * 5)
    if high < 60:
        return f"约{low}-{high}分钟"
    return f"约{_minutes(low)}-{_minutes(high)}"


def wait_words(waiting: int | None, seconds: float | None, range_s=None) -> str:
    """The wait of a queue or a ticket: 无需等待 when nobody is ahead (whatever the estimate),
    else at least 约1分钟 (never "2人 无需等待"); the range when the server gives one."""
    if not waiting:
        return NO_WAIT
    if range_s:
        return range_text(*range_s)
    return wait_text(None if seconds is None else max(seconds, 60))


def _minutes(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes}分钟"
    hours, rest = divmod(minutes, 60)
    return f"{hours}小时{rest}分" if rest else f"{hours}小时"
