"""Kivy settings that must be made before Kivy opens its window: call `configure()` first."""
from __future__ import annotations

import logging
import os

from .flows.mode import ORIENTATION_SIZES


def configure(orientation: str = "portrait", fullscreen: bool = False,
              size: tuple[int, int] | None = None) -> tuple[int, int]:
    """Window size for the orientation, no argv parsing, no mouse cursor on a kiosk.

    Returns the window size asked for."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")            # never parse our own command line
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    for noisy in ("transitions", "amqtt"):    # the embedded broker's state machine chatter
        logging.getLogger(noisy).setLevel(logging.WARNING)
    from kivy.config import Config

    width, height = size or ORIENTATION_SIZES.get(orientation, ORIENTATION_SIZES["portrait"])
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "resizable", "0")
    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    Config.set("graphics", "show_cursor", "0" if fullscreen else "1")
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("input", "mouse", "mouse,disable_multitouch")
    return width, height


def use_font(path: str) -> None:
    """Every label of the app draws with this (CJK) font."""
    from kivy.core.text import DEFAULT_FONT, LabelBase

    LabelBase.register(DEFAULT_FONT, path)
