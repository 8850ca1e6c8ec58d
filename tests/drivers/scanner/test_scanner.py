"""The QR / barcode scanner driver against its pty simulator: real bytes on a real pty."""
from __future__ import annotations

import threading
import time

import pytest

from drivers.scanner import BarcodeScanner, ScannerPoller, ScannerProfile, split_codes
from drivers.scanner.simulator import ScannerSimulator
from hall.config.devices import load_profile
from hall.config.reader import Problems


def read_until(scanner: BarcodeScanner, count: int, timeout: float = 3.0) -> list[str]:
    codes, deadline = [], time.monotonic() + timeout
    while len(codes) < count and time.monotonic() < deadline:
        codes += scanner.read_codes()
    return codes


def opened(sim, profile: ScannerProfile | None = None) -> BarcodeScanner:
    """A scanner driver with its port open (opening a port drops what waited in it)."""
    scanner = BarcodeScanner(sim.path, profile)
    scanner.probe()
    return scanner


@pytest.fixture
def sim():
    with ScannerSimulator() as s:
        yield s


def test_codes_end_at_cr_lf_cr_or_lf():
    assert split_codes(b"1234\r\n5678\r9999\n12") == ([b"1234", b"5678", b"9999"], b"12")
    assert split_codes(b"\r\n\r\n") == ([], b"")


def test_each_scan_is_one_code(sim):
    scanner = opened(sim)
    sim.scan("73739966")
    sim.scan("预约-12345678")
    assert read_until(scanner, 2) == ["73739966", "预约-12345678"]
    assert scanner.health.state == "ok"
    scanner.close()


def test_a_code_in_pieces_is_put_together(sim):
    scanner = opened(sim)
    sim.noise(b"7373")
    assert scanner.read_codes(0.1) == []
    sim.noise(b"9966\r\n")
    assert read_until(scanner, 1) == ["73739966"]
    scanner.close()


def test_cut_off_garbled_and_overlong_codes_are_dropped_never_passed_half(sim):
    scanner = opened(sim, ScannerProfile(max_length=16, gap_timeout_s=0.1))
    sim.scan("73739966", cut=True)                # half a code, then nothing
    assert read_until(scanner, 1, timeout=0.5) == []
    sim.noise(b"\xff\xfe\xfd\r\n")                # not text
    sim.noise(b"9" * 40 + b"\r\n")                # longer than any code of ours
    sim.noise(b"\x1b[2J\r\n")                     # control bytes
    sim.scan("12345678")
    assert read_until(scanner, 1) == ["12345678"]
    assert scanner.dropped >= 4
    scanner.close()


def test_the_poller_reports_codes_and_an_unplugged_scanner(sim):
    codes, health, seen = [], [], threading.Event()
    scanner = opened(sim, ScannerProfile(reopen_interval_s=0.2))
    poller = ScannerPoller(scanner, lambda c: (codes.append(c), seen.set()),
                           on_health=lambda h: health.append(h.state)).start()
    try:
        sim.scan("11112222")
        assert seen.wait(3) and codes == ["11112222"]
        sim.unplug()
        deadline = time.monotonic() + 3
        while "absent" not in health and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "absent" in health
        sim.plug()
        seen.clear()
        deadline = time.monotonic() + 5
        while not seen.is_set() and time.monotonic() < deadline:
            sim.scan("33334444")
            seen.wait(0.5)
        assert codes[-1] == "33334444" and health[-1] == "ok"
    finally:
        poller.stop()
        scanner.close()


def test_the_shipped_profile_loads_and_a_bad_terminator_is_reported(tmp_path):
    problems = Problems()
    profile = load_profile("serial-qr-scanner", problems, kind="scanner")
    assert not problems.items and profile.end == b"\r\n"
    (tmp_path / "bad.yaml").write_text("kind: scanner\nterminator: tab\n", encoding="utf-8")
    problems = Problems()
    load_profile("bad", problems, kind="scanner", directory=tmp_path)
    assert any(p.line == 2 and "terminator" in p.message for p in problems.items)
