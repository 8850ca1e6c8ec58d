"""How fast links and application number + last-four pairs may be guessed: one policy for
the web (per address) and the bus (per kiosk), docs/applications.md. Pure, no I/O."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from hall.words import GUESSED_TOO_FAST


def too_fast(wait_s: float) -> str:
    """What the person slowed down reads (web 429 and the bus's rate_limited alike)."""
    return GUESSED_TOO_FAST.format(minutes=math.ceil(wait_s / 60))


@dataclass
class GuessLimiter:
    """Slows down guessing ticket links from one address.

    A link is 128 random-looking bits, so guessing cannot succeed anyway; this keeps a
    scanner from hammering the server. Phones that open their own ticket never miss, and
    misses are rare for people (yesterday's ticket, a mistyped link), so an address (a
    whole hall Wi-Fi behind NAT, perhaps) is slowed only after many misses in a short time.
    """
    misses: int = 30
    window_s: float = 600.0
    _seen: dict[str, list[float]] = field(default_factory=dict)

    def wait_s(self, address: str, now: float) -> float:
        recent = [t for t in self._seen.get(address, ()) if now - t < self.window_s]
        if recent:
            self._seen[address] = recent
        else:
            self._seen.pop(address, None)
        return self.window_s - (now - recent[-self.misses]) if len(recent) >= self.misses else 0.0

    def attempt(self, address: str, now: float) -> float:
        """0 and the try counted as a miss before the lookup runs (so that requests sent at
        once cannot all pass the check before any is counted), or the wait. A try that
        finds something is given back with `hit`."""
        wait = self.wait_s(address, now)
        if not wait:
            self.missed(address, now)
        return wait

    def hit(self, address: str, now: float) -> None:
        """The try made at `now` found what it asked for: it was no miss."""
        seen = self._seen.get(address)
        if seen and now in seen:
            seen.remove(now)

    def missed(self, address: str, now: float) -> None:
        self._seen.setdefault(address, []).append(now)
        if len(self._seen) > 10000:      # a flood from many addresses: forget the oldest
            self._seen.pop(next(iter(self._seen)))
