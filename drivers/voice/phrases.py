"""How the announcer reads a finished sentence, as tokens: pure text, no sound.

    请A012号到3号窗口办理  ->  请 A 零 一 二 号 到 三 号窗口 办理

The sentence comes written (the server words it: event/call `text`); this module only says
how to read it. Letters and digits are read one by one (A012 is "A 零 一 二", never "十二"),
a window number as a number ("十二号窗口"); other words are said as written. One token list
serves both engines: espeak-ng reads the tokens joined by spaces; the clip engine plays one
recorded clip per token.
"""
from __future__ import annotations

import re

DIGITS = "零一二三四五六七八九"
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


# A window number, one letter or digit, or a word of the call; anything else is said as written.
_SPOKEN = re.compile(r"(?<![0-9])(?P<window>\d{1,2})号窗口|(?P<char>[A-Za-z0-9])|(?P<word>请|号|到|办理)")


def speech_tokens(text: str) -> list[str]:
    """The tokens of a sentence, e.g. the text of an event/call."""
    tokens: list[str] = []
    done = 0
    for match in _SPOKEN.finditer(text):
        if match.start() > done:
            tokens.append(text[done:match.start()])
        if match["window"]:
            tokens += number_tokens(int(match["window"])) + ["号窗口"]
        elif match["char"]:
            c = match["char"]
            tokens.append(DIGITS[int(c)] if c.isdigit() else c.upper())
        else:
            tokens.append(match["word"])
        done = match.end()
    return tokens + ([text[done:]] if done < len(text) else [])
