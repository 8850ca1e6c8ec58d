"""Device health as reported on the hall bus `devices` topic (ok / warning / error / absent)."""
from __future__ import annotations

from dataclasses import dataclass

STATES = ("ok", "warning", "error", "absent")


@dataclass(frozen=True)
class Health:
    state: str = "ok"
    code: str = ""        # machine-readable: paper_near_end, paper_out, no_reply, ...
    message: str = ""     # plain Chinese for hall workers: "打印机缺纸"

    def __post_init__(self) -> None:
        if self.state not in STATES:
            raise ValueError(f"health state {self.state!r} is not one of {STATES}")

    def as_dict(self) -> dict:
        out = {"state": self.state}
        if self.code:
            out["code"] = self.code
        if self.message:
            out["message"] = self.message
        return out


OK = Health()


class DeviceError(Exception):
    """A device failed in a way the hall should hear about; carries the Health to report."""

    def __init__(self, code: str, message: str, state: str = "error"):
        super().__init__(f"{code}: {message}")
        self.health = Health(state, code, message)

    @property
    def code(self) -> str:
        return self.health.code
