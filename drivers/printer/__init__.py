"""Thermal ticket printer (ESC/POS): ticket layout, status, driver, simulator, decoder.

    printer = TicketPrinter("/dev/ttyUSB1", profile)
    result = printer.print_ticket(Ticket(...))     # PrinterError if it cannot print
    result.health                                   # ok, or warning (paper near end)
"""
import importlib

# Loaded on first use: python-escpos pulls in qrcode and Pillow, and `yichuang --help` and a
# hall config's check import this package only for its benchmark and its profile.
_EXPORTS = {"TicketPrinter": ".driver", "PrintResult": ".driver", "PrinterProfile": ".profile",
            "PrinterError": ".status", "PrinterStatus": ".status", "Ticket": ".ticket",
            "sample_ticket": ".ticket", "ticket_bytes": ".ticket"}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
