"""Plain dicts of the engine's state in the shapes of the bus contract (docs/mqtt.md)."""
from __future__ import annotations

from .estimate import Estimate
from .hall import HallEngine
from .model import OPEN_WINDOW_STATES, Ticket, age
from .order import call_order, waiting_ahead


def position(engine: HallEngine, t: Ticket, now: float) -> tuple[int, dict]:
    """(waiting_ahead, wait fields) of a ticket; zero once it is called or gone."""
    if t.status != "waiting" or t.date != engine.date:
        return 0, {"estimated_wait_s": 0}
    if t.reserved_for is not None:   # its place in the order of the one window it waits for
        normals, prios, key = engine.candidates(engine.slots[t.reserved_for])
        ahead = waiting_ahead(t, normals, prios, engine.rules.priority_max_overtakes, key)
    else:
        ahead = waiting_ahead(t, engine.normals[t.category], engine.prios[t.category],
                              engine.rules.priority_max_overtakes, age)
    estimate = engine.forecast(now).ticket(t.id, now)
    return ahead, wait_fields(engine, estimate, ahead + 1, t.category)


def wait_fields(engine: HallEngine, estimate: Estimate | None, turn: int, category: str) -> dict:
    """estimated_wait_s, and estimated_wait_range_s where the spread is wide. Without a
    window open to call the ticket the look-ahead has no answer: `turn` rounds of the
    category's mean time at one window (a window that opens will do at least that)."""
    if estimate is None:
        return {"estimated_wait_s": int(turn * engine.learned.handle_mean(category))}
    fields = {"estimated_wait_s": int(round(estimate.wait_s))}
    spread = estimate.range_s()
    if spread is not None:
        fields["estimated_wait_range_s"] = list(spread)
    return fields


def ticket_view(engine: HallEngine, t: Ticket, now: float) -> dict:
    ahead, wait = position(engine, t, now)
    view = {"number": t.number, "category": t.category, "status": t.status,
            "priority": t.priority, "issued_at": t.issued_at, "date": t.date,
            "waiting_ahead": ahead, **wait,
            "url": f"{engine.config.server.public_url.rstrip('/')}/t/{t.token}"}
    optional = {"service": t.service, "name_masked": t.name_masked, "id_last4": t.id_last4,
                "reserved_for": t.reserved_for, "transferred_from": t.transferred_from,
                "outcome": t.outcome, "reason": t.reason, "finished_at": t.finished_at}
    view.update((k, v) for k, v in optional.items() if v is not None)
    until = engine.requeue_until(t)
    if until is not None:
        view["requeue_until"] = until
    if t.called_at is not None or t.window is not None:
        view.update(window=t.window, called_at=t.called_at, attempt=t.attempt)
    return view


# What a ticket number alone must not open (ticket.lookup: anyone at a kiosk can type any
# number): the signed link to the mobile page, the holder's masked name and ID digits, and
# the window's note on a case it could not finish.
PRIVATE_TICKET_FIELDS = ("url", "name_masked", "id_last4", "reason")


def citizen_view(engine: HallEngine, t: Ticket, now: float) -> dict:
    """The ticket as a citizen standing at a kiosk may see it: status, window, place, wait."""
    view = ticket_view(engine, t, now)
    for name in PRIVATE_TICKET_FIELDS:
        view.pop(name, None)
    return view


def queue_state(engine: HallEngine, category: str, now: float) -> dict:
    cat = engine.categories[category]
    normals, prios = engine.normals[category], engine.prios[category]
    upcoming = call_order(normals, prios, engine.rules.priority_max_overtakes, age, limit=3)
    waiting = len(normals) + len(prios)
    estimate = engine.forecast(now).category(category, now)
    return {"category": cat.id, "prefix": cat.prefix, "name": cat.name,
            "open": engine.is_open(now), "waiting": waiting,
            "next": [t.number for t, _ in upcoming],
            **wait_fields(engine, estimate, waiting + 1, category),
            "open_windows": engine.open_windows(category), "ts": now}


def window_state(engine: HallEngine, window_id: str, now: float) -> dict:
    slot = engine.slots[window_id]
    held = engine.held(slot)
    state = {"window": slot.id, "name": engine.config.window(slot.id).name, "state": slot.state,
             "ticket": held.number if held else None, "categories": list(slot.served),
             "staff": slot.staff_name, "ts": now}
    if held is not None:       # the item it was taken for: the caller shows its name
        state["service"] = held.service
    if slot.state == "paused":
        state["reason"] = slot.reason
    if held is not None and slot.state == "calling":
        state["recalls_left"] = engine.recalls_left(held)
    state["transferred_in"] = [t.number for t in engine.reserved.get(slot.id, ())]
    return state


def hall_state(engine: HallEngine, now: float) -> dict:
    return {"waiting": engine.waiting_count(), "served_today": engine.served_today,
            "open_windows": sum(1 for s in engine.slots.values() if s.state in OPEN_WINDOW_STATES),
            "open": engine.is_open(now), "date": engine.date, "ts": now}
