"""Sessions, CSRF tokens and roles of the web console (pure, no I/O).

Sessions live in memory, and only for staff who logged in: a restart of the server logs
everyone out, which is what a hall wants after an update anyway, and keeps session tokens
out of the database and backups. Password guessing: queue_server.login_limits;
guessing links and number + last-four pairs: queue_server.guess_limits.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import OrderedDict
from dataclasses import dataclass

from hall.words import STAFF_ROLE

# Who may do what: an admin may do everything a manager may, a manager everything staff may.
_RANK = {"public": -1, "window": 0, "manager": 1, "admin": 2}

SESSION_IDLE_S = 10 * 3600        # a working day plus lunch
MAX_SESSIONS = 2000               # logged-in browsers; beyond, the longest idle is logged out


def allows(role: str | None, needed: str) -> bool:
    """Whether a session of `role` may use something that needs `needed` ("public" = anyone)."""
    if needed == "public":
        return True
    return role is not None and _RANK[role] >= _RANK[needed]


@dataclass
class LoginSession:
    """A browser's session with the console (its cookie): a logged-in staff member's, or an
    unstored visitor's. Not kiosk.session.Session, which is one citizen's visit at a kiosk."""
    token: str
    csrf: str
    last_seen: float
    staff: str | None = None
    name: str = ""
    role: str | None = None
    window: str | None = None           # the window this session calls for, if any
    stamp: str | None = None            # the account as logged in with (StaffDirectory.stamp)

    def public(self) -> dict:
        return {"staff": self.staff, "name": self.name, "role": self.role,
                "role_name": STAFF_ROLE.get(self.role or "", ""), "window": self.window,
                "csrf": self.csrf}


class SessionStore:
    """Logged-in sessions only, oldest use first, so expiry looks at the stale end and never
    scans the rest. A visitor who has not logged in gets a token that is not stored: its
    CSRF token is derived from it with this store's key (`anonymous`)."""

    def __init__(self, idle_s: float = SESSION_IDLE_S, limit: int = MAX_SESSIONS):
        self.idle_s, self.limit = idle_s, limit
        self._key = secrets.token_bytes(32)
        self._by_token: OrderedDict[str, LoginSession] = OrderedDict()

    def __len__(self) -> int:
        return len(self._by_token)

    def get(self, token: str | None, now: float) -> LoginSession | None:
        self._expire(now)
        session = self._by_token.get(token or "")
        if session is not None:
            session.last_seen = now
            self._by_token.move_to_end(session.token)
        return session

    def anonymous(self, token: str | None, now: float) -> LoginSession:
        """The visitor of an unstored token (a new one when None), with its CSRF token."""
        token = token or secrets.token_urlsafe(32)
        csrf = hmac.new(self._key, token.encode(), hashlib.sha256).hexdigest()
        return LoginSession(token, csrf, now)

    def login(self, staff: dict, now: float) -> LoginSession:
        """A fresh session for a staff member: a new token, so the pre-login one (perhaps set
        by someone else) never becomes a login (no session fixation)."""
        self._expire(now)
        session = LoginSession(secrets.token_urlsafe(32), secrets.token_urlsafe(24), now,
                          staff=staff["id"], name=staff["name"], role=staff["role"], stamp=staff["stamp"])
        self._by_token[session.token] = session
        while len(self._by_token) > self.limit:
            self._by_token.popitem(last=False)
        return session

    def drop(self, token: str) -> None:
        self._by_token.pop(token, None)

    def of_window(self, window: str) -> list[LoginSession]:
        return [s for s in self._by_token.values() if s.window == window]

    def of_staff(self, staff: str) -> list[LoginSession]:
        return [s for s in self._by_token.values() if s.staff == staff]

    def _expire(self, now: float) -> None:
        while self._by_token:
            oldest = next(iter(self._by_token.values()))
            if now - oldest.last_seen <= self.idle_s:
                return
            self._by_token.popitem(last=False)


def csrf_ok(session: LoginSession | None, presented: str | None) -> bool:
    return bool(session and presented) and hmac.compare_digest(session.csrf, presented)
