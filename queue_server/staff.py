"""Staff accounts (工作人员): who may log in to a window or the console, argon2 hashes.

It keeps its own SQLite connection, so checking a password (tens of milliseconds of argon2
on purpose) never holds up the queue while the hall's lock is taken.
"""
from __future__ import annotations

import functools
import hashlib
import re
import sqlite3
import threading
import time
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from hall.words import STAFF_ROLE

from .store import connect, transaction

if TYPE_CHECKING:
    from argon2 import PasswordHasher

STAFF_ROLES = ("window", "manager", "admin")   # what a staff account may do in the console
ROLE_CHOICES = "角色只能是" + "、".join(STAFF_ROLE[r] for r in STAFF_ROLES[:-1]) + \
    "或" + STAFF_ROLE[STAFF_ROLES[-1]]
_ID = re.compile(r"[A-Za-z0-9_.-]{1,32}")
MIN_PASSWORD = 8      # NIST SP 800-63B's minimum for chosen passwords, with the list below
# A name starting with these is a formula in Excel/WPS (=HYPERLINK(...) in an export).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def default_hasher() -> PasswordHasher:
    """OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane): tens of ms on a 2-core hall
    server, where the library default (64 MiB, 4 lanes) takes about half a second.
    Imported here, at the first password checked or set: not at the server's start (0.5 MB)."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


class StaffError(ValueError):
    """A refused account change; the message is shown to the hall administrator."""


@dataclass(frozen=True)
class Staff:
    staff_id: str
    name: str
    role: str
    active: bool


class StaffDirectory:
    def __init__(self, db_path: str, hasher: PasswordHasher | None = None):
        self._db = connect(db_path)          # the Store has migrated the file already
        self._given_hasher = hasher
        self._lock = threading.Lock()
        self._dummy: str | None = None     # hashed on first use: unknown ids cost the same

    def close(self) -> None:
        self._db.conn.close()

    @functools.cached_property
    def _hasher(self) -> PasswordHasher:
        return self._given_hasher or default_hasher()

    def add(self, staff_id: str, name: str, role: str, password: str) -> Staff:
        if not isinstance(staff_id, str) or not _ID.fullmatch(staff_id):
            raise StaffError("工号只能用字母、数字、点、横线和下划线，最多32位")
        if not isinstance(name, str) or not name.strip():
            raise StaffError("请填写姓名")
        if name.strip().startswith(FORMULA_START):
            raise StaffError("姓名不能以 = + - @ 开头")
        if role not in STAFF_ROLES:
            raise StaffError(ROLE_CHOICES)
        hashed = self._hash(password)
        with self._lock:
            try:
                self._db.execute("INSERT INTO staff VALUES (?, ?, ?, ?, 1, ?)",
                                 [staff_id, name.strip(), role, hashed, time.time()])
            except sqlite3.IntegrityError:
                raise StaffError("工号已存在") from None
        return Staff(staff_id, name.strip(), role, True)

    def verify(self, staff_id: object, password: object) -> Staff | None:
        """The active account these credentials open, else None (same cost either way)."""
        row = self._row(staff_id) if isinstance(staff_id, str) else None
        if row is None and self._dummy is None:
            self._dummy = self._hasher.hash("no such staff")
        stored = row["password_hash"] if row else self._dummy
        from argon2.exceptions import InvalidHashError, VerificationError

        try:
            self._hasher.verify(stored, password if isinstance(password, str) else "")
        except (VerificationError, InvalidHashError):
            return None
        if not row or not row["active"]:
            return None
        if self._hasher.check_needs_rehash(stored):
            self._write("UPDATE staff SET password_hash = ? WHERE staff_id = ?",
                        [self._hasher.hash(password), staff_id])
        return _staff(row)

    def get(self, staff_id: str) -> Staff | None:
        row = self._row(staff_id)
        return _staff(row) if row else None

    def list(self) -> list[Staff]:
        with self._lock:
            return [_staff(r) for r in self._db.query("SELECT * FROM staff ORDER BY staff_id")]

    def set_password(self, staff_id: str, password: str) -> None:
        self._write("UPDATE staff SET password_hash = ? WHERE staff_id = ?",
                    [self._hash(password), staff_id])

    def set_active(self, staff_id: str, active: bool) -> None:
        self._write("UPDATE staff SET active = ? WHERE staff_id = ?", [int(bool(active)), staff_id],
                    keeps_admin=True)

    def set_role(self, staff_id: str, role: str) -> None:
        if role not in STAFF_ROLES:
            raise StaffError(ROLE_CHOICES)
        self._write("UPDATE staff SET role = ? WHERE staff_id = ?", [role, staff_id], keeps_admin=True)

    def stamp(self, staff_id: str) -> str | None:
        """What a login session was opened with: it changes with the account's role, password
        and state, and is None once the account cannot log in (a session ends then)."""
        row = self._row(staff_id)
        if row is None or not row["active"]:
            return None
        return hashlib.sha256(f"{row['role']}|{row['password_hash']}".encode()).hexdigest()

    def _hash(self, password: object) -> str:
        check_password(password)
        return self._hasher.hash(password)

    def _row(self, staff_id: str) -> dict | None:
        with self._lock:
            return next(self._db.query("SELECT * FROM staff WHERE staff_id = ?", [staff_id]), None)

    def _write(self, sql: str, params: list, keeps_admin: bool = False) -> None:
        """One account change; with keeps_admin, refused when it takes
        the hall's last active admin away (checked in the same transaction, so two admins
        cannot demote each other at the same moment)."""
        admins = "SELECT count(*) FROM staff WHERE role = 'admin' AND active = 1"
        with self._lock, transaction(self._db):
            before = self._db.execute(admins).fetchone()[0]
            if self._db.execute(sql, params).rowcount != 1:
                raise StaffError("没有这个工号")
            if keeps_admin and before and not self._db.execute(admins).fetchone()[0]:
                raise StaffError("至少要保留一个启用的系统管理员账号")


def check_password(password: object) -> None:
    """The minimum for every account; StaffError says what is wrong, in Chinese."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise StaffError(f"密码至少{MIN_PASSWORD}位")
    if len(set(password)) == 1 or not password.strip():
        raise StaffError("密码不能全是同一个字符或空格")
    if password.lower() in _common_passwords():
        raise StaffError("这个密码太常见，容易被猜中，请换一个")


@functools.cache
def _common_passwords() -> frozenset[str]:
    text = resources.files("queue_server").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def _staff(row: dict) -> Staff:
    return Staff(row["staff_id"], row["name"], row["role"], bool(row["active"]))
