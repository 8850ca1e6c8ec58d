"""`yichuang device say`: a technician hears (or writes to a WAV) a sentence or a real call."""
from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

from . import checked, load_device_profile


def register(sub) -> None:
    say = sub.add_parser("say", help="say a sentence, or a call as the announcer says it",
                         description="Speak TEXT with espeak-ng, or with --call the whole "
                                     "announcement of a call (chime, the call repeated) as the "
                                     "profile's engine renders it.")
    say.add_argument("text", nargs="?", help="a sentence, e.g. 请A001号到1号窗口办理")
    say.add_argument("--call", metavar="TICKET", help="announce this ticket instead, e.g. A012")
    say.add_argument("--window", default="1", help="window number of --call (default 1)")
    say.add_argument("--profile", default="espeak-voice", help="voice profile (default espeak-voice)")
    say.add_argument("--wav", metavar="FILE", help="write a WAV file instead of playing it")
    say.add_argument("--alsa-device", help="play on this ALSA device (default: the profile's)")
    say.set_defaults(func=checked(say_command, "未能播放"))


def say_command(args: argparse.Namespace) -> int:
    from drivers.voice.audio import to_wav
    from drivers.voice.engines import EspeakEngine
    from hall.words import call_sentence
    if bool(args.text) == bool(args.call):
        print("请给出要说的一句话，或用 --call 给出号码（二者选一）")
        return 2
    profile = load_device_profile(args.profile, "voice")
    started = time.monotonic()
    if args.call:
        name = f"{args.window}号窗口"
        event = {"ticket": args.call, "window": args.window, "window_name": name,
                 "text": call_sentence(args.call, name)}
        pieces = profile.make_announcer().render(event)
    else:   # free text: only a synthesizer can say it (a clip set has the call's words only)
        pieces = [EspeakEngine(profile.voice, profile.speed).synth(args.text)]
    rendered = time.monotonic() - started
    seconds = sum(p.seconds for p in pieces)
    wav = to_wav(pieces)
    if args.wav:
        Path(args.wav).write_bytes(wav)
        print(f"已写入 {args.wav}：{seconds:.1f} 秒（合成 {rendered * 1000:.0f} 毫秒）")
        return 0
    if args.alsa_device:
        profile = dataclasses.replace(profile, output="alsa", alsa_device=args.alsa_device)
    profile.make_output().play(wav, seconds, lambda: None, "say")
    print(f"已播放 {seconds:.1f} 秒（合成 {rendered * 1000:.0f} 毫秒）")
    return 0
