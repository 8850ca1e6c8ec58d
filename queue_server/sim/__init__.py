"""A hall day in accelerated time: the pure day model (day.py), the accelerated clock the
server runs on (clock.py), and the driver that plays the day over the real bus (run.py)."""
