"""How a written sentence is read aloud, as tokens: pure text, no sound.

    请A012号到3号窗口办理  ->  请 A 零 一 二 号 到 三 号窗口 办理

The sentence comes finished (the server words a call: event/call `text`, hall/words.py; the
kiosk its guidance); this module only says how to read it. A ticket's letters and digits are
read one by one (A012 is "A 零 一 二", never "十二"), the window number as a number
("十二号窗口"). One token list serves both engines: espeak-ng reads them as pinyin
(drivers/voice/mandarin.py); the clip engine plays one clip per token.
"""
from __future__ import annotations

import re

DIGITS = "零一二三四五六七八九"
WINDOW_NUMBER = re.compile(r"(\d{1,2})号窗口")
# A window number, a ticket number (letters, then digits), a count, or anything else.
_SENTENCE_PIECE = re.compile(r"(\d{1,2})号窗口|[A-Za-z]+\d*|\d+|[^A-Za-z0-9]+")
# The words of a call, cut out of the text around them so that each is one clip.
_CALL_WORDS = re.compile("(请|号|到|办理)")
# Every token a call can need besides window names that are not "<n>号窗口".
STANDARD_TOKENS = (["请", "号", "到", "号窗口", "办理", "十"] + list(DIGITS)
                   + [chr(c) for c in range(ord("A"), ord("Z") + 1)])


def number_tokens(n: int) -> list[str]:
    """0..9999 read as a Chinese number: 3 三, 10 十, 12 十二, 20 二十, 105 一百零五, 2000 两千."""
    if not 0 <= n <= 9999:
        raise ValueError(f"number {n} is out of 0..9999")
    if n < 100:
        tens, ones = divmod(n, 10)
        if tens == 0:
            return [DIGITS[ones]]
        out = ([] if tens == 1 else [DIGITS[tens]]) + ["十"]
        return out + ([DIGITS[ones]] if ones else [])
    out: list[str] = []
    zero = False                     # a skipped place, said once before the next digit
    for unit, size in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        digit, n = divmod(n, size)
        if digit:
            out += (["零"] if zero else []) + ["两" if digit == 2 and size >= 100 else DIGITS[digit]]
            out += [unit] if unit else []
            zero = False
        elif out:
            zero = True
    return out


def ticket_tokens(ticket: str) -> list[str]:
    """Each character on its own: letters as letters, digits as 零..九."""
    return [DIGITS[int(c)] if c.isdigit() else c.upper() for c in ticket if c.isalnum()]


def window_tokens(window_name: str) -> list[str]:
    match = WINDOW_NUMBER.fullmatch(window_name)
    if match:
        return number_tokens(int(match.group(1))) + ["号窗口"]
    return [window_name]            # "办不成事反映窗口": said as written


def sentence_tokens(text: str) -> list[str]:
    """A written sentence as tokens: "3号窗口" as a window number, a ticket number character by
    character (A012 -> A 零 一 二), a count as a number (前面还有12人 -> 十 二), the rest as
    written. Digits with a leading zero or past 9999 are read one by one."""
    tokens: list[str] = []
    for piece in _SENTENCE_PIECE.finditer(text):
        word = piece.group(0)
        if piece.group(1):
            tokens += window_tokens(word)
        elif word.isascii() and word.isdigit() and (word == "0" or word[0] != "0") \
                and len(word) <= 4:
            tokens += number_tokens(int(word))
        elif word.isascii() and word.isalnum():
            tokens += ticket_tokens(word)
        else:
            tokens += [w for w in _CALL_WORDS.split(word) if w]
    return tokens
