"""Back to the home screen when nobody has touched the kiosk for a while."""
from __future__ import annotations

import math
import time


class IdleTimer:
    def __init__(self, timeout_s: float, clock=time.monotonic):
        self._clock = clock
        self.timeout_s = timeout_s
        self._since = clock()
        self.held = False          # while the kiosk itself is busy (a request in flight)
        self.limit_s: float | None = None   # a shorter time while personal data is shown

    def touch(self, timeout_s: float | None = None) -> None:
        """Someone touched the screen (or a new screen opened with its own timeout)."""
        if timeout_s is not None:
            self.timeout_s = timeout_s
        self._since = self._clock()

    @property
    def effective_s(self) -> float:
        """The timeout that counts now: the screen's own, or the shorter limit."""
        if self.limit_s is None:
            return self.timeout_s
        return min(self.timeout_s, self.limit_s)

    def remaining(self) -> int:
        """Whole seconds left, as the countdown shows them."""
        if self.held:
            return math.ceil(self.effective_s)
        return max(0, math.ceil(self.effective_s - (self._clock() - self._since)))

    def expired(self) -> bool:
        return not self.held and self._clock() - self._since >= self.effective_s
