"""How fast a password may be guessed: one policy for every login path (docs/security.md).

    limiter = LoginLimiter()
    wait = limiter.attempt(account, source)   # before the password is checked
    if wait:                                  # refused, not checked, not counted
        refuse(f"请{math.ceil(wait)}秒后再试")
    elif password_ok:
        limiter.succeeded(account, source)

`source` is where the try comes from: a web client's address, a window's bus id.

- Each (account, source) has FREE_TRIES free tries (people mistype); after that each try
  waits FIRST_DELAY_S after the previous one, doubling up to MAX_DELAY_S.
- A try counts as failed from the moment it is allowed, before the (slow) password check:
  so parallel tries see each other, and only succeeded() takes it back. A right password
  clears only its own (account, source): it cannot reset a guesser's count on another
  account or from another source.
- One source trying many accounts: SOURCE_FREE_TRIES failures over all its accounts are
  free, then each of its tries waits the same growing delay. A right password gives back
  only its own try: logging in to one's own account does not wipe the record of guessing
  others (so a guesser with an account of his own cannot reset his source).
- An account under attack (ATTACK_FAILURES failures within ATTACK_WINDOW_S, from any
  sources) holds every source that has failed on it to MAX_DELAY_S. A source that has not
  failed on it keeps its free tries: nobody can lock the right password out, the managers'
  included; a stranger can only slow down the sources he guesses from.
- Failures older than ATTACK_WINDOW_S are forgotten. Memory is bounded (MAX_KEYS entries each, the least recently used forgotten first).
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass

FREE_TRIES = 3
SOURCE_FREE_TRIES = 20
FIRST_DELAY_S = 1.0
MAX_DELAY_S = 60.0
ATTACK_FAILURES = 30
ATTACK_WINDOW_S = 600.0
MAX_KEYS = 10_000


@dataclass
class _Tries:
    failed: int = 0
    last: float = 0.0


class LoginLimiter:
    """Thread-safe; `clock` is monotonic seconds (a test passes its own)."""

    def __init__(self, *, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._tries: OrderedDict[tuple[str, str], _Tries] = OrderedDict()
        self._sources: OrderedDict[str, _Tries] = OrderedDict()   # source -> failures on any account
        self._recent: OrderedDict[str, deque] = OrderedDict()   # account -> failure times

    def attempt(self, account: str, source: str) -> float:
        """0.0 when this try may go ahead (it counts as failed until succeeded()), else the
        seconds to wait before the next one is allowed (this one is refused, not counted)."""
        now = self._clock()
        with self._lock:
            tries = self._entry(self._tries, (account, source), _Tries)
            by_source = self._entry(self._sources, source, _Tries)
            for entry in (tries, by_source):
                if now - entry.last > ATTACK_WINDOW_S:   # old mistakes are forgiven
                    entry.failed = 0
            wait = max(tries.last + self._delay(tries.failed, self._under_attack(account, now)) - now,
                       by_source.last + _growing(by_source.failed, SOURCE_FREE_TRIES) - now)
            if wait > 0:
                return wait
            for entry in (tries, by_source):
                entry.failed += 1
                entry.last = now
            self._entry(self._recent, account, lambda: deque(maxlen=ATTACK_FAILURES)).append(now)
            return 0.0

    def succeeded(self, account: str, source: str) -> None:
        """The try was the right password: that source's count on that account starts over;
        its count over all accounts only gets this try back."""
        with self._lock:
            self._tries.pop((account, source), None)
            by_source = self._sources.get(source)
            if by_source and by_source.failed:
                by_source.failed -= 1
            recent = self._recent.get(account)
            if recent:
                recent.pop()   # that try was not a failure after all

    @staticmethod
    def _delay(failed: int, under_attack: bool) -> float:
        if failed == 0:
            return 0.0
        if under_attack:
            return MAX_DELAY_S
        return _growing(failed, FREE_TRIES)

    def _under_attack(self, account: str, now: float) -> bool:
        recent = self._recent.get(account)
        return bool(recent) and len(recent) == ATTACK_FAILURES and now - recent[0] < ATTACK_WINDOW_S

    @staticmethod
    def _entry(table: OrderedDict, key, make):
        entry = table.get(key)
        if entry is None:
            entry = table[key] = make()
            if len(table) > MAX_KEYS:
                table.popitem(last=False)
        else:
            table.move_to_end(key)
        return entry


def _growing(failed: int, free: int) -> float:
    """The wait after `failed` failures of which `free` cost nothing."""
    if failed < free:
        return 0.0
    return min(FIRST_DELAY_S * 2 ** min(failed - free, 32), MAX_DELAY_S)
