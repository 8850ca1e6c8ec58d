"""The kiosk: the Kivy touch app citizens use to take tickets (one screen per file in
screens/, flows as plain classes in flows/ that tests drive without a window)."""

import os as _os

# Kivy parses sys.argv on import unless told not to; the kiosk has its own command line.
_os.environ.setdefault("KIVY_NO_ARGS", "1")
