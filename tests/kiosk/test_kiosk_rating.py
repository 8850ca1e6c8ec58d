"""评价服务 at the kiosk in a real offscreen Kivy window: the citizen lays the ID card on the
(simulated, pty) reader and rates the last service of the day; a card without a finished
service is told so. A real server and broker; the window serves on the bus."""
import pytest

from drivers.card_reader.simulator import SAMPLE_CARDS
from kiosk_window import find, open_window, pump, shown, tap

HALL_YAML = __file__.rsplit("/", 1)[0] + "/hall.yaml"


@pytest.fixture(scope="module")
def kiosk():
    window = open_window()
    from kiosk.app import KioskUI, clock_post
    from kiosk.harness import LocalHall

    hall = LocalHall(HALL_YAML, "k1").start()
    session = hall.session(post=clock_post)
    ui = KioskUI(session, window.size)
    window.add_widget(ui.root)
    session.start()
    assert pump(lambda: all(t.can_take for t in session.view.tiles()), 15)
    clerk = hall.window_client("zonghe")
    _printer, card, _scanner = session.devices.simulators
    yield type("Kiosk", (), dict(ui=ui, session=session, hall=hall, card=card, root=ui.root, clerk=clerk))
    clerk.stop()
    window.remove_widget(ui.root)
    session.stop()
    hall.stop()


@pytest.fixture(autouse=True)
def from_home(kiosk):
    kiosk.card.lift()
    kiosk.ui.go("home")
    pump(lambda: kiosk.ui.manager.current == "home")
    yield


def on_screen(kiosk, name, timeout=10):
    manager = kiosk.ui.manager
    return pump(lambda: manager.current == name and manager.current_screen.box.children, timeout)


def served_with_card(kiosk, card) -> str:
    """A 综合业务 ticket taken with the card's identity, called and finished at window 1."""
    identity = {"id_number": card.values["id_number"], "name": card.values["name"]}
    number = kiosk.hall.service.handle("kiosk", "k2", "ticket.issue",
                                       {"category": "zonghe", "identity": identity})["data"]["ticket"]["number"]
    while True:
        called = kiosk.clerk.request("window.call_next")["ticket"]["number"]
        kiosk.clerk.request("window.finish")
        if called == number:
            return number


def test_a_card_rates_its_own_last_service_with_reasons(kiosk):
    number = served_with_card(kiosk, SAMPLE_CARDS["resident"])
    tap(kiosk.root, "home:rate_card")
    assert on_screen(kiosk, "rate_card")
    assert "请刷身份证，评价您今天最后办理的业务" in shown(kiosk.root)
    kiosk.card.present(SAMPLE_CARDS["resident"])
    assert on_screen(kiosk, "rate"), shown(kiosk.root)
    assert pump(lambda: find(kiosk.root, "rate:service") is not None)
    assert find(kiosk.root, "rate:service").text.startswith(f"{number}号")
    for level, word in ((5, "非常满意"), (4, "满意"), (3, "基本满意"), (2, "不满意"), (1, "非常不满意")):
        assert word in shown(find(kiosk.root, f"rate:level:{level}"))
    tap(kiosk.root, "rate:level:1")
    assert pump(lambda: find(kiosk.root, "rate:reason:态度差") is not None)
    tap(kiosk.root, "rate:reason:态度差")
    tap(kiosk.root, "rate:reason:多次跑动")
    tap(kiosk.root, "rate:reason:态度差")            # ticked twice: not ticked
    tap(kiosk.root, "rate:reason:等候时间长")
    tap(kiosk.root, "rate:submit")
    assert pump(lambda: find(kiosk.root, "rate:done") is not None), shown(kiosk.root)
    assert find(kiosk.root, "rate:done").text == f"{number}号：非常不满意（等候时间长、多次跑动）"
    assert "感谢您的评价" in shown(kiosk.root)
    [row] = [e for e in kiosk.hall.service.evaluations() if e["ticket"] == number]
    assert (row["level"], row["reasons"], row["channel"], row["named"], row["window"]) == \
        (1, ["等候时间长", "多次跑动"], "kiosk", True, "1")
    assert SAMPLE_CARDS["resident"].values["id_number"] not in repr(row)

    # the same card again within the time: the rating shown, and changed to 满意
    kiosk.card.lift()
    kiosk.ui.go("home")
    tap(kiosk.root, "home:rate_card")
    assert on_screen(kiosk, "rate_card")
    kiosk.card.present(SAMPLE_CARDS["resident"])
    assert on_screen(kiosk, "rate")
    assert pump(lambda: "您已评价：非常不满意" in shown(kiosk.root))
    tap(kiosk.root, "rate:level:4")
    assert pump(lambda: find(kiosk.root, "rate:done") is not None)
    [row] = [e for e in kiosk.hall.service.evaluations() if e["ticket"] == number]
    assert (row["level"], row["version"]) == (4, 2)


def test_a_card_without_a_finished_service_is_told_so(kiosk):
    tap(kiosk.root, "home:rate_card")
    assert on_screen(kiosk, "rate_card")
    kiosk.card.present(SAMPLE_CARDS["resident_two_char"])
    assert pump(lambda: find(kiosk.root, "rate:problem") is not None), shown(kiosk.root)
    assert find(kiosk.root, "rate:problem").text == "没有找到您今天办理完的业务"
    assert kiosk.ui.manager.current == "rate_card"
