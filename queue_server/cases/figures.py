"""Figures of ratings and cases by day, month, window, department or staff member (pure:
plain dicts in, rows out), as the reform documents count them:

    coverage        rated services / services finished (评价覆盖率)
    satisfied_rate  ratings of levels 4-5 (满意, 非常满意) / ratings (满意率)
    bad_rate        ratings of levels 1-2 (不满意, 非常不满意) / ratings (差评率)
    on_time_rate    named bad ratings rectified by their day / named bad ratings whose day has
                    come or that are rectified; those confirmed unfounded, and those withdrawn
                    (the citizen changed the rating to a good one), count in neither
                    (实名差评按期整改率)
    revisit_rate    cases with a 回访 / cases rectified (回访率)

A rate whose denominator is zero is None (shown as "—"), never 0 % or 100 %.
"""
from __future__ import annotations

from collections.abc import Callable

from hall.words import CASE_FIGURES

GROUPS = ("day", "month", "window", "department", "staff")
SATISFIED, BAD = (4, 5), (1, 2)
COLUMNS = ("served", "ratings", "coverage", "satisfied_rate", "bad_rate", "named_bad",
           "on_time_rate", "revisit_rate", "complaints", "overdue")
RATES = ("coverage", "satisfied_rate", "bad_rate", "on_time_rate", "revisit_rate")


def figures(by: str, tickets: list[dict], evaluations: list[dict], cases: list[dict],
            department_of: Callable[[dict], str], today: str) -> dict:
    """{"rows": [{"key": ..., <COLUMNS>}], "total": {...}}. tickets: the ticket rows of the
    period (date, window, staff, status, id, service); evaluations: their ratings (ticket_id,
    level); cases: the case views opened in the period; department_of(ticket) -> department."""
    if by not in GROUPS:
        raise ValueError(f"figures by one of {GROUPS}")
    by_id = {t["id"]: t for t in tickets if "id" in t}

    def ticket_key(t: dict) -> str:
        return {"day": t["date"], "month": t["date"][:7], "window": t.get("window") or "",
                "staff": t.get("staff") or "", "department": department_of(t)}[by]

    def case_key(c: dict) -> str:
        return {"day": c["opened_on"], "month": c["opened_on"][:7], "window": c.get("window") or "",
                "staff": c.get("staff") or "", "department": c.get("department") or ""}[by]

    groups: dict[str, dict[str, list]] = {}
    for t in tickets:
        if t.get("status") == "done":
            groups.setdefault(ticket_key(t), _empty())["served"].append(t)
    for e in evaluations:
        t = by_id.get(e.get("ticket_id")) or {**e, "service": None}
        groups.setdefault(ticket_key(t), _empty())["ratings"].append(e)
    for c in cases:
        groups.setdefault(case_key(c), _empty())["cases"].append(c)
    rows = [{"key": key, **_row(parts, today)} for key, parts in sorted(groups.items())]
    every = _empty()
    for parts in groups.values():
        for name, items in parts.items():
            every[name] += items
    return {"by": by, "rows": rows, "total": {"key": "", **_row(every, today)}}


def ticket_department(config, ticket: dict) -> str:
    """The department answering for a ticket: its item's domain, else its window's."""
    catalog, code = config.catalog, ticket.get("service")
    item = catalog.item(code) if catalog is not None and code else None
    window = config.window(ticket.get("window") or "")
    return item.domain if item else window.department if window else ""


def _empty() -> dict[str, list]:
    return {"served": [], "ratings": [], "cases": []}


def _row(parts: dict[str, list], today: str) -> dict:
    served, ratings, cases = parts["served"], parts["ratings"], parts["cases"]
    levels = [e["level"] for e in ratings]
    named_bad = [c for c in cases if c["kind"] == "rating" and c.get("named")
                 and c["state"] not in ("dismissed", "withdrawn")]
    counted = [c for c in named_bad if c.get("rectified_on") or c["due"] < today]
    on_time = [c for c in counted if c.get("rectified_on") and c["rectified_on"] <= c["due"]]
    rectified = [c for c in cases if c.get("rectified_on")]
    return {"served": len(served), "ratings": len(ratings),
            "coverage": _rate(len(ratings), len(served)),
            "satisfied_rate": _rate(sum(v in SATISFIED for v in levels), len(levels)),
            "bad_rate": _rate(sum(v in BAD for v in levels), len(levels)),
            "named_bad": len(named_bad), "on_time_rate": _rate(len(on_time), len(counted)),
            "revisit_rate": _rate(sum(bool(c.get("revisited_on")) for c in rectified), len(rectified)),
            "complaints": sum(c["kind"] == "complaint" for c in cases),
            "overdue": sum(c.get("deadline") == "overdue" for c in cases)}


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def table(result: dict, key_name: Callable[[str], str]) -> list[list]:
    """Rows for a CSV or XLSX sheet: the key's name, then COLUMNS (rates as percent text)."""
    def cells(row: dict) -> list:
        return [percent(row[c]) if c in RATES else row[c] for c in COLUMNS]
    return [*([key_name(r["key"]) or "—", *cells(r)] for r in result["rows"]),
            [CASE_FIGURES["total"], *cells(result["total"])]]
