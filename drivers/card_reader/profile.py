"""Typed card reader profile (firmware_configs/devices/<name>.yaml with `kind: card_reader`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..options import Mistake, Option, ProfileSpec, one_of

if TYPE_CHECKING:
    from .photo import PhotoDecoder

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
        from .photo import VendorLibraryDecoder   # PIL: a hall config's check never needs it
        return VendorLibraryDecoder(self.photo_library, self.photo_function, self.photo_flag,
                                    self.photo_output)


D = CardReaderProfile
OPTIONS = (
    Option("model", str, D.model),
    Option("baudrate", int, D.baudrate),
    Option("reply_timeout_s", float, D.reply_timeout_s, minval=0.05, maxval=10),
    Option("read_timeout_s", float, D.read_timeout_s, minval=0.2, maxval=20),
    Option("poll_interval_s", float, D.poll_interval_s, minval=0.1, maxval=10),
    Option("read_fingerprint", bool, D.read_fingerprint),
    Option("photo_library", str, D.photo_library),
    Option("photo_function", str, D.photo_function, pattern=r"[A-Za-z_][A-Za-z0-9_]*"),
    Option("photo_flag", int, D.photo_flag, minval=0, maxval=255),
    Option("photo_output", str, D.photo_output, choices=("bmp", "bgr")),
)


def check(values: dict) -> list[Mistake]:
    return one_of(values, "baudrate", BAUDRATES, "a SAM rate")


PROFILE = ProfileSpec(OPTIONS, make=lambda values: CardReaderProfile(**values), check=check)
