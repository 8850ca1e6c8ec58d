"""The sync contract (hall/protocol/sync.py) and the county receiver's defences: a message
that is not a valid envelope batch is refused whole (nothing stored, no ack), a site cannot
write as another site, and redelivered or concurrently delivered records are kept once."""
from __future__ import annotations

import json
import threading

import pytest

from hall.protocol import sync as contract
from queue_server.sync.county import CountyReceiver
from queue_server.sync.county_store import CountyStore
from sites import COUNTY, NOON, TOWN, VILLAGE


def env(site=TOWN, kind="rating", key="e1", body=None):
    return contract.envelope(site, kind, key, NOON, body if body is not None else {"level": 5})


@pytest.mark.parametrize("payload,why", [
    (b"not json", "not JSON"),
    (b"[]", "1 to"),
    (json.dumps([env()] * (contract.MAX_BATCH + 1)).encode(), "1 to"),
    (json.dumps({**env(), "v": 2}).encode(), "version"),
    (json.dumps(env(site=VILLAGE)).encode(), "site"),                  # another site's envelope
    (json.dumps({**env(), "kind": "decision"}).encode(), "does not travel"),  # down kind sent up
    (json.dumps({**env(), "id": "baisha/rating/../x"}).encode(), "id"),
    (json.dumps({**env(), "id": "shiqiao/rating/e1"}).encode(), "id"),
    (json.dumps({**env(), "at": "today"}).encode(), "at"),
    (json.dumps({**env(), "body": [1]}).encode(), "body"),
    (json.dumps({**env(), "extra": 1}).encode(), "unknown"),
    (b"[" * 100000 + b"]" * 100000, "not JSON"),                         # too deep for JSON
    (json.dumps(env(body={"a": [[[[[[[[[1]]]]]]]]]})).encode(), "deeper"),
    (b"x" * (contract.MAX_MESSAGE_BYTES + 1), "bytes"),
])
def test_bad_messages_are_refused_with_a_reason(payload, why):
    with pytest.raises(contract.EnvelopeError, match=why):
        contract.decode(payload, TOWN, contract.UP_KINDS)


def test_ids_and_topics_are_checked():
    assert contract.topic(VILLAGE, "up") == "yichuang/sync/shiqiao/up"
    assert contract.parse_topic("yichuang/sync/shiqiao/down-ack") == (VILLAGE, "down-ack")
    assert contract.parse_topic("yichuang/sync/shiqiao/up/x") is None
    for bad_site in ("A", "a/b", "+", "#", ""):
        with pytest.raises(ValueError):
            contract.topic(bad_site, "up")
    with pytest.raises(ValueError):
        contract.envelope_id(TOWN, "rating", "a/b")
    with pytest.raises(ValueError):
        contract.envelope_id(TOWN, "gossip", "k")


@pytest.fixture
def receiver(county_store):
    for site in (TOWN, VILLAGE):
        county_store.add_site(site)
    r = CountyReceiver(county_store, "mqtt://127.0.0.1:1", county=COUNTY)
    r.acked = []
    r.bus.publish = lambda topic, payload: r.acked.append((topic, json.loads(payload)))
    return r


def test_a_batch_with_one_bad_envelope_is_refused_whole(receiver, county_store):
    good, bad = env(key="e1"), {**env(key="e2"), "body": "x"}
    receiver.handle(contract.topic(TOWN, "up"), json.dumps([good, bad]).encode())
    assert county_store.records() == [] and receiver.acked == [] and receiver.refused == 1


def test_an_unknown_site_gets_nothing_stored_and_no_ack(receiver, county_store):
    receiver.handle(contract.topic("stranger", "up"), json.dumps(env(site="stranger")).encode())
    assert county_store.records() == [] and receiver.acked == []


def test_redelivery_is_acknowledged_again_and_kept_once(receiver, county_store):
    batch = contract.encode([env(key=f"e{i}") for i in range(5)])
    for _ in range(3):
        receiver.handle(contract.topic(TOWN, "up"), batch)
    assert len(county_store.records(TOWN)) == 5
    assert [len(a[1]["ids"]) for a in receiver.acked] == [5, 5, 5]
    assert next(s for s in county_store.sites() if s["site"] == TOWN)["received"] == 5


def test_parallel_deliveries_of_the_same_records_keep_each_once(county_store, county_dsn):
    """Two receivers (two connections) take the same 100 records at once, as after a
    redelivery racing the first copy: PostgreSQL's key keeps each once."""
    county_store.add_site(TOWN)
    batches = [[env(key=f"e{i}") for i in range(j, j + 20)] for j in range(0, 100, 20)]
    stores = [CountyStore(county_dsn) for _ in range(4)]
    start = threading.Barrier(len(stores))

    def deliver(store):
        start.wait()
        for batch in batches:
            store.receive(TOWN, batch)
    threads = [threading.Thread(target=deliver, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    for s in stores:
        s.close()
    assert len(county_store.records(TOWN)) == 100
    assert next(s for s in county_store.sites() if s["site"] == TOWN)["received"] == 100


def test_a_decision_is_made_once(county_store):
    county_store.add_site(VILLAGE)
    county_store.receive(VILLAGE, [env(VILLAGE, "application", "N-1.1", {
        "number": "N-1", "item": "sb01", "state": "submitted", "rev": 1, "record": {}})])
    county_store.decide(VILLAGE, "N-1", "approve")
    with pytest.raises(LookupError):
        county_store.decide(VILLAGE, "N-1", "refuse", "太晚")
    with pytest.raises(ValueError):
        county_store.decide(VILLAGE, "N-1", "refuse")          # no reason
    # a later revision from the site does not undo the county's decision
    county_store.receive(VILLAGE, [env(VILLAGE, "application", "N-1.2", {
        "number": "N-1", "item": "sb01", "state": "accepted", "rev": 2, "record": {}})])
    row = county_store.application(VILLAGE, "N-1")
    assert (row["state"], row["decision"], row["rev"]) == ("approved", "approve", 2)
    assert [e["kind"] for e in county_store.due_down(VILLAGE)] == ["decision"]


def test_the_latest_version_of_a_rating_wins_in_any_order(county_store):
    county_store.add_site(TOWN)
    first = env(TOWN, "rating", "e7", {"level": 5, "version": 1, "first_ts": NOON})
    changed = env(TOWN, "rating", "e7.2", {"level": 1, "version": 2, "first_ts": NOON})
    other = env(TOWN, "rating", "e8", {"level": 4})         # a record of before versions
    county_store.receive(TOWN, [changed, other])
    county_store.receive(TOWN, [first, changed])             # late first version, a redelivery
    latest = {r["rating"]: (r["version"], r["level"]) for r in county_store.ratings(TOWN)}
    assert latest == {"e7": (2, 1), "e8": (1, 4)}
    [report] = county_store.report(NOON - 1, NOON + 1)
    assert (report["kind"], report["count"], report["mean_level"]) == ("rating", 2, 2.5)
    assert next(s for s in county_store.sites() if s["site"] == TOWN)["received"] == 3
