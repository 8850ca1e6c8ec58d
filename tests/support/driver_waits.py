"""Waiting helpers of the driver tests: a driver call that must return, a condition that must
come true; both fail the test instead of hanging the suite."""
from __future__ import annotations

import threading
import time


def bounded(call, limit=5.0):
    """Run `call` on a thread; {"value": ...} or {"error": exception}; fails if it hangs."""
    box = {}

    def run():
        try:
            box["value"] = call()
        except Exception as exc:   # handed back to the test to inspect
            box["error"] = exc
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(limit)
    assert not thread.is_alive(), "the driver call did not return"
    return box


def wait_until(condition, limit=5.0):
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)
