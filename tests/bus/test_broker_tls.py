"""`yichuang server --broker mqtts://user:pass@host:port --broker-ca FILE` against a real
Mosquitto with a TLS listener and a password file; clients likewise. The certificates are
made here with openssl (a private CA, the broker's certificate for 127.0.0.1)."""
from __future__ import annotations

import getpass

from queue_server.broker import MosquittoBroker, free_port
from queue_server.commands.broker_config import password_hash
from queue_server.spawn import spawn_server
from hall.protocol.client import HallClient

from bus_helpers import HALL_YAML
from certificates import make_certificates

HALL = "testhall"


def test_server_and_clients_over_tls_with_passwords(tmp_path):
    make_certificates(tmp_path)
    passwords = {"server-main": "srv-secret-1", "kiosk-k1": "kiosk-secret-1"}
    (tmp_path / "passwd").write_text("".join(f"{u}:{password_hash(p)}\n" for u, p in passwords.items()))
    port = free_port()
    (tmp_path / "mosquitto.conf").write_text(
        f"user {getpass.getuser()}\n"   # as root Mosquitto would switch to an account that cannot read tmp_path
        f"per_listener_settings false\nlistener {port} 127.0.0.1\ncafile {tmp_path / 'ca.pem'}\n"
        f"certfile {tmp_path / 'broker.pem'}\nkeyfile {tmp_path / 'broker.key'}\n"
        f"allow_anonymous false\npassword_file {tmp_path / 'passwd'}\nset_tcp_nodelay true\n")
    broker = MosquittoBroker(port, config=tmp_path / "mosquitto.conf").start()
    url = f"mqtts://{{}}@127.0.0.1:{port}"
    server = spawn_server(HALL_YAML, tmp_path / "hall.sqlite", tmp_path / "server.log",
                          "--broker", url.format(f"server-main:{passwords['server-main']}"),
                          "--broker-ca", str(tmp_path / "ca.pem"), "--no-console")
    ca = str(tmp_path / "ca.pem")
    kiosk = HallClient(HALL, "kiosk", "k1", url.format(f"kiosk-k1:{passwords['kiosk-k1']}"), tls_ca=ca)
    no_ca = HallClient(HALL, "kiosk", "k2", url.format(f"kiosk-k1:{passwords['kiosk-k1']}"))  # system CAs
    bad_password = HallClient(HALL, "kiosk", "k3", url.format("kiosk-k1:wrong"), tls_ca=ca)
    try:
        for c in (kiosk, no_ca, bad_password):
            c.start()
        assert kiosk.wait_connected(10)
        assert kiosk.wait_server(True, 30), (tmp_path / "server.log").read_text()
        ticket = kiosk.request("ticket.issue", {"category": "zonghe"}, timeout=10)["ticket"]
        assert ticket["number"] == "A0001"
        # the broker's certificate is checked, and so is the password
        assert not no_ca.connected and not bad_password.connected
    finally:
        for c in (kiosk, no_ca, bad_password):
            c.stop()
        server.terminate()
        server.wait(10)
        broker.stop()
