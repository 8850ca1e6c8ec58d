"""Resident ID card reader (GA/T 467 SAM module): protocol, driver, poller, simulator.

    reader = CardReader("/dev/ttyUSB0", profile)
    record = reader.read_card()          # IdCardRecord, or None when no new card
    CardReaderPoller(reader, on_card, on_error).start()

`drivers.card_reader.idnumber` is the project's one ID-number check and masking helper.
"""
from .driver import CardReader, CardReaderPoller
from .photo import CallableDecoder, PhotoUnavailable, VendorLibraryDecoder
from .profile import CardReaderProfile
from .protocol import CardReaderError
from .record import IdCardRecord

__all__ = ["CardReader", "CardReaderPoller", "CardReaderError", "CardReaderProfile",
           "IdCardRecord", "CallableDecoder", "VendorLibraryDecoder", "PhotoUnavailable"]
