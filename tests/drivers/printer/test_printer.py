"""The ticket printer driver against its simulator on a real pty path: what the citizen holds."""
from __future__ import annotations

import dataclasses
import datetime as dt
import threading

import pytest
from PIL import Image

from drivers.printer import (PrinterError, PrinterProfile, PrinterStatus, Ticket, TicketPrinter,
                             sample_ticket, ticket_bytes)
from drivers.printer.decode import EscPosDecoder
from drivers.printer.render import render_png
from drivers.printer.simulator import PrinterSimulator
from drivers.printer.ticket import columns
from hall.config.devices import load_profile
from drivers.transport import SerialTransport
from driver_waits import bounded
from hall.config import Problems

PROFILES = {}


def profile(name: str) -> PrinterProfile:
    if name not in PROFILES:
        problems = Problems()
        PROFILES[name] = load_profile(name, problems, kind="printer")
        problems.raise_if_any()
    return PROFILES[name]


TICKET = Ticket(hall_name="示例县政务服务中心", category_name="不动产登记（抵押）", number="B027",
                waiting_ahead=7, estimated_wait_min=21,
                issued_at=dt.datetime(2024, 3, 1, 23, 58, tzinfo=dt.timezone.utc),
                url="http://hall.example/t/7f3a9c", advice="过号请重新取号，谢谢配合！")


class CountingTransport(SerialTransport):
    """The real serial transport, counting its writes (to see the ticket goes in one)."""
    writes: list[int]

    def write(self, data: bytes) -> None:
        self.writes.append(len(data))
        super().write(data)


@pytest.fixture
def sim():
    with PrinterSimulator() as simulator:
        yield simulator


@pytest.fixture
def printer(sim):
    transport = CountingTransport(sim.path, timeout=0.3)
    transport.writes = []
    device = TicketPrinter(sim.path, profile("xprinter-80"), transport=transport)
    yield device
    device.close()


# -- what the ticket says -------------------------------------------------------------------------
def test_printed_ticket_says_what_the_citizen_needs(sim, printer):
    result = printer.print_ticket(TICKET)
    assert result.health.state == "ok" and len(sim.printed) == 1
    ticket = sim.printed[0]
    assert ticket.texts[:2] == ["示例县政务服务中心", "不动产登记（抵押）"]
    number = next(line for line in ticket.lines if line.text == "B027")
    assert (number.width, number.height, number.align) == (4, 4, "center")
    assert "您前面还有 7 人等候" in ticket.texts
    assert "预计等候约 21 分钟" in ticket.texts
    assert "取号时间：2024-03-02 07:58" in ticket.texts          # hall-local, next day
    assert ticket.qr_codes[0].data == "http://hall.example/t/7f3a9c"
    assert ticket.texts[-1] == "过号请重新取号，谢谢配合！"
    assert ticket.cut == "partial"


def test_full_width_punctuation_survives_and_nothing_becomes_a_question_mark(sim, printer):
    printer.print_ticket(TICKET)
    text = "".join(sim.printed[0].texts)
    for mark in "（）：，！":
        assert mark in text
    assert "?" not in text and "\ufffd" not in text


def test_the_whole_ticket_goes_in_one_write(sim, printer):
    result = printer.print_ticket(TICKET)
    # status query, ticket, status query
    assert printer.transport.writes == [12, result.bytes_sent, 12]
    assert sim.printed[0].size == result.bytes_sent


def test_58mm_ticket_fits_its_32_columns(sim):
    narrow = profile("xprinter-58")
    device = TicketPrinter(sim.path, narrow)
    long_name = dataclasses.replace(TICKET, hall_name="示例自治州示例县人民政府政务服务中心")
    device.print_ticket(long_name)
    device.close()
    ticket = sim.printed[0]
    assert all(columns(line.text) * line.width <= 32 for line in ticket.lines)
    assert "".join(ticket.texts).startswith("示例自治州示例县人民政府政务服务中心")
    number = next(line for line in ticket.lines if line.text == "B027")
    assert number.width == 3 and ticket.qr_codes[0].module == 4


def test_80mm_lines_fit_48_columns():
    decoder = EscPosDecoder()
    decoder.feed(ticket_bytes(TICKET, profile("xprinter-80")))
    assert all(columns(line.text) * line.width <= 48 for line in decoder.documents[0].lines)


def test_nobody_waiting_says_so_plainly(sim, printer):
    printer.print_ticket(dataclasses.replace(TICKET, waiting_ahead=0, estimated_wait_min=0))
    texts = sim.printed[0].texts
    assert "您前面暂无人等候，请留意叫号" in texts and not any("预计" in t for t in texts)


def test_without_chinese_mode_no_fs_commands_are_sent(sim):
    plain = dataclasses.replace(profile("xprinter-80"), chinese_mode=False)
    data = ticket_bytes(TICKET, plain)
    assert b"\x1c\x26" not in data and b"\x1c\x2e" not in data
    device = TicketPrinter(sim.path, plain)
    device.print_ticket(TICKET)
    device.close()
    assert sim.printed[0].texts[1] == "不动产登记（抵押）"   # the printer starts in Chinese mode


def test_decoder_shows_text_sent_outside_chinese_mode_as_garbage():
    decoder = EscPosDecoder()
    decoder.feed(b"\x1c\x2e" + "时间：".encode("gb18030") + b"\n\x1dV\x00")
    assert decoder.documents[0].texts == ["\ufffd" * 6]


def test_decoder_accepts_bytes_in_any_pieces():
    data = ticket_bytes(TICKET, profile("xprinter-80"))
    whole, pieces = EscPosDecoder(), EscPosDecoder()
    whole.feed(data)
    for i in range(len(data)):
        pieces.feed(data[i:i + 1])
    assert pieces.documents == whole.documents and not whole.unknown


# -- status -------------------------------------------------------------------------------------
@pytest.mark.parametrize("replies, flags, health", [
    ({1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}, [], "ok"),
    ({1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1E}, ["paper_near_end"], "paper_near_end"),
    ({1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x7E}, ["offline", "paper_stop", "paper_near_end",
                                            "paper_out"], "paper_out"),
    ({1: 0x1A, 2: 0x16, 3: 0x12, 4: 0x12}, ["offline", "cover_open"], "cover_open"),
    ({1: 0x1A, 2: 0x52, 3: 0x1A, 4: 0x12}, ["offline", "error", "cutter_error"], "cutter_error"),
    ({1: 0x12, 2: 0x12, 3: 0x32, 4: 0x12}, ["unrecoverable"], "printer_error"),
    ({1: 0x1A, 2: 0x12, 3: 0x12, 4: 0x12}, ["offline"], "offline"),
])
def test_status_bytes_are_decoded(replies, flags, health):
    status = PrinterStatus.decode(replies)
    assert status.flags() == flags
    assert (status.health.code or "ok") == health
    assert all(status.encode(n) == byte for n, byte in replies.items())


@pytest.mark.parametrize("byte", [0x00, 0x13, 0x92, 0xFF])
def test_a_byte_that_is_not_a_status_reply_is_refused(byte):
    with pytest.raises(PrinterError) as err:
        PrinterStatus.decode({1: byte})
    assert err.value.code == "bad_reply"


def test_paper_out_before_printing_loses_nothing(sim, printer):
    sim.paper = "out"
    with pytest.raises(PrinterError) as err:
        printer.print_ticket(TICKET)
    assert err.value.code == "paper_out" and err.value.health.message == "打印机缺纸，请更换纸卷"
    assert sim.printed == [] and sim.held == [] and sim.decoder.pending.items == []
    assert printer.get_status()["code"] == "paper_out"
    sim.paper = "ok"                             # paper changed: the same ticket prints
    printer.print_ticket(TICKET)
    assert sim.printed[0].texts[0] == "示例县政务服务中心"


def test_paper_near_end_prints_with_a_warning(sim, printer):
    sim.paper = "near_end"
    result = printer.print_ticket(TICKET)
    assert result.health.state == "warning" and result.health.code == "paper_near_end"
    assert len(sim.printed) == 1
    assert printer.get_status() == {"state": "warning", "code": "paper_near_end",
                                    "message": "打印纸即将用完，请准备更换"}


@pytest.mark.parametrize("fault, code", [("cover_open", "cover_open"),
                                         ("cutter_error", "cutter_error")])
def test_cover_open_or_cutter_error_refuses_to_print(sim, printer, fault, code):
    setattr(sim, fault, True)
    with pytest.raises(PrinterError) as err:
        printer.print_ticket(TICKET)
    assert err.value.code == code and sim.printed == [] and sim.held == []


def test_paper_running_out_during_the_print_is_reported(sim, printer):
    sim.paper_left = 1
    with pytest.raises(PrinterError) as err:
        printer.print_ticket(TICKET)
    assert err.value.code == "paper_out" and "号票可能未打印完整" in err.value.health.message


def test_silent_printer_is_no_reply_not_paper_ok(sim, printer):
    sim.silent = True
    result = bounded(lambda: printer.print_ticket(TICKET))
    assert result["error"].code == "no_reply"
    assert printer.get_status()["state"] == "error" and sim.printed == []


def test_unplugged_printer_is_absent_then_prints_again(sim, printer):
    assert printer.get_status() == {"state": "ok"}
    sim.unplug()
    assert bounded(lambda: printer.print_ticket(TICKET))["error"].code == "absent"
    assert printer.get_status()["state"] == "absent"
    sim.plug()
    assert printer.print_ticket(TICKET).health.state == "ok"
    assert printer.get_status() == {"state": "ok"} and len(sim.printed) == 1


def test_printer_that_was_never_there_is_absent():
    assert TicketPrinter("/dev/nonexistent-yichuang-printer").get_status()["state"] == "absent"


# -- rendering ----------------------------------------------------------------------------------
def test_decoded_ticket_renders_to_a_png_of_the_paper_width(tmp_path):
    decoder = EscPosDecoder()
    decoder.feed(ticket_bytes(sample_ticket(), profile("xprinter-58")))
    path = render_png(decoder.documents[0], 384, tmp_path / "t.png")
    with Image.open(path) as img:
        assert img.width == 384 and img.height > 400
        dark = sum(img.convert("L").histogram()[:128])
    assert dark > 5000            # text and a QR code, not a blank strip


# -- a network printer (raw TCP, socket://) ------------------------------------------------------
def socat_bridge(port: int, device: str):
    """A real TCP listener whose connections reach `device` (the simulator's pty), as a
    print server or a network printer's raw port 9100 would."""
    import shutil
    import subprocess
    proc = subprocess.Popen([shutil.which("socat"), "-d", "-d",
                             f"TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork",
                             f"FILE:{device},raw,echo=0"], stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    for line in proc.stderr:           # no test connection: it would hold the pty a moment
        if "listening on" in line:
            threading.Thread(target=proc.stderr.read, daemon=True).start()
            return proc
    raise AssertionError("socat did not listen")


def unplug_network(bridge) -> None:
    """The print server goes away: socat and the child serving the open connection."""
    import os
    import signal
    os.killpg(bridge.pid, signal.SIGKILL)
    bridge.wait()


def test_network_printer_prints_and_comes_back_after_its_server_restarts(sim):
    from queue_server.broker import free_port
    port = free_port()
    printer = TicketPrinter(f"socket://127.0.0.1:{port}", profile("xprinter-80"))
    assert printer.get_status()["state"] == "absent"           # nothing listening yet
    bridge = socat_bridge(port, sim.path)
    try:
        result = bounded(lambda: printer.print_ticket(TICKET))
        assert "value" in result, result
        assert "B027" in sim.printed[0].texts and result["value"].health.state == "ok"
    finally:
        unplug_network(bridge)
    assert bounded(printer.status)["error"].code == "absent"   # the server went away
    bridge = socat_bridge(port, sim.path)
    try:
        assert bounded(printer.status)["value"].health.state == "ok"
    finally:
        printer.close()
        unplug_network(bridge)
