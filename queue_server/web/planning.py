"""Tomorrow's expected load and the windows it needs, for the manager's dashboard.

The plan (queue_server/sim/plan.py) plays simulated days for seconds to a minute of pure
Python: run in the server's process it would hold the interpreter from the bus that long.
So it runs in a child process (`python -m queue_server.sim.plan`, given its inputs
pickled on stdin, answering JSON on stdout), started when a manager first asks for a day's
plan and ended when it is done or the console stops; the answer is kept for that day. The child reads the same weekday of
the last weeks from the hall's database (SQLite readers do not block the server's writes).
Only a child that failed to run says so (the request fails, the next one tries again).
"""
from __future__ import annotations

import asyncio
import datetime as dt
import json
import pickle
import sys

from hall import words

TARGET_MIN = 20                # the longest normal wait the dashboard plans for


class TomorrowPlans:
    """Each day's plan, computed once (a second manager waits for the first one's)."""

    def __init__(self, service, config):
        self.service, self.config = service, config
        self._plans: dict[str, asyncio.Future] = {}
        self._child: asyncio.subprocess.Process | None = None

    async def of(self, day: dt.date) -> dict:
        key = day.isoformat()
        if key not in self._plans:
            self._plans = {key: asyncio.ensure_future(self._compute(day))}   # older days go
        try:
            figures = await asyncio.shield(self._plans[key])
        except Exception:
            self._plans.pop(key, None)        # the next manager to ask tries again
            raise
        return {"date": key, "weekday": words.WEEKDAYS[day.weekday()], "heading": words.PLAN_TOMORROW,
                **figures}

    async def _compute(self, day: dt.date) -> dict:
        from queue_server.service import HISTORY_WEEKS

        if not self.service.opens_on(day):
            return {"message": words.PLAN_CLOSED}
        inputs = pickle.dumps((self.config, self.service.store.path, day, HISTORY_WEEKS, TARGET_MIN * 60.0))
        self._child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "queue_server.sim.plan", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        out, _ = await self._child.communicate(inputs)
        if self._child.returncode != 0:
            raise RuntimeError(f"the plan's process ended with {self._child.returncode}")
        return json.loads(out)

    def stop(self) -> None:
        if self._child is not None and self._child.returncode is None:
            self._child.kill()
