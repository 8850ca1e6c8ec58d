"""What the agent makes of a window's state: keys become requests, ratings find their ticket."""
from queue_server.agent.window import WindowView


def view_after(*states):
    view = WindowView("3", "3号窗口")
    for state, ticket in states:
        view.update({"window": "3", "name": "3号窗口", "state": state, "ticket": ticket})
    return view


def test_one_pause_key_pauses_and_resumes():
    assert view_after(("idle", None)).request_for("pause_resume") == "window.pause"
    assert view_after(("paused", None)).request_for("pause_resume") == "window.resume"
    assert view_after(("idle", None)).request_for("call_next") == "window.call_next"


def test_the_rating_goes_to_the_ticket_just_finished_and_only_once():
    view = view_after(("calling", "A012"), ("serving", "A012"), ("idle", None))
    assert view.take_ticket_to_rate() == "A012"
    assert view.take_ticket_to_rate() is None


def test_a_rating_while_serving_rates_the_ticket_at_the_window():
    assert view_after(("idle", None), ("serving", "A013")).take_ticket_to_rate() == "A013"


def test_nothing_to_rate_before_a_ticket_or_after_the_window_closed():
    assert view_after(("idle", None)).take_ticket_to_rate() is None
    assert view_after(("serving", "A012"), ("closed", None)).take_ticket_to_rate() is None
