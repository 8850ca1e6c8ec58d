"""The kiosk's screens, one per file. Each module assigns its KioskScreen subclass to
SCREEN; `screen_classes()` finds them all, so adding a screen means adding one file."""
from __future__ import annotations

import importlib
import pkgutil


def screen_classes() -> list[type]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        cls = getattr(module, "SCREEN", None)
        if cls is not None:
            found.append(cls)
    return sorted(found, key=lambda cls: cls.name_)
