"""Shared test material: a small invented hall, invented people, a settable clock.

Imported by the conftest files of tests/engine, tests/store and tests/service.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from hall.config.model import Category, HallConfig, Host, QueueRules, Window

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2025, 11, 24)


def at(hour: int, minute: int = 0, day: dt.date = MONDAY, second: float = 0) -> float:
    """Unix time of a hall-local moment (default: a Monday, when the hall is open)."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ).timestamp() + second


def id_number(birth: str = "19850312", serial: str = "123", area: str = "110105") -> str:
    """An invented resident ID number with a valid check character.

    The check is computed here from the standard's definition (weights 2^(17-i) mod 11),
    independently of drivers.card_reader.idnumber.
    """
    body = area + birth + serial
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(body))
    check = (12 - total % 11) % 11
    return body + ("X" if check == 10 else str(check))


def person(identity: dict, day: dt.date = MONDAY):
    """The Person the service would hand the engine for this identity (the engine sees no ID)."""
    from queue_server.identity import read_identity
    return read_identity(identity, b"salt" * 8, day)


def hall(**rules) -> HallConfig:
    """Categories a (综合), b (社保), c (不动产, real name, one ticket a person);
    windows 1 comprehensive (prefers a), 2 domain b, 3 domain c, 4 dedicated a; kiosks k1-k3."""
    return HallConfig(
        id="testhall", name="测试县政务服务中心",
        rules=QueueRules(**rules),
        categories=(
            Category("a", "A", "综合业务"),
            Category("b", "B", "社保业务", services=("sb01", "sb02")),
            Category("c", "C", "不动产登记", real_name=True, per_person_limit=1),
        ),
        windows=(
            Window("1", "1号窗口", kind="comprehensive", categories=("a",)),
            Window("2", "2号窗口", kind="domain", categories=("b",)),
            Window("3", "3号窗口", kind="domain", categories=("c",)),
            Window("4", "4号窗口", kind="dedicated", categories=("a",)),
        ),
        hosts=tuple(Host(f"k{i}", "kiosk") for i in (1, 2, 3)),
    )


class Clock:
    """A clock the test moves by hand (the service reads it for every batch)."""

    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        self.now += seconds
        return self.now


# -- fixtures of the store and service tests (their conftest files import these) ------------
@pytest.fixture
def clock():
    return Clock(at(9))


@pytest.fixture
def open_service(tmp_path, clock):
    """open_service(**rules) -> a HallService on a fresh file; several may share the file."""
    from queue_server.service import HallService

    made = []

    def make(path=tmp_path / "hall.sqlite", config=None, **rules):
        service = HallService(config or hall(**rules), str(path), clock=clock)
        made.append(service)
        return service
    yield make
    for service in made:
        service.close()


@pytest.fixture
def service(open_service):
    return open_service()
