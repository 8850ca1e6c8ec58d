"""What the hall manager must look at now (pure: figures and states in, alerts out)."""
from __future__ import annotations

from hall.words import CASE_DEADLINE, CASE_KIND, RATING_LEVEL, day_words

LONG_QUEUE = 10                 # waiting tickets that make a queue "long"
BAD_RATING_RECENT_S = 30 * 60   # a bad rating stays an alert this long (or until rectified)
DEVICE_NAMES = {"printer": "打印机", "card_reader": "身份证阅读器", "scanner": "扫码器", "camera": "摄像头",
                "display_bus": "显示屏总线", "voice": "语音播报"}
FAULT_NAMES = {"paper_out": "缺纸", "paper_near_end": "纸将用完", "no_reply": "无响应",
               "cover_open": "盖板打开", "offline": "离线"}
CLIENT_ROLE_NAMES = {"kiosk": "取号机", "agent": "设备代理"}
# An agent's window devices, by name "<kind>-<window id>": named after their window.
WINDOW_DEVICE_NAMES = {"display": "显示屏", "keypad": "呼叫器", "evaluator": "评价器"}


def _minutes(seconds: float) -> int:
    return int(seconds // 60)


def wait_alerts(categories: list[dict]) -> list[dict]:
    return [{"kind": "wait", "level": "error",
             "text": f"{c['name']}（{c['prefix']}）最长已等 {_minutes(c['longest_wait_s'])} 分钟，"
                     f"超过 {_minutes(c['wait_alert_s'])} 分钟"}
            for c in categories if c["waiting"] and c["longest_wait_s"] > c["wait_alert_s"]]


def queue_alerts(categories: list[dict], windows: list[dict]) -> list[dict]:
    """A long queue while a window that serves it is idle (not calling) or paused."""
    out = []
    for c in categories:
        if c["waiting"] < LONG_QUEUE:
            continue
        slack = [w for w in windows if c["category"] in w.get("categories", ()) and w["state"] in ("idle", "paused")]
        if slack:
            names = "、".join(f"{w['name']}{'暂停' if w['state'] == 'paused' else '空闲'}" for w in slack)
            out.append({"kind": "queue", "level": "warning",
                        "text": f"{c['name']}排队 {c['waiting']} 人，{names}"})
    return out


def device_alerts(devices: dict[str, dict]) -> list[dict]:
    """Hosts whose availability is offline, and devices in error or warning."""
    out = []
    for key, parts in sorted(devices.items()):
        role, _, host = key.partition("/")
        who = f"{host}号{CLIENT_ROLE_NAMES.get(role, role)}"
        if (parts.get("status") or {}).get("state") == "offline":
            out.append({"kind": "device", "level": "error", "text": f"{who}离线"})
            continue
        for name, health in sorted((parts.get("devices") or {}).items()):
            if not isinstance(health, dict) or health.get("state") not in ("error", "warning"):
                continue
            fault = FAULT_NAMES.get(health.get("code", ""), health.get("message") or "故障")
            out.append({"kind": "device", "level": "error" if health["state"] == "error" else "warning",
                        "text": f"{device_name(who, name)}{fault}"})
    return out


def device_name(host: str, name: str) -> str:
    """"3号窗口显示屏" for an agent's display-3; "k1号取号机打印机" for a kiosk's printer."""
    kind, _, window = name.partition("-")
    if kind in WINDOW_DEVICE_NAMES and window:
        return f"{window}号窗口{WINDOW_DEVICE_NAMES[kind]}"
    return f"{host}{DEVICE_NAMES.get(name, name)}"


def rating_alerts(bad_ratings: list[dict], window_names: dict[str, str], now: float) -> list[dict]:
    return [{"kind": "rating", "level": "warning",
             "text": f"{window_names.get(e.get('window') or '', e.get('window') or '')} "
                     f"{e['ticket']} 评价“{RATING_LEVEL[e['level']]}”，待整改"}
            for e in bad_ratings if now - e["ts"] <= BAD_RATING_RECENT_S and not e.get("rectified_at")]


def deadline_alerts(warnings: list[dict]) -> list[dict]:
    """Applications near (临近: within the warning's working days), at or past their day
    (the desk's deadlines(); the full list is on /manage/applications)."""
    return [{"kind": "deadline", "level": "warning" if a["deadline"] == "soon" else "error",
             "text": f"办件{a['number']}（{a['item_name']}）{a['deadline_text']}，"
                     f"承诺{day_words(a['due'])}办结"}
            for a in warnings]


def all_alerts(categories, windows, devices, bad_ratings, window_names, now,
               deadlines=()) -> list[dict]:
    return (wait_alerts(categories) + queue_alerts(categories, windows) + device_alerts(devices)
            + rating_alerts(bad_ratings, window_names, now) + deadline_alerts(list(deadlines)))


def case_alerts(warnings: list[dict], window_names: dict[str, str]) -> list[dict]:
    """Cases at or past their day (overdue ones first): escalated to the manager."""
    ordered = sorted(warnings, key=lambda c: (c["deadline"] != "overdue", c["due"]))
    return [{"kind": "case", "level": "error" if c["deadline"] == "overdue" else "warning",
             "text": f"{CASE_KIND[c['kind']]}工单{c['number']}"
                     f"（{c['department'] or window_names.get(c.get('window') or '', '大厅')}）"
                     f"{CASE_DEADLINE[c['deadline']]}，期限{c['due']}，负责人{c['lead'] or '未指派'}"}
            for c in ordered]
