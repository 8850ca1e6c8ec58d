"""Speech engines: tokens (drivers/voice/phrases.py) in, PCM out, offline.

- EspeakEngine: espeak-ng's pinyin voice (`cmn-latn-pinyin`) reads the tokens as tone-numbered
  pinyin (drivers/voice/mandarin.py), so every sentence is said in Mandarin. Robotic, but
  always available from Debian (apt-get install espeak-ng).
- ClipEngine: one short WAV clip per token, joined. The clip set is generated with espeak-ng
  into a cache folder the first time a token is needed (or all at once by `prepare()` at
  install); a hall replaces any clip with a real recording of the same name (16-bit mono
  22050 Hz WAV, named by its token: 请.wav, A.wav, 三.wav, 号窗口.wav ...).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from ..health import DeviceError
from .audio import Pcm, read_wav, to_wav, trim
from .mandarin import VOICE, to_pinyin
from .phrases import STANDARD_TOKENS, sentence_tokens

ESPEAK_TIMEOUT_S = 30


class EspeakEngine:
    name = "espeak"

    def __init__(self, voice: str = VOICE, speed: int = 150, binary: str = "espeak-ng"):
        self.voice = voice
        self.speed = speed
        self.binary = binary

    def synth(self, text: str) -> Pcm:
        """A written sentence (请A012号到3号窗口办理, a kiosk's guidance) said in Mandarin."""
        return self._speak(to_pinyin(sentence_tokens(text)))

    def render(self, tokens: list[str]) -> list[Pcm]:
        return [self._speak(to_pinyin(tokens))]

    def phonemes(self, text: str) -> str:
        """What espeak-ng says for `text`, as its phoneme mnemonics (`espeak-ng -x -q`)."""
        return self._run(to_pinyin(sentence_tokens(text)), "-x", "-q").stdout.decode()

    def _speak(self, pinyin: str) -> Pcm:
        with tempfile.TemporaryDirectory(prefix="yichuang-tts-") as tmp:
            out = os.path.join(tmp, "speech.wav")
            self._run(pinyin, "-w", out)
            try:
                return read_wav(Path(out).read_bytes(), "espeak-ng")
            except (OSError, ValueError) as exc:
                raise DeviceError("tts_failed", "语音合成失败") from exc

    def _run(self, pinyin: str, *options: str) -> subprocess.CompletedProcess:
        exe = shutil.which(self.binary)
        if exe is None:
            raise DeviceError("absent", "未安装语音合成程序 espeak-ng", "absent")
        try:
            return subprocess.run([exe, "-v", self.voice, "-s", str(self.speed), *options,
                                   "--", pinyin], check=True, capture_output=True,
                                  timeout=ESPEAK_TIMEOUT_S)
        except (subprocess.SubprocessError, OSError) as exc:
            raise DeviceError("tts_failed", "语音合成失败") from exc


class ClipEngine:
    name = "clips"

    def __init__(self, clip_dir: str | Path, generator: EspeakEngine | None = None):
        self.clip_dir = Path(clip_dir)
        self.generator = generator or EspeakEngine()
        self._cache: dict[str, Pcm] = {}
        self._lock = threading.Lock()

    def clip_path(self, token: str) -> Path:
        return self.clip_dir / f"{token}.wav"

    def clip(self, token: str) -> Pcm:
        with self._lock:
            if token not in self._cache:
                self._cache[token] = self._load(token)
            return self._cache[token]

    def _load(self, token: str) -> Pcm:
        path = self.clip_path(token)
        if not path.exists():
            self._generate(token, path)
        try:
            return read_wav(path.read_bytes(), str(path))
        except (OSError, ValueError) as exc:
            raise DeviceError("bad_clip", f"语音片段无法使用：{path.name}") from exc

    def _generate(self, token: str, path: Path) -> None:
        pcm = trim(self.generator.synth(token))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(to_wav([pcm]))
        tmp.replace(path)          # a half-written clip never gets used

    def prepare(self, tokens=STANDARD_TOKENS) -> int:
        """Generate every missing clip now (at install); returns how many were made."""
        missing = [t for t in tokens if not self.clip_path(t).exists()]
        for token in missing:
            self.clip(token)
        return len(missing)

    def render(self, tokens: list[str]) -> list[Pcm]:
        return [self.clip(token) for token in tokens]
