"""The one password-guessing policy (docs/security.md): slow every guesser, lock nobody out."""
from queue_server import login_limits
from queue_server.login_limits import LoginLimiter


class Clock:
    now = 1000.0

    def __call__(self):
        return self.now


def test_parallel_tries_see_each_other_before_any_password_is_checked():
    limiter = LoginLimiter(clock=Clock())
    # 300 tries at once, none of them answered yet: only the free ones go ahead
    allowed = [limiter.attempt("admin", "10.0.0.9") == 0 for _ in range(300)]
    assert sum(allowed) == login_limits.FREE_TRIES


def test_a_right_password_clears_only_its_own_account_and_source():
    clock = Clock()
    limiter = LoginLimiter(clock=clock)
    for _ in range(login_limits.FREE_TRIES):
        assert limiter.attempt("admin", "10.0.0.9") == 0
        assert limiter.attempt("w1", "10.0.0.9") == 0
    limiter.succeeded("w1", "10.0.0.9")
    assert limiter.attempt("admin", "10.0.0.9") > 0, "a login on another account reset the guesses"


def test_a_guessed_account_is_slowed_for_guessers_but_open_from_a_clean_source():
    clock = Clock()
    limiter = LoginLimiter(clock=clock)
    for n in range(login_limits.ATTACK_FAILURES):   # from many sources, one try each
        assert limiter.attempt("admin", f"10.0.1.{n}") == 0
    clock.now += 5
    assert limiter.attempt("admin", "10.0.1.0") > 50, "an attacking source keeps guessing fast"
    assert limiter.attempt("admin", "10.0.0.1") == 0, "the admin at his own desk was locked out"
    limiter.succeeded("admin", "10.0.0.1")
    clock.now += login_limits.MAX_DELAY_S
    assert limiter.attempt("admin", "10.0.1.0") == 0   # slowed, never locked


def test_one_source_guessing_many_accounts_is_slowed_even_with_its_own_logins_between():
    clock = Clock()
    limiter = LoginLimiter(clock=clock)
    for n in range(login_limits.SOURCE_FREE_TRIES):        # a few guesses on each of many accounts
        assert limiter.attempt(f"x{n:02d}", "10.0.0.66") == 0
        if n % 4 == 2:                                       # and its own account, logged in right
            assert limiter.attempt("w1", "10.0.0.66") == 0
            limiter.succeeded("w1", "10.0.0.66")
    assert limiter.attempt("x99", "10.0.0.66") > 0, "a guesser reset his address with his own login"
    assert limiter.attempt("x99", "10.0.0.67") == 0         # other machines go on
    clock.now += login_limits.ATTACK_WINDOW_S + 1
    assert limiter.attempt("x99", "10.0.0.66") == 0         # forgotten after a quiet while
