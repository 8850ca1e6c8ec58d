"""The A4 receipt (受理凭证) of an application accepted the day before the 2026 National Day
holiday: its PDF (fpdf2, a CJK font embedded) read back with poppler's pdftotext, its QR code
read from the rendered page; printed through a real CUPS scheduler (Debian's cupsd on a free
port, a file device behind CUPS's own pdftopdf filter) with `lp`; and lp's refusals."""
import datetime as dt
import shutil
import subprocess

import cv2
import pytest

from cups_server import CupsServer, missing
from drivers.health import DeviceError
from drivers.printer.a4 import LpPrinter, a4_pdf
from hall.application_text import receipt_document
from halls import at
from test_service_application_kiosk import with_collection
from test_service_applications import ALL, PERSON, act, file, seated

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils (pdftotext, pdftoppm) is not installed")


@pytest.fixture
def accepted(open_service, clock):
    """Filed and accepted on Wednesday 30 September 2026, 5 working days."""
    clock.now = at(9, day=dt.date(2026, 9, 30))
    service = open_service(config=with_collection())
    app = file(service)
    seated(service)
    view = act(service, "accept", app["number"], materials=ALL)["data"]["application"]
    return service, view


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


def qr_of(pdf: bytes, tmp_path) -> str:
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", "-", str(tmp_path / "page")],
                   input=pdf, capture_output=True, check=True)
    image = cv2.imread(str(tmp_path / "page.png"), cv2.IMREAD_GRAYSCALE)
    data, _points, _ = cv2.QRCodeDetector().detectAndDecode(image)
    return data


def test_the_receipt_skips_national_day_and_counts_the_make_up_saturday(accepted, tmp_path):
    service, view = accepted
    assert view["due"] == "2026-10-13"          # 8, 9, Saturday 10 (调休), 12, 13 October
    shown = service.applications.for_window(view["number"])
    pdf = a4_pdf(receipt_document(shown, shown["name"]))
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    for expected in ("受理凭证", view["number"], "社会保障卡申领", "张*飞", "2026年9月30日",
                     "2026年10月13日（5个工作日）", "请凭受理凭证到统一出件窗口领取", service.config.name):
        assert expected in text, expected
    assert "张小飞" not in text and PERSON["id_number"] not in text
    assert qr_of(pdf, tmp_path) == view["url"]


@pytest.fixture(scope="module")
def cups():
    why = missing()
    if why:
        pytest.skip(why)
    server = CupsServer().start()
    yield server
    server.stop()


def test_printed_through_a_real_cups_queue(accepted, cups):
    service, view = accepted
    shown = service.applications.for_window(view["number"])
    job = LpPrinter(cups.queue, env=cups.env).print_pdf(a4_pdf(receipt_document(shown, shown["name"])),
                                                         title=f"receipt {view['number']}")
    assert job.startswith(f"{cups.queue}-")
    paper = pdf_text(cups.printed())
    assert view["number"] in paper and "2026年10月13日" in paper


def test_lp_refusals_are_device_errors_that_say_why(cups):
    with pytest.raises(DeviceError) as caught:
        LpPrinter("no-such-queue", env=cups.env).print_pdf(b"%PDF-1.4\n%%EOF\n")
    assert caught.value.code == "offline" and "no-such-queue" in str(caught.value) or \
        "does not exist" in str(caught.value)
    with pytest.raises(DeviceError) as caught:
        LpPrinter("a4", lp="no-such-lp-binary").print_pdf(b"")
    assert caught.value.code == "absent"
    for bad in ("a4; rm -rf /", "-d", "", "a" * 200):
        with pytest.raises(ValueError):
            LpPrinter(bad)
