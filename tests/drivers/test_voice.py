"""Voice calling: real espeak-ng speech, real WAV files, one announcement at a time."""
import wave
from array import array

import pytest

from drivers.voice.announcer import Announcer
from drivers.voice.audio import RATE, Pcm, chime, read_wav, to_wav
from drivers.voice.engines import ClipEngine, EspeakEngine
from drivers.voice.output import WavOutput
from drivers.voice.phrases import number_tokens, speech_tokens

CALL = {"ticket": "A012", "window": "3", "window_name": "3号窗口", "attempt": 1,
        "text": "请A012号到3号窗口办理"}


def call(ticket, window):
    return dict(CALL, ticket=ticket, window=window, window_name=f"{window}号窗口",
                text=f"请{ticket}号到{window}号窗口办理")


def test_ticket_is_read_character_by_character_and_window_as_a_number():
    """The driver reads the sentence the server wrote (event/call text); it words nothing."""
    assert speech_tokens("请A012号到3号窗口办理") == ["请", "A", "零", "一", "二", "号", "到", "三",
                                                "号窗口", "办理"]
    assert speech_tokens("请b105号到12号窗口办理")[-4:] == ["十", "二", "号窗口", "办理"]
    assert [number_tokens(n) for n in (10, 20, 35)] == [["十"], ["二", "十"], ["三", "十", "五"]]
    assert speech_tokens("请G001号到办不成事反映窗口办理")[-2:] == ["办不成事反映窗口", "办理"]
    assert speech_tokens("请A001号到7号窗口办理")[-3:] == ["七", "号窗口", "办理"]


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    engine = ClipEngine(tmp_path_factory.mktemp("clips"), EspeakEngine())
    engine.render(speech_tokens(CALL["text"]))        # generated with espeak-ng on first use
    return engine


def seconds_of(path):
    with wave.open(str(path)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE)
        return w.getnframes() / RATE


def test_espeak_engine_speaks_mandarin_into_a_wav(tmp_path):
    speech = EspeakEngine().render(speech_tokens("请A012号到3号窗口办理"))
    assert len(speech) == 1 and 1.0 < speech[0].seconds < 15
    assert max(array("h", speech[0].data)) > 1000          # not silence


def test_clip_set_is_generated_once_into_the_cache(clips):
    names = {p.stem for p in clips.clip_dir.glob("*.wav")}
    assert {"请", "A", "零", "一", "二", "号", "到", "三", "号窗口", "办理"} <= names
    before = {p: p.stat().st_mtime_ns for p in clips.clip_dir.glob("*.wav")}
    ClipEngine(clips.clip_dir).render(speech_tokens(CALL["text"]))
    assert {p: p.stat().st_mtime_ns for p in clips.clip_dir.glob("*.wav")} == before


def test_a_recorded_clip_replaces_the_generated_one(tmp_path, clips):
    recorded = Pcm(array("h", [1234, -1234] * 2000).tobytes())
    (tmp_path / "请.wav").write_bytes(to_wav([recorded]))
    for token in ["A", "零", "一", "二", "号", "到", "三", "号窗口", "办理"]:
        (tmp_path / f"{token}.wav").write_bytes(clips.clip_path(token).read_bytes())
    pieces = ClipEngine(tmp_path).render(speech_tokens(CALL["text"]))
    assert pieces[0] == recorded


def test_announcements_queue_never_overlap_and_recall_is_said_again(tmp_path, clips):
    output = WavOutput(tmp_path, pace=0.02)       # "plays" 2% of real time
    announcer = Announcer(clips, output, repeat=2).start()
    try:
        assert announcer.announce(CALL)
        assert announcer.announce(call("A013", "4"))
        assert not announcer.announce(dict(CALL))            # the same call delivered twice
        assert announcer.announce(dict(CALL, attempt=2))     # a recall
        assert announcer.wait_idle(60)
    finally:
        announcer.stop()
    names = [p.name for p, _start, _end in output.played]
    assert names == ["0001-A012.wav", "0002-A013.wav", "0003-A012.wav"]
    spans = [(start, end) for _p, start, end in output.played]
    assert all(end <= next_start for (_s, end), (next_start, _e) in zip(spans, spans[1:]))
    assert sorted(p.name for p in tmp_path.glob("*.wav")) == names


def test_an_announcement_is_the_chime_then_the_call_repeated(tmp_path, clips):
    once, twice = WavOutput(tmp_path / "1"), WavOutput(tmp_path / "2")
    for output, repeat in ((once, 1), (twice, 2)):
        announcer = Announcer(clips, output, repeat=repeat, gap_s=0.5).start()
        announcer.announce(CALL)
        assert announcer.wait_idle(60)
        announcer.stop()
    one, two = seconds_of(once.played[0][0]), seconds_of(twice.played[0][0])
    speech = sum(p.seconds for p in clips.render(speech_tokens(CALL["text"])))
    assert two - one == pytest.approx(speech + 0.5, abs=0.01)
    pcm = read_wav(once.played[0][0].read_bytes())
    assert pcm.data.startswith(chime().data)


def test_a_broken_clip_is_reported_and_the_next_call_is_still_said(tmp_path, clips):
    for path in clips.clip_dir.glob("*.wav"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "四.wav").write_bytes(b"not a wav")
    output = WavOutput(tmp_path / "out")
    announcer = Announcer(ClipEngine(tmp_path), output).start()
    announcer.announce(call("A012", "4"))
    assert announcer.wait_idle(60)
    assert announcer.health.state == "error" and announcer.health.code == "bad_clip"
    announcer.announce(call("A015", "3"))
    assert announcer.wait_idle(60)
    announcer.stop()
    assert [p.name for p, _s, _e in output.played] == ["0001-A015.wav"]
    assert announcer.health.state == "ok"
