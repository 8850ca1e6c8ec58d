"""What the kiosk knows about the hall: one tile per category, live from the retained queue
state topics, and the one line that says what is wrong (network, server, printer)."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Iterable

from hall.config.model import Category
from hall.words import LINE_DOWN_KIOSK, LINE_NEEDS, wait_words

OFFLINE_REASON = "网络连接中断，正在自动重连"
SERVER_REASON = "排队系统没有响应，正在自动重试"
SERVER_OFFLINE_REASON = "排队系统暂停服务，正在等待恢复"
WAITING_REASON = "正在获取排队信息"
CLOSED_REASON = "当前不在取号时间"
FULL_REASON = "今日号票已取完"

# Device faults as citizens should read them on the home screen, by (kind, code).
DEVICE_LINES = {
    ("printer", "paper_out"): "打印机缺纸：号码只显示在屏幕上，请拍照记下或到咨询台取号",
    ("printer", ""): "打印机故障：号码只显示在屏幕上，请拍照记下或到咨询台取号",
    ("card_reader", ""): "身份证阅读器故障：可以手动输入身份证号码",
}


@dataclass(frozen=True)
class Tile:
    """One category as the take-a-ticket screen shows it."""
    category: str
    prefix: str
    name: str
    state: str                      # open | closed | full | paused
    waiting: int | None = None
    estimated_wait_s: float | None = None
    estimated_wait_range_s: tuple[float, float] | None = None   # where the spread is wide
    reason: str = ""                # why it cannot be taken, in plain Chinese

    @property
    def can_take(self) -> bool:
        return self.state == "open"

    @property
    def detail(self) -> str:
        """The second line of the tile."""
        if not self.can_take:
            return self.reason
        words = wait_words(self.waiting, self.estimated_wait_s, self.estimated_wait_range_s)
        return f"等候{self.waiting}人  {words}" if self.waiting else words


class HallView:
    """Folds bus events into tiles. Not thread-safe: call it on one thread (the UI's)."""

    def __init__(self, categories: Iterable[Category], today=_dt.date.today):
        self.categories = list(categories)
        self._today = today
        self._states: dict[str, dict] = {}
        self._full: dict[str, _dt.date] = {}      # category -> day a quota_exceeded was seen
        self._closed: set[str] = set()            # a `closed` answer until the next state
        self.connected = False
        self.server_offline = False   # the server's retained status (its will) says offline
        self.server_silent = False    # a request timed out (fallback when no status comes)
        self.devices: dict[str, dict] = {}
        self.line: dict | None = None   # a site's line to its county (hall state), None elsewhere
        self.hall_open: bool | None = None   # the windows' hours (hall state `open`)

    # -- inputs ---------------------------------------------------------------------------
    def set_connected(self, connected: bool) -> None:
        self.connected = connected

    def set_server_online(self, online: bool) -> None:
        """The server's own status topic: offline at once when it dies or stops."""
        self.server_offline = not online
        if online:
            self.server_silent = False

    def set_server_silent(self, silent: bool) -> None:
        """A request went unanswered (True), or an answer came back (False)."""
        self.server_silent = silent

    def update_state(self, suffix: str, payload: dict) -> bool:
        """A retained state message; True when it changed a tile."""
        parts = suffix.split("/")
        if not isinstance(payload, dict):
            return False
        if suffix == "hall/state":
            return self._hall_state(payload)
        if len(parts) != 3 or parts[0] != "queue" or parts[2] != "state":
            return False
        self._states[parts[1]] = payload
        self._closed.discard(parts[1])
        # A state proves the server answers, but not that it is online: the broker hands
        # out retained states of a dead server too, so the status alone decides `offline`.
        self.server_silent = False
        return True

    def _hall_state(self, payload: dict) -> bool:
        line = payload.get("line") if isinstance(payload.get("line"), dict) else None
        hall_open = payload.get("open") if isinstance(payload.get("open"), bool) else None
        changed = (line, hall_open) != (self.line, self.hall_open)
        self.line, self.hall_open = line, hall_open
        return changed

    @property
    def line_down(self) -> bool:
        return bool(self.line) and self.line.get("state") == "down"

    def needs_line(self) -> str:
        """Why something that needs the county cannot be done now ("" when it can)."""
        return LINE_NEEDS if self.line_down else ""

    def issue_refused(self, category: str, code: str) -> None:
        """The server said no: show it on the tile until the state says otherwise."""
        if code == "quota_exceeded":
            self._full[category] = self._today()
        elif code == "closed":
            self._closed.add(category)

    def set_device(self, kind: str, health: dict) -> None:
        self.devices[kind] = dict(health)

    # -- outputs --------------------------------------------------------------------------
    def pause_reason(self) -> str:
        """Why no ticket can be taken at all right now ("" when tickets can be taken)."""
        if not self.connected:
            return OFFLINE_REASON
        if self.server_offline:
            return SERVER_OFFLINE_REASON
        if self.server_silent:
            return SERVER_REASON
        return ""

    def tile(self, category: Category) -> Tile:
        base = dict(category=category.id, prefix=category.prefix, name=category.name)
        paused = self.pause_reason()
        if paused:
            return Tile(**base, state="paused", reason=paused)
        state = self._states.get(category.id)
        if state is None:
            return Tile(**base, state="paused", reason=WAITING_REASON)
        spread = state.get("estimated_wait_range_s")
        counts = dict(waiting=int(state.get("waiting", 0)),
                      estimated_wait_s=float(state.get("estimated_wait_s", 0)),
                      estimated_wait_range_s=tuple(spread) if spread else None)
        # The queue state (hall/protocol/schemas/state.queue.json) says only whether tickets
        # are handed out now; that a day's numbers ran out is learnt from a refused ticket.
        if self._full.get(category.id) == self._today():
            return Tile(**base, **counts, state="full", reason=FULL_REASON)
        if not state.get("open", False) or category.id in self._closed:
            return Tile(**base, **counts, state="closed", reason=CLOSED_REASON)
        return Tile(**base, **counts, state="open")

    def tiles(self) -> list[Tile]:
        """统一出件's queue is no tile: its tickets are for ready applications (办件查询)."""
        return [self.tile(c) for c in self.categories if not c.collection]

    def banner(self) -> str:
        """The one line of the home screen that says what is wrong ("" when all is well)."""
        paused = self.pause_reason()
        if paused:
            return f"暂停取号：{paused}"
        for kind in ("printer", "card_reader"):
            health = self.devices.get(kind) or {}
            if health.get("state") == "error":
                return (DEVICE_LINES.get((kind, health.get("code", "")))
                        or DEVICE_LINES[(kind, "")])
        return LINE_DOWN_KIOSK if self.line_down else ""
