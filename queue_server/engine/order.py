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

from collections.abc import Callable, Iterable, Iterator
from itertools import islice, takewhile

from .model import Ticket

Key = Callable[[Ticket], tuple]


def calls(normals: Iterable[Ticket], prios: Iterable[Ticket], bound: int,
          key: Key) -> Iterator[tuple[Ticket, list[Ticket]]]:
    """The calls a window would make if no ticket arrived: (ticket, normal tickets it passes).

    The one source of the order: the next call, the queue's preview and each ticket's place
    all read it. Changes nothing. Both inputs are sorted by `key` and read lazily (a merge
    of several queues costs only the tickets a caller looks at). Passes are counted in a
    scratch table so that later calls see tickets reaching their bound exactly as a run of
    real calls would.
    """
    unread, upcoming = iter(normals), iter(prios)
    rest: list[Ticket] = []          # normal tickets read and not yet called, oldest first
    extra: dict[int, int] = {}
    p = next(upcoming, None)
    while True:
        _read(unread, rest, key, None if p is None else key(p))
        if p is None:
            if not rest:
                return
            yield rest.pop(0), []
            continue
        older = list(takewhile(lambda n: key(n) < key(p), rest))
        due = next((n for n in older if n.overtaken + extra.get(n.id, 0) >= bound), None)
        if due is not None:
            rest.remove(due)
            yield due, []
            continue
        for n in older:
            extra[n.id] = extra.get(n.id, 0) + 1
        yield p, older
        p = next(upcoming, None)


def _read(unread: Iterator[Ticket], rest: list[Ticket], key: Key, before: tuple | None) -> None:
    """Read normal tickets until `rest` holds one not older than `before` (None: any one)."""
    while not rest or before is not None and key(rest[-1]) < before:
        n = next(unread, None)
        if n is None:
            return
        rest.append(n)


def call_order(normals: Iterable[Ticket], prios: Iterable[Ticket], bound: int, key: Key,
               limit: int = 1) -> list[tuple[Ticket, list[Ticket]]]:
    """The next `limit` calls (see `calls`)."""
    return list(islice(calls(normals, prios, bound, key), limit))


def waiting_ahead(t: Ticket, normals: Iterable[Ticket], prios: Iterable[Ticket], bound: int,
                  key: Key) -> int:
    """How many of the tickets waiting now a window would call before `t`: its place in
    `calls` (tickets issued later may still change it, within the overtake bound)."""
    for ahead, (called, _) in enumerate(calls(normals, prios, bound, key)):
        if called is t:
            return ahead
    raise ValueError(f"{t.number} is not in these queues")
