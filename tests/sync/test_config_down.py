"""Configuration changes down (docs/sync.md, `config` records): the county changes its part
of a site's hall config (hours, closures, self-service hours, ratings, case deadlines) with
`yichuang sync config`, checked like a hall file; the site checks it again, keeps it in an
overlay beside its database, applies ratings and case deadlines at once and the rest at its
next start. A foreign section is refused; redelivery and an older record change nothing."""
from __future__ import annotations


import pytest
import yaml

from hall.config.county_part import overlay_path
from hall.protocol import sync as contract
from sites import NOON, TOWN, rated_ticket, site_config, staffed_site
from test_sync_command import COUNTY_YAML, yichuang

EXAMPLE_TOWN = "baisha-town"        # the township of the example county.yaml
MINUTE = 60.0
CHANGES = """\
hall:
  ratings:
    change_minutes: 15
  self_service_hours: {open: "00:00", close: "24:00", weekdays: [1, 2, 3, 4, 5, 6, 7]}
  cases:
    rating_days: 3
"""


@pytest.fixture
def town(tmp_path):
    clock = [NOON]
    db = str(tmp_path / "town.sqlite")
    services = []

    def start(site=TOWN):
        service, link = staffed_site(site_config(site), db, lambda: clock[0],
                                     add_staff=not services)     # a restart keeps its staff
        services.append(service)
        return service, link
    yield start, clock, db
    for service in services:
        service.close()


def down(link, *envelopes):
    link.handle(contract.topic(link.site, "down"), contract.encode(list(envelopes)))


def record(n: int, at: float, sections: dict) -> dict:
    return {"v": contract.VERSION, "id": contract.envelope_id(TOWN, "config", str(n)),
            "site": TOWN, "kind": "config", "at": at, "body": {"hall": sections}}


def ratings(minutes: int) -> dict:
    return {"ratings": f"change_minutes: {minutes}\n"}


def change_after(service, clock, minutes: float) -> dict:
    """A rating given now, changed `minutes` later: the answer to the change."""
    rating = rated_ticket(service, 4)
    clock[0] += minutes * MINUTE
    return service.handle("window", "1", "evaluation.submit",
                          {"ticket": rating["ticket"], "level": 2, "reasons": []})


def test_the_countys_command_reaches_the_site_and_takes_effect(tmp_path, town, county_dsn,
                                                               county_store):
    changes = tmp_path / "changes.yaml"
    changes.write_text(CHANGES, encoding="utf-8")
    done = yichuang("sync", "config", "--config", str(COUNTY_YAML), "--store", county_dsn,
                    "--site", EXAMPLE_TOWN, "--file", str(changes))
    assert done.returncode == 0, done.stderr
    [owed] = county_store.due_down(EXAMPLE_TOWN)
    assert owed["kind"] == "config" and set(owed["body"]["hall"]) == {
        "ratings", "self_service_hours", "cases"}
    start, clock, db = town
    service, link = start(EXAMPLE_TOWN)
    assert service.config.self_service is None
    assert change_after(service, clock, 12)["status"] != "ok"      # 10 minutes: too late
    down(link, owed)
    assert link.sent[-1] == (contract.topic(EXAMPLE_TOWN, "down-ack"), {"ids": [owed["id"]]})
    assert change_after(service, clock, 12)["status"] == "ok"      # now 15 minutes
    assert service.config.cases.rating_days == 3
    assert service.config.cases.complaint_days == 5                # the rest of cases kept
    assert service.config.self_service is None                     # hours: at the next start
    service.close()
    restarted, _link = start(EXAMPLE_TOWN)
    assert restarted.config.ratings.change_minutes == 15
    assert (restarted.config.self_service.open, restarted.config.self_service.close) == (0, 1440)
    assert overlay_path(db).is_file()


def test_a_bad_changes_file_is_refused_on_the_county_with_file_and_line(tmp_path, county_dsn,
                                                                         county_store):
    changes = tmp_path / "changes.yaml"
    changes.write_text("hall:\n  ratings:\n    change_minutes: many\n"
                       "  windows: []\n", encoding="utf-8")
    done = yichuang("sync", "config", "--config", str(COUNTY_YAML), "--store", county_dsn,
                    "--all", "--file", str(changes))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{changes}:3" in done.stderr and "change_minutes" in done.stderr
    assert f"{changes}:4" in done.stderr and "'hall.windows' is the site's own" in done.stderr
    assert county_store.due_down(EXAMPLE_TOWN) == []


def test_a_foreign_or_bad_section_is_refused_acknowledged_and_changes_nothing(town):
    start, _clock, db = town
    service, link = start()
    before = service.config
    for n, sections in enumerate([{"windows": "[]\n", **ratings(30)},
                                  {"ratings": "change_minutes: -1\n"},
                                  {"cases": "leads: []\n"}]):
        env = record(n, NOON + n, sections)
        down(link, env)
        assert link.sent[-1] == (contract.topic(TOWN, "down-ack"), {"ids": [env["id"]]})
    assert service.config == before
    assert not overlay_path(db).exists()


def test_redelivery_and_an_older_record_change_nothing(town):
    start, _clock, db = town
    service, link = start()
    newer = record(2, NOON + 100, ratings(20))
    down(link, newer)
    assert service.config.ratings.change_minutes == 20
    kept = overlay_path(db).read_text(encoding="utf-8")
    down(link, newer)                                               # redelivered
    down(link, record(1, NOON + 50, {**ratings(15), "closures": "['2026-12-24']\n"}))
    assert service.config.ratings.change_minutes == 20              # the older one lost ...
    overlay = yaml.safe_load(overlay_path(db).read_text(encoding="utf-8"))
    assert overlay["hall"]["closures"] == ["2026-12-24"]            # ... except where it is newest
    assert overlay["hall"]["ratings"] == {"change_minutes": 20}
    assert kept != overlay_path(db).read_text(encoding="utf-8")
    service.close()
    restarted, _link = start()
    assert restarted.config.ratings.change_minutes == 20
    assert [str(day) for day in restarted.config.closures] == ["2026-12-24"]
