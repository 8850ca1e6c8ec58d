"""The day model of a simulated hall: who comes when, for what, and how long it takes.

Pure and seeded (no I/O, no clock): DayModel(config, profile, seed).citizens(day) is the
same list every time. `yichuang simulate` plays it over the bus; a wait-estimate benchmark
can replay it against any estimator.

Arrivals per category are a Poisson process whose hourly rate follows the profile's shape
(morning and afternoon peaks) and whose day-long mean is `load` times what the windows
serving that category can handle; service times are lognormal around each category's
median. Every simulated citizen carries a made-up ID number (area code 99xxxx, which no
region has), so that automatic elderly priority and per-person limits work as in a real hall
and no real person's number is ever used.
"""
from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from drivers.card_reader.idnumber import check_digit

# Relative arrivals by hall-local hour of a county hall: peaks mid-morning and mid-afternoon.
COUNTY_HOURLY = {8: 0.7, 9: 1.5, 10: 1.6, 11: 1.1, 12: 0.5, 13: 0.7, 14: 1.3, 15: 1.3, 16: 0.8}
# Median minutes at the window by category id; others take DEFAULT_SERVICE_MIN.
COUNTY_SERVICE_MIN = {"zonghe": 6, "yibao": 5, "shebao": 7, "budongchan": 12, "shuiwu": 8,
                      "yijianshi": 15, "fanying": 10}
DEFAULT_SERVICE_MIN = 6.0
RATINGS = ((5, 0.70), (4, 0.20), (3, 0.06), (2, 0.03), (1, 0.01))   # level, share of raters


@dataclass(frozen=True)
class Profile:
    hourly: dict[int, float] = field(default_factory=lambda: dict(COUNTY_HOURLY))
    service_median_min: dict[str, float] = field(default_factory=lambda: dict(COUNTY_SERVICE_MIN))
    service_sigma: float = 0.45          # of the lognormal: about 2/3 of services within x1.6
    load: float = 0.85                   # arrivals / what the windows can serve, over the day
    shares: dict[str, float] | None = None   # None: each category in proportion to its windows
    elderly_share: float = 1 / 3         # citizens old enough for automatic elderly priority
    no_show: float = 0.05                # called, never come: recalled, then skipped
    evaluation_share: float = 0.6        # rate the service on the window's pad
    # Expected tickets by hall-local hour and category (capacity planning: a manager's
    # profile or the hall's history); when set, it replaces hourly, load and shares.
    arrivals: dict[int, dict[str, float]] | None = None

    def weight(self, hour: int) -> float:
        return self.hourly.get(hour, 1.0)

    def median_s(self, category: str) -> float:
        return 60.0 * self.service_median_min.get(category, DEFAULT_SERVICE_MIN)

    def mean_s(self, category: str) -> float:
        return self.median_s(category) * math.exp(self.service_sigma ** 2 / 2)


@dataclass(frozen=True)
class Citizen:
    n: int                 # 1.. in order of arrival
    arrive_s: float        # seconds after the hall opens
    category: str
    elderly: bool
    id_number: str         # made up: area 99xxxx
    no_show: bool
    service_s: float       # at the window, from call to finish
    rating: int | None     # 1-5 on the evaluator pad, or None


class DayModel:
    def __init__(self, config, profile: Profile | None = None, seed: int = 1):
        self.config, self.profile, self.seed = config, profile or Profile(), seed

    # -- rates ---------------------------------------------------------------------------
    def window_capacity(self) -> dict[str, float]:
        """Citizens per hour the windows can serve, by category: a comprehensive window
        counts for the category it prefers (it takes the others only when that one is
        empty), another window splits its hour between its categories. 统一出件 (the
        collection queue) has no walk-in arrivals: its tickets come from finished
        applications, which the day model does not play; its own windows count for none."""
        ids = [c.id for c in self.config.categories if not c.collection]
        per_hour = dict.fromkeys(ids, 0.0)
        for window in self.config.windows:
            listed = [c for c in window.categories if c in per_hour]
            if window.categories and not listed:
                continue
            listed = listed or ids
            if window.kind == "comprehensive":
                listed = listed[:1]
            for c in listed:
                per_hour[c] += 3600.0 / self.profile.mean_s(c) / len(listed)
        return per_hour

    def hourly_rates(self) -> dict[str, float]:
        """Mean arrivals per hour by category over the issuing hours."""
        capacity = self.window_capacity()
        shares = self.profile.shares
        if shares is None:
            return {c: self.profile.load * cap for c, cap in capacity.items()}
        total = self.profile.load * sum(capacity.values())
        weights = sum(shares.get(c, 0.0) for c in capacity) or 1.0
        return {c: total * shares.get(c, 0.0) / weights for c in capacity}

    def issuing_minutes(self) -> list[int]:
        """Minutes of the day (hall-local, after midnight) when kiosks issue tickets."""
        hours = self.config.hours
        return [m for m in range(hours.open, hours.close - hours.last_ticket_before_close)
                if not (hours.lunch and hours.lunch[0] <= m < hours.lunch[1])]

    def minute_rates(self) -> dict:
        """Category -> mean arrivals in a given issuing minute (a function of the minute):
        the profile's expected tickets of that hour spread over its issuing minutes, or
        the day's rate shaped by the hourly weights."""
        issuing = self.issuing_minutes()
        if self.profile.arrivals is not None:
            per_hour = {h: sum(1 for m in issuing if m // 60 == h) for h in range(24)}
            return {c: (lambda minute, c=c: self.profile.arrivals.get(minute // 60, {}).get(c, 0.0)
                        / max(1, per_hour[minute // 60]))
                    for c in {c for row in self.profile.arrivals.values() for c in row}}
        mean_weight = sum(self.profile.weight(m // 60) for m in issuing) / max(1, len(issuing))
        return {c: (lambda minute, r=per_hour: r / 60 * self.profile.weight(minute // 60) / mean_weight)
                for c, per_hour in self.hourly_rates().items()}

    # -- the day -------------------------------------------------------------------------
    def citizens(self, day: dt.date, minutes: float | None = None) -> list[Citizen]:
        """Everyone who takes a ticket on `day`, in order of arrival; with `minutes`, only
        those arriving within that many minutes after opening."""
        rng = random.Random(self.seed)
        open_min = self.config.hours.open
        issuing = self.issuing_minutes()
        if minutes is not None:
            issuing = [m for m in issuing if m < open_min + minutes]
        if not issuing:
            return []
        rates = self.minute_rates()
        arrivals = []
        for category in sorted(rates):
            for minute in issuing:
                arrivals += [((minute - open_min) * 60 + rng.random() * 60, category)
                             for _ in range(_poisson(rng, rates[category](minute)))]
        arrivals.sort()
        return [self._citizen(rng, day, n, at, category)
                for n, (at, category) in enumerate(arrivals, 1)]

    def _citizen(self, rng: random.Random, day: dt.date, n: int, at: float, category: str) -> Citizen:
        p = self.profile
        elderly = rng.random() < p.elderly_share
        limit = self.config.rules.elderly_age
        years = rng.randint(limit, 88) if elderly else rng.randint(18, limit - 1)
        service = rng.lognormvariate(math.log(p.median_s(category)), p.service_sigma)
        rating = _pick(rng, RATINGS) if rng.random() < p.evaluation_share else None
        return Citizen(n, at, category, elderly, made_up_id(n, _born(rng, day, years)),
                       rng.random() < p.no_show, service, rating)


def made_up_id(n: int, born: dt.date) -> str:
    """A valid-looking ID number of nobody: area code 99xxxx does not exist."""
    first17 = f"99{n // 1000 % 10000:04d}{born:%Y%m%d}{n % 1000:03d}"
    return first17 + check_digit(first17)


def _born(rng: random.Random, day: dt.date, years: int) -> dt.date:
    """A birth date `years` old on `day` (the last birthday 1-359 days ago)."""
    anniversary = day.replace(year=day.year - years, day=28 if (day.month, day.day) == (2, 29) else day.day)
    return anniversary - dt.timedelta(days=rng.randrange(1, 360))


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: fine for the small means of one minute."""
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def _pick(rng: random.Random, weighted) -> int:
    x = rng.random() * sum(w for _, w in weighted)
    for value, w in weighted:
        x -= w
        if x <= 0:
            return value
    return weighted[-1][0]
