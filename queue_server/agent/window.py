"""What the agent knows of one window, from its retained state: pure logic, no I/O.

- the text its LED display shows for each window state;
- which request a keypad key becomes (one pause_resume key pauses or resumes);
- which ticket an evaluator press rates: the one at the window now (calling or serving),
  else the one it just finished; each ticket is rated once.
"""
from __future__ import annotations

from hall.words import DISPLAY_OPEN, DISPLAY_PAUSED, call_display_line

HELD_STATES = ("calling", "serving")


def display_lines(state: dict, name: str) -> list[str] | None:
    """Two lines a citizen reads; None means dark (the window is closed)."""
    name = state.get("name") or name
    kind = state.get("state")
    if kind in HELD_STATES and state.get("ticket"):
        return [state["ticket"], call_display_line(name)]
    if kind == "paused":
        return [name, DISPLAY_PAUSED]
    if kind in ("idle", *HELD_STATES):
        return [name, DISPLAY_OPEN]
    return None


def call_lines(event: dict, name: str) -> list[str]:
    """What the display shows for an event/call (the same as its calling state)."""
    return [event["ticket"], call_display_line(event.get("window_name") or name)]


class WindowView:
    def __init__(self, window_id: str, name: str):
        self.window_id = window_id
        self.name = name
        self.state: dict = {}
        self._to_rate: str | None = None

    def update(self, state: dict) -> list[str] | None:
        """Take a new window state; returns the display lines for it."""
        if state.get("state") in HELD_STATES and state.get("ticket"):
            self._to_rate = state["ticket"]
        elif state.get("state") == "closed":
            self._to_rate = None            # the window closed: nobody is left to rate it
        self.state = dict(state)
        return display_lines(state, self.name)

    def request_for(self, key: str) -> str:
        """The window.* action of a keypad key."""
        if key == "pause_resume":
            key = "resume" if self.state.get("state") == "paused" else "pause"
        return f"window.{key}"

    def take_ticket_to_rate(self) -> str | None:
        """The ticket an evaluator press rates now (then forgotten: rated once)."""
        ticket, self._to_rate = self._to_rate, None
        return ticket
