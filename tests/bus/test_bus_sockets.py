"""TCP_NODELAY on every client socket of the hall bus: read back from the connected sockets of
a kiosk, the queue server and the web console's device watcher (all paho through
BusConnection). Without it Nagle's algorithm delays small MQTT packets by 40 ms or more."""
from __future__ import annotations

import socket

import pytest

from queue_server.web.devices import DeviceWatcher


def nodelay(sock) -> int:
    assert sock is not None, "not connected"
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


@pytest.mark.parametrize("broker", ["embedded", "mosquitto"], indirect=True)
def test_every_bus_socket_has_tcp_nodelay(server, clients, broker, config):
    kiosk = clients("kiosk", "k1")
    watcher = DeviceWatcher(config.id, broker.url, lambda *_: None, frozenset())
    watcher.start()
    try:
        assert watcher.wait_connected(10)
        sockets = {"kiosk": kiosk._bus.socket(), "server": server._conn.socket(),
                   "console device watcher": watcher._conn.socket()}
        assert {name: nodelay(s) for name, s in sockets.items()} == dict.fromkeys(sockets, 1)
    finally:
        watcher.stop()
