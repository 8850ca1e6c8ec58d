"""An accelerated hall clock, shared by `yichuang simulate` and the server it drives.

The simulation and the server each build the same SimClock from one option string, so a
server killed and started again mid-day reads the same simulated time as the citizens and
windows around it. Real time is Unix time (time.time), the one clock both processes share.
"""
from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(frozen=True)
class SimClock:
    sim_start: float     # simulated Unix time at real_start
    real_start: float    # real Unix time
    speed: float         # simulated seconds per real second

    def __post_init__(self) -> None:
        if not self.speed > 0:
            raise ValueError("the clock speed must be positive")

    def __call__(self) -> float:
        """Simulated Unix time now (what HallService takes as its clock)."""
        return self.sim(time.time())

    def sim(self, real: float) -> float:
        return self.sim_start + (real - self.real_start) * self.speed

    def real(self, sim: float) -> float:
        return self.real_start + (sim - self.sim_start) / self.speed

    def sleep_until(self, sim: float) -> None:
        delay = self.real(sim) - time.time()
        if delay > 0:
            time.sleep(delay)

    def sleep(self, sim_seconds: float) -> None:
        time.sleep(max(0.0, sim_seconds / self.speed))

    def option(self) -> str:
        """The value of `yichuang server --sim-clock`."""
        return f"{self.sim_start!r},{self.real_start!r},{self.speed!r}"

    @classmethod
    def parse(cls, text: str) -> "SimClock":
        try:
            sim_start, real_start, speed = (float(part) for part in text.split(","))
        except ValueError:
            raise ValueError(f"--sim-clock {text!r} must be SIM_START,REAL_START,SPEED") from None
        return cls(sim_start, real_start, speed)
