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


class TracksHealth:
    """Base of a driver that remembers what its last exchange said about the device.

    A subclass sets `error_class` (its own DeviceError subclass) and implements `probe()`,
    one harmless exchange used when nobody has asked the device anything yet.
    """

    error_class: type[DeviceError] = DeviceError
    _health: Health | None = None

    @property
    def health(self) -> Health | None:
        """The last known health, without any I/O; None before the first exchange."""
        return self._health

    def probe(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def get_status(self) -> dict:
        """Health as a dict; asks the device once when nothing was heard from it yet."""
        if self._health is None:
            try:
                self.probe()
            except DeviceError:
                pass
        return self._health.as_dict()

    def _failed(self, exc: DeviceError) -> DeviceError:
        """Record `exc`'s health; a transport error comes back as this driver's own class."""
        self._health = exc.health
        if isinstance(exc, self.error_class):
            return exc
        return self.error_class(exc.code, exc.health.message, exc.health.state)
