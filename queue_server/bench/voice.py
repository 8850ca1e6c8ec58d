"""`yichuang bench voice`: time from a call event to its first sound sample.

For each engine, an Announcer (the one `yichuang agent` runs) is given call events one at a
time; the time measured is from `announce()` to the moment the first sample of the rendered
announcement (the chime) is handed to the output: synthesis or clip joining included. The
clip engine's first call (its clips generated into an empty cache) is reported separately;
the warm runs follow `prepare()`, which generates the whole clip set as an install does.
"""
from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import tempfile
import time

NAME = "voice"
HELP = "event/call -> first sound sample, espeak-ng and joined clips"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", type=int, default=30, help="calls per engine (default 30)")
    parser.add_argument("--engine", choices=("espeak", "clips", "both"), default="both")
    parser.add_argument("--alsa-device", metavar="DEV",
                        help="play through aplay on this ALSA device (e.g. null) instead of "
                             "writing WAV files")


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _measure(engine, output, runs: int, first_ticket: int = 1) -> list[float]:
    from drivers.voice.announcer import Announcer
    from hall.words import call_sentence

    announcer = Announcer(engine, output, repeat=2).start()
    try:
        for i in range(runs):
            window = 1 + i % 16
            ticket, name = f"A{first_ticket + i:03d}", f"{window}号窗口"
            announcer.announce({"ticket": ticket, "window": str(window), "window_name": name,
                                "attempt": 1, "text": call_sentence(ticket, name)})
            if not announcer.wait_idle(60):
                raise RuntimeError("the announcer did not finish within 60 s")
    finally:
        announcer.stop()
    failed = [a for a in announcer.done if a.error]
    if failed:
        raise RuntimeError(f"{len(failed)} announcements failed: {failed[0].error}")
    return [(a.first_sample - a.received) * 1000 for a in announcer.done]


def _report(label: str, ms: list[float]) -> None:
    print(f"{label:<28} n={len(ms):<4} median {statistics.median(ms):7.1f} ms   "
          f"p99 {_quantile(ms, 0.99):7.1f} ms   max {max(ms):7.1f} ms", flush=True)


def run(args: argparse.Namespace) -> int:
    from drivers.voice.engines import ClipEngine, EspeakEngine
    from drivers.voice.output import AlsaOutput, WavOutput

    cpu = subprocess.run(["sh", "-c", "lscpu | grep 'Model name'"], capture_output=True,
                         text=True).stdout.split(":")[-1].strip()
    print(f"machine: {cpu or platform.processor()}, {platform.python_version()}; "
          f"date {time.strftime('%Y-%m-%d')}; {args.runs} calls per engine, repeat 2", flush=True)
    with tempfile.TemporaryDirectory(prefix="yichuang-bench-voice-") as tmp:
        def output(name):
            return AlsaOutput(args.alsa_device) if args.alsa_device else WavOutput(f"{tmp}/{name}")

        results = {}
        if args.engine in ("espeak", "both"):
            results["espeak-ng"] = _measure(EspeakEngine(), output("espeak"), args.runs)
            _report("espeak-ng", results["espeak-ng"])
        if args.engine in ("clips", "both"):
            clips = ClipEngine(f"{tmp}/clips")
            cold = _measure(clips, output("cold"), 1, first_ticket=900)
            _report("clips, first call (cold)", cold)
            clips.prepare()          # the whole clip set, as an install would
            results["clips"] = _measure(clips, output("clips"), args.runs)
            _report("clips, warm", results["clips"])
        if len(results) == 2:
            ratio = statistics.median(results["espeak-ng"]) / statistics.median(results["clips"])
            print(f"median espeak-ng / clips: {ratio:.1f}x", flush=True)
    return 0
