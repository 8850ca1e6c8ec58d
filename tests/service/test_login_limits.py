"""The password-guessing policy shared by the web login and window.login (docs/security.md)."""
from __future__ import annotations

import threading

from queue_server.login_limits import (ACCOUNT_FREE, ADDRESS_FREE, FIRST_DELAY_S, PAIR_FREE,
                                       LoginLimiter)

T0 = 1763686800.0


def fail(limiter: LoginLimiter, account: str, source: str, now: float = T0) -> float:
    wait = limiter.check(account, source, now)
    if wait == 0:
        limiter.record_failure(account, source, now)
    return wait


def test_five_wrong_passwords_are_free_then_each_try_waits_longer():
    limiter = LoginLimiter()
    for _ in range(PAIR_FREE):
        assert fail(limiter, "w01", "10.0.0.5") == 0
    assert limiter.check("w01", "10.0.0.5", T0) == FIRST_DELAY_S
    assert fail(limiter, "w01", "10.0.0.5", T0 + FIRST_DELAY_S) == 0
    assert limiter.check("w01", "10.0.0.5", T0 + FIRST_DELAY_S) == 2 * FIRST_DELAY_S
    assert limiter.check("w02", "10.0.0.5", T0) == 0                     # another account: free


def test_a_try_is_counted_before_it_is_verified():
    """300 guesses at once: only the free ones get through to the password check."""
    limiter = LoginLimiter()
    passed = []
    threads = [threading.Thread(target=lambda: passed.append(limiter.check("m01", "10.0.0.5", T0) == 0))
               for _ in range(300)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert passed.count(True) == PAIR_FREE


def test_a_strangers_guesses_do_not_lock_the_manager_out():
    limiter = LoginLimiter()
    for i in range(ADDRESS_FREE):
        fail(limiter, "m01", f"10.0.1.{i % 4}")                          # four machines guessing
    assert limiter.check("m01", "10.0.1.0", T0) > 0                      # each of them is slowed down
    assert limiter.check("m01", "10.0.1.9", T0 + 1) == 0                 # a fresh guessing machine: one try,
    limiter.record_failure("m01", "10.0.1.9", T0 + 1)
    assert limiter.check("m01", "10.0.1.9", T0 + 2) > 0                  # then it waits like the others
    assert limiter.check("m01", "10.0.0.5", T0 + 2) == 0                 # the manager's clean machine passes
    limiter.record_success("m01", "10.0.0.5")
    assert limiter.check("m01", "10.0.0.5", T0 + 3) == 0


def test_a_right_password_does_not_reset_the_address():
    """One machine guessing many accounts, logging in to its own one in between."""
    limiter = LoginLimiter()
    for i in range(ADDRESS_FREE):
        fail(limiter, f"x{i:02d}", "10.0.0.66")
        if i % 4 == 2:
            assert limiter.check("w01", "10.0.0.66", T0) == 0
            limiter.record_success("w01", "10.0.0.66")
    assert limiter.check("x99", "10.0.0.66", T0) == FIRST_DELAY_S
    assert limiter.check("w01", "10.0.0.66", T0) == FIRST_DELAY_S
    assert limiter.check("x99", "10.0.0.67", T0) == 0                    # other machines go on


def test_account_slowdown_and_forgetting():
    limiter = LoginLimiter()
    for i in range(ACCOUNT_FREE):
        fail(limiter, "a01", f"10.0.2.{i}")
    assert limiter.check("a01", "10.0.2.0", T0) == FIRST_DELAY_S        # a failed machine waits
    assert limiter.check("a01", "10.0.2.0", T0 + 3601) == 0              # an hour later all is forgotten
