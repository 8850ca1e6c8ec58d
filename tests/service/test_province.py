"""Up to the province: ratings delivered over real HTTPS (mutual TLS, a bearer token) to a local
receiver that dedupes by record id, through a day of platform outage and a server SIGKILL."""
import asyncio
import dataclasses
import datetime as dt
import ipaddress
import json
import os
import signal
import sqlite3
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from halls import hall

from hall.config.hall import load_hall_config
from hall.config.model import Province
from queue_server.broker import free_ports
from queue_server.province import Reporter
from queue_server.service import HallService

BUS_HALL = Path(__file__).resolve().parents[1] / "bus" / "hall.yaml"
TOKEN = "test-token-7f3a"


def self_signed(folder: Path, name: str) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 signed by its own key, made here (no fixture on disk)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / f"{name}.crt", folder / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class Receiver:
    """The provincial platform as a test stands it up: HTTPS with a client certificate
    required, the bearer token checked, each record kept once by its Idempotency-Key."""

    def __init__(self, folder: Path, client_cert: Path):
        self.cert, self.key = self_signed(folder, "platform")
        self.client_cert = client_cert
        self.port = free_ports(1)[0]
        self.records: dict[str, dict] = {}
        self.requests = 0
        self.up = True
        self.hold_after: int | None = None     # answer nothing once this many are kept
        self.holding = threading.Event()
        self.release = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        assert self._ready.wait(10)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}/hcp/records"

    async def _take(self, request):
        self.requests += 1
        if not self.up:
            return web.json_response({"error": "maintenance"}, status=503)
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.json_response({"error": "token"}, status=401)
        body = await request.json()
        key = request.headers["Idempotency-Key"]
        assert key == body["id"]
        self.records.setdefault(key, body)           # a redelivery changes nothing
        if self.hold_after is not None and len(self.records) >= self.hold_after:
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
        return web.json_response({"ok": True, "id": key})

    def _serve(self):
        asyncio.set_event_loop(self._loop)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(self.client_cert)
        app = web.Application()
        app.router.add_post("/hcp/records", self._take)
        self._runner = web.AppRunner(app)
        self._loop.run_until_complete(self._runner.setup())
        self._loop.run_until_complete(web.TCPSite(self._runner, "127.0.0.1", self.port, ssl_context=context).start())
        self._ready.set()
        self._loop.run_forever()

    def stop(self):
        self.release.set()
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


@pytest.fixture
def platform(tmp_path):
    client_cert, client_key = self_signed(tmp_path, "hall")
    (tmp_path / "token").write_text(TOKEN + "\n")
    receiver = Receiver(tmp_path, client_cert)
    receiver.settings = Province(url=receiver.url, hall_code="360101", token_file=str(tmp_path / "token"),
                                 cert_file=str(client_cert), key_file=str(client_key),
                                 ca_file=str(receiver.cert), timeout_s=5.0)
    yield receiver
    receiver.stop()


def rate(service, count: int) -> None:
    """`count` tickets served at window 1 and rated from their phones, levels 1-5 in turn."""
    service.staff.add("s1", "李明", "window", "secret001")
    service.handle("window", "1", "window.login", {"staff": "s1", "password": "secret001"})
    for i in range(count):
        service.handle("kiosk", "k1", "ticket.issue", {"category": service.config.categories[0].id})
        service.handle("window", "1", "window.call_next", {})
        t = service.handle("window", "1", "window.finish", {})["data"]["ticket"]
        token = service.store.tickets("number = ?", [t["number"]])[0].token
        reply = service.handle("citizen", "phone", "evaluation.submit",
                               {"token": token, "level": 1 + i % 5,
                                **({"reasons": ["等候时间长"], "phone": "13800001234"} if i % 5 < 2 else {})})
        assert reply["status"] == "ok", reply


def owed(db_path) -> int:
    """Records put in the outbox: each rating, and each step of a bad rating's case."""
    with sqlite3.connect(db_path) as db:
        return db.execute("SELECT count(*) FROM outbox").fetchone()[0]


def ratings_of(platform) -> list[dict]:
    return sorted((r for r in platform.records.values() if r["kind"] == "rating"), key=lambda r: r["rating"])


def undelivered(db_path) -> int:
    with sqlite3.connect(db_path) as db:
        return db.execute("SELECT count(*) FROM outbox WHERE delivered_at IS NULL").fetchone()[0]


def test_delivered_over_mutual_tls_with_the_token_masked_and_once(platform, tmp_path, clock):
    config = dataclasses.replace(hall(), province=platform.settings)
    service = HallService(config, str(tmp_path / "h.sqlite"), clock=clock)
    rate(service, 5)
    total = owed(tmp_path / "h.sqlite")
    assert total == 5 + 2                               # five ratings, two bad ones' cases
    reporter = Reporter(config, str(tmp_path / "h.sqlite"), clock=clock)
    try:
        assert reporter.run_once() == total
        assert reporter.run_once() == 0                 # nothing owed any more: nothing sent
    finally:
        reporter.stop()
        service.close()
    assert len(platform.records) == total and platform.requests == total
    assert [r["level"] for r in ratings_of(platform)] == [1, 2, 3, 4, 5]
    cases = [r for r in platform.records.values() if r["kind"] == "case"]
    assert {(c["case_kind"], c["state"], c["level"]) for c in cases} == {("rating", "open", 1), ("rating", "open", 2)}
    bad = next(r for r in ratings_of(platform) if r["level"] == 1)
    assert (bad["level_text"], bad["phone"], bad["reasons"], bad["channel"]) == \
        ("非常不满意", "138****1234", ["等候时间长"], "mobile")
    assert "13800001234" not in json.dumps(list(platform.records.values()), ensure_ascii=False)


def test_without_the_client_certificate_or_token_nothing_counts_as_delivered(platform, tmp_path, clock):
    for settings in (dataclasses.replace(platform.settings, cert_file="", key_file=""),
                     dataclasses.replace(platform.settings, token_file=str(tmp_path / "hall.crt")),
                     dataclasses.replace(platform.settings, ca_file="")):   # the platform's cert unknown
        config = dataclasses.replace(hall(), province=settings)
        path = tmp_path / f"{id(settings)}.sqlite"
        service = HallService(config, str(path), clock=clock)
        rate(service, 1)
        service.close()
        reporter = Reporter(config, str(path), clock=clock)
        assert reporter.run_once() == 0
        reporter.stop()
        assert undelivered(path) == owed(path) == 2      # the rating and its case
    assert platform.records == {}


def test_a_day_of_outage_knocks_about_once_an_hour_then_everything_arrives_once(platform, tmp_path, clock):
    config = dataclasses.replace(hall(), province=platform.settings)
    path = str(tmp_path / "h.sqlite")
    service = HallService(config, path, clock=clock)
    rate(service, 12)
    platform.up = False
    reporter = Reporter(config, path, clock=clock)
    try:
        for _ in range(24 * 60):          # a simulated day, a round a minute
            clock.advance(60)
            reporter.run_once()
        knocks = platform.requests
        # back-off 5 s doubling to an hour: ~10 knocks to reach the hour, then one an hour
        assert 20 <= knocks <= 40, knocks
        assert undelivered(path) == owed(path) == 12 + 6 and platform.records == {}
        platform.up = True
        for _ in range(61):
            clock.advance(60)
            reporter.run_once()
    finally:
        reporter.stop()
        service.close()
    assert undelivered(path) == 0
    assert len(platform.records) == 18
    assert [r["rating"] for r in ratings_of(platform)] == list(range(1, 13))


def test_a_server_killed_mid_sending_resends_the_unacknowledged_and_nothing_twice(platform, tmp_path):
    """The real `yichuang server`: SIGKILL while the platform holds a record's answer; after
    the restart that record goes again under its id, the platform keeps it once."""
    config_path = tmp_path / "hall.yaml"
    s = platform.settings
    config_path.write_text(BUS_HALL.read_text(encoding="utf-8") + f"""
province:
  url: "{s.url}"
  hall_code: "360101"
  token_file: {s.token_file}
  cert_file: {s.cert_file}
  key_file: {s.key_file}
  ca_file: {s.ca_file}
  batch: 5
""", encoding="utf-8")
    config = load_hall_config(config_path)
    db = tmp_path / "hall.sqlite"
    service = HallService(config, str(db))
    rate(service, 20)
    service.close()
    platform.hold_after = 7

    def start():
        port = free_ports(1)[0]
        return subprocess.Popen([sys.executable, "-m", "queue_server.cli", "server", "--config", str(config_path),
                                 "--db", str(db), "--broker-port", str(port), "--no-console"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    server = start()
    try:
        assert platform.holding.wait(60), "the server sent nothing"
        os.killpg(server.pid, signal.SIGKILL)        # the server and its broker, mid-send
        server.wait(10)
        platform.hold_after = None
        platform.release.set()
        total = owed(db)
        assert len(platform.records) == 7 and undelivered(db) == total - 6   # the 7th kept, never acknowledged
        server = start()
        deadline = time.monotonic() + 60
        while undelivered(db) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert undelivered(db) == 0
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(15)
    assert total == 20 + 8 and len(platform.records) == total     # each rating and case once
    assert len(ratings_of(platform)) == 20
    assert platform.requests == total + 1             # the held one twice, by the same id
