"""How fast passwords may be tried: one limiter for every login path (web console, window.login).

The policy (docs/security.md, "Password guessing"):

- account at one address: 5 wrong passwords are free (people mistype), then each try waits
  10 s, doubling up to 15 min;
- one address, all accounts together: 20 free, then the same growing wait (one machine
  trying many accounts);
- one account, all addresses together: 10 free, then the same growing wait, but only for
  addresses that have a wrong password on record. A stranger's guesses therefore slow the
  account down for every guessing machine without locking the manager out: their right
  password from a machine without failures still goes through.

A try counts as a failure from the moment it is let through (`check` reserves it), so a
burst of parallel guesses cannot all pass the check while the first ones are still being
verified; a right password gives its reservation back. Only an account's own counter at
that address is reset by a right password: the address and the account keep the rest.
Counters are forgotten after an hour without failures. Thread-safe; bounded in memory.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

FIRST_DELAY_S = 10.0
MAX_DELAY_S = 15 * 60.0
FORGET_S = 3600.0
PAIR_FREE = 5          # account at one address
ADDRESS_FREE = 20      # one address, every account
ACCOUNT_FREE = 10      # one account, every address that has failed before
MAX_ENTRIES = 50_000   # a flood of made-up accounts or addresses: the oldest are forgotten


@dataclass
class _Count:
    failures: int = 0
    last: float = 0.0

    def wait_s(self, free: int, now: float) -> float:
        if self.failures < free:
            return 0.0
        delay = min(FIRST_DELAY_S * 2 ** min(self.failures - free, 32), MAX_DELAY_S)
        return max(0.0, self.last + delay - now)


class LoginLimiter:
    def __init__(self, clock=time.time):
        self._clock = clock
        self._counts: OrderedDict[tuple, _Count] = OrderedDict()
        self._lock = threading.Lock()

    def check(self, account: str, source: str, now: float | None = None) -> float:
        """0 and the try is reserved (counted as a failure until record_success); else the
        seconds to wait, and nothing is counted."""
        now = self._clock() if now is None else now
        with self._lock:
            wait = self._wait_s(account, source, now)
            if wait == 0:
                for key in _keys(account, source):
                    count = self._touch(key, now)
                    count.failures += 1
            return wait

    def record_failure(self, account: str, source: str, now: float | None = None) -> None:
        """The reserved try was wrong: its waits run from now (verifying took a while)."""
        now = self._clock() if now is None else now
        with self._lock:
            for key in _keys(account, source):
                self._touch(key, now)

    def record_success(self, account: str, source: str) -> None:
        """The reserved try was right: the account's counter at this address starts over; the
        address and the account get the reservation back, and keep their other failures."""
        with self._lock:
            self._counts.pop(("pair", account, source), None)
            for key in _keys(account, source)[1:]:
                count = self._counts.get(key)
                if count is not None:
                    count.failures = max(0, count.failures - 1)

    def _wait_s(self, account: str, source: str, now: float) -> float:
        pair, address, whole = (self._live(k, now) for k in _keys(account, source))
        waits = [pair.wait_s(PAIR_FREE, now), address.wait_s(ADDRESS_FREE, now)]
        if address.failures:
            waits.append(whole.wait_s(ACCOUNT_FREE, now))
        return max(waits)

    def _live(self, key: tuple, now: float) -> _Count:
        count = self._counts.get(key)
        if count is None or now - count.last > FORGET_S:
            self._counts.pop(key, None)
            return _Count()
        return count

    def _touch(self, key: tuple, now: float) -> _Count:
        count = self._live(key, now)
        count.last = now
        self._counts[key] = count
        self._counts.move_to_end(key)
        while len(self._counts) > MAX_ENTRIES:
            self._counts.popitem(last=False)
        return count


def _keys(account: str, source: str) -> tuple[tuple, tuple, tuple]:
    return ("pair", account, source), ("address", source), ("account", account)
