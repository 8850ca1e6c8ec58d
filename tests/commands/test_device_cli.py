"""`yichuang device ...` against simulated devices on real pty paths."""
from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
import wave
from array import array

import pytest

from drivers.card_reader.simulator import SAMPLE_CARDS, CardReaderSimulator
from drivers.printer.simulator import PrinterSimulator
from queue_server.cli import main

YICHUANG = [sys.executable, "-c", "import sys; from queue_server.cli import main; sys.exit(main())"]


def test_device_group_lists_its_subcommands(capsys):
    with pytest.raises(SystemExit):
        main(["device", "--help"])
    out = capsys.readouterr().out
    for name in ("ports", "read-card", "print-test", "printer-status", "display-show", "keys",
                 "press", "say", "scan", "simulate", "sim"):
        assert name in out


def test_read_card_shows_a_masked_record(capsys):
    with CardReaderSimulator() as sim:
        sim.present(SAMPLE_CARDS["resident"])
        assert main(["device", "read-card", "--port", sim.path, "--wait", "3"]) == 0
    out = capsys.readouterr().out
    id_number = SAMPLE_CARDS["resident"].values["id_number"]
    assert "姓名：王*试" in out and f"证件号码：{'*' * 14}{id_number[-4:]}" in out
    assert id_number not in out and "王测试" not in out
    assert "未配置证件照片解码库" in out


def test_read_card_show_full(capsys):
    with CardReaderSimulator() as sim:
        sim.present(SAMPLE_CARDS["resident"])
        assert main(["device", "read-card", "--port", sim.path, "--show-full"]) == 0
    out = capsys.readouterr().out
    assert "姓名：王测试" in out and SAMPLE_CARDS["resident"].values["id_number"] in out


def test_read_card_without_a_card_gives_up_at_the_deadline(capsys):
    with CardReaderSimulator() as sim:
        assert main(["device", "read-card", "--port", sim.path, "--wait", "0.3"]) == 1
    assert "未检测到证件" in capsys.readouterr().out


def test_read_card_on_a_missing_port(capsys):
    assert main(["device", "read-card", "--port", "/dev/nonexistent-yichuang", "--wait", "1"]) == 1
    assert "(absent)" in capsys.readouterr().out.replace("（", "(").replace("）", ")")


def test_print_test_and_printer_status(capsys):
    with PrinterSimulator() as sim:
        assert main(["device", "print-test", "--port", sim.path, "--profile", "xprinter-58"]) == 0
        assert "A012" in sim.printed[0].texts
        sim.paper = "near_end"
        assert main(["device", "printer-status", "--port", sim.path]) == 0
        sim.paper = "out"
        assert main(["device", "printer-status", "--port", sim.path]) == 1
        assert main(["device", "print-test", "--port", sim.path]) == 1
    out = capsys.readouterr().out
    assert "打印机状态：正常" in out and "打印纸即将用完" in out
    assert "未打印：打印机缺纸，请更换纸卷（paper_out）" in out
    assert len(sim.printed) == 1


def test_unknown_profile_is_a_clear_error(capsys):
    assert main(["device", "print-test", "--port", "/dev/null", "--profile", "nope"]) == 2
    out = capsys.readouterr().out
    assert "no device profile 'nope'" in out and "xprinter-80" in out


def test_profile_of_the_wrong_kind_is_refused(capsys):
    assert main(["device", "print-test", "--port", "/dev/null", "--profile", "sam-generic"]) == 2
    assert "is for a card_reader, not a printer" in capsys.readouterr().out


def test_render_ticket_draws_the_profile_paper_width(tmp_path, capsys):
    out = tmp_path / "t.png"
    assert main(["device", "render-ticket", "--profile", "xprinter-58", "--out", str(out)]) == 0
    from PIL import Image
    with Image.open(out) as img:
        assert img.width == 384


def _lines(stream) -> queue.Queue:
    out: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [out.put(line) for line in stream], daemon=True).start()
    return out


def simulate(kind: str, link: str):
    """`yichuang device simulate KIND` in its own process: (process, its output lines)."""
    proc = subprocess.Popen(YICHUANG + ["device", "simulate", kind, "--link", link],
                            stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines = _lines(proc.stdout)
    assert link in lines.get(timeout=20)
    assert "device sim --port" in lines.get(timeout=5)
    return proc, lines


def stop(proc) -> int:
    proc.send_signal(signal.SIGINT)
    try:
        return proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_simulate_printer_runs_until_ctrl_c_and_shows_tickets(tmp_path, capsys):
    link = str(tmp_path / "printer")
    proc, lines = simulate("printer", link)
    try:
        assert main(["device", "print-test", "--port", link]) == 0
        shown = []
        while "---- cut (partial) ----" not in shown:
            shown.append(lines.get(timeout=10).rstrip("\n"))
        assert "A012" in shown and "[QR] http://127.0.0.1:8080/t/demo-a012" in shown
        assert main(["device", "sim", "--port", link, "paper", "out"]) == 0
        assert main(["device", "printer-status", "--port", link]) == 1
        assert main(["device", "sim", "--port", link, "paper", "empty"]) == 1
        assert main(["device", "sim", "--port", link, "help"]) == 0
    finally:
        assert stop(proc) == 0
    assert not os.path.exists(link) and not os.path.exists(link + ".ctl")
    out = capsys.readouterr().out
    assert "打印机缺纸" in out and "模拟设备拒绝：paper takes ok, near_end or out" in out
    assert "paper ok|near_end|out" in out and "cover open|closed" in out


def test_simulate_card_reader_can_be_read_again_and_again(tmp_path, capsys):
    link = str(tmp_path / "reader")
    proc, _lines_out = simulate("card-reader", link)
    try:
        for _ in range(2):
            assert main(["device", "read-card", "--port", link, "--wait", "5"]) == 0
        assert capsys.readouterr().out.count("姓名：王*试") == 2
        assert main(["device", "sim", "--port", link, "present", "hmt_permit"]) == 0
        assert main(["device", "read-card", "--port", link, "--wait", "5"]) == 0
        assert "证件类型：港澳台居民居住证" in capsys.readouterr().out
        assert main(["device", "sim", "--port", link, "error", "read", "41"]) == 0
        assert main(["device", "read-card", "--port", link, "--wait", "5"]) == 1
        assert "读卡失败：读卡失败，请重新放卡（read_failed）" in capsys.readouterr().out
    finally:
        stop(proc)


def test_window_bus_simulator_shows_text_and_takes_key_presses(tmp_path, capsys):
    link = str(tmp_path / "bus")
    proc, lines = simulate("window-bus", link)
    try:
        assert main(["device", "display-show", "--port", link, "--address", "2",
                     "A012", "请到2号窗口"]) == 0
        shown = [lines.get(timeout=10).rstrip("\n")]
        while "显示屏 2：A012 / 请到2号窗口" not in shown:
            shown.append(lines.get(timeout=10).rstrip("\n"))
        assert main(["device", "press", "--port", link, "--address", "102", "call_next"]) == 0
        assert main(["device", "press", "--port", link, "--address", "202", "4"]) == 0
        assert main(["device", "keys", "--port", link, "--address", "102", "--seconds", "0.6"]) == 0
        assert main(["device", "keys", "--port", link, "--address", "202", "--kind", "evaluator",
                     "--seconds", "0.6"]) == 0
        assert main(["device", "press", "--port", link, "--address", "102", "dance"]) == 1
        assert main(["device", "press", "--port", link, "--address", "2", "call_next"]) == 1
    finally:
        stop(proc)
    out = capsys.readouterr().out
    assert "按键：call_next" in out and "按键：4" in out
    assert "address 102 has no key 'dance'" in out and "no keypad or evaluator pad at address 2" in out


def test_simulate_scanner_sends_the_codes_it_is_told(tmp_path, capsys):
    link = str(tmp_path / "scanner")
    proc, _lines_out = simulate("scanner", link)
    try:
        done: queue.Queue = queue.Queue()
        reader = threading.Thread(target=lambda: done.put(main(
            ["device", "scan", "--port", link, "--wait", "10", "--count", "2"])))
        reader.start()
        time.sleep(0.5)                                   # the technician holds up two codes
        for code in ("73739966", "12345678"):
            assert main(["device", "sim", "--port", link, "scan", code]) == 0
        reader.join(timeout=15)
        assert done.get(timeout=1) == 0
        assert main(["device", "sim", "--port", link, "help"]) == 0
    finally:
        assert stop(proc) == 0
    out = capsys.readouterr().out
    assert "扫码：73739966" in out and "扫码：12345678" in out
    assert "scan CODE" in out                             # the simulator's help lists it


def test_scan_without_a_code_gives_up_at_the_deadline(tmp_path, capsys):
    from drivers.scanner.simulator import ScannerSimulator
    with ScannerSimulator() as sim:
        assert main(["device", "scan", "--port", sim.path, "--wait", "0.3"]) == 1
    assert "未扫到码（no_code）" in capsys.readouterr().out


def test_press_without_a_running_simulator(tmp_path, capsys):
    assert main(["device", "press", "--port", str(tmp_path / "none"), "--address", "101",
                 "call_next"]) == 1
    assert "没有运行中的模拟设备" in capsys.readouterr().out


# -- voice ------------------------------------------------------------------------------------
def wav_stats(path) -> tuple[float, int]:
    """(seconds, loudest sample) of a WAV file."""
    with wave.open(str(path)) as w:
        samples = array("h", w.readframes(w.getnframes()))
        return len(samples) / w.getframerate(), max(map(abs, samples), default=0)


def test_say_a_sentence_into_a_wav(tmp_path, capsys):
    out = tmp_path / "say.wav"
    assert main(["device", "say", "请A001号到1号窗口办理", "--wav", str(out)]) == 0
    seconds, loudest = wav_stats(out)
    assert seconds > 1.0 and loudest > 3000          # speech, not silence
    assert f"已写入 {out}" in capsys.readouterr().out


def test_say_a_call_as_the_announcer_does(tmp_path):
    sentence, call = tmp_path / "sentence.wav", tmp_path / "call.wav"
    assert main(["device", "say", "请A012号到3号窗口办理", "--wav", str(sentence)]) == 0
    assert main(["device", "say", "--call", "A012", "--window", "3", "--wav", str(call)]) == 0
    # the espeak-voice profile: chime, then the call twice with a pause between
    assert wav_stats(call)[0] > 1.0 + 2 * 0.8 * wav_stats(sentence)[0]


def test_say_without_espeak_or_a_speaker_is_a_clear_error(tmp_path, capsys, monkeypatch):
    assert main(["device", "say", "测试", "--profile", "xprinter-80"]) == 2
    assert main(["device", "say"]) == 2
    assert main(["device", "say", "测试", "--alsa-device", "no-such-card-yichuang"]) == 1
    assert "未能播放：扬声器" in capsys.readouterr().out
    monkeypatch.setenv("PATH", str(tmp_path))
    assert main(["device", "say", "测试", "--wav", str(tmp_path / "x.wav")]) == 1
    assert "未能播放：未安装语音合成程序 espeak-ng（absent）" in capsys.readouterr().out
