"""The day model of `yichuang simulate`: seeded, and the day it makes has the profile's shape."""
from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
from collections import Counter
from pathlib import Path

from drivers.card_reader.idnumber import age, validate
from hall.config.hall import load_hall_config
from queue_server.sim.day import COUNTY_HOURLY, DayModel, Profile

COUNTY = Path(__file__).parents[2] / "firmware_configs" / "sites" / "county.yaml"
DAY = dt.date(2025, 6, 10)


def county() -> DayModel:
    return DayModel(load_hall_config(COUNTY), seed=7)


def test_the_same_seed_makes_the_same_day_and_another_seed_another():
    config = load_hall_config(COUNTY)
    assert DayModel(config, seed=3).citizens(DAY) == DayModel(config, seed=3).citizens(DAY)
    assert DayModel(config, seed=3).citizens(DAY) != DayModel(config, seed=4).citizens(DAY)


def test_arrivals_follow_the_hourly_profile_within_the_issuing_hours():
    model = county()
    people = [c for seed in range(5) for c in DayModel(model.config, seed=seed).citizens(DAY)]
    by_hour = Counter(8 + int((30 + c.arrive_s / 60) // 60) for c in people)   # the hall opens 08:30
    # issuing runs 08:30-17:00: nobody before opening or after the last ticket
    assert min(c.arrive_s for c in people) >= 0 and max(c.arrive_s for c in people) < 8.5 * 3600
    # full hours: the peak (10:00) and the lunch dip (12:00) in the profile's ratio, within 15%
    ratio = by_hour[10] / by_hour[12]
    assert abs(ratio / (COUNTY_HOURLY[10] / COUNTY_HOURLY[12]) - 1) < 0.15, by_hour
    assert by_hour[9] > by_hour[13] and by_hour[15] > by_hour[16]


def test_the_day_brings_load_times_what_the_windows_can_serve():
    model = county()
    capacity = model.window_capacity()
    # 16 windows: the 4 comprehensive ones count for 综合, 5 and 6 for 一件事
    assert capacity["zonghe"] == 4 * 3600 / model.profile.mean_s("zonghe")
    expected = 0.85 * sum(capacity.values()) * 8.5
    days = [len(DayModel(model.config, seed=s).citizens(DAY)) for s in range(5)]
    assert abs(statistics.mean(days) / expected - 1) < 0.05, (days, expected)
    half = DayModel(model.config, dataclasses.replace(Profile(), load=0.4), seed=1).citizens(DAY)
    assert len(half) < 0.55 * statistics.mean(days)


def test_citizens_carry_made_up_ids_and_the_elderly_share():
    people = county().citizens(DAY)
    assert all(validate(c.id_number) and c.id_number.startswith("99") for c in people)
    assert len({c.id_number for c in people}) == len(people)
    assert all((age(c.id_number, DAY) >= 65) == c.elderly for c in people)
    assert abs(sum(c.elderly for c in people) / len(people) - 1 / 3) < 0.06
    assert 0.02 < sum(c.no_show for c in people) / len(people) < 0.09
    rated = [c.rating for c in people if c.rating is not None]
    assert abs(len(rated) / len(people) - 0.6) < 0.06 and set(rated) <= {1, 2, 3, 4, 5}


def test_service_times_are_lognormal_around_each_category_median():
    people = [c for seed in range(3) for c in DayModel(load_hall_config(COUNTY), seed=seed).citizens(DAY)]
    for category, minutes in (("zonghe", 6), ("budongchan", 12)):
        times = [c.service_s for c in people if c.category == category]
        assert abs(statistics.median(times) / (minutes * 60) - 1) < 0.12, category
        assert min(times) > 0 and max(times) > 1.5 * minutes * 60   # a long tail


def test_hours_cut_the_day_and_a_lunch_break_has_no_arrivals():
    model = county()
    assert all(c.arrive_s < 3600 for c in model.citizens(DAY, minutes=60))
    hours = dataclasses.replace(model.config.hours, lunch=(12 * 60, 13 * 60))
    lunch = DayModel(dataclasses.replace(model.config, hours=hours), seed=1)
    assert not [c for c in lunch.citizens(DAY) if 3.5 * 3600 <= c.arrive_s < 4.5 * 3600]
