"""Whatever arrives, the service answers with a contract envelope and never an internal error."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from queue_server.service import ROLE_ACTIONS

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10**6) | st.floats(allow_nan=False)
    | st.text(max_size=20) | st.sampled_from(["a", "b", "c", "A001", "1", "2", "done"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8)
keys = st.sampled_from(["category", "priority", "service", "identity", "number", "code",
                        "staff", "password", "outcome", "reason", "to_category", "to_window",
                        "ticket", "level", "reasons", "appointment", "transaction"])
requests = st.tuples(st.sampled_from(["kiosk", "window", "display"]),
                     st.sampled_from(["k1", "1", "2", "9"]),
                     st.sampled_from(sorted(ROLE_ACTIONS) + ["nope"]),
                     st.dictionaries(keys, json_values, max_size=5) | json_values)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(requests, min_size=1, max_size=6))
def test_random_requests_get_clear_answers(service, batch):
    replies = service.handle_batch(batch)
    assert len(replies) == len(batch)
    for reply in replies:
        assert reply["status"] in ("ok", "error")
        if reply["status"] == "error":
            assert reply["error"]["code"] != "internal", reply
            assert reply["error"]["message"]
    states = service.retained_states()
    assert states["hall/state"]["waiting"] == sum(
        states[f"queue/{c}/state"]["waiting"] for c in "abc") + sum(
        1 for t in service.tickets_of_day() if t["status"] == "waiting" and "reserved_for" in t)
