"""预约办理: the slots a hall offers for booking, and the desk that books, moves, cancels and
checks bookings in (always under the HallService's lock and in one SQLite transaction)."""
