"""Applications (办件): what a citizen files for a service item, from submission to collection.

model.py is pure (the standard library and the engine's error type): the states, who may move
an application from which state, the materials check (容缺受理, 告知承诺) and the deadline in
working days. sealing.py encrypts what is personal; senders.py tells the citizen.
"""
from .model import (ACTIONS, STATES, Application, deadline_status, due_date, materials_missing,
                    new_application, transition)

__all__ = ["ACTIONS", "STATES", "Application", "deadline_status", "due_date", "materials_missing",
           "new_application", "transition"]
