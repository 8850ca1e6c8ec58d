"""Sessions, CSRF tokens, roles and login rate limiting of the web console (pure, no I/O).

Sessions live in memory: a restart of the server logs everyone out, which is what a hall
wants after an update anyway, and keeps session tokens out of the database and backups.
"""
from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field

from hall.words import STAFF_ROLE

# Who may do what: an admin may do everything a manager may, a manager everything staff may.
_RANK = {"public": -1, "window": 0, "manager": 1, "admin": 2}

SESSION_IDLE_S = 10 * 3600        # a working day plus lunch
FREE_TRIES = 5                    # wrong passwords before the account is slowed down
FIRST_DELAY_S = 10.0              # wait after the 5th failure; doubles with each further one
MAX_DELAY_S = 15 * 60.0
IP_FREE_TRIES = 20                # one terminal guessing many accounts


def allows(role: str | None, needed: str) -> bool:
    """Whether a session of `role` may use something that needs `needed` ("public" = anyone)."""
    if needed == "public":
        return True
    return role is not None and _RANK[role] >= _RANK[needed]


@dataclass
class LoginSession:
    """A browser's session with the console (its cookie): anonymous until a staff member
    logs in. Not kiosk.session.Session, which is one citizen's visit at a kiosk."""
    token: str
    csrf: str
    last_seen: float
    staff: str | None = None
    name: str = ""
    role: str | None = None
    window: str | None = None           # the window this session calls for, if any

    def public(self) -> dict:
        return {"staff": self.staff, "name": self.name, "role": self.role,
                "role_name": STAFF_ROLE.get(self.role or "", ""), "window": self.window,
                "csrf": self.csrf}


@dataclass
class SessionStore:
    idle_s: float = SESSION_IDLE_S
    _by_token: dict[str, LoginSession] = field(default_factory=dict)

    def get(self, token: str | None, now: float) -> LoginSession | None:
        session = self._by_token.get(token or "")
        if session is None or now - session.last_seen > self.idle_s:
            self._by_token.pop(token or "", None)
            return None
        session.last_seen = now
        return session

    def new(self, now: float) -> LoginSession:
        self._expire(now)
        session = LoginSession(secrets.token_urlsafe(32), secrets.token_urlsafe(24), now)
        self._by_token[session.token] = session
        return session

    def login(self, old: LoginSession | None, staff: dict, now: float) -> LoginSession:
        """A fresh session for a staff member; the pre-login token dies (no session fixation)."""
        if old is not None:
            self.drop(old.token)
        session = self.new(now)
        session.staff, session.name, session.role = staff["id"], staff["name"], staff["role"]
        return session

    def drop(self, token: str) -> None:
        self._by_token.pop(token, None)

    def of_window(self, window: str) -> list[LoginSession]:
        return [s for s in self._by_token.values() if s.window == window]

    def _expire(self, now: float) -> None:
        for token in [t for t, s in self._by_token.items() if now - s.last_seen > self.idle_s]:
            del self._by_token[token]


def csrf_ok(session: LoginSession | None, presented: str | None) -> bool:
    return bool(session and presented) and hmac.compare_digest(session.csrf, presented)


@dataclass
class _Failures:
    count: int = 0
    blocked_until: float = 0.0


@dataclass
class LoginLimiter:
    """Slows down password guessing per account and per client address.

    Five wrong passwords in a row are free (people mistype); after that every further try
    waits FIRST_DELAY_S, doubling up to MAX_DELAY_S. A right password resets the account.
    """
    _failures: dict[str, _Failures] = field(default_factory=dict)

    def wait_s(self, staff: str, address: str, now: float) -> float:
        """Seconds before another try is accepted; 0 when it may go ahead."""
        keys = (f"staff:{staff}", f"ip:{address}")
        return max((max(0.0, self._failures[k].blocked_until - now) for k in keys if k in self._failures),
                   default=0.0)

    def failed(self, staff: str, address: str, now: float) -> None:
        for key, free in ((f"staff:{staff}", FREE_TRIES), (f"ip:{address}", IP_FREE_TRIES)):
            entry = self._failures.setdefault(key, _Failures())
            entry.count += 1
            if entry.count >= free:
                delay = FIRST_DELAY_S * 2 ** (entry.count - free)
                entry.blocked_until = now + min(delay, MAX_DELAY_S)

    def succeeded(self, staff: str, address: str) -> None:
        self._failures.pop(f"staff:{staff}", None)
        self._failures.pop(f"ip:{address}", None)


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

    def missed(self, address: str, now: float) -> None:
        self._seen.setdefault(address, []).append(now)
        if len(self._seen) > 10000:      # a flood from many addresses: forget the oldest
            self._seen.pop(next(iter(self._seen)))
