"""QR / barcode scanner on a (USB-)serial port: profile, driver, poller, pty simulator.

Typical scanners in serial (USB-CDC) mode send each code read as its text followed by a
terminator, CR LF by default:

    scanner = BarcodeScanner("/dev/ttyACM0", profile)
    ScannerPoller(scanner, on_code).start()      # on_code("73739966") once per scan
"""
from .driver import BarcodeScanner, ScannerError, ScannerPoller, split_codes
from .profile import ScannerProfile

__all__ = ["BarcodeScanner", "ScannerError", "ScannerPoller", "ScannerProfile", "split_codes"]
