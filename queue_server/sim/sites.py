"""The daily traffic of a county's sites: what each one sends up to the county, and when.

Pure and seeded, like day.py, on which it builds: the visits of the county hall and of each
township centre are day.py's citizens of the example configs (firmware_configs/sites/
county.yaml, township.yaml) with every township scaled by its size; a village station has no
windows, so its visits are a Poisson stream of VILLAGE_VISITS_PER_HOUR (times its size) over
village.yaml's hours, shaped like the county's day. Each visit then makes records, by kind:

    application  APPLICATION_SHARE of visits file one (办件); it goes up twice: filed at the
                 visit's end, and its next revision (accepted) later that day
    rating       day.py's rating at the window pad (60% of visits); a village kiosk 40%
    complaint    COMPLAINT_SHARE of the ratings of 1-2 stars become a complaint (投诉)
    figures      each site's hourly figures, and the day's at closing

Every body is the size of the real one and holds nothing personal: what the county needs of
an applicant travels sealed, so a sealed field of random bytes of the blob's size stands in.
"""
from __future__ import annotations

import base64
import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

from .day import DayModel, Profile

SITES_DIR = Path(__file__).resolve().parents[2] / "firmware_configs" / "sites"
DAY = dt.date(2025, 11, 24)            # a Monday: every site open
VILLAGE_VISITS_PER_HOUR = 2.0          # a 代办点 of 1,000-3,000 people: ~13 matters a day
VILLAGE_EVALUATION_SHARE = 0.4         # fewer rate on a kiosk than on a window's pad
APPLICATION_SHARE = {"county": 0.6, "township": 0.6, "village": 0.5}   # the rest ask, pay, collect
COMPLAINT_SHARE = 0.5                  # of ratings of 1 or 2 stars
SIZES = {"township": (0.5, 1.5), "village": (0.5, 1.5)}   # of the example config's arrivals
SEALED_BYTES = 180                     # an applicant's sealed data (AES-GCM of a small JSON)


@dataclass(frozen=True)
class Site:
    id: str
    kind: str            # county | township | village
    size: float = 1.0    # arrivals, relative to the example config of its kind


@dataclass(frozen=True, order=True)
class Item:
    """One record a site sends up: `t` seconds after the site's midnight."""
    t: float
    site: str
    kind: str
    key: str
    body: dict = field(compare=False)


def county_sites(count: int = 200, townships: int = 20, seed: int = 1) -> list[Site]:
    """The county hall, `townships` township centres and villages for the rest, sized at random."""
    if count < 1 or not 0 <= townships <= count - 1:
        raise ValueError("a county has its hall, 0..count-1 townships, and villages for the rest")
    rng = random.Random(seed)
    sites = [Site("county-hall", "county")]
    sites += [Site(f"town-{i:02d}", "township", round(rng.uniform(*SIZES["township"]), 2))
              for i in range(1, townships + 1)]
    sites += [Site(f"village-{i:03d}", "village", round(rng.uniform(*SIZES["village"]), 2))
              for i in range(1, count - townships)]
    return sites


class _VillageDay(DayModel):
    """day.py's arrivals at a fixed rate: a village station has no windows to size them by."""

    def __init__(self, config, rate_per_hour: float, seed: int):
        super().__init__(config, Profile(evaluation_share=VILLAGE_EVALUATION_SHARE), seed)
        self.rate_per_hour = rate_per_hour

    def hourly_rates(self) -> dict[str, float]:
        return {c.id: self.rate_per_hour / len(self.config.categories) for c in self.config.categories}


class Traffic:
    """The records of any site of the county on a simulated day, from the example configs."""

    def __init__(self, seed: int = 1, sites_dir: Path = SITES_DIR):
        from hall.config import load_hall_config
        self.seed = seed
        self.configs = {kind: load_hall_config(sites_dir / f"{kind}.yaml")
                        for kind in ("county", "township", "village")}

    def model(self, site: Site, seed: int) -> DayModel:
        config = self.configs[site.kind]
        if site.kind == "village":
            return _VillageDay(config, VILLAGE_VISITS_PER_HOUR * site.size, seed)
        return DayModel(config, Profile(load=Profile().load * site.size), seed)

    def day(self, site: Site) -> list[Item]:
        """Every record `site` makes in a day, in time order."""
        seed = _stable_seed(self.seed, site.id)
        rng = random.Random(seed)
        model = self.model(site, seed)
        hours = model.config.hours
        opening, closing = hours.open * 60.0, hours.close * 60.0
        items = []
        for citizen in model.citizens(DAY):
            if not citizen.no_show:
                done = opening + citizen.arrive_s + citizen.service_s
                items += _visit_records(rng, site, citizen, done, closing)
        items += _figures(rng, site, hours.open // 60, hours.close // 60, len(items))
        return sorted(items)


def _stable_seed(seed: int, site: str) -> int:
    """A seed per site that does not change between runs (hash() of a str does)."""
    return seed * 1_000_003 + sum((i + 1) * ord(ch) for i, ch in enumerate(site))


def _visit_records(rng: random.Random, site: Site, citizen, done: float, closing: float) -> list[Item]:
    items = []
    number = f"{site.id}-{citizen.n:04d}"
    if rng.random() < APPLICATION_SHARE[site.kind]:
        item_id = f"item-{rng.randrange(1, 69):02d}"     # the county catalogue's 68 items
        later = min(done + rng.uniform(1800, 3 * 3600), closing)
        items += [_application(rng, site, number, item_id, 1, "submitted", done),
                  _application(rng, site, number, item_id, 2, "accepted", later)]
    if citizen.rating is not None:
        items.append(Item(done, site.id, "rating", f"{citizen.n:04d}",
                          {"level": citizen.rating, "category": citizen.category,
                           "channel": "pad" if site.kind != "village" else "kiosk",
                           "window": "1", "staff": "s1", "served_s": round(citizen.service_s)}))
        if citizen.rating <= 2 and rng.random() < COMPLAINT_SHARE:
            items.append(Item(done + 60, site.id, "complaint", f"{citizen.n:04d}",
                              {"category": citizen.category, "level": citizen.rating,
                               "reason": "等候时间长", "contact": "sealed",
                               "sealed": _sealed(rng)}))
    return items


def _application(rng, site: Site, number: str, item_id: str, rev: int, state: str, at: float) -> Item:
    record = {"item": item_id, "state": state, "channel": "window" if site.kind != "village" else "agent",
              "materials": [f"m{i}" for i in range(1, rng.randint(2, 6))], "rev": rev}
    return Item(at, site.id, "application", f"{number}:{rev}",
                {"number": number, "item": item_id, "state": state, "rev": rev,
                 "record": record, "sealed": _sealed(rng)})


def _figures(rng, site: Site, first_hour: int, last_hour: int, records: int) -> list[Item]:
    """The site's figures each hour it is open, and the day's at closing."""
    items = [Item(h * 3600.0, site.id, "figures", f"h{h:02d}",
                  {"hour": h, "tickets": rng.randint(0, 40), "served": rng.randint(0, 40),
                   "mean_wait_s": rng.randint(0, 1800), "ratings": rng.randint(0, 25)})
             for h in range(first_hour + 1, last_hour + 1)]
    items.append(Item(last_hour * 3600.0 + 60, site.id, "figures", "day",
                      {"records": records, "tickets": records, "complaints": 0}))
    return items


def _sealed(rng: random.Random) -> str:
    return base64.b64encode(rng.randbytes(SEALED_BYTES)).decode("ascii")
