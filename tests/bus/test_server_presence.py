"""A client knows whether the queue server is up: HallClient.server_online / on_server follow
the server's retained status, which the broker turns to offline through the server's will."""
from __future__ import annotations

from hall.protocol.client import HallClient

from bus_helpers import ServerProcess, wait_until

HALL = "testhall"


def test_client_sees_the_server_die_and_come_back(broker, tmp_path):
    server = ServerProcess(broker.url, tmp_path / "hall.sqlite")
    kiosk = HallClient(HALL, "kiosk", "k1", broker.url)
    changes: list[bool] = []
    kiosk.on_server(changes.append)
    kiosk.start()
    try:
        assert kiosk.wait_connected(10)
        assert kiosk.server_online is None   # never heard of a server on this fresh broker
        server.start()
        assert kiosk.wait_server(True, 30), server.stop()
        server.kill()                         # SIGKILL: only the broker's will can tell
        assert kiosk.wait_server(False, 10), "the server's will did not say offline"
        late = HallClient(HALL, "display", "d1", broker.url)   # learns it from the retained status
        late.start()
        try:
            assert wait_until(lambda: late.server_online is False, 10)
        finally:
            late.stop()
        server.start()
        assert kiosk.wait_server(True, 30), server.stop()
        assert changes == [True, False, True]
        server.stop()                         # a clean stop says offline itself
        assert kiosk.wait_server(False, 10)
    finally:
        kiosk.stop()
        server.stop()


def test_a_lost_broker_means_no_server_until_it_is_back(server, clients, broker):
    display = clients("display", "d1")
    assert display.wait_server(True, 10)
    changes: list[bool] = []
    display.on_server(changes.append)
    broker.restart()   # the client cannot reach the server meanwhile, whatever it last heard
    assert wait_until(lambda: changes[:1] == [False], 10)
    assert display.wait_server(True, 20)
    assert changes == [False, True]
