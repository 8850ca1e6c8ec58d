"""How a change of an application reaches the citizen's phone: a pluggable sender.

A sender has one method, send(phone, text). The hall's SMS gateway plugs in here (none is
shipped); FileSender writes each message as a JSON line to a file (tests, trials), and
NoSender drops them (the default: a hall without a gateway still shows the phone page).
The service sends only after the change is committed, never from inside a transaction.
"""
from __future__ import annotations

import json
import logging
import os
import threading
from typing import Protocol

log = logging.getLogger(__name__)


class Sender(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class NoSender:
    def send(self, phone: str, text: str) -> None:
        pass


class FileSender:
    """Appends {"to": phone, "text": text} lines to `path` (0600: it holds phone numbers)."""

    def __init__(self, path: str):
        self.path = path
        self._lock = threading.Lock()

    def send(self, phone: str, text: str) -> None:
        line = json.dumps({"to": phone, "text": text}, ensure_ascii=False) + "\n"
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(fd, line.encode())
            finally:
                os.close(fd)


def send_all(sender: Sender, messages: list[tuple[str, str, str]]) -> None:
    """Send each message; a failing gateway costs a message, never the hall (the phone page
    still shows the state). The log names the application, never the phone or the text."""
    for phone, text, number in messages:
        try:
            sender.send(phone, text)
        except Exception:
            log.exception("sending the message about application %s failed", number)
