"""One bus connection feeding one worker thread: the shape of both ends of the sync.

The connection's callback only queues (topic, payload); the subclass's `_work` takes them off
`_inbox` in arrival order (None: stop), so all its database work runs on one thread.
"""
from __future__ import annotations

import queue
import threading

from hall.protocol.connection import BusConnection

from hall import __version__


class BusWorker:
    def __init__(self, name: str, site: str, client_id: str, broker: str, *,
                 tls_ca: str | None, subscriptions: tuple[str, ...]):
        self._inbox: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._worker = threading.Thread(target=self._work, name=name, daemon=True)
        self.bus = BusConnection(site, "server", client_id, broker, version=__version__,
                                 tls_ca=tls_ca, subscriptions=subscriptions,
                                 on_message=lambda t, p: self._inbox.put((t, p)))

    def _work(self) -> None:
        raise NotImplementedError

    def start(self):
        self._worker.start()
        self.bus.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._inbox.put(None)
        self._worker.join(10)
        self.bus.stop()
