"""A named thread that runs device jobs one after another (printing, speaking), so slow
hardware never blocks the UI thread or the network thread."""
from __future__ import annotations

import logging
import queue
import threading

log = logging.getLogger(__name__)


class Worker:
    def __init__(self, name: str):
        self.name = name
        self._jobs: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn, *args) -> None:
        self._jobs.put((fn, args))

    def stop(self, timeout: float = 3.0) -> None:
        self._jobs.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            fn, args = job
            try:
                fn(*args)
            except Exception:      # one failed job must not stop the kiosk's devices
                log.exception("%s: job %s failed", self.name, getattr(fn, "__name__", fn))
