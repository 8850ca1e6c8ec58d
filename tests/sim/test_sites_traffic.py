"""The traffic model of a county's sites (queue_server/sim/sites.py): the county the scale
benchmark plays, every record a valid envelope, the same day every time, nothing personal."""
import re
from collections import Counter

import pytest

from hall.protocol import sync as contract
from queue_server.sim.sites import Traffic, county_sites


@pytest.fixture(scope="module")
def county():
    traffic, sites = Traffic(seed=1), county_sites(200, 20, seed=1)
    return sites, {s.id: traffic.day(s) for s in sites}


def test_a_county_of_a_hall_twenty_townships_and_villages(county):
    sites, _ = county
    assert Counter(s.kind for s in sites) == {"county": 1, "township": 20, "village": 179}
    assert len({s.id for s in sites}) == 200
    with pytest.raises(ValueError):
        county_sites(5, 5)


def test_every_record_is_an_envelope_of_the_contract_with_its_own_id(county):
    _, days = county
    ids = set()
    for site, items in days.items():
        assert items == sorted(items)
        for item in items:
            env = contract.envelope(site, item.kind, item.key, item.t, item.body)
            assert contract.check(env, site, contract.UP_KINDS) is env
            assert len(contract.encode([env])) < contract.MAX_MESSAGE_BYTES
            ids.add(env["id"])
    assert len(ids) == sum(map(len, days.values()))


def test_the_hall_is_busiest_and_villages_are_small(county):
    sites, days = county
    size = {kind: [len(days[s.id]) for s in sites if s.kind == kind] for kind in ("county", "township", "village")}
    assert min(size["township"]) > max(size["village"]) / 2
    assert size["county"][0] > 2 * max(size["township"])
    assert 5 <= sum(size["village"]) / len(size["village"]) <= 60
    kinds = Counter(i.kind for items in days.values() for i in items)
    assert set(kinds) == {"application", "rating", "complaint", "figures"}
    assert kinds["application"] > kinds["rating"] > kinds["complaint"] > 0


def test_the_same_seed_is_the_same_day_and_nothing_personal_travels(county):
    sites, days = county
    again = Traffic(seed=1).day(sites[5])
    assert again == days[sites[5].id] and [i.body for i in again] == [i.body for i in days[sites[5].id]]
    text = str([i.body for items in days.values() for i in items])
    assert not re.search(r"\d{17}[\dX]", text)          # no ID number in clear
    assert "13812345678" not in text and "张" not in text
