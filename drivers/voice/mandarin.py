"""Tokens (drivers/voice/phrases.py) as tone-numbered pinyin: what espeak-ng reads as Mandarin.

espeak-ng's voice `cmn` (1.51, Debian 12) reads most characters as English spellings of
pinyin ("ni three hao three"). Its voice `cmn-latn-pinyin` reads pinyin syllables with tone
numbers as Mandarin: `ni3 hao3` -> n'i35 X'Au214 (it also applies the third-tone sandhi).
Tone numbers and tone marks give the same phonemes; numbers are plain ASCII, so we use them.

Characters become pinyin with pypinyin (its phrase dictionary picks the reading of 多音字;
its sandhi turns 一个 into yi2 ge4, while a lone digit 一 of a ticket stays yi1). Neutral
tones carry a 5 (de5): without a number the voice would say a first tone.

Latin letters of ticket numbers are said the way people in Chinese halls say them: the
English letter name, spelled here in pinyin syllables (A ei1 "诶", B bi4, ... W da2 bu5 liu5).
Each spelling is read by the pinyin voice itself, so a letter never switches the voice to
English. A hall that wants another reading records its own clip (engine: clips).

Chinese pauses (，、。) become the voice's clause breaks; anything else that is not Chinese
(stray symbols, Latin words that are not one letter) is left out rather than spelled in English.
"""
from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

VOICE = "cmn-latn-pinyin"

LETTERS = {
    "A": "ei1", "B": "bi4", "C": "xi1", "D": "di4", "E": "yi4", "F": "ai2 fu5", "G": "ji4",
    "H": "ai2 qi1", "I": "ai4", "J": "jie4", "K": "kai4", "L": "ai2 lou5", "M": "ai2 mu5",
    "N": "en1", "O": "ou1", "P": "pi4", "Q": "kiu1", "R": "a1 er5", "S": "ai2 si5", "T": "ti4",
    "U": "you1", "V": "wei1", "W": "da2 bu5 liu5", "X": "ai2 ke4 si5", "Y": "wai4", "Z": "zei4",
}
_SYLLABLE = re.compile(r"[a-z]+[1-5]")
_STOPS = {**dict.fromkeys("，、,：:；;", ","), **dict.fromkeys("。！？.!?", ".")}


def token_pinyin(token: str) -> list[str]:
    """One token as pinyin syllables and pause marks (',' or '.')."""
    if len(token) == 1 and token.upper() in LETTERS:
        return LETTERS[token.upper()].split()
    out: list[str] = []
    for item in lazy_pinyin(token, style=Style.TONE3, neutral_tone_with_five=True,
                            tone_sandhi=True):
        if _SYLLABLE.fullmatch(item):
            out.append(item)
        else:       # not Chinese: keep its pauses only
            out += [_STOPS[c] for c in item if c in _STOPS]
    return out


def to_pinyin(tokens: list[str]) -> str:
    """The tokens as one line for the pinyin voice: 'qing3 ei1 ling2 yi1 er4 hao4 ...'."""
    words: list[str] = []
    for token in tokens:
        for word in token_pinyin(token):
            if word in ",.":
                if words and words[-1][-1] not in ",.":
                    words[-1] += word        # "hao3," : a pause after the syllable
                continue
            words.append(word)
    return " ".join(words)
