"""Which ticket a window calls next, and the anti-starvation bound.

Candidates of a window are split into two lists sorted oldest first by the window's key
(issue time, then the window's category preference, then ticket id): `normals` and `prios`
(appointment, elderly, disabled, green). The rule for one call:

1. No priority ticket waits: call the oldest normal ticket.
2. The oldest priority ticket P is older than every normal ticket: call P (it passes nobody).
3. Otherwise P would pass the normal tickets older than it. If all of them have been passed
   fewer than `bound` times, call P and count one more pass on each of them. If any of them
   has reached the bound, call the oldest such ticket instead.

Invariant (the overtake bound): for every normal ticket N, the number of priority tickets
issued after N that were called ahead of N, by a window for which N was a candidate, while N
was waiting, never exceeds `bound` (rules.priority_max_overtakes). Proof: N's counter grows
only in step 3, and only when every passed ticket, N included, is below the bound before
the call; a ticket at the bound is never passed again, because step 3 then calls a ticket
at the bound instead of P. With bound 0 the order is plain first come, first served.
Within one category and one class (normal or priority) the order is oldest first: an older
normal ticket of a category is passed whenever a younger one is, so it reaches the bound no
later, and step 3 calls the oldest ticket at the bound.
"""
from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from itertools import takewhile

from .model import Ticket

Key = Callable[[Ticket], tuple]


def call_order(normals: Iterable[Ticket], prios: Sequence[Ticket], bound: int, key: Key,
               limit: int = 1) -> list[tuple[Ticket, list[Ticket]]]:
    """The next `limit` calls as (ticket, normal tickets it passes); changes nothing.

    `normals` may be a lazy iterator (a merge of several queues) when limit is 1; only the
    tickets older than the first priority ticket are then read.

    Passes are counted in a scratch table so that a preview of several calls sees the
    tickets reaching their bound exactly as a run of real calls would.
    """
    taken: set[int] = set()
    extra: dict[int, int] = {}
    order: list[tuple[Ticket, list[Ticket]]] = []
    next_prio = 0
    while len(order) < limit:
        p = prios[next_prio] if next_prio < len(prios) else None
        if p is None:
            pick = next((n for n in normals if n.id not in taken), None)
            if pick is None:
                break
        else:
            older = [n for n in takewhile(lambda n: key(n) < key(p), normals) if n.id not in taken]
            pick = _due(older, bound, extra)
            if pick is None:
                next_prio += 1
                for n in older:
                    extra[n.id] = extra.get(n.id, 0) + 1
                order.append((p, older))
                continue
        taken.add(pick.id)
        order.append((pick, []))
    return order


def _due(older: list[Ticket], bound: int, extra: dict[int, int]) -> Ticket | None:
    return next((n for n in older if n.overtaken + extra.get(n.id, 0) >= bound), None)


def waiting_ahead(t: Ticket, normals: Sequence[Ticket], prios: Sequence[Ticket], bound: int,
                  key: Key) -> int:
    """About how many tickets of the same queue will be called before `t` (an estimate:
    the exact answer depends on tickets not yet issued)."""
    k = key(t)
    older_prios = bisect.bisect_left(prios, k, key=key)
    older_normals = bisect.bisect_left(normals, k, key=key)
    if not t.is_priority:
        younger_prios = len(prios) - older_prios
        return older_normals + older_prios + min(max(0, bound - t.overtaken), younger_prios)
    due = sum(1 for n in normals[:older_normals] if n.overtaken + older_prios >= bound)
    return older_prios + due
