"""Typed voice profile (`kind: voice`) and the announcer it builds.

    kind: voice
    engine: espeak            # espeak | clips
    voice: cmn-latn-pinyin    # espeak-ng voice; the engine feeds it pinyin (mandarin.py)
    speed: 150                # words per minute
    repeat: 2                 # the call is said this many times after the chime
    gap_s: 0.8
    chime: true
    output: alsa              # alsa | wav
    alsa_device: default
    wav_dir: ""               # output: wav writes the announcements here
    clip_dir: ""              # engine: clips; "" = ~/.cache/yichuang/voice-clips
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..options import Mistake, Option, ProfileSpec
from .announcer import Announcer
from .engines import ClipEngine, EspeakEngine
from .mandarin import VOICE
from .output import AlsaOutput, WavOutput


def default_clip_dir() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "yichuang" / "voice-clips"


@dataclass(frozen=True)
class VoiceProfile:
    engine: str = "espeak"
    voice: str = VOICE
    speed: int = 150
    repeat: int = 2
    gap_s: float = 0.8
    chime: bool = True
    output: str = "alsa"
    alsa_device: str = "default"
    wav_dir: str = ""
    clip_dir: str = ""

    def make_engine(self):
        espeak = EspeakEngine(self.voice, self.speed)
        if self.engine == "clips":
            return ClipEngine(self.clip_dir or default_clip_dir(), espeak)
        return espeak

    def make_output(self, wav_dir: str | Path | None = None):
        """ALSA, or WAV files in `wav_dir` (simulation) or the profile's wav_dir."""
        directory = wav_dir or (self.wav_dir if self.output == "wav" else None)
        return WavOutput(directory) if directory else AlsaOutput(self.alsa_device)

    def make_announcer(self, wav_dir: str | Path | None = None) -> Announcer:
        """The announcer; `wav_dir` (simulation) writes WAV files there instead of playing."""
        return Announcer(self.make_engine(), self.make_output(wav_dir), repeat=self.repeat,
                         gap_s=self.gap_s, chime=self.chime)


D = VoiceProfile
OPTIONS = (
    Option("engine", str, D.engine, choices=("espeak", "clips")),
    # `cmn` would read the pinyin as English words: only the pinyin voice says Mandarin.
    Option("voice", str, D.voice, choices=(VOICE,)),
    Option("speed", int, D.speed, minval=80, maxval=400),
    Option("repeat", int, D.repeat, minval=1, maxval=5),
    Option("gap_s", float, D.gap_s, minval=0, maxval=10),
    Option("chime", bool, D.chime),
    Option("output", str, D.output, choices=("alsa", "wav")),
    Option("alsa_device", str, D.alsa_device),
    Option("wav_dir", str, D.wav_dir),
    Option("clip_dir", str, D.clip_dir),
)


def check(values: dict) -> list[Mistake]:
    if values["output"] == "wav" and not values["wav_dir"]:
        return [Mistake("output", "output: wav needs wav_dir",
                        "set wav_dir: to the folder the announcements are written to")]
    return []


PROFILE = ProfileSpec(OPTIONS, make=lambda values: VoiceProfile(**values), check=check)
