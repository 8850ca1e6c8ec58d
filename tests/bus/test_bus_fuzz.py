"""The hall bus fuzzed: generated payloads (deep nesting, huge numbers and strings, odd
Unicode, wrong types, broken bytes) on every action from every role, over a real broker to
a real server. Every request is answered or dropped, and a normal request is answered after.

A few seconds in the suite (a fixed seed); YC_FUZZ_EXAMPLES=500 for a longer, random hunt.
"""
from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hall.protocol import schema

from bus_helpers import RawPeer, wait_until

EXAMPLES = int(os.environ.get("YC_FUZZ_EXAMPLES", "40"))
ACTIONS = schema.names("request") + ["ticket.fly", "window"]
SENDERS = [("kiosk", "k1"), ("kiosk", "k99"), ("window", "1"), ("window", "9"), ("display", "d1"),
           ("agent", "a1"), ("server", "main")]
FIELDS = sorted({"transaction", "category", "number", "staff", "password", "identity", "id_number",
                 "name", "code", "ticket", "level", "reasons", "outcome", "reason", "to_category",
                 "to_window", "priority", "service", "appointment"})

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),                                      # any Unicode, lone surrogates too
    st.sampled_from(["zonghe", "A0001", "w1", "demo-pass-1", "1", "ok", "\u202e\u0000", "x" * 3000]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(FIELDS), inner, max_size=5)), max_leaves=15)
OBJECTS = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), VALUES, max_size=8)


def _dumps(value) -> bytes:
    return json.dumps(value).encode()   # ensure_ascii: lone surrogates travel as \ud800


def _deep(depth: int, opener: bytes) -> bytes:
    closer = b"]" if opener == b"[" else b"}"
    inner = b'{"a":' * depth + b"1" + b"}" * depth if opener == b"{" else opener * depth + closer * depth
    return b'{"transaction":"deep","category":"zonghe","x":' + inner + b"}"


PAYLOADS = st.one_of(
    OBJECTS.map(_dumps),
    st.builds(_deep, st.integers(1, 3000), st.sampled_from([b"[", b"{"])),
    st.integers(1, 5000).map(lambda n: b'{"transaction":"big","number":' + b"9" * n + b"}"),
    st.sampled_from([b'{"transaction":"f","level":1e999}', b'{"transaction":"n","level":NaN}',
                     b'{"transaction":"s","staff":"\\ud800"}', b'{"transaction":"\\ud800x"}',
                     b'{"transaction":"\\ud800","category":"zonghe"}']),
    st.binary(max_size=200),
)


@pytest.mark.parametrize("broker", ["embedded"], indirect=True)
def test_no_generated_request_stops_the_hall(server, clients, broker):
    kiosk = clients("kiosk", "k1")
    peers = {sender: RawPeer(broker.url, *sender) for sender in SENDERS}

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("YC_FUZZ_EXAMPLES"),
              suppress_health_check=list(HealthCheck))
    @given(sender=st.sampled_from(SENDERS), action=st.sampled_from(ACTIONS), payload=PAYLOADS)
    def send(sender, action, payload):
        peer = peers[sender]
        before = len(peer.responses)
        peer.client.publish(f"{peer.base}/request/{action}", payload, qos=1)
        if wait_until(lambda: len(peer.responses) > before, 3):
            schema.validate("response", None, peer.responses[before])
        assert server.alive, "the hall-bus worker died"

    try:
        send()
    finally:
        for peer in peers.values():
            peer.close()
    assert server.alive
    assert kiosk.request("ticket.issue", {"category": "zonghe"}, timeout=5)["ticket"]["number"]
