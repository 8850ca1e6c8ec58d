"""The day's figures from ticket and evaluation records (pure: plain dicts in, dicts out).

A ticket dict has the engine's fields: number, category, status, window, staff, issued_at,
called_at, started_at, finished_at, outcome. Times are Unix seconds.
"""
from __future__ import annotations

import datetime as dt
import json
from statistics import mean

from queue_server.engine.model import handle_s as engine_handle_s

WAIT_BINS_MIN = (0, 5, 10, 15, 20, 30, 45, 60)     # lower edges of the wait histogram, minutes
BAD_LEVELS = (1, 2)                                # 非常不满意, 不满意


def wait_s(ticket: dict) -> float | None:
    """Seconds from issue to the first call; None while the ticket was never called."""
    called = ticket.get("called_at")
    return None if called is None else max(0.0, called - ticket["issued_at"])


def handle_s(ticket: dict) -> float | None:
    """The engine's handle time (call to finish) of a finished ticket; None otherwise."""
    if ticket.get("status") != "done":
        return None
    return engine_handle_s(ticket.get("called_at"), ticket.get("finished_at"))


def _avg(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(mean(values), 1) if values else None


def category_figures(tickets: list[dict], categories, now: float) -> list[dict]:
    """Per category: waiting now, longest wait now, average wait today, issued today."""
    rows = []
    for cat in categories:
        own = [t for t in tickets if t["category"] == cat.id]
        waiting = [t for t in own if t["status"] == "waiting"]
        rows.append({
            "category": cat.id, "prefix": cat.prefix, "name": cat.name,
            "waiting": len(waiting), "issued": len(own),
            "longest_wait_s": round(max((now - t["issued_at"] for t in waiting), default=0.0), 1),
            "avg_wait_s": _avg(wait_s(t) for t in own),
            "wait_alert_s": cat.wait_alert_s,
        })
    return rows


def transferred_from(ticket: dict) -> str | None:
    """The window a ticket was last transferred away from (a transferred ticket waits, or is
    called, elsewhere: its `window` no longer names the window that sent it)."""
    came = ticket.get("transferred_from")
    if isinstance(came, str):       # a stored row holds the JSON text
        came = json.loads(came)
    return came.get("window") if came else None


def window_figures(tickets: list[dict], window: str) -> dict:
    """A window's day: served, no-shows, transfers, average handle and wait times."""
    own = [t for t in tickets if t.get("window") == window]
    return {
        "served": sum(t["status"] == "done" for t in own),
        "no_show": sum(t["status"] == "no_show" for t in own),
        "transferred": sum(transferred_from(t) == window for t in tickets),
        "avg_handle_s": _avg(handle_s(t) for t in own),
        "avg_wait_s": _avg(wait_s(t) for t in own),
    }


def staff_figures(tickets: list[dict], evaluations: list[dict], names: dict[str, str]) -> list[dict]:
    """Per staff member who touched a ticket or got a rating: counts, times and ratings."""
    ids = sorted({t["staff"] for t in tickets if t.get("staff")} | {e["staff"] for e in evaluations if e.get("staff")})
    rows = []
    for staff in ids:
        own = [t for t in tickets if t.get("staff") == staff]
        levels = [e["level"] for e in evaluations if e.get("staff") == staff]
        rows.append({
            "staff": staff, "name": names.get(staff, staff),
            "served": sum(t["status"] == "done" for t in own),
            "no_show": sum(t["status"] == "no_show" for t in own),
            "avg_handle_s": _avg(handle_s(t) for t in own),
            "ratings": len(levels), "avg_level": _avg(levels),
            "bad_ratings": sum(level in BAD_LEVELS for level in levels),
        })
    return rows


def hourly_issued(tickets: list[dict], zone) -> list[int]:
    """Tickets issued in each hall-local hour 0..23."""
    counts = [0] * 24
    for t in tickets:
        counts[dt.datetime.fromtimestamp(t["issued_at"], zone).hour] += 1
    return counts


def hourly_pairs(counts: list[int], first: int = 7, last: int = 19) -> list[tuple[str, int]]:
    """(hour, count) for office hours, widened to every hour that had a ticket, no gaps."""
    busy = [h for h, n in enumerate(counts) if n]
    lo, hi = min([first] + busy), max([last] + busy)
    return [(str(h), counts[h]) for h in range(lo, hi + 1)]


def wait_histogram(tickets: list[dict]) -> list[tuple[str, int]]:
    """(label, count) of called tickets by wait, in WAIT_BINS_MIN buckets."""
    counts = [0] * len(WAIT_BINS_MIN)
    for t in tickets:
        w = wait_s(t)
        if w is None:
            continue
        minutes = w / 60
        counts[max(i for i, edge in enumerate(WAIT_BINS_MIN) if minutes >= edge)] += 1
    labels = [f"{a}-{b}" for a, b in zip(WAIT_BINS_MIN, WAIT_BINS_MIN[1:])] + [f"≥{WAIT_BINS_MIN[-1]}"]
    return list(zip(labels, counts))


def day_totals(tickets: list[dict], evaluations: list[dict]) -> dict:
    """One line of the date-range report."""
    levels = [e["level"] for e in evaluations]
    return {
        "issued": len(tickets),
        "served": sum(t["status"] == "done" for t in tickets),
        "no_show": sum(t["status"] == "no_show" for t in tickets),
        "avg_wait_s": _avg(wait_s(t) for t in tickets),
        "avg_handle_s": _avg(handle_s(t) for t in tickets),
        "ratings": len(levels),
        "satisfaction": round(sum(level >= 3 for level in levels) / len(levels), 3) if levels else None,
        "bad_ratings": sum(level in BAD_LEVELS for level in levels),
    }
