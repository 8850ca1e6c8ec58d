"""The part of a site's hall config its county owns (docs/sync.md, `config` records).

The county may change, under `hall:`, the opening `hours`, the local `closures`, the
self-service room's `self_service_hours`, `ratings` and the deadlines of `cases`
(rating_days, complaint_days, warn_days: a department's lead is the site's). Everything
else (windows, hosts, sync, server, categories) stays the site's. The county writes a
changes file with those sections only; `read_changes` checks it with the hall file's own
section readers, so a mistake is reported with file and line, on the county before sending
and on the site again before keeping it.

A site keeps what it accepted in an overlay file beside its database
(var/baisha.sqlite -> var/baisha.county.yaml): the same `hall:` sections, plus `at:`, the
county's time of each section's record, so a redelivered or older record changes nothing.
The service puts the overlay over its config at every start (`with_overlay`).
"""
from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import yaml

from .hall import _key_node, _read_cases, _read_hours, _read_ratings, _read_self_service
from .model import HallConfig
from .reader import ConfigError, Problems, Section, load_yaml, load_yaml_text

COUNTY_OWNED = ("hours", "closures", "self_service_hours", "ratings", "cases")
CASE_DEADLINES = ("rating_days", "complaint_days", "warn_days")
# The service reads these from its config at each use: a change takes effect at once. The
# opening hours, closures and self-service hours are built into the queue engine and the
# working-day calendar at start: they take effect when the site's server restarts.
LIVE = ("ratings", "cases")
_MAP, _FLOAT = "tag:yaml.org,2002:map", "tag:yaml.org,2002:float"


def overlay_path(db_path: str | Path) -> Path:
    return Path(db_path).with_suffix(".county.yaml")


def read_changes(root: Section, *, overlay: bool = False) -> dict:
    """The county's sections of a changes file (or, `overlay`, a site's overlay file with its
    `at:`) as HallConfig fields; `cases` as only the deadlines it sets."""
    hall = root.section("hall")
    if overlay:
        _read_at(root)
    root.finish()
    for key in hall.keys():
        if key not in COUNTY_OWNED:
            hall.error(_key_node(hall, key), f"'hall.{key}' is the site's own: the county "
                       f"changes only {', '.join(COUNTY_OWNED)}", "remove it from this file")
            hall.get(key, None)     # reported once, not again as an unknown option
    values: dict = {}
    if hall.has("hours"):
        values["hours"] = _read_hours(hall.section("hours"))
    if hall.has("closures"):
        values["closures"] = tuple(sorted(hall.get_dates("closures")))
    if hall.has("self_service_hours"):
        values["self_service"] = _read_self_service(hall)
    if hall.has("ratings"):
        values["ratings"] = _read_ratings(hall.section("ratings"))
    if hall.has("cases"):
        values["cases"] = _read_deadlines(hall.section("cases"))
    hall.finish()
    return values


def _read_deadlines(sec: Section) -> dict:
    for key in ("leads", "default_lead"):
        if sec.has(key):
            sec.error(_key_node(sec, key), f"'{sec.where}.{key}' is the site's own",
                      f"the county sets only {', '.join(CASE_DEADLINES)}")
    cases = _read_cases(sec)
    return {name: getattr(cases, name) for name in CASE_DEADLINES if sec.has(name)}


def _read_at(root: Section) -> dict[str, float]:
    sec = root.section("at", required=False)
    return {key: sec.get_float(key, minval=0) for key in sec.keys()}


def with_changes(config: HallConfig, values: dict) -> HallConfig:
    """`config` with the county's sections put in (a case deadline over the site's cases)."""
    if "cases" in values:
        values = {**values, "cases": replace(config.cases, **values["cases"])}
    return replace(config, **values)


def load_changes(path: str | Path) -> tuple[dict, dict[str, str]]:
    """The county's changes file, checked: its values and each section's YAML text (the
    `config` record's body); ConfigError with file and line."""
    problems = Problems()
    root = load_yaml(path, problems)
    values = read_changes(root)
    problems.raise_if_any()
    return values, {key: yaml.serialize(node) for key, node in _pairs(root.node_of("hall"))}


def with_overlay(config: HallConfig, db_path: str | Path) -> HallConfig:
    """The config with the site's overlay put over it (none: the config as it is)."""
    path = overlay_path(db_path)
    if not path.is_file():
        return config
    problems = Problems()
    values = read_changes(load_yaml(path, problems), overlay=True)
    problems.raise_if_any()
    return with_changes(config, values)


def accept(db_path: str | Path, sections: dict, at: float) -> tuple[dict, list[str]]:
    """Keep a `config` record's sections newer than what the overlay holds of each; the
    overlay's values and the sections changed. A bad or foreign section: ConfigError, and
    the overlay stays as it was."""
    path = overlay_path(db_path)
    held = _compose_file(path)
    kept = dict(_pairs(held.get("hall")))
    stamps = {key: float(node.value) for key, node in _pairs(held.get("at"))}
    problems = Problems()
    if not isinstance(sections, dict) or not all(isinstance(v, str) for v in sections.values()):
        problems.add(str(path), 0, "the county's config record is not {section: YAML text}")
        problems.raise_if_any()
    changed = [key for key in sections if at > stamps.get(key, 0.0)]
    for key in changed:
        try:
            kept[key] = yaml.compose(sections[key], Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            problems.add(str(path), 0, f"the county's section '{key}' is not YAML: {exc}")
            problems.raise_if_any()
        stamps[key] = at
    text = yaml.serialize(_mapping({"hall": _mapping(kept), "at": _mapping(
        {key: yaml.ScalarNode(_FLOAT, repr(float(value))) for key, value in stamps.items()})}),
        allow_unicode=True)
    values = read_changes(load_yaml_text(text, str(path), problems), overlay=True)
    problems.raise_if_any()
    if changed:
        temporary = path.with_suffix(".tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    return values, changed


def _compose_file(path: Path) -> dict:
    if not path.is_file():
        return {}
    return dict(_pairs(yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)))


def _pairs(node) -> list:
    if not isinstance(node, yaml.MappingNode):
        return []
    return [(key.value, value) for key, value in node.value]


def _mapping(items: dict) -> yaml.MappingNode:
    return yaml.MappingNode(_MAP, [(yaml.ScalarNode("tag:yaml.org,2002:str", key), value)
                                   for key, value in items.items()])
