"""Typed card reader profile (firmware_configs/devices/<name>.yaml with `kind: card_reader`)."""
from __future__ import annotations

from dataclasses import dataclass

from hall.config import Section

from .photo import PhotoDecoder, VendorLibraryDecoder

BAUDRATES = (9600, 19200, 38400, 57600, 115200)


@dataclass(frozen=True)
class CardReaderProfile:
    model: str = "GA/T 467 SAM reader"
    baudrate: int = 115200
    reply_timeout_s: float = 0.5       # short commands (find, select)
    read_timeout_s: float = 2.0        # the 1295-byte read: 1.35 s of wire time at 9600 baud
    poll_interval_s: float = 1.0
    read_fingerprint: bool = False
    photo_library: str = ""            # vendor WLT decoder (.so); "" = no photo
    photo_function: str = "unpack"
    photo_flag: int = 0
    photo_output: str = "bmp"          # bmp | bgr

    def photo_decoder(self) -> PhotoDecoder | None:
        """The configured decoder; raises PhotoUnavailable if the library won't load."""
        if not self.photo_library:
            return None
        return VendorLibraryDecoder(self.photo_library, self.photo_function, self.photo_flag,
                                    self.photo_output)


def read_profile(section: Section) -> CardReaderProfile:
    baud = section.get_int("baudrate", 115200)
    if baud is not None and baud not in BAUDRATES:
        section.error(section.node_of("baudrate"), f"'baudrate' {baud} is not a SAM rate",
                      f"use one of {', '.join(map(str, BAUDRATES))}")
    profile = CardReaderProfile(
        model=section.get_str("model", CardReaderProfile.model),
        baudrate=baud,
        reply_timeout_s=section.get_float("reply_timeout_s", 0.5, minval=0.05, maxval=10),
        read_timeout_s=section.get_float("read_timeout_s", 2.0, minval=0.2, maxval=20),
        poll_interval_s=section.get_float("poll_interval_s", 1.0, minval=0.1, maxval=10),
        read_fingerprint=section.get_bool("read_fingerprint", False),
        photo_library=section.get_str("photo_library", ""),
        photo_function=section.get_str("photo_function", "unpack",
                                       pattern=r"[A-Za-z_][A-Za-z0-9_]*"),
        photo_flag=section.get_int("photo_flag", 0, minval=0, maxval=255),
        photo_output=section.get_str("photo_output", "bmp", choices=("bmp", "bgr")),
    )
    section.finish()
    return profile
