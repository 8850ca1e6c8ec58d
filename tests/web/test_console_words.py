"""The console's scripts show the glossary's words (hall/words.py) handed over by the server;
they keep no copy of their own, so a word changed in the glossary changes on every page."""
from __future__ import annotations

import re
from pathlib import Path

from hall import words
from queue_server.web import pages

STATIC = Path(pages.__file__).parent / "static"
# A JS string literal: "...", '...' or `...` (no nesting needed for this check).
LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'|`([^`]*)`')
GLOSSARY = {**{w: "ticket status" for w in words.TICKET_STATUS.values()},
            **{w: "window state" for w in words.WINDOW_STATE.values()},
            **{w: "window action" for w in words.WINDOW_ACTION.values()},
            **{w: "action done" for w in words.WINDOW_ACTION_DONE.values()},
            **{w: "ticket action" for w in words.TICKET_ACTION.values()},
            **{w: "rating level" for w in words.RATING_LEVEL.values()},
            **{w: "staff role" for w in words.STAFF_ROLE.values()},
            **{w: "audit action" for w in words.AUDIT_ACTION.values()},
            **{w: "material status" for w in words.MATERIAL_STATUS.values()}}


def copies(text: str) -> list[str]:
    """The glossary words a script spells out itself, and the call sentence built by hand."""
    found = [f"{w} ({GLOSSARY[w]})" for m in LITERAL.finditer(text)
             for w in [next(g for g in m.groups() if g is not None)] if w in GLOSSARY]
    if re.search(r'["\']请到\s*["\']', text):
        found.append("请到 ... 办理 (call sentence)")
    return found


def test_scripts_keep_no_copy_of_the_glossary():
    found = {p.name: copies(p.read_text(encoding="utf-8")) for p in sorted(STATIC.glob("*.js"))}
    assert {name: words for name, words in found.items() if words} == {}


def test_the_check_finds_a_copy():
    """The check above would catch the tables the scripts used to keep."""
    assert copies('const levels = {1: "非常不满意", 2: "不满意"};') == [
        "非常不满意 (rating level)", "不满意 (rating level)"]
    assert copies("names = {'window.start': '开始办理'}") == ["开始办理 (audit action)"]
    assert copies('x = "请到 " + t.window_name + " 办理"') == ["请到 ... 办理 (call sentence)"]
    assert copies('say("过号(重呼已满)")') == []


def test_pages_hand_the_glossary_to_the_scripts():
    assert pages.WORDS["status"] is words.TICKET_STATUS
    assert pages.WORDS["audit"]["console.login_failed"] == "登录失败"
    assert pages.WORDS["rating"][1] == "非常不满意"
