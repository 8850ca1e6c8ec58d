"""`yichuang sync ...` as an operator runs it against the county's PostgreSQL: the catalogue
changes owed to every site once, however often it is run; a decision; the sites' table; and
a clear error (no traceback) when the store is not there."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hall.catalog.edits import item_fields
from hall.config.hall import load_hall_config
from queue_server.service import HallService

ROOT = Path(__file__).resolve().parents[2]
COUNTY_YAML = ROOT / "firmware_configs" / "sites" / "county.yaml"


def yichuang(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "queue_server.cli", *args], capture_output=True,
                          text=True, timeout=60, env=env, cwd=ROOT)


def test_catalogue_changes_go_to_every_site_once(tmp_path, county_dsn, county_store):
    config = load_hall_config(COUNTY_YAML)
    db = tmp_path / "county.sqlite"
    service = HallService(config, str(db))
    code = config.catalog.items[0].code
    service.catalogue.edit(code, {**item_fields(config.catalog.items[0]), "name": "参保登记（新）"},
                           "m01", 1.0)
    service.close()
    for _ in range(2):
        done = yichuang("sync", "catalog", "--config", str(COUNTY_YAML), "--store", county_dsn,
                        "--db", str(db))
        assert done.returncode == 0, done.stderr
        assert "1 catalogue changes owed to 2 sites" in done.stdout
    for site in ("baisha-town", "shiqiao-village"):
        owed = county_store.due_down(site)
        assert [(e["kind"], e["body"]["fields"]["name"]) for e in owed] == [("catalog", "参保登记（新）")]
    table = yichuang("sync", "sites", "--config", str(COUNTY_YAML), "--store", county_dsn)
    assert table.returncode == 0
    assert [line.split()[:2] + line.split()[3:5] + line.split()[-1:]
            for line in table.stdout.splitlines()[1:]] == [
        ["baisha-town", "township", "0", "1", "missing"],     # the example's keys_dir is empty
        ["shiqiao-village", "village", "0", "1", "missing"]]


def test_a_decision_on_an_unknown_application_and_a_missing_store_are_plain_errors(county_dsn):
    done = yichuang("sync", "decide", "--config", str(COUNTY_YAML), "--store", county_dsn,
                    "--site", "shiqiao-village", "--number", "NOPE-1", "--refuse", "材料不全")
    assert done.returncode == 1 and "no undecided application NOPE-1" in done.stderr
    gone = yichuang("sync", "sites", "--config", str(COUNTY_YAML), "--store",
                    "host=127.0.0.1 port=1 user=x connect_timeout=2")
    assert gone.returncode == 1 and "cannot open the county store" in gone.stderr
    assert "Traceback" not in gone.stderr


def test_the_county_receiver_runs_as_a_command_and_stops_cleanly(tmp_path, county_dsn, county_store):
    """`yichuang sync county` on the county's hub (Mosquitto from broker-config): a site's
    record published as its bridge would is kept and acknowledged; SIGTERM stops it (0)."""
    import getpass
    import signal
    import time

    import paho.mqtt.client as mqtt

    from hall.protocol import sync as contract
    from queue_server.broker import MosquittoBroker, free_port
    from queue_server.commands import broker_config

    port = free_port()
    passwords = broker_config.write(load_hall_config(COUNTY_YAML), tmp_path / "hub", port=port,
                                    bind="127.0.0.1", user=getpass.getuser())
    hub = MosquittoBroker(port, config=tmp_path / "hub" / "mosquitto.conf").start()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    receiver = subprocess.Popen(
        [sys.executable, "-m", "queue_server.cli", "sync", "county", "--config", str(COUNTY_YAML),
         "--store", county_dsn, "--broker",
         f"mqtt://server-sync:{passwords['server-sync']}@127.0.0.1:{port}"],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    acks = []
    site = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bridge-test", protocol=mqtt.MQTTv311)
    site.username_pw_set("bridge-shiqiao-village", passwords["bridge-shiqiao-village"])
    site.on_message = lambda _c, _u, m: acks.append(contract.decode_acks(m.payload))
    site.on_connect = lambda c, *_: c.subscribe(contract.topic("shiqiao-village", "ack"), 1)
    site.connect("127.0.0.1", port)
    site.loop_start()
    record = contract.envelope("shiqiao-village", "rating", "e1", 1.0, {"level": 5})
    try:
        deadline = time.monotonic() + 30
        while not acks and time.monotonic() < deadline:   # until the receiver is subscribed
            site.publish(contract.topic("shiqiao-village", "up"), contract.encode([record]), qos=1)
            time.sleep(0.5)
        assert acks and acks[0] == [record["id"]]
        assert [r["id"] for r in county_store.records("shiqiao-village")] == [record["id"]]
        receiver.send_signal(signal.SIGTERM)
        assert receiver.wait(20) == 0
        assert "county receiver of qingshan-county: 2 sites" in receiver.stdout.read()
    finally:
        site.loop_stop()
        if receiver.poll() is None:
            receiver.kill()
        hub.stop()


def test_the_report_counts_each_sites_records_of_those_days(county_dsn, county_store):
    import datetime as dt
    from zoneinfo import ZoneInfo
    from hall.protocol import sync as contract
    day = dt.datetime(2026, 12, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()
    for site in ("baisha-town", "shiqiao-village"):
        county_store.add_site(site)
    rating = {"level": 5, "version": 1, "first_ts": day}
    county_store.receive("baisha-town", [
        contract.envelope("baisha-town", "rating", "e1", day, rating),
        contract.envelope("baisha-town", "rating", "e1.2", day + 60,
                          {**rating, "level": 2, "version": 2}),
        contract.envelope("baisha-town", "complaint", "C-1", day, {"case": "C-1"}),
        contract.envelope("baisha-town", "case", "C-1.file.a1", day, {"step": "file"}),
        contract.envelope("baisha-town", "case", "C-1.verify.a2", day, {"step": "verify"}),
        contract.envelope("baisha-town", "rating", "e2", day - 86400, {**rating, "first_ts": day - 86400})])
    county_store.receive("shiqiao-village", [
        contract.envelope("shiqiao-village", "complaint", "C-9", day, {"case": "C-9"})])
    done = yichuang("sync", "report", "--config", str(COUNTY_YAML), "--store", county_dsn,
                    "--from", "2026-12-02")
    assert done.returncode == 0, done.stderr
    assert [line.split() for line in done.stdout.splitlines()[1:]] == [
        ["baisha-town", "case", "2"], ["baisha-town", "complaint", "1"],
        ["baisha-town", "rating", "1", "2.00"],          # the day before is left out
        ["shiqiao-village", "complaint", "1"]]
