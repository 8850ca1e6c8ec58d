"""Typed, range-checked reading of YAML config files, with file and line in every error.

Klipper's habit: a section is read option by option with a typed getter that checks the
range; an option nobody read is an error ("unknown option"); every mistake of a file is
collected and reported together, each with the file, the line and a hint.

    problems = Problems()
    root = load_yaml(path, problems)
    hall = root.section("hall")
    name = hall.get_str("name")
    cap = hall.get_int("daily_cap", 500, minval=1, maxval=100000)
    hall.finish()                      # unknown options become problems
    problems.raise_if_any()            # ConfigError listing every problem
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

REQUIRED = object()


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}: {self.message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text


class ConfigError(Exception):
    """A config file (or several) has mistakes; `problems` lists every one."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Problems:
    items: list[Problem] = field(default_factory=list)

    def add(self, file: str, line: int, message: str, hint: str = "") -> None:
        self.items.append(Problem(file, line, message, hint))

    def raise_if_any(self) -> None:
        if self.items:
            raise ConfigError(sorted(self.items, key=lambda p: (p.file, p.line)))


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that keeps nodes, so values can be traced back to their line."""


def _scalar_value(node: yaml.Node) -> Any:
    return _LineLoader.construct_object(_CONSTRUCTOR, node, deep=True)


_CONSTRUCTOR = _LineLoader("")
# libyaml builds the same nodes about 10x faster (the county config with its 68-item
# catalogue: ~0.1 s of the server's start). The Python parser words a syntax error better
# (it names a tab, and the line before the end of a file), so it reads a file that fails.
_FAST_LOADER = getattr(yaml, "CSafeLoader", _LineLoader)


def load_yaml(path: str | Path, problems: Problems) -> "Section":
    """Read a YAML file into a root Section; a syntax error becomes a problem."""
    path = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        problems.add(path, 0, f"cannot read file: {exc.strerror}")
        return Section(path, None, "", problems)
    except UnicodeDecodeError:
        problems.add(path, 0, "file is not UTF-8 text", "save the file as UTF-8")
        return Section(path, None, "", problems)
    return load_yaml_text(text, path, problems)


def load_yaml_text(text: str, path: str, problems: Problems) -> "Section":
    try:
        node = _compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        problems.add(path, line, f"YAML syntax error: {getattr(exc, 'problem', exc)}",
                     "check indentation and quoting on this line or the one above")
        return Section(path, None, "", problems)
    if node is None:
        node = yaml.MappingNode("tag:yaml.org,2002:map", [])
    if not isinstance(node, yaml.MappingNode):
        problems.add(path, node.start_mark.line + 1, "the file must be a mapping of sections")
        return Section(path, None, "", problems)
    return Section(path, node, "", problems)


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=_LineLoader)


def _line(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None and node.start_mark else 0


class Section:
    """A YAML mapping read option by option."""

    def __init__(self, file: str, node: yaml.MappingNode | None, where: str,
                 problems: Problems):
        self.file = file
        self.where = where
        self.problems = problems
        self.node = node
        self.line = _line(node)
        self._items: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        self._read: set[str] = set()
        for key_node, value_node in (node.value if node is not None else []):
            key = str(_scalar_value(key_node)) if isinstance(key_node, yaml.ScalarNode) else "?"
            if key in self._items:
                self.error(key_node, f"option '{key}' is given twice", "keep only one of them")
            self._items[key] = (key_node, value_node)

    # -- helpers -------------------------------------------------------------------------
    def _name(self, option: str) -> str:
        return f"{self.where}.{option}" if self.where else option

    def error(self, node: yaml.Node | None, message: str, hint: str = "") -> None:
        self.problems.add(self.file, _line(node) or self.line, message, hint)

    def has(self, option: str) -> bool:
        return option in self._items

    def keys(self) -> list[str]:
        return list(self._items)

    def line_of(self, option: str) -> int:
        item = self._items.get(option)
        return _line(item[1]) if item else self.line

    def _node(self, option: str, default: Any) -> tuple[yaml.Node | None, bool]:
        """The option's value node; (None, False) when absent (after reporting if required)."""
        self._read.add(option)
        item = self._items.get(option)
        if item is None:
            if default is REQUIRED:
                self.error(self.node, f"missing required option '{self._name(option)}'",
                           f"add '{option}:' to this section")
            return None, False
        return item[1], True

    def _scalar(self, option: str, default: Any) -> tuple[Any, yaml.Node | None, bool]:
        node, found = self._node(option, default)
        if not found:
            return (None if default is REQUIRED else default), None, False
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, f"'{self._name(option)}' must be a single value, not a list or mapping")
            return (None if default is REQUIRED else default), node, False
        return _scalar_value(node), node, True

    # -- typed getters -------------------------------------------------------------------
    def get(self, option: str, default: Any = REQUIRED) -> Any:
        """The raw value (any YAML type) of an option."""
        node, found = self._node(option, default)
        if not found:
            return None if default is REQUIRED else default
        return _LineLoader.construct_object(_CONSTRUCTOR, node, deep=True)

    def get_str(self, option: str, default: Any = REQUIRED, *, choices: Iterable[str] | None = None,
                pattern: str | None = None, hint: str = "", max_len: int | None = None) -> Any:
        value, node, found = self._scalar(option, default)
        if not found:
            return value
        if isinstance(value, bool) or value is None:
            self.error(node, f"'{self._name(option)}' must be text", hint or "put the value in quotes")
            return default if default is not REQUIRED else None
        value = str(value)
        choices = list(choices) if choices is not None else None
        if choices is not None and value not in choices:
            self.error(node, f"'{self._name(option)}' is '{value}', not one of: {', '.join(choices)}",
                       hint)
        elif pattern is not None and not re.fullmatch(pattern, value):
            self.error(node, f"'{self._name(option)}' value '{value}' has the wrong form", hint)
        elif max_len is not None and len(value) > max_len:
            self.error(node, f"'{self._name(option)}' is longer than {max_len} characters", hint)
        return value

    def _number(self, option: str, default: Any, kind: type, minval: Any, maxval: Any,
                hint: str) -> Any:
        value, node, found = self._scalar(option, default)
        if not found:
            return value
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if kind is int and ok and not isinstance(value, int):
            ok = False
        if not ok:
            what = "a whole number" if kind is int else "a number"
            self.error(node, f"'{self._name(option)}' must be {what}, got '{value}'", hint)
            return default if default is not REQUIRED else None
        value = kind(value)
        if minval is not None and value < minval:
            self.error(node, f"'{self._name(option)}' is {value}, below the minimum {minval}", hint)
        elif maxval is not None and value > maxval:
            self.error(node, f"'{self._name(option)}' is {value}, above the maximum {maxval}", hint)
        return value

    def get_int(self, option: str, default: Any = REQUIRED, *, minval: int | None = None,
                maxval: int | None = None, hint: str = "") -> Any:
        return self._number(option, default, int, minval, maxval, hint)

    def get_float(self, option: str, default: Any = REQUIRED, *, minval: float | None = None,
                  maxval: float | None = None, hint: str = "") -> Any:
        return self._number(option, default, float, minval, maxval, hint)

    def get_bool(self, option: str, default: Any = REQUIRED) -> Any:
        value, node, found = self._scalar(option, default)
        if found and not isinstance(value, bool):
            self.error(node, f"'{self._name(option)}' must be true or false, got '{value}'")
            return default if default is not REQUIRED else None
        return value

    def get_time(self, option: str, default: Any = REQUIRED) -> Any:
        """A time of day "HH:MM" as minutes after midnight (0..1440; "24:00" ends the day)."""
        value, node, found = self._scalar(option, default)
        if not found:
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            # YAML 1.1 reads unquoted 08:30 as a sexagesimal integer (510): accept it.
            value = f"{value // 60:02d}:{value % 60:02d}"
        return self._parse_time(str(value), node, option, default)

    def _parse_time(self, text: str, node: yaml.Node | None, option: str, default: Any) -> Any:
        match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
        minutes = int(match.group(1)) * 60 + int(match.group(2)) if match else -1
        if not match or int(match.group(2)) > 59 or not 0 <= minutes <= 1440:
            self.error(node, f"'{self._name(option)}' is '{text}', not a time of day",
                       "write it as \"HH:MM\", e.g. \"08:30\"")
            return default if default is not REQUIRED else None
        return minutes

    def get_list(self, option: str, default: Any = REQUIRED, *, item_type: type = str,
                 min_len: int = 0) -> Any:
        """A list of scalars of one type."""
        node, found = self._node(option, default)
        if not found:
            return None if default is REQUIRED else default
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"'{self._name(option)}' must be a list", "write it as [a, b]")
            return default if default is not REQUIRED else []
        items = []
        for child in node.value:
            value = _scalar_value(child) if isinstance(child, yaml.ScalarNode) else None
            if item_type is str and isinstance(value, (int, str)) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, item_type) or isinstance(value, bool) and item_type is not bool:
                self.error(child, f"an item of '{self._name(option)}' must be "
                                  f"{'text' if item_type is str else item_type.__name__}")
                continue
            items.append(value)
        if len(items) < min_len:
            self.error(node, f"'{self._name(option)}' needs at least {min_len} item(s)")
        return items

    def get_dates(self, option: str, default: Any = REQUIRED, *, min_year: int = 2000,
                  max_year: int = 2099) -> Any:
        """A list of calendar dates written "YYYY-MM-DD" (quoted or not), each reported at
        its own line when it is not a real date, out of the year range, or given twice."""
        node, found = self._node(option, default)
        if not found:
            return None if default is REQUIRED else default
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"'{self._name(option)}' must be a list of dates",
                       'write it as ["2026-12-24", "2026-12-25"]')
            return default if default is not REQUIRED else []
        dates: list[dt.date] = []
        for child in node.value:
            day = self._date_item(child, option, min_year, max_year)
            if day is not None and day in dates:
                self.error(child, f"date {day} is listed twice in '{self._name(option)}'",
                           "list each date once")
            elif day is not None:
                dates.append(day)
        return dates

    def _date_item(self, node: yaml.Node, option: str, min_year: int,
                   max_year: int) -> dt.date | None:
        value = _scalar_value(node) if isinstance(node, yaml.ScalarNode) else None
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value.strip())
            except ValueError:
                value = None
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            self.error(node, f"an item of '{self._name(option)}' is not a date",
                       'write a real date as "YYYY-MM-DD", e.g. "2026-12-24"')
            return None
        if not min_year <= value.year <= max_year:
            self.error(node, f"date {value} of '{self._name(option)}' is outside "
                             f"{min_year}..{max_year}", "check the year")
            return None
        return value

    def section(self, option: str, required: bool = True) -> "Section":
        """A nested mapping; an absent optional one reads as empty (getters give defaults)."""
        node, found = self._node(option, REQUIRED if required else None)
        if found and not isinstance(node, yaml.MappingNode):
            self.error(node, f"'{self._name(option)}' must be a mapping of options")
            node = None
        return Section(self.file, node if found else None, self._name(option), self.problems)

    def sections(self, option: str, required: bool = True) -> list["Section"]:
        """A list of mappings, e.g. categories or windows."""
        node, found = self._node(option, REQUIRED if required else None)
        if not found:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"'{self._name(option)}' must be a list of entries",
                       "start each entry with '- '")
            return []
        out = []
        for index, child in enumerate(node.value):
            where = f"{self._name(option)}[{index}]"
            if not isinstance(child, yaml.MappingNode):
                self.error(child, f"'{where}' must be a mapping of options")
                continue
            out.append(Section(self.file, child, where, self.problems))
        return out

    def node_of(self, option: str) -> yaml.Node | None:
        item = self._items.get(option)
        return item[1] if item else None

    def finish(self) -> None:
        """Report every option that no getter asked for (a typo, or an option that isn't)."""
        for key, (key_node, _value) in self._items.items():
            if key not in self._read:
                known = sorted(self._read)
                self.error(key_node, f"unknown option '{self._name(key)}'",
                           f"known options here: {', '.join(known)}" if known else "")

