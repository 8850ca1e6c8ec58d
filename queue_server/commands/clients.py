"""Bus clients on the command line: `yichuang ticket ...`, `yichuang window ...`, `yichuang watch`.

They speak the same contract as a kiosk or a window caller (HallClient), so a technician can
check a hall from any shell. The broker and hall come from --broker/--hall or from the
YICHUANG_BROKER / YICHUANG_HALL environment variables.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import select
import sys
import threading
import time
from zoneinfo import ZoneInfo

from hall.protocol.client import HallClient, RequestError
from hall.protocol.schema import actions
from hall.words import WINDOW_ACTION, WINDOW_STATE, status_word

# The window actions of the bus contract, spelt as subcommands (call-next).
WINDOW_ACTIONS = tuple(a.replace("_", "-") for a in actions("window"))
FINISHED_WORDS = {"done": "办结", "no_show": "过号", "transferred": "转移"}


# -- pure formatting: one short Chinese line per thing -----------------------------------------
def minutes(seconds: float) -> str:
    return f"{max(1, round(seconds / 60))} 分钟" if seconds else "马上"


def ticket_line(ticket: dict) -> str:
    text = f"{ticket['number']} ({ticket.get('category', '')}) {status_word(ticket.get('status'))}"
    if ticket.get("status") == "waiting":
        text += f", 前面还有 {ticket.get('waiting_ahead', 0)} 人, 预计等候 {minutes(ticket.get('estimated_wait_s', 0))}"
    if ticket.get("window"):
        text += f", {ticket['window']}号窗口, 第{ticket.get('attempt', 1)}次呼叫"
    return text


def state_line(suffix: str, payload: dict) -> str:
    if suffix.startswith("queue/"):
        nxt = " ".join(payload.get("next", [])) or "无"
        status = "" if payload.get("open", True) else " (停止取号)"
        return (f"队列 {payload.get('prefix', '')} {payload.get('name', '')}{status}: 等候 {payload.get('waiting', 0)} 人,"
                f" 下一位 {nxt}, 约 {minutes(payload.get('estimated_wait_s', 0))}")
    if suffix.startswith("window/"):
        state = WINDOW_STATE.get(payload.get("state"), payload.get("state"))
        parts = [payload.get("name") or f"{payload.get('window')}号窗口", state]
        parts += [x for x in (payload.get("ticket"), payload.get("staff")) if x]
        return " ".join(parts)
    if suffix == "hall/state":
        return (f"大厅: 等候 {payload.get('waiting', 0)} 人, 今日已办 {payload.get('served_today', 0)} 件,"
                f" 开放窗口 {payload.get('open_windows', 0)} 个")
    return f"{suffix}: {json.dumps(payload, ensure_ascii=False)}"


def event_line(name: str, payload: dict) -> str:
    if name == "call":
        return f"叫号: {payload.get('text') or payload.get('ticket')}"
    if name == "ticket_issued":
        return f"取号: {payload.get('ticket')}"
    if name == "ticket_finished":
        word = FINISHED_WORDS.get(payload.get("status"), "办结")
        if payload.get("outcome") == "not_done":
            word = "未办成"
        return f"{word}: {payload.get('ticket')} ({payload.get('window')}号窗口)"
    if name == "evaluation":
        where = f" ({payload['window']}号窗口)" if payload.get("window") else ""
        return f"评价: {payload.get('ticket')}{where} {payload.get('level')}分"
    return f"{name}: {json.dumps(payload, ensure_ascii=False)}"


def window_args(args: argparse.Namespace) -> dict:
    """The request arguments a window action takes from the command line."""
    wanted = {"login": ("staff", "password"), "finish": ("outcome",), "transfer": ("to_category", "to_window"),
              "pause": ("reason",), "resume": ("reason",)}.get(args.window_action, ())
    return {k: getattr(args, k) for k in wanted if getattr(args, k, None) is not None}


# -- I/O -----------------------------------------------------------------------------------------
def _connect(args: argparse.Namespace, role: str, client_id: str) -> HallClient | None:
    if not args.hall:
        print("error: give --hall ID (the hall id of the config) or set YICHUANG_HALL", file=sys.stderr)
        return None
    client = HallClient(args.hall, role, client_id, args.broker)
    client.start()
    if not client.wait_connected(args.timeout):
        print(f"error: no connection to the broker {args.broker} within {args.timeout:.0f} s", file=sys.stderr)
        client.stop()
        return None
    return client


def _ask(args: argparse.Namespace, role: str, client_id: str, action: str, request: dict, show) -> int:
    client = _connect(args, role, client_id)
    if client is None:
        return 2
    try:
        data = client.request(action, request, timeout=args.timeout)
    except RequestError as exc:
        print(f"失败 ({exc.code}): {exc.message}", file=sys.stderr)
        return 1
    finally:
        client.stop()
    print(json.dumps(data, ensure_ascii=False, indent=2) if args.json else show(data))
    return 0


def run_ticket(args: argparse.Namespace) -> int:
    if args.ticket_action == "issue":
        request = {k: getattr(args, k) for k in ("category", "service", "priority") if getattr(args, k)}
        return _ask(args, "kiosk", args.id, "ticket.issue", request, lambda d: "取号成功: " + ticket_line(d["ticket"]))
    return _ask(args, "kiosk", args.id, "ticket.lookup", {"number": args.number}, lambda d: ticket_line(d["ticket"]))


def run_window(args: argparse.Namespace) -> int:
    action = "window." + args.window_action.replace("-", "_")

    def show(data: dict) -> str:
        if "ticket" in data:
            word = WINDOW_ACTION[action.removeprefix("window.")]
            return f"{args.window}号窗口 {word}: {ticket_line(data['ticket'])}"
        return state_line(f"window/{args.window}/state", data.get("window", data))

    return _ask(args, "window", args.window, action, window_args(args), show)


def _reader_left() -> bool:
    """The pipe's reader has closed it (`yichuang watch | head -2` got its lines): seen
    without writing, so a quiet hall does not keep a forgotten watch running."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):   # not a file (a test captures it): no pipe
        return False
    poller = select.poll()
    poller.register(fd, select.POLLOUT)
    return any(events & select.POLLERR for _, events in poller.poll(0))


def run_watch(args: argparse.Namespace) -> int:
    zone = ZoneInfo(args.timezone)
    reader_gone = threading.Event()

    def say(text: str, ts: float | None) -> None:
        if reader_gone.is_set():
            return
        when = dt.datetime.fromtimestamp(ts or time.time(), zone).strftime("%H:%M:%S")
        try:
            print(f"[{when}] {text}", flush=True)
        except BrokenPipeError:   # `yichuang watch | head`: the reader left; end quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            reader_gone.set()

    client = HallClient(args.hall, "display", args.id, args.broker) if args.hall else None
    if client is None:
        print("error: give --hall ID (the hall id of the config) or set YICHUANG_HALL", file=sys.stderr)
        return 2
    client.on_state(lambda suffix, p: say(state_line(suffix, p), p.get("ts")))
    client.on_event(lambda name, p: say(event_line(name, p), p.get("ts")))
    client.on_connection(lambda up: say("已连接" if up else "连接中断, 正在重连", None))
    client.on_server(lambda up: say("排队服务器在线" if up else "排队服务器离线", None))
    client.start()
    deadline = time.monotonic() + args.duration if args.duration else None
    try:
        while not reader_gone.wait(1.0 if deadline is None else max(0.0, min(1.0, deadline - time.monotonic()))):
            if deadline is not None and time.monotonic() >= deadline or _reader_left():
                break
    except KeyboardInterrupt:
        pass
    client.stop()
    return 0


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--broker", default=os.environ.get("YICHUANG_BROKER", "mqtt://127.0.0.1:1883"),
                        metavar="URL", help="mqtt://[user:pass@]host:port (default $YICHUANG_BROKER or local 1883)")
    parser.add_argument("--hall", default=os.environ.get("YICHUANG_HALL"), metavar="ID",
                        help="hall id (default $YICHUANG_HALL)")
    parser.add_argument("--timeout", type=float, default=5.0, metavar="S", help="seconds to wait (default 5)")
    parser.add_argument("--json", action="store_true", help="print the server's data as JSON")


def register(subparsers) -> None:
    ticket = subparsers.add_parser("ticket", help="take or look up a ticket as a kiosk would")
    tactions = ticket.add_subparsers(dest="ticket_action", metavar="ACTION", required=True)
    issue = tactions.add_parser("issue", help="take a ticket (取号)")
    issue.add_argument("--category", required=True, help="category id, e.g. zonghe")
    issue.add_argument("--service", help="service item code")
    issue.add_argument("--priority", choices=("normal", "appointment", "elderly", "disabled", "green"))
    lookup = tactions.add_parser("lookup", help="where is a ticket in its queue")
    lookup.add_argument("--number", required=True, help="ticket number, e.g. A012")
    for parser in (issue, lookup):
        _common(parser)
        parser.add_argument("--id", default="cli", help="kiosk id to act as (default cli)")
        parser.set_defaults(func=run_ticket)

    window = subparsers.add_parser("window", help="act as a window caller (叫号, 重呼, 过号, ...)")
    wactions = window.add_subparsers(dest="window_action", metavar="ACTION", required=True)
    for name in WINDOW_ACTIONS:
        parser = wactions.add_parser(name, help=f"window.{name.replace('-', '_')}")
        _common(parser)
        parser.add_argument("--window", required=True, help="window id, e.g. 3")
        if name == "login":
            parser.add_argument("--staff", required=True, help="staff account")
            parser.add_argument("--password", required=True)
        if name == "finish":
            parser.add_argument("--outcome", help="e.g. done")
        if name == "transfer":
            target = parser.add_mutually_exclusive_group(required=True)
            target.add_argument("--to-category", dest="to_category")
            target.add_argument("--to-window", dest="to_window")
        if name in ("pause", "resume"):
            parser.add_argument("--reason")
        parser.set_defaults(func=run_window)

    watch = subparsers.add_parser("watch", help="print the hall's states and calls as they happen")
    _common(watch)
    watch.add_argument("--id", default=f"watch-{os.getpid()}", help="client id (default watch-<pid>)")
    watch.add_argument("--timezone", default="Asia/Shanghai", help="hall time zone for the clock")
    watch.add_argument("--duration", type=float, default=0, metavar="S", help="stop after S seconds (default: never)")
    watch.set_defaults(func=run_watch)
