"""Where announcements sound: ALSA through aplay, or numbered WAV files (tests, benchmarks).

`play(wav, on_first_sample)` returns only when the sound has finished, so the announcer's
single worker can never overlap or cut off two announcements. `on_first_sample()` is called
when the first sample is handed to the sound device (or written to the file).
"""
from __future__ import annotations

import re
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Callable

from ..health import DeviceError


class AlsaOutput:
    def __init__(self, device: str = "default"):
        self.device = device

    def play(self, wav: bytes, seconds: float, on_first_sample: Callable[[], None],
             label: str = "") -> None:
        exe = shutil.which("aplay")
        if exe is None:
            raise DeviceError("absent", "未安装 aplay（alsa-utils）", "absent")
        try:
            proc = subprocess.Popen([exe, "-q", "-D", self.device, "-"], stdin=subprocess.PIPE,
                                    stderr=subprocess.PIPE)
            on_first_sample()
            _out, err = proc.communicate(wav, timeout=seconds + 10)
        except subprocess.TimeoutExpired as exc:
            proc.kill()
            proc.wait()
            raise DeviceError("stuck", "扬声器播放超时") from exc
        except OSError as exc:
            raise DeviceError("absent", "扬声器无法打开", "absent") from exc
        if proc.returncode != 0:
            last = (err.decode(errors="replace").strip().splitlines() or ["aplay failed"])[-1]
            raise DeviceError("play_failed", "扬声器播放失败：" + last[:120])


class WavOutput:
    """Writes each announcement as NNNN-<label>.wav; `pace` > 0 also waits that fraction of
    the sound's length, as a speaker would (so a test sees announcements queue up)."""

    def __init__(self, directory: str | Path, pace: float = 0.0):
        self.directory = Path(directory)
        self.pace = pace
        self.played: list[tuple[Path, float, float]] = []     # (file, start, end) monotonic
        self._count = 0
        self._lock = threading.Lock()

    def play(self, wav: bytes, seconds: float, on_first_sample: Callable[[], None],
             label: str = "") -> None:
        with self._lock:
            self._count += 1
            name = f"{self._count:04d}-{re.sub(r'[^A-Za-z0-9_-]', '', label) or 'sound'}.wav"
        path = self.directory / name
        start = time.monotonic()
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            on_first_sample()
            path.with_suffix(".tmp").write_bytes(wav)
            path.with_suffix(".tmp").replace(path)
        except OSError as exc:       # a full disk or a folder gone: the speaker of a test
            raise DeviceError("write_failed", f"语音文件无法写入（{self.directory}）") from exc
        if self.pace > 0:
            time.sleep(seconds * self.pace)
        self.played.append((path, start, time.monotonic()))
