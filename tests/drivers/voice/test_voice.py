"""Voice calling: real espeak-ng speech, real WAV files, one announcement at a time."""
import ast
import re
import wave
from array import array
from pathlib import Path

import pytest

from drivers.voice.announcer import Announcer
from drivers.voice.audio import RATE, Pcm, chime, read_wav, to_wav
from drivers.voice.engines import ClipEngine, EspeakEngine
from drivers.voice.output import WavOutput
from drivers.voice.mandarin import LETTERS, to_pinyin
from drivers.voice.phrases import STANDARD_TOKENS, number_tokens, sentence_tokens

CALL = {"ticket": "A012", "window": "3", "window_name": "3号窗口", "attempt": 1,
        "text": "请A012号到3号窗口办理"}


def call(ticket, window):
    return dict(CALL, ticket=ticket, window=window, window_name=f"{window}号窗口",
                text=f"请{ticket}号到{window}号窗口办理")


def test_ticket_is_read_character_by_character_and_window_as_a_number():
    """The driver reads the sentence the server wrote (event/call text); it words nothing."""
    assert sentence_tokens("请A012号到3号窗口办理") == ["请", "A", "零", "一", "二", "号", "到",
                                                  "三", "号窗口", "办理"]
    assert sentence_tokens("请b105号到12号窗口办理")[-4:] == ["十", "二", "号窗口", "办理"]
    assert [number_tokens(n) for n in (10, 20, 35)] == [["十"], ["二", "十"], ["三", "十", "五"]]
    assert sentence_tokens("请G001号到办不成事反映窗口办理")[-2:] == ["办不成事反映窗口", "办理"]
    assert sentence_tokens("请A001号到7号窗口办理")[-3:] == ["七", "号窗口", "办理"]


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    engine = ClipEngine(tmp_path_factory.mktemp("clips"), EspeakEngine())
    engine.render(sentence_tokens(CALL["text"]))        # generated with espeak-ng on first use
    return engine


def seconds_of(path):
    with wave.open(str(path)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE)
        return w.getnframes() / RATE


def test_espeak_engine_speaks_mandarin_into_a_wav(tmp_path):
    speech = EspeakEngine().render(sentence_tokens("请A012号到3号窗口办理"))
    assert len(speech) == 1 and 1.0 < speech[0].seconds < 15
    assert max(array("h", speech[0].data)) > 1000          # not silence


def test_clip_set_is_generated_once_into_the_cache(clips):
    names = {p.stem for p in clips.clip_dir.glob("*.wav")}
    assert {"请", "A", "零", "一", "二", "号", "到", "三", "号窗口", "办理"} <= names
    before = {p: p.stat().st_mtime_ns for p in clips.clip_dir.glob("*.wav")}
    ClipEngine(clips.clip_dir).render(sentence_tokens(CALL["text"]))
    assert {p: p.stat().st_mtime_ns for p in clips.clip_dir.glob("*.wav")} == before


def test_a_recorded_clip_replaces_the_generated_one(tmp_path, clips):
    recorded = Pcm(array("h", [1234, -1234] * 2000).tobytes())
    (tmp_path / "请.wav").write_bytes(to_wav([recorded]))
    for token in ["A", "零", "一", "二", "号", "到", "三", "号窗口", "办理"]:
        (tmp_path / f"{token}.wav").write_bytes(clips.clip_path(token).read_bytes())
    pieces = ClipEngine(tmp_path).render(sentence_tokens(CALL["text"]))
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
    speech = sum(p.seconds for p in clips.render(sentence_tokens(CALL["text"])))
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


# -- Mandarin, checked on espeak-ng's phonemes ------------------------------------------------
# espeak-ng's tone contours: 1 high level, 2 rising, 3 dipping (21 or 35 before another third
# tone, its sandhi), 4 falling, 5 neutral.
CONTOURS = {"1": {"55"}, "2": {"35"}, "3": {"214", "21", "35"}, "4": {"51"},
            "5": {"11", "22", "33", "44"}}
KIOSK = Path(__file__).resolve().parents[3] / "kiosk"


def kiosk_guidance():
    """Every screen's spoken guidance (`guide = "..."` in the kiosk's code), plus the spoken
    sentences the kiosk builds from data (the ticket taken, a refused booking code)."""
    found = set()
    for path in KIOSK.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and getattr(node.targets[0], "id", "") == "guide"
                    and isinstance(node.value, ast.Constant) and node.value.value):
                found.add(node.value.value)
    return sorted(found) + ["您的号码是A012，前面还有12人，请留意叫号",
                            "预约码是6位数字，您输入了4位"]


def syllables(phonemes):
    """espeak-ng's syllables ("tS;h'i21N"), with the tone contour of each."""
    return [(s, re.search(r"\d+", s).group()) for s in re.findall(r"[^\s_|]+", phonemes)]


def assert_said_in_mandarin(text):
    engine = EspeakEngine()
    phonemes = engine.phonemes(text)
    assert "(" not in phonemes, f"{text}: the voice switched language: {phonemes}"
    words = to_pinyin(sentence_tokens(text)).replace(",", " ").replace(".", " ").split()
    said = syllables(phonemes)
    assert len(said) == len(words), (text, words, phonemes)
    for word, (syllable, contour) in zip(words, said):
        assert contour in CONTOURS[word[-1]], f"{text}: {word} said as {syllable}"
    return words, phonemes


def test_the_call_is_said_in_mandarin_with_its_syllables_and_tones():
    words, phonemes = assert_said_in_mandarin("请A012号到3号窗口办理")
    assert " ".join(words) == ("qing3 ei1 ling2 yi1 er4 hao4 dao4 san1 hao4 chuang1 kou3 "
                               "ban4 li3")
    # espeak-ng 1.51 (Debian 12): 请 half-third before 诶(A) high, 零 rising, 一 high (a
    # ticket digit keeps its first tone), 二 falling, 三 high, 理 full third at the end.
    assert phonemes.split() == ["tS;h'i21N_|", "'ei55_|", "l'i35N_|", "j'i55_|", "'@r51_|",
                                "X'Au51_|", "t'Au51_|", "s'a55n_|", "X'Au51_|",
                                "ts.hw'A55N_|", "kh'ou21_|", "p'a51n_|", "l'i214_|"]
    # the clip engine's tokens (the call's words cut apart) say the same
    assert to_pinyin(sentence_tokens(CALL["text"])) == " ".join(words)


def test_numbers_in_sentences_are_read_the_chinese_way():
    assert sentence_tokens("请B105号到12号窗口办理") == ["请", "B", "一", "零", "五", "号", "到",
                                                     "十", "二", "号窗口", "办理"]
    assert "".join(sentence_tokens("前面还有12人")) == "前面还有十二人"
    assert ["".join(number_tokens(n)) for n in (105, 110, 2010, 3000)] == [
        "一百零五", "一百一十", "两千零一十", "三千"]


@pytest.mark.parametrize("sentence", kiosk_guidance())
def test_each_spoken_guidance_of_the_kiosk_is_mandarin(sentence):
    words, _phonemes = assert_said_in_mandarin(sentence)
    tokens = sentence_tokens(sentence)
    chinese = re.findall(r"[\u4e00-\u9fff]", "".join(tokens))
    letters = [w for t in tokens if t in LETTERS for w in LETTERS[t].split()]
    assert len(words) == len(chinese) + len(letters)     # a syllable per character, none lost


def test_guidance_found_in_the_kiosk_includes_the_home_screen():
    assert "您好，请点击屏幕上的大按钮办理" in kiosk_guidance()
    words, _ = assert_said_in_mandarin("您好，请点击屏幕上的大按钮办理")
    assert words[:4] == ["nin2", "hao3", "qing3", "dian3"]


@pytest.mark.parametrize("letter", sorted(LETTERS))
def test_every_ticket_letter_is_said_by_the_pinyin_voice(letter):
    words, _ = assert_said_in_mandarin(f"请{letter}001号")
    assert words[1:1 + len(LETTERS[letter].split())] == LETTERS[letter].split()


def test_generated_clips_are_mandarin_too(clips):
    """Each clip is generated from its token by the same conversion (no English voice)."""
    for token in STANDARD_TOKENS:
        assert_said_in_mandarin(token)
    assert clips.generator.voice == "cmn-latn-pinyin"
