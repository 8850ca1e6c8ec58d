"""A driver's own daemon thread: `start()` runs `_run()` until `stop()`.

Pollers, the window bus and frame sources all keep their device's I/O off the caller's
thread this way; `_run` loops until `self._stop` is set and waits on it between rounds.
"""
from __future__ import annotations

import threading


class DriverThread:
    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def thread_name(self) -> str:
        return type(self).__name__

    def start(self):
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self.thread_name(), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._interrupt()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _interrupt(self) -> None:
        """Wake `_run` from whatever else it waits on (the stop event wakes it by itself)."""

    def _run(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError
