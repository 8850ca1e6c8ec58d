"""The queue engine: pure logic of tickets, queues and windows (no I/O, no clock reads)."""
from .errors import CODES, EngineError
from .hall import Changes, HallEngine, ticket_number
from .model import TICKET_STATUSES, WINDOW_STATES, HallClock, Person, Ticket, WindowSlot
from .order import call_order, waiting_ahead
from .views import citizen_view, hall_state, queue_state, ticket_view, window_state

__all__ = [
    "CODES", "Changes", "EngineError", "HallClock", "HallEngine", "Person", "TICKET_STATUSES",
    "Ticket", "WINDOW_STATES", "WindowSlot", "call_order", "citizen_view", "hall_state",
    "queue_state", "ticket_number",
    "ticket_view", "waiting_ahead", "window_state",
]
