"""The kiosk: the Kivy touch app citizens use to take tickets (one screen per file in
screens/, flows as plain classes in flows/ that tests drive without a window)."""
