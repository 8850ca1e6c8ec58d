"""Finding service items at the kiosk: by Chinese words, full pinyin, pinyin initials, domain,
ranked by how often this hall is asked for each item.

    index = SearchIndex(catalog)                 # once per catalogue (pinyin is precomputed)
    index.search("sbk")                          # 社保卡 -> 社会保障卡申领 (alias 社保卡)
    index.search("shebao ka", counts={"SB-001": 120})
    index.search("", domain="医保", counts=...)   # a domain tile: its items, most asked first

Each item is found by its name and its aliases (and each bundle likewise). A query with
Chinese characters matches Chinese text; a query of letters matches the full pinyin (spaces
ignored: "shebaoka", "she bao ka") or the initials ("sbk"). Better matches come first
(the whole name, then a start, then anywhere; the name before an alias), then the items
asked most often, then catalogue order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from pypinyin import Style, lazy_pinyin

from ..config.catalog_model import Bundle, Catalog, Item

CJK = re.compile(r"[\u3400-\u9fff]")
NOT_LETTER = re.compile(r"[^a-z]")


@dataclass(frozen=True)
class Hit:
    entry: Item | Bundle
    matched: str                 # the name or alias that matched ("" for an empty query)

    @property
    def code(self) -> str:
        return self.entry.code

    @property
    def name(self) -> str:
        return self.entry.name


@dataclass(frozen=True)
class _Text:
    """One searchable text of an entry, in its three spellings."""
    hanzi: str                   # 社保卡
    pinyin: str                  # shebaoka
    initials: str                # sbk
    is_name: bool


def _spellings(text: str, is_name: bool) -> _Text:
    syllables = [NOT_LETTER.sub("", s.lower()) for s in lazy_pinyin(text, style=Style.NORMAL)]
    syllables = [s for s in syllables if s]
    return _Text(text, "".join(syllables), "".join(s[0] for s in syllables), is_name)


def _grade(haystack: str, needle: str) -> int | None:
    """0 the whole text, 1 its start, 2 inside it, None no match."""
    if haystack == needle:
        return 0
    if haystack.startswith(needle):
        return 1
    return 2 if needle in haystack else None


class SearchIndex:
    """The catalogue's offered items and bundles with their pinyin, built once."""

    def __init__(self, catalog: Catalog):
        entries: list[Item | Bundle] = [*catalog.offered(),
                                        *(b for b in catalog.bundles if not b.retired)]
        self._entries = entries
        self._texts = [[_spellings(entry.name, True),
                        *(_spellings(alias, False) for alias in entry.aliases)]
                       for entry in entries]
        self._domains = [self._domains_of(entry, catalog) for entry in entries]
        # One string per entry and alphabet: a single `in` (C speed) rules most entries out
        # before any grading, which keeps a keystroke fast on thousands of items.
        self._hanzi = ["\0".join(t.hanzi for t in texts) for texts in self._texts]
        self._latin = ["\0".join(f"{t.pinyin}\0{t.initials}" for t in texts)
                       for texts in self._texts]

    @staticmethod
    def _domains_of(entry: Item | Bundle, catalog: Catalog) -> frozenset[str]:
        if isinstance(entry, Item):
            return frozenset((entry.domain,))
        return frozenset(i.domain for code in entry.items if (i := catalog.item(code)))

    def search(self, query: str, *, domain: str | None = None,
               counts: Mapping[str, int] | None = None, limit: int = 20) -> list[Hit]:
        """The best `limit` hits for what has been typed so far; a bundle is in a domain
        when one of its items is."""
        counts = counts or {}
        query = query.strip()
        chinese = bool(CJK.search(query))
        needle = query if chinese else NOT_LETTER.sub("", query.lower())
        if query and not needle:
            return []
        blobs = self._hanzi if chinese else self._latin
        ranked = []
        for position, entry in enumerate(self._entries):
            if needle not in blobs[position] or \
                    domain is not None and domain not in self._domains[position]:
                continue
            found = self._match(self._texts[position], needle, chinese) if needle else (0, "")
            if found is None:          # the needle only spanned two texts of the blob
                continue
            ranked.append((found[0], -counts.get(entry.code, 0), position, found[1]))
        ranked.sort()
        return [Hit(self._entries[p], matched) for _q, _c, p, matched in ranked[:limit]]

    @staticmethod
    def _match(texts: list[_Text], needle: str, chinese: bool) -> tuple[int, str] | None:
        """(quality, matched text) of the entry's best text; lower quality is better."""
        best = None
        for text in texts:
            grades = [_grade(text.hanzi, needle)] if chinese else \
                [_grade(text.pinyin, needle), _grade(text.initials, needle)]
            grades = [g for g in grades if g is not None]
            if grades:
                quality = min(grades) * 2 + (0 if text.is_name else 1)
                if best is None or quality < best[0]:
                    best = (quality, text.hanzi)
        return best


__all__ = ["Hit", "SearchIndex"]
