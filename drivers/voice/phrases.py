"""What the announcer says, as tokens: pure text, no sound.

    请 A 零 一 二 号 到 三 号窗口 办理

The ticket's letters and digits are read one by one (A012 is "A 零 一 二", never "十二"),
the window number as a number ("十二号窗口"). One token list serves both engines: espeak-ng
reads the tokens joined by spaces; the clip engine plays one recorded clip per token.
"""
from __future__ import annotations

import re

DIGITS = "零一二三四五六七八九"
WINDOW_NUMBER = re.compile(r"(\d{1,2})号窗口")
# Every token a call can need besides window names that are not "<n>号窗口".
STANDARD_TOKENS = (["请", "号", "到", "号窗口", "办理", "十"] + list(DIGITS)
                   + [chr(c) for c in range(ord("A"), ord("Z") + 1)])


def number_tokens(n: int) -> list[str]:
    """0..99 read as a Chinese number: 3 三, 10 十, 12 十二, 20 二十, 35 三十五."""
    if not 0 <= n <= 99:
        raise ValueError(f"window number {n} is out of 0..99")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return [DIGITS[ones]]
    out = ([] if tens == 1 else [DIGITS[tens]]) + ["十"]
    return out + ([DIGITS[ones]] if ones else [])


def ticket_tokens(ticket: str) -> list[str]:
    """Each character on its own: letters as letters, digits as 零..九."""
    return [DIGITS[int(c)] if c.isdigit() else c.upper() for c in ticket if c.isalnum()]


def window_tokens(window_name: str) -> list[str]:
    match = WINDOW_NUMBER.fullmatch(window_name)
    if match:
        return number_tokens(int(match.group(1))) + ["号窗口"]
    return [window_name]            # "办不成事反映窗口": said as written


def call_tokens(ticket: str, window_name: str) -> list[str]:
    return ["请", *ticket_tokens(ticket), "号", "到", *window_tokens(window_name), "办理"]


def call_event_tokens(event: dict) -> list[str]:
    """Tokens of an event/call payload (mqtt contract: ticket, window, window_name)."""
    name = event.get("window_name") or f"{event['window']}号窗口"
    return call_tokens(str(event["ticket"]), str(name))
