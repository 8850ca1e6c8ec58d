"""`yichuang device ...` against simulated devices on real pty paths."""
from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading

import pytest

from drivers.card_reader.simulator import SAMPLE_CARDS, CardReaderSimulator
from drivers.printer.simulator import PrinterSimulator
from queue_server.cli import main

YICHUANG = [sys.executable, "-c", "import sys; from queue_server.cli import main; sys.exit(main())"]


def test_device_group_lists_its_subcommands(capsys):
    with pytest.raises(SystemExit):
        main(["device", "--help"])
    out = capsys.readouterr().out
    for name in ("ports", "read-card", "print-test", "printer-status", "simulate"):
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


def test_simulate_printer_runs_until_ctrl_c_and_shows_tickets(tmp_path, capsys):
    link = str(tmp_path / "printer")
    proc = subprocess.Popen(YICHUANG + ["device", "simulate", "printer", "--link", link],
                            stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        lines = _lines(proc.stdout)
        assert link in lines.get(timeout=20)
        assert main(["device", "print-test", "--port", link]) == 0
        shown = []
        while "---- cut (partial) ----" not in shown:
            shown.append(lines.get(timeout=10).rstrip("\n"))
        assert "A012" in shown and "[QR] http://127.0.0.1:8080/t/demo-a012" in shown
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
        assert not os.path.exists(link)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_simulate_card_reader_can_be_read_again_and_again(tmp_path, capsys):
    link = str(tmp_path / "reader")
    proc = subprocess.Popen(YICHUANG + ["device", "simulate", "card-reader", "--link", link],
                            stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert link in _lines(proc.stdout).get(timeout=20)
        for _ in range(2):
            assert main(["device", "read-card", "--port", link, "--wait", "5"]) == 0
        assert capsys.readouterr().out.count("姓名：王*试") == 2
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
