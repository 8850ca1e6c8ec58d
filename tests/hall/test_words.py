"""The words people read have one source (hall/words.py), and the window actions one list
(the bus contract's schemas)."""
from drivers.keypad.profile import ACTIONS as KEY_ACTIONS
from hall.protocol.schema import actions, names
from hall.words import RATING_LEVEL, TICKET_ACTION, WINDOW_ACTION, call_display_line, call_sentence
from queue_server.agent.window import call_lines
from queue_server.commands import clients
from queue_server.web import api, console
from queue_server import service


def test_the_window_actions_are_the_contracts_and_each_has_a_label():
    contract = actions("window")
    assert set(contract) == {n.split(".", 1)[1] for n in names("request") if n.startswith("window.")}
    assert set(WINDOW_ACTION) == set(contract)
    assert set(service.WINDOW_ACTIONS) == {f"window.{a}" for a in contract}
    assert set(console.WINDOW_ACTIONS) == set(contract) - {"login", "logout"} | {"requeue", "face_verify"}
    assert set(TICKET_ACTION) == set(actions("ticket"))
    assert {a.replace("-", "_") for a in clients.WINDOW_ACTIONS} == set(contract)
    assert set(KEY_ACTIONS) - {"pause_resume"} <= set(contract)   # a key is one of them
    paths = {op.path for op in api.API.operations if op.path.startswith("/api/window/")}
    assert {p.rsplit("/", 1)[1] for p in paths} >= set(console.WINDOW_ACTIONS)


def test_the_call_is_worded_once():
    assert call_sentence("A012", "3号窗口") == "请A012号到3号窗口办理"
    assert call_display_line("3号窗口") == "请到3号窗口"
    assert call_lines({"ticket": "A012", "window_name": "3号窗口"}, "x") == ["A012", "请到3号窗口"]


def test_rating_levels_best_first():
    assert list(RATING_LEVEL.items()) == [(5, "非常满意"), (4, "满意"), (3, "基本满意"),
                                          (2, "不满意"), (1, "非常不满意")]
