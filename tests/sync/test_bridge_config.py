"""The Mosquitto set-up `yichuang broker-config` writes from the shipped county and village
configs: the county's accounts and ACL for its sites, the village's bridge (0600, persistent
session, its own topics each way), and that bridge really carrying a record to the county's
hub over TLS, the hub's certificate checked against the CA the village's config names."""
from __future__ import annotations

import getpass
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import paho.mqtt.client as mqtt

from certificates import make_certificates
from hall.config.hall import load_hall_config
from hall.protocol import sync as contract
from queue_server.broker import MosquittoBroker, free_port
from queue_server.commands import broker_config

ROOT = Path(__file__).resolve().parents[2]
SITES = ROOT / "firmware_configs" / "sites"
VILLAGE = "shiqiao-village"


def yichuang(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "queue_server.cli", *args], capture_output=True,
                          text=True, timeout=60, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))


def test_the_county_gets_one_confined_account_per_site(tmp_path):
    passwords = broker_config.write(load_hall_config(SITES / "county.yaml"), tmp_path)
    assert {"server-sync", "bridge-baisha-town", "bridge-shiqiao-village"} <= set(passwords)
    acl = (tmp_path / "acl").read_text()
    block = acl.split("user bridge-shiqiao-village\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert block == [f"topic write yichuang/sync/{VILLAGE}/{d}" for d in ("up", "status", "down-ack", "bridge")] \
        + [f"topic read yichuang/sync/{VILLAGE}/{d}" for d in ("ack", "down")]
    receiver = acl.split("user server-sync\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert receiver == ["topic readwrite yichuang/sync/#",
                        "topic readwrite yichuang/qingshan-county/server/sync/status"]


def test_a_site_without_the_countys_password_gets_a_plain_error(tmp_path):
    done = yichuang("broker-config", str(SITES / "village.yaml"), "--out", str(tmp_path / "v"))
    assert done.returncode == 1 and "--county-secrets" in done.stderr and "Traceback" not in done.stderr


def test_the_shipped_villages_bridge_carries_records_to_the_hub_over_tls(tmp_path):
    make_certificates(tmp_path)
    county_dir, village_dir = tmp_path / "county", tmp_path / "village"
    plain, tls, local = free_port(), free_port(), free_port()
    broker_config.write(load_hall_config(SITES / "county.yaml"), county_dir, port=plain,
                        bind="127.0.0.1", user=getpass.getuser())
    with open(county_dir / "mosquitto.conf", "a") as conf:      # the TLS listener deployment.md adds
        conf.write(f"listener {tls} 127.0.0.1\ncafile {tmp_path / 'ca.pem'}\n"
                   f"certfile {tmp_path / 'broker.pem'}\nkeyfile {tmp_path / 'broker.key'}\n")
    shutil.copy(SITES / "village.yaml", tmp_path / "village.yaml")
    shutil.copy(tmp_path / "ca.pem", tmp_path / "county-ca.pem")    # the village's sync.hub_ca
    done = yichuang("broker-config", str(tmp_path / "village.yaml"), "--out", str(village_dir),
                    "--port", str(local), "--bind", "127.0.0.1", "--user", getpass.getuser(),
                    "--county-secrets", str(county_dir / "secrets"), "--hub", f"127.0.0.1:{tls}")
    assert done.returncode == 0, done.stderr
    conf = (village_dir / "mosquitto.conf").read_text()
    assert stat.S_IMODE((village_dir / "mosquitto.conf").stat().st_mode) & 0o007 == 0
    assert "cleansession false" in conf and f"bridge_cafile {tmp_path / 'county-ca.pem'}" in conf
    assert f"topic yichuang/sync/{VILLAGE}/up out 1" in conf
    assert f"topic yichuang/sync/{VILLAGE}/down in 1" in conf

    county_pw = broker_config.read_secrets(county_dir / "secrets")["server-sync"]
    village_pw = broker_config.read_secrets(village_dir / "secrets")["server-main"]
    hub = MosquittoBroker(plain, config=county_dir / "mosquitto.conf").start()
    site = MosquittoBroker(local, config=village_dir / "mosquitto.conf").start()
    seen: list[tuple[str, bytes]] = []
    watcher = client("server-sync", county_pw, plain, seen, contract.all_sites("up"),
                     contract.all_sites("bridge"))
    link = client("server-main", village_pw, local, [], None)
    try:
        line_up = lambda: (contract.topic(VILLAGE, "bridge"), b"1") in seen
        wait(line_up, "the bridge's notification on the hub")
        record = contract.encode([contract.envelope(VILLAGE, "rating", "e1", 1.0, {"level": 5})])
        link.publish(contract.topic(VILLAGE, "up"), record, qos=1).wait_for_publish(5)
        wait(lambda: (contract.topic(VILLAGE, "up"), record) in seen, "the record on the hub")
    finally:
        for c in (watcher, link):
            c.loop_stop()
            c.disconnect()
        site.stop()
        hub.stop()


def client(user, password, port, seen, *subscriptions):
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"test-{user}-{port}",
                    protocol=mqtt.MQTTv311)
    c.username_pw_set(user, password)
    c.on_message = lambda _c, _u, m: seen.append((m.topic, m.payload))
    c.on_connect = lambda cl, *_: [cl.subscribe(s, qos=1) for s in subscriptions if s]
    c.connect("127.0.0.1", port)
    c.loop_start()
    return c


def wait(check, what, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")
