"""Fixtures of the sync tests: Debian's PostgreSQL started here on a free port (one server
for the session, a new database for each test), real Mosquittos from `broker-config`."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))

from queue_server.sync.pg_server import PrivatePostgres, pg_bin  # noqa: E402


@pytest.fixture(scope="session")
def postgres():
    if pg_bin() is None:
        pytest.fail("PostgreSQL is not installed (apt-get install postgresql)")
    pg = PrivatePostgres().start()
    yield pg
    pg.remove()


@pytest.fixture
def county_dsn(postgres, request):
    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50]
    return postgres.create_database(name)


@pytest.fixture
def county_store(county_dsn):
    from queue_server.sync.county_store import CountyStore
    store = CountyStore(county_dsn)
    store.create()
    yield store
    store.close()
