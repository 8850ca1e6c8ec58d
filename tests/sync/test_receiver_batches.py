"""The county receiver keeps what it finds waiting in one transaction (bench sites: a commit
per message held 200 sites to ~85 records/s): the records of a batch are acknowledged only
after its commit, and a message the store cannot keep does not hold back the others."""
from __future__ import annotations

import json
import threading
import time

import paho.mqtt.client as mqtt
import pytest

from hall.protocol import sync as contract
from queue_server.broker import MosquittoBroker, free_port
from queue_server.sync.county import CountyReceiver
from sites import COUNTY, NOON, TOWN, VILLAGE


@pytest.fixture
def hub():
    with MosquittoBroker(free_port()) as broker:
        yield broker


@pytest.fixture
def acks(hub):
    """Every ack the county publishes, as (site, ids)."""
    got, subscribed = [], threading.Event()
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    client.on_connect = lambda c, *_: c.subscribe(contract.all_sites("ack"), 1)
    client.on_subscribe = lambda *_: subscribed.set()
    client.on_message = lambda _c, _u, m: got.append(
        (contract.parse_topic(m.topic)[0], json.loads(m.payload)["ids"]))
    client.connect(hub.host, hub.port)
    client.loop_start()
    assert subscribed.wait(10)
    yield got
    client.disconnect()
    client.loop_stop()


@pytest.fixture
def receiver(county_store, hub):
    for site, kind in ((TOWN, "township"), (VILLAGE, "village")):
        county_store.add_site(site, kind)
    receiver = CountyReceiver(county_store, hub.url, county=COUNTY)
    receiver.bus.start()                  # publishing only: the test hands it the messages
    assert receiver.wait_connected(10)
    yield receiver
    receiver.bus.stop()


def up(site: str, kind: str, key: str, body: dict) -> tuple[str, bytes]:
    return contract.topic(site, "up"), contract.encode([contract.envelope(site, kind, key, NOON, body)])


def wait_acks(acks, count: int, timeout: float = 10.0) -> list:
    deadline = time.monotonic() + timeout
    while len(acks) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)                       # one too many would show now
    return sorted(acks)


def test_a_bad_body_in_a_batch_loses_only_itself(receiver, county_store, acks):
    good_town = up(TOWN, "rating", "e1", {"level": 5})
    broken = up(TOWN, "application", "a1.1", {"item": "sb01"})     # no number, state, rev
    good_village = up(VILLAGE, "rating", "e7", {"level": 2})
    status = (contract.topic(VILLAGE, "status"), b'{"backlog": 3, "oldest": 1.0}')
    receiver.handle_all([good_town, broken, good_village, status])

    assert wait_acks(acks, 2) == [(TOWN, [f"{TOWN}/rating/e1"]), (VILLAGE, [f"{VILLAGE}/rating/e7"])]
    assert sorted(r["id"] for r in county_store.records()) == [f"{TOWN}/rating/e1", f"{VILLAGE}/rating/e7"]
    village = next(s for s in county_store.sites() if s["site"] == VILLAGE)
    assert village["backlog"] == 3 and village["received"] == 1

    # The sites send again (no ack for the broken one): acknowledged again, kept once.
    acks.clear()
    receiver.handle_all([good_town, good_village])
    assert len(wait_acks(acks, 2)) == 2
    assert [s["received"] for s in county_store.sites()] == [1, 1]
    assert len(county_store.records()) == 2


def test_what_every_site_is_owed_comes_in_one_query_oldest_first(county_store):
    for site in (TOWN, VILLAGE):
        county_store.add_site(site)
    for n in range(5):
        county_store.put_down(TOWN, "catalog", f"c{n}", {"n": n})
    county_store.put_down(VILLAGE, "decision", "a1", {"number": "a1"})
    due = county_store.due_down_all(limit=3)
    assert [e["body"]["n"] for e in due[TOWN]] == [0, 1, 2]
    assert [e["id"] for e in due[VILLAGE]] == [f"{VILLAGE}/decision/a1"]
    county_store.sent_down(TOWN, [e["id"] for e in due[TOWN]])        # in their back-off now
    assert [e["body"]["n"] for e in county_store.due_down_all(limit=3)[TOWN]] == [3, 4]
