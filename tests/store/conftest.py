import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))
from halls import Clock, at, hall  # noqa: E402  (shared test material)

from queue_server.service import HallService  # noqa: E402


@pytest.fixture
def clock():
    return Clock(at(9))


@pytest.fixture
def open_service(tmp_path, clock):
    """open_service(**rules) -> a HallService on a fresh file; several may share the file."""
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
