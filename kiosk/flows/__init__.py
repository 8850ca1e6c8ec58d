"""What the kiosk does, as plain classes without Kivy: the screens only show a flow's state
and forward taps to it, so every rule here is unit-tested without a window."""
