"""PCM pieces of an announcement, joined into one WAV with the stdlib wave module.

Everything is 16-bit mono at one rate (espeak-ng's 22050 Hz): clips of another format are
an error the clip engine reports, not something to resample silently.
"""
from __future__ import annotations

import functools
import io
import math
import wave
from array import array
from dataclasses import dataclass

RATE = 22050
WIDTH = 2


@dataclass(frozen=True)
class Pcm:
    """Raw 16-bit mono samples at RATE."""
    data: bytes

    @property
    def seconds(self) -> float:
        return len(self.data) / (WIDTH * RATE)


class AudioError(ValueError):
    pass


def read_wav(data: bytes, name: str = "clip") -> Pcm:
    try:
        with wave.open(io.BytesIO(data)) as w:
            if (w.getnchannels(), w.getsampwidth(), w.getframerate()) != (1, WIDTH, RATE):
                raise AudioError(f"{name}: need 16-bit mono {RATE} Hz, got "
                                 f"{w.getnchannels()} ch, {8 * w.getsampwidth()} bit, "
                                 f"{w.getframerate()} Hz")
            return Pcm(w.readframes(w.getnframes()))
    except (wave.Error, EOFError) as exc:
        raise AudioError(f"{name}: not a WAV file ({exc})") from exc


def to_wav(pieces: list[Pcm]) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(WIDTH)
        w.setframerate(RATE)
        w.writeframes(b"".join(p.data for p in pieces))
    return out.getvalue()


def silence(seconds: float) -> Pcm:
    return Pcm(bytes(WIDTH * int(RATE * seconds)))


@functools.lru_cache(maxsize=1)
def chime() -> Pcm:
    """A soft two-note "ding-dong" (E6 then C6), each note decaying, ~0.9 s."""
    samples = array("h")
    for freq, length in ((1318.5, 0.4), (1046.5, 0.5)):
        n = int(RATE * length)
        for i in range(n):
            envelope = math.exp(-4.0 * i / n) * min(1.0, i / 200)
            samples.append(int(9000 * envelope * math.sin(2 * math.pi * freq * i / RATE)))
    return Pcm(samples.tobytes())


def trim(pcm: Pcm, threshold: int = 300, keep: float = 0.03) -> Pcm:
    """Without the leading and trailing silence (keeping `keep` s), so clips join tightly."""
    samples = array("h", pcm.data)
    loud = [i for i, s in enumerate(samples) if abs(s) > threshold]
    if not loud:
        return pcm
    pad = int(RATE * keep)
    start, end = max(0, loud[0] - pad), min(len(samples), loud[-1] + pad)
    return Pcm(samples[start:end].tobytes())
