"""The words people read and hear: one source for each (glossary: docs/architecture.md).

Everything a citizen or a clerk reads on a screen, a display, a printout or an export, or
hears from the speaker, about tickets, window actions, ratings and calls, comes from here.
Short, plain Chinese; the keys are the bus contract's names.
"""
from __future__ import annotations

# A ticket's status (hall/protocol/schemas: ticket.status) as people read it.
TICKET_STATUS = {"waiting": "等候中", "called": "已叫号", "serving": "办理中", "done": "已办结",
                 "no_show": "过号", "transferred": "已转移", "cancelled": "已取消"}

# What each window action (request window.<action>) is called on keys, buttons and logs.
WINDOW_ACTION = {"login": "登录", "logout": "退出", "call_next": "叫号", "recall": "重呼",
                 "skip": "过号", "start": "开始办理", "finish": "办结", "transfer": "转移",
                 "pause": "暂停服务", "resume": "恢复服务"}

# What a ticket action (request ticket.<action>) is called where staff or citizens ask for it.
TICKET_ACTION = {"issue": "取号", "lookup": "查询", "requeue": "过号重排", "face_verify": "人工核验通过"}

# 人证核验 of a ticket's holder (the ticket's face_check result): on the staff caller and in
# exports. A kiosk check that fails ends with FACE_FALLBACK, on its screen and its ticket.
FACE_RESULT = {"pass": "刷脸通过", "fail": "刷脸未通过", "staff": "人工核验通过",
               "not_done": "未核验"}
FACE_FALLBACK = "请到窗口由工作人员核验"

# Rating levels of the evaluator pad and the kiosk, best first.
RATING_LEVEL = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}

# What a staff account may do in the console (queue_server.staff.STAFF_ROLES), as people read it.
STAFF_ROLE = {"window": "窗口工作人员", "manager": "大厅管理员", "admin": "系统管理员"}

# A window's LED display when nobody is called there.
DISPLAY_OPEN = "欢迎办理"
DISPLAY_PAUSED = "暂停服务"


def call_sentence(ticket: str, window_name: str) -> str:
    """What the hall says and shows for a call: 请A012号到3号窗口办理."""
    return f"请{ticket}号到{window_name}办理"


def call_display_line(window_name: str) -> str:
    """The second line of a window's LED display under the called number: 请到3号窗口."""
    return f"请到{window_name}"


def status_word(status: str) -> str:
    return TICKET_STATUS.get(status, status)
