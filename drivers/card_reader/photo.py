"""Card photo decoding: the 1024-byte WLT block only closed vendor code can decode.

A decoder is anything with `decode(wlt: bytes) -> PIL.Image.Image` that raises
PhotoUnavailable when it cannot. Two ship here:

- VendorLibraryDecoder: a vendor shared library (libwlt.so and kin) loaded with ctypes from
  the path in the device profile. Such libraries export `int f(char *wlt, char *out, int
  flag)` returning 1 on success and writing either a BMP file image or raw BGR pixels of
  102x126; the function name, flag and output kind are profile options because vendors differ.
- CallableDecoder: wraps a reader SDK that already returns image bytes (BMP/JPEG/PNG).
- SimulatorDecoder: the card simulator's cards carry their photo as a JPEG in the 1024 bytes
  (`photo_library: simulator` in a profile); for tests and demos only.

Without a decoder the record's photo is None and `photo_unavailable_reason` says why, so face
verification can tell staff plainly that the card photo cannot be used.
"""
from __future__ import annotations

import ctypes
import io
from typing import Callable, Protocol

from PIL import Image, UnidentifiedImageError

PHOTO_SIZE = (102, 126)
NO_DECODER_REASON = "未配置证件照片解码库，无法读取证件照片"


class PhotoUnavailable(Exception):
    """The photo could not be decoded; str() is the Chinese reason shown to staff."""


class PhotoDecoder(Protocol):
    def decode(self, wlt: bytes) -> Image.Image: ...


def image_from_bytes(data: bytes) -> Image.Image:
    try:
        with Image.open(io.BytesIO(data)) as img:
            return img.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise PhotoUnavailable("证件照片解码结果不是有效图片") from exc


class CallableDecoder:
    """A reader SDK function that turns the WLT block (or nothing) into image bytes."""

    def __init__(self, func: Callable[[bytes], bytes]):
        self._func = func

    def decode(self, wlt: bytes) -> Image.Image:
        return image_from_bytes(self._func(wlt))


class SimulatorDecoder:
    """The simulator's stand-in WLT block: a JPEG padded to 1024 bytes (or no photo at all)."""

    def decode(self, wlt: bytes) -> Image.Image:
        return image_from_bytes(wlt)


class VendorLibraryDecoder:
    OUT_SIZE = 65536    # vendors write a 38 kB BMP at most; generous so no library overruns

    def __init__(self, library: str, function: str = "unpack", flag: int = 0,
                 output: str = "bmp"):
        if output not in ("bmp", "bgr"):
            raise ValueError("output must be 'bmp' or 'bgr'")
        try:
            lib = ctypes.CDLL(library)
            self._func = getattr(lib, function)
        except (OSError, AttributeError) as exc:
            raise PhotoUnavailable(f"无法加载证件照片解码库 {library}：{exc}") from exc
        self._func.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int]
        self._func.restype = ctypes.c_int
        self._flag = flag
        self._output = output

    def decode(self, wlt: bytes) -> Image.Image:
        out = ctypes.create_string_buffer(self.OUT_SIZE)
        if self._func(bytes(wlt), out, self._flag) != 1:
            raise PhotoUnavailable("证件照片解码失败")
        if self._output == "bmp":
            return image_from_bytes(out.raw)
        width, height = PHOTO_SIZE
        # Raw pixels are BGR like the BMP body they come from.
        return Image.frombytes("RGB", PHOTO_SIZE, out.raw[:width * height * 3], "raw", "BGR")
