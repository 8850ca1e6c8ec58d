"""The fast schema check (fastjsonschema, compiled) and the reference validator (jsonschema,
draft 2020-12) give the same verdict on every payload of every schema of the contract, valid
or not; so the fast path never lets through what the contract forbids."""
from __future__ import annotations

import json
from importlib import resources

import fastjsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from hall.protocol import schema


def property_names() -> list[str]:
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            found.update(node.get("properties", {}))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    for entry in resources.files("hall.protocol.schemas").iterdir():
        if entry.name.endswith(".json"):
            walk(json.loads(entry.read_text(encoding="utf-8")))
    return sorted(found)


NAMES = [(kind, name) for kind in schema.KINDS for name in (None, *schema.names(kind))
         if schema.has_schema(kind, name)]
VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 5), st.floats(-1, 2e9, allow_nan=False),
                   st.sampled_from(["", "a", "A012", "A0001", "zonghe", "1", "ok", "error", "waiting",
                                    "online", "normal", "green", "done", "not_done", "2026-11-21",
                                    "110105198503121234", "请A012号到3号窗口办理", "x" * 300]))
JSON = st.recursive(VALUES, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(property_names()), inner, max_size=6)), max_leaves=12)
PAYLOADS = st.dictionaries(st.sampled_from(property_names()), JSON, max_size=10)


def verdicts(kind, name, payload) -> tuple[bool, bool]:
    try:
        schema._fast(kind, name)(payload)
        fast = True
    except fastjsonschema.JsonSchemaException:
        fast = False
    return fast, schema.validator(kind, name).is_valid(payload)


@settings(max_examples=600, deadline=None)
@given(target=st.sampled_from(NAMES), payload=PAYLOADS)
def test_fast_and_reference_checks_agree(target, payload):
    fast, reference = verdicts(*target, payload)
    assert fast == reference, (target, payload)


def test_agree_on_real_payloads_and_their_breakages():
    ticket = {"number": "A012", "category": "zonghe", "status": "called", "priority": "normal",
              "issued_at": 1.0, "date": "2026-11-21", "waiting_ahead": 0, "estimated_wait_s": 0,
              "url": "http://h/t/abc", "window": "3", "called_at": 2.0, "attempt": 1,
              "transferred_from": {"category": "yibao", "window": "2"}, "outcome": None}
    window = {"window": "3", "name": "3号窗口", "state": "calling", "ticket": "A012",
              "categories": ["zonghe"], "staff": "李*", "ts": 2.0}
    cases = [
        ("response", "window.call_next", {"ticket": ticket, "window": window}, True),
        ("response", "window.call_next", {"ticket": {**ticket, "id_number": "110105198503121234"}}, False),
        ("response", "window.call_next", {"ticket": {**ticket, "outcome": "maybe"}}, False),
        ("response", None, {"transaction": "t", "status": "ok"}, False),          # ok needs data
        ("response", None, {"transaction": "t", "status": "error",
                            "error": {"code": "closed", "message": "m"}}, True),
        ("state", "window", {**window, "ticket": None, "state": "idle"}, True),
        ("state", "window", {**window, "ticket": 12}, False),
        ("request", "ticket.issue", {"transaction": "t", "category": "zonghe"}, True),
        ("request", "ticket.issue", {"transaction": "t", "category": "Zonghe"}, False),
    ]
    for kind, name, payload, valid in cases:
        assert verdicts(kind, name, payload) == (valid, valid), (kind, name, payload)


def test_every_schema_of_the_contract_is_covered():
    files = [e.name for e in resources.files("hall.protocol.schemas").iterdir()
             if e.name.endswith(".json") and e.name != "common.json"]
    assert len(NAMES) == len(files) and ("response", None) in NAMES
