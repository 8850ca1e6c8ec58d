"""`yichuang device scan` and the QR / barcode scanner simulator for `device simulate`."""
from __future__ import annotations

import argparse
import time
from contextlib import closing

from . import SIMULATORS, checked, load_device_profile


def register(sub) -> None:
    scan = sub.add_parser("scan", help="wait for QR / barcode scans and show each code")
    scan.add_argument("--port", required=True, help="serial port of the scanner")
    scan.add_argument("--profile", default="serial-qr-scanner",
                      help="device profile (default serial-qr-scanner)")
    scan.add_argument("--wait", type=float, default=15.0, help="seconds to wait for scans")
    scan.add_argument("--count", type=int, default=1, help="stop after this many codes (default 1)")
    scan.set_defaults(func=checked(scan_codes, "扫码失败"))
    SIMULATORS["scanner"] = "queue_server.commands.device.scanner:simulator"


def scan_codes(args: argparse.Namespace) -> int:
    from drivers.scanner.driver import BarcodeScanner
    scanner = BarcodeScanner(args.port, load_device_profile(args.profile, "scanner"))
    deadline = time.monotonic() + args.wait
    seen = 0
    print("请将二维码或条码对准扫码口……", flush=True)
    with closing(scanner):
        scanner.probe()
        while time.monotonic() < deadline and seen < args.count:
            for code in scanner.read_codes():
                seen += 1
                print(f"扫码：{code}", flush=True)
    if scanner.dropped:
        print(f"丢弃的残缺扫码：{scanner.dropped}")
    if seen == 0:
        print(f"{args.wait:g} 秒内未扫到码（no_code）")
        return 1
    return 0


def simulator(link: str | None):
    """A scanner that scans what `device sim --port PATH scan CODE` says."""
    from drivers.scanner.simulator import ScannerSimulator
    return ScannerSimulator(link).start()
