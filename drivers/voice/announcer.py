"""The voice announcer (语音叫号): one queue, one worker, one announcement at a time.

`announce(event)` only queues (it is called from the MQTT thread). The worker renders the
announcement (chime, then the call `repeat` times with a pause between) and plays it to the
end before taking the next, so announcements never overlap and are never cut off. A repeated
delivery of the same call (same ticket, window and attempt: an MQTT QoS 1 redelivery) is said
once; a recall carries the next attempt number and is announced again.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from ..health import OK, DeviceError, Health
from .audio import Pcm, chime, silence, to_wav
from .phrases import sentence_tokens

log = logging.getLogger(__name__)
_REMEMBERED_CALLS = 256


@dataclass
class Announcement:
    event: dict
    received: float = field(default_factory=time.monotonic)
    first_sample: float | None = None       # when its first sample went to the output
    finished: float | None = None
    error: str = ""


class Announcer:
    def __init__(self, engine, output, *, repeat: int = 2, gap_s: float = 0.8,
                 chime: bool = True):
        self.engine = engine
        self.output = output
        self.repeat = repeat
        self.gap_s = gap_s
        self.use_chime = chime
        self.health: Health = OK
        self.done: list[Announcement] = []
        self._queue: queue.Queue[Announcement | None] = queue.Queue()
        self._seen: OrderedDict[tuple, None] = OrderedDict()
        self._thread: threading.Thread | None = None
        self._pending = 0
        self._changed = threading.Condition()

    # -- life cycle ---------------------------------------------------------------------
    def start(self) -> "Announcer":
        self._thread = threading.Thread(target=self._run, name="announcer", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Finish what is queued (never cut off), then stop."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout)
            self._thread = None

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """True once everything queued has been said."""
        with self._changed:
            return self._changed.wait_for(lambda: self._pending == 0, timeout)

    # -- queueing -----------------------------------------------------------------------
    def announce(self, event: dict) -> bool:
        """Queue a call (an event/call payload: its `text` is said); False if this exact call
        was already queued."""
        key = (event.get("ticket"), event.get("window"), event.get("attempt", 1))
        if key in self._seen:
            return False
        self._seen[key] = None
        while len(self._seen) > _REMEMBERED_CALLS:
            self._seen.popitem(last=False)
        with self._changed:
            self._pending += 1
        self._queue.put(Announcement(dict(event)))
        return True

    # -- the worker ---------------------------------------------------------------------
    def render(self, event: dict) -> list[Pcm]:
        speech = self.engine.render(sentence_tokens(event["text"]))
        pieces = [chime(), silence(0.2)] if self.use_chime else []
        for i in range(self.repeat):
            pieces += ([silence(self.gap_s)] if i else []) + speech
        return pieces

    def _run(self) -> None:
        self._prepare()
        while True:
            item = self._queue.get()
            if item is None:
                return
            self._say(item)
            with self._changed:
                self._pending -= 1
                self._changed.notify_all()

    def _prepare(self) -> None:
        """Generate a clip engine's missing clips before the first call needs them."""
        prepare = getattr(self.engine, "prepare", None)
        if prepare is None:
            return
        try:
            made = prepare()
            if made:
                log.info("generated %d voice clips", made)
        except DeviceError as exc:
            self.health = exc.health
            log.warning("voice clips could not be generated: %s", exc)

    def _say(self, item: Announcement) -> None:
        def first_sample() -> None:
            item.first_sample = time.monotonic()

        try:
            pieces = self.render(item.event)
            seconds = sum(p.seconds for p in pieces)
            self.output.play(to_wav(pieces), seconds, first_sample,
                             label=str(item.event.get("ticket", "")))
            self.health = OK
        except DeviceError as exc:
            item.error = exc.code
            self.health = exc.health
            log.warning("announcement of %s failed: %s", item.event.get("ticket"), exc)
        item.finished = time.monotonic()
        self.done.append(item)
