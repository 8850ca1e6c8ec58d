"""过号重排 at the kiosk in a real offscreen Kivy window (issue 11): a ticket is called and
skipped by a window client on the bus, and the citizen brings it back by typing its number;
a wrong number and a late one are explained. The county hall (four home tiles), a real
server and broker, the server's clock movable to make a skip old."""
from pathlib import Path

import pytest

from kiosk_window import back_home, find, kiosk_app, on_screen, opening_clock, pump, shown, tap, walk

COUNTY = Path(__file__).parents[2] / "firmware_configs/sites/county.yaml"


@pytest.fixture(scope="module")
def kiosk():
    opening, later = opening_clock(COUNTY), [0.0]
    with kiosk_app(COUNTY, lambda: opening() + later[0]) as kiosk:
        kiosk.later, kiosk.clerk = later, kiosk.hall.window_client("zonghe")
        yield kiosk
        kiosk.clerk.stop()


@pytest.fixture(autouse=True)
def from_home(kiosk):
    back_home(kiosk)


def skipped(kiosk, behind=4):
    """A 综合业务 ticket, `behind` more after it; a window calls it and marks it 过号."""
    numbers = [kiosk.hall.service.handle("kiosk", "k2", "ticket.issue", {"category": "zonghe"})
               ["data"]["ticket"]["number"] for _ in range(1 + behind)]
    kiosk.hall.skip(kiosk.clerk, numbers[0])
    return numbers


def type_number(kiosk, number):
    tap(kiosk.root, "home:requeue")
    assert on_screen(kiosk, "requeue")
    for key in number:
        tap(kiosk.root, f"letter:{key}" if key.isalpha() else f"key:{key}")
    assert pump(lambda: find(kiosk.root, "requeue:typed").text == number)
    tap(kiosk.root, "requeue:ok")


def waiting_next(kiosk):
    return kiosk.hall.service.retained_states()["queue/zonghe/state"]["next"]


def called_in_turn(kiosk, count):
    """The numbers the window calls next, each finished before the next call."""
    numbers = []
    for _ in range(count):
        numbers.append(kiosk.clerk.request("window.call_next")["ticket"]["number"])
        kiosk.clerk.request("window.finish")
    return numbers


def test_a_skipped_ticket_comes_back_by_its_number_without_a_new_slip(kiosk):
    number, *behind = skipped(kiosk)
    assert number not in waiting_next(kiosk)
    printed = len(kiosk.printer.printed)
    type_number(kiosk, number)
    assert on_screen(kiosk, "requeue_result")
    assert pump(lambda: "已重新排队" in shown(kiosk.root))
    text = shown(kiosk.root)
    assert number in text and "前面还有3人" in text and "请保留原号票" in text and "留意叫号" in text
    # Back in its queue behind the next three, as the hall's rule says; and called in turn.
    assert waiting_next(kiosk)[:3] == behind[:3]
    assert called_in_turn(kiosk, 4) == behind[:3] + [number]
    pump(timeout=0.5)
    assert len(kiosk.printer.printed) == printed, "a second slip was printed"
    tap(kiosk.root, "footer:back")                  # 上一步: an empty keypad again
    assert on_screen(kiosk, "requeue") and find(kiosk.root, "requeue:typed").text != number
    called_in_turn(kiosk, 1)                        # the last one behind, out of the way


def test_a_wrong_number_is_explained_on_the_keypad(kiosk):
    type_number(kiosk, "A987")
    # the screen is rebuilt when the answer comes: the label may be gone for a frame
    assert pump(lambda: "没有找到这个号" in getattr(find(kiosk.root, "requeue:status"), "text", ""))
    assert kiosk.ui.manager.current == "requeue" and find(kiosk.root, "requeue:ok").enabled is False


def test_too_late_says_so_and_leads_to_a_new_ticket(kiosk):
    (number,) = skipped(kiosk, behind=0)
    kiosk.later[0] += 31 * 60                      # the hall allows 30 minutes
    try:
        type_number(kiosk, number)
        assert on_screen(kiosk, "requeue_result")
        assert pump(lambda: "超过重排时限" in shown(kiosk.root))
        assert "请重新取号" in shown(kiosk.root)
        tap(kiosk.root, "requeue:new_ticket")
        assert on_screen(kiosk, "take_ticket")
        assert number not in waiting_next(kiosk)
    finally:
        kiosk.later[0] -= 31 * 60


def test_brought_back_once_only(kiosk):
    (number,) = skipped(kiosk, behind=0)
    type_number(kiosk, number)
    assert pump(lambda: "已重新排队" in shown(kiosk.root))
    kiosk.hall.skip(kiosk.clerk, number)           # called again, and again not there
    kiosk.ui.go("home")
    type_number(kiosk, number)
    assert pump(lambda: "已经重排过一次" in shown(kiosk.root))
    assert find(kiosk.root, "requeue:new_ticket") is not None


def test_every_home_tile_fits_in_both_modes(kiosk):
    """Four tiles (取号, 预约签到, 过号重排, 办事指南): every word inside its tile."""
    for elderly in (False, True):
        kiosk.session.set_elderly(elderly)
        pump(timeout=0.3)
        tiles = [w for w in walk(kiosk.root) if str(getattr(w, "tap_id", "")).startswith("home:")
                 and w.tap_id != "home:elderly"]
        assert {t.tap_id for t in tiles} >= {"home:take_ticket", "home:appointment",
                                              "home:requeue", "home:guide"}
        for tile in tiles:
            labels = [w for w in tile.children]
            used = sum(label.texture_size[1] for label in labels)
            assert used <= tile.height, (elderly, tile.tap_id, used, tile.height)
            for label in labels:                  # each on one line, inside the tile
                assert label.texture_size[1] < 1.7 * label.font_size, (elderly, label.text)
                assert label.texture_size[0] <= tile.width, (elderly, label.text)
