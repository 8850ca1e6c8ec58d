"""Resident ID card reader (GA/T 467 SAM module): protocol, driver, poller, simulator.

    reader = CardReader("/dev/ttyUSB0", profile)
    record = reader.read_card()          # IdCardRecord, or None when no new card
    CardReaderPoller(reader, on_card, on_error).start()

`drivers.card_reader.idnumber` is the project's one ID-number check and masking helper.
"""
import importlib

# Loaded on first use: `drivers.card_reader.idnumber` is plain Python, and whoever needs only
# the ID-number rule (the server, the kiosk's keypad entry) should not load pyserial and Pillow.
_EXPORTS = {
    "CardReader": ".driver", "CardReaderPoller": ".driver", "CallableDecoder": ".photo",
    "PhotoUnavailable": ".photo", "VendorLibraryDecoder": ".photo",
    "CardReaderProfile": ".profile", "CardReaderError": ".protocol", "IdCardRecord": ".record",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
