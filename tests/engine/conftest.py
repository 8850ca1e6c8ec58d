import pytest
from halls import at, hall

from queue_server.engine import HallEngine


@pytest.fixture
def engine():
    return HallEngine(hall(), b"link" * 8, at(9))


@pytest.fixture
def make_engine():
    def make(**rules):
        return HallEngine(hall(**rules), b"link" * 8, at(9))
    return make
