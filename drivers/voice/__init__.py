"""Voice calling (语音叫号), offline: phrases, engines (espeak-ng, joined clips), outputs
(ALSA, WAV files) and the single-worker announcer."""
from .announcer import Announcer

__all__ = ["Announcer"]
