"""Typing an ID number (or an appointment code) on the big on-screen keypad."""
from __future__ import annotations

from . import idcard


class Entry:
    """What has been typed so far. `x_last` allows X only as the 18th character."""

    def __init__(self, length: int = 18, x_last: bool = True):
        self.length = length
        self.x_last = x_last
        self.text = ""

    def press(self, key: str) -> bool:
        """A key of the keypad: a digit, "X", "back" or "clear"; False when not accepted."""
        if key == "back":
            self.text = self.text[:-1]
            return True
        if key == "clear":
            self.text = ""
            return True
        if len(self.text) >= self.length:
            return False
        if key.isdigit() and len(key) == 1:
            self.text += key
            return True
        if key.upper() == "X" and self.x_last and len(self.text) == self.length - 1:
            self.text += "X"
            return True
        return False

    @property
    def complete(self) -> bool:
        return len(self.text) == self.length

    def shown(self) -> str:
        """Grouped for reading back: 110101 19490101 123X."""
        groups = (self.text[:6], self.text[6:14], self.text[14:])
        return " ".join(g for g in groups if g)

    def problem(self) -> str:
        """For an ID number: why it is not valid ("" when it is)."""
        return idcard.problem(self.text) if self.x_last else ""
