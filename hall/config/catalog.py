"""Reading a service catalogue file (YAML) into a Catalog, every mistake at its line.

It lives beside the hall config loader, which reads a hall's catalogue with its config;
hall/catalog builds on it (the spreadsheet, search) and re-exports it.

The file is read like the hall config (hall/config/reader.py): typed, range-checked options,
unknown options are errors, all problems reported together with file, line and hint. Given
the hall config, every category and window an item names is checked against it too.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from .model import HallConfig
from .reader import REQUIRED, ConfigError, Problems, Section, load_yaml
from ..protocol.topics import NAME_PATTERN
from .catalog_model import (DEFAULT_RETENTION_DAYS, DELIVERIES, FORMS, NO_FEE, QUESTION_KINDS,
                            AutoCheck, Bundle, Catalog, Item, Material, Question)

CODE_PATTERN = r"[0-9A-Za-z][0-9A-Za-z_.-]{0,63}"
CODE_HINT = "letters, digits, '-', '_' or '.', at most 64, e.g. the provincial code 000123-001"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
MAX_DAYS = 365
MAX_RETENTION = 3650        # ten years: archives keep longer, outside this database
MAX_TEXT = 200              # one condition, fee or basis line


def load_catalog(path: str | Path, hall: HallConfig | None = None) -> Catalog:
    """Read and check a catalogue; ConfigError lists every problem with file and line."""
    problems = Problems()
    catalog = read_catalog(path, problems, hall)
    problems.raise_if_any()
    return catalog


def read_catalog(path: str | Path, problems: Problems, hall: HallConfig | None = None) -> Catalog:
    """Read a catalogue, adding its mistakes to `problems` (the hall loader collects them
    with the config's own)."""
    return read_root(load_yaml(path, problems), hall)


def read_root(root: Section, hall: HallConfig | None = None) -> Catalog:
    """A catalogue from its parsed root (a file, or the text a spreadsheet import made)."""
    problems = root.problems
    if root.node is None:
        return Catalog(source=root.file)
    domains = _read_domains(root)
    seen: dict[str, int] = {}
    items = [_read_item(sec, domains, hall, seen) for sec in root.sections("items")]
    by_code = {item.code: item for item in items}
    bundles = [_read_bundle(sec, by_code, hall, seen)
               for sec in root.sections("bundles", required=False)]
    root.finish()
    if hall is not None:
        _check_services(hall, by_code, problems)
    return Catalog(domains=tuple(domains), items=tuple(items), bundles=tuple(bundles),
                   source=root.file)


# -- pieces ----------------------------------------------------------------------------------

def _text(sec: Section, option: str, default=REQUIRED, *, max_len: int = MAX_TEXT,
          chinese: bool = True) -> str:
    value = sec.get_str(option, default, max_len=max_len)
    if chinese and isinstance(value, str) and value and not CHINESE.search(value):
        sec.error(sec.node_of(option), f"'{sec.where}.{option}' must be Chinese, got '{value}'",
                  "citizens read it: write it in plain Chinese")
    return value


def _texts(sec: Section, option: str, *, max_len: int = MAX_TEXT, min_len: int = 0) -> tuple:
    values = sec.get_list(option, [], item_type=str, min_len=min_len)
    for value in values:
        if len(value) > max_len:
            sec.error(sec.node_of(option), f"an item of '{sec.where}.{option}' is longer than "
                                           f"{max_len} characters", "split it or shorten it")
    return tuple(values)


def _read_domains(root: Section) -> list[str]:
    domains = root.get_list("domains", item_type=str, min_len=1)
    for domain in domains:
        if not CHINESE.search(domain) or len(domain) > 8:
            root.error(root.node_of("domains"), f"domain '{domain}' must be a short Chinese word",
                       "the kiosk shows each domain as a tile, e.g. 医保, 社保, 不动产")
    if len(set(domains)) != len(domains):
        root.error(root.node_of("domains"), "a domain is listed twice", "list each once")
    return domains


def _code(sec: Section, seen: dict[str, int]) -> str:
    code = sec.get_str("code", pattern=CODE_PATTERN, hint=CODE_HINT)
    if code in seen:
        sec.error(sec.node_of("code"), f"code '{code}' is used twice (first at line {seen[code]})",
                  "every item and bundle needs its own code")
    elif code is not None:
        seen[code] = sec.line_of("code")
    return code


def _read_item(sec: Section, domains: list[str], hall: HallConfig | None,
               seen: dict[str, int]) -> Item:
    code = _code(sec, seen)
    name = _text(sec, "name", max_len=60)
    domain = sec.get_str("domain", choices=domains,
                         hint="add it to the file's domains: list, or use one of those")
    category = _category(sec, hall)
    windows = _windows(sec, category, hall)
    legal = sec.get_int("legal_days", minval=0, maxval=MAX_DAYS,
                        hint="法定时限 in working days; 0 = 即办件")
    # Not given: the legal limit (kept in range, so a bad legal_days is reported once).
    default = min(max(legal, 0), MAX_DAYS) if isinstance(legal, int) else 0
    committed = sec.get_int("committed_days", default,
                            minval=0, maxval=MAX_DAYS, hint="承诺时限 in working days")
    if isinstance(legal, int) and isinstance(committed, int) and 0 <= legal < committed:
        sec.error(sec.node_of("committed_days"),
                  f"committed_days ({committed}) is longer than legal_days ({legal})",
                  "the hall promises the same time or less than the law allows")
    item = Item(
        code=code, name=name, domain=domain, category=category, windows=windows,
        aliases=_texts(sec, "aliases", max_len=20), conditions=_texts(sec, "conditions"),
        materials=tuple(_read_material(m) for m in sec.sections("materials", required=False)),
        legal_days=legal, committed_days=committed, fee=_text(sec, "fee", NO_FEE),
        basis=_texts(sec, "basis"), delivery=_delivery(sec), kiosk=sec.get_bool("kiosk", False),
        face_check=sec.get_bool("face_check", False), retired=sec.get_bool("retired", False),
        retention_days=sec.get_int("retention_days", DEFAULT_RETENTION_DAYS, minval=1, maxval=MAX_RETENTION,
                                   hint="days an application's personal data is kept after it is closed"),
        questions=tuple(_read_question(q) for q in sec.sections("questions", required=False)),
        auto_check=_read_auto_check(sec), line=sec.line)
    sec.finish()
    for option in ("face_check", "questions", "auto_check"):
        if getattr(item, option) and not item.kiosk:
            sec.error(sec.node_of(option), f"{option} is only for items filed at the kiosk",
                      f"set kiosk: true, or remove {option}")
    return item


def _read_question(sec: Section) -> Question:
    question = Question(
        name=_text(sec, "name", max_len=30),
        kind=sec.get_str("kind", "choice", choices=QUESTION_KINDS,
                         hint="choice: a pick list, digits, phone, letters (A-Z and digits)"),
        choices=tuple(_texts(sec, "choices", max_len=20)),
        min_len=sec.get_int("min_len", 1, minval=1, maxval=40),
        max_len=sec.get_int("max_len", 20, minval=1, maxval=40), line=sec.line)
    sec.finish()
    if (question.kind == "choice") != bool(question.choices):
        sec.error(sec.node_of("choices") or sec.node, "choices go with kind: choice, and only there",
                  "list the answers to pick from, e.g. choices: [银行卡, 存折]")
    if isinstance(question.min_len, int) and isinstance(question.max_len, int) \
            and question.min_len > question.max_len:
        sec.error(sec.node_of("min_len"), "min_len is longer than max_len", "")
    return question


def _read_auto_check(item: Section) -> AutoCheck | None:
    if item.node_of("auto_check") is None:
        return None
    sec = item.section("auto_check")
    check = AutoCheck(min_age=sec.get_int("min_age", None, minval=0, maxval=150),
                      max_age=sec.get_int("max_age", None, minval=0, maxval=150),
                      regions=tuple(sec.get_list("regions", [], item_type=str)), line=sec.line)
    sec.finish()
    for region in check.regions:
        if not re.fullmatch(r"[0-9]{2,6}", region):
            sec.error(sec.node_of("regions"), f"region '{region}' is not 2 to 6 digits",
                      "the administrative division code the ID number starts with, e.g. 330102")
    return check


def _delivery(sec: Section) -> tuple[str, ...]:
    values = sec.get_list("delivery", ["window"], item_type=str, min_len=1)
    for value in values:
        if value not in DELIVERIES:
            sec.error(sec.node_of("delivery"), f"delivery '{value}' is not one of: "
                      f"{', '.join(DELIVERIES)}", "window: 窗口领取, post: 邮寄送达, online: 网上下载")
    return tuple(values)


def _read_material(sec: Section) -> Material:
    material = Material(
        name=_text(sec, "name", max_len=60),
        form=sec.get_str("form", "original", choices=FORMS,
                         hint="original: 原件, copy: 复印件, original_and_copy: 原件及复印件"),
        count=sec.get_int("count", 1, minval=1, maxval=99, hint="copies to bring, 1..99"),
        later=sec.get_bool("later", False), promise=sec.get_bool("promise", False),
        not_needed=sec.get_bool("not_needed", False), note=_text(sec, "note", "", max_len=60),
        line=sec.line)
    sec.finish()
    if material.not_needed and (material.later or material.promise):
        sec.error(sec.node_of("not_needed"),
                  f"material '{material.name}' is not_needed but also later or promise",
                  "a material the hall reads itself is never brought: keep only not_needed")
    return material


def _category(sec: Section, hall: HallConfig | None) -> str:
    category = sec.get_str("category", pattern=NAME_PATTERN, hint="a category id of the hall config")
    if hall is not None and category is not None and hall.category(category) is None:
        sec.error(sec.node_of("category"), f"category '{category}' is not in the hall config",
                  f"categories of {hall.source or 'the hall'}: "
                  f"{', '.join(c.id for c in hall.categories)}")
    return category


def _windows(sec: Section, category: str | None, hall: HallConfig | None) -> tuple[str, ...]:
    windows = sec.get_list("windows", [], item_type=str)
    if hall is None:
        return tuple(windows)
    for window_id in windows:
        node = _list_item(sec, "windows", window_id)
        window = hall.window(window_id)
        if window is None:
            sec.error(node, f"window '{window_id}' is not in the hall config",
                      f"windows are: {', '.join(w.id for w in hall.windows)}")
        elif category is not None and category not in window.categories:
            sec.error(node, f"window '{window_id}' does not serve category '{category}'",
                      "add the category to the window in the hall config, or name another window")
    return tuple(windows)


def _list_item(sec: Section, option: str, value: str) -> yaml.Node | None:
    node = sec.node_of(option)
    children = node.value if isinstance(node, yaml.SequenceNode) else []
    return next((c for c in children if getattr(c, "value", None) == value), node)


def _read_bundle(sec: Section, items: dict[str, Item], hall: HallConfig | None,
                 seen: dict[str, int]) -> Bundle:
    bundle = Bundle(code=_code(sec, seen), name=_text(sec, "name", max_len=60),
                    category=_category(sec, hall),
                    items=tuple(sec.get_list("items", item_type=str, min_len=2)),
                    aliases=_texts(sec, "aliases", max_len=20),
                    retired=sec.get_bool("retired", False), line=sec.line)
    sec.finish()
    for code in bundle.items:
        node = _list_item(sec, "items", code)
        item = items.get(code)
        if item is None:
            sec.error(node, f"bundle item '{code}' is not an item of this catalogue",
                      "list the codes of items under items:")
        elif item.retired and not bundle.retired:
            sec.error(node, f"bundle item '{code}' is retired", "remove it from the bundle")
    if len(set(bundle.items)) != len(bundle.items):
        sec.error(sec.node_of("items"), "an item is listed twice in the bundle", "list it once")
    return bundle


def _check_services(hall: HallConfig, items: dict[str, Item], problems: Problems) -> None:
    """The hall config's `categories[].services` must name items of that category."""
    for category in hall.categories:
        for code in category.services:
            item = items.get(code)
            if item is None or item.category != category.id:
                where = "not in the catalogue" if item is None else \
                    f"in category '{item.category}' of the catalogue"
                problems.add(hall.source, category.line,
                             f"service '{code}' of category '{category.id}' is {where}",
                             "the catalogue says each item's category; fix one of the two")


__all__ = ["ConfigError", "load_catalog", "read_catalog"]
