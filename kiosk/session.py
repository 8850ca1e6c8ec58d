"""The kiosk's brain without Kivy: it joins the hall bus, the devices and the flows.

Threads: bus callbacks arrive on paho's thread, card reads on the poller's thread, printing
and speech run on their own workers. Every result is handed to `post(fn, *args)`, which the
app implements with Kivy's Clock (so flows and views are only touched on the UI thread);
tests pass a post that runs immediately or queues for the test's thread.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from typing import Callable
from zoneinfo import ZoneInfo

from drivers.health import DeviceError
from hall.config.model import HallConfig, Host, KioskSettings
from hall.protocol.client import RequestError
from hall.words import RECEIPT_PRINTER_FAULT
from hall.workdays import CalendarYearUnknown, WorkingDays

from .flows.application import FIND, ApplicationFlow
from .flows.appointment import APPOINTMENT, AppointmentFlow
from .flows.filing import FILING_ITEMS, FilingFlow, offered_items
from .flows.guide import GUIDE_HOME, GuideBook, GuideFlow
from .flows.hall_view import HallView
from .flows.idle import IdleTimer
from .flows.keypad import Entry
from .flows.mode import Mode, mode_for
from .flows.complaint import COMPLAINT, FILED, ComplaintFlow
from .flows.rating import RATE_CARD, RatingFlow
from .flows.requeue import REQUEUE, RequeueFlow
from .face_check import TRY_S, FaceCheck, FaceView
from .flows.ticket import (CATEGORY, DONE, FACE, FAILED, IDENTITY, IssuingFlow,
                           TicketFlow)

log = logging.getLogger(__name__)

REQUEST_TIMEOUT_S = 5.0
PROBE_INTERVAL_S = 5.0      # how often to knock while the server does not answer


def call_now(fn, *args):
    fn(*args)


class Session:
    def __init__(self, hall: HallConfig, host: Host, client, devices, *,
                 post: Callable = call_now, clock=time.monotonic,
                 request_timeout_s: float = REQUEST_TIMEOUT_S,
                 probe_interval_s: float = PROBE_INTERVAL_S, face_try_s: float = TRY_S,
                 wall=time.time):
        self.hall = hall
        self._wall = wall           # Unix time: the self-service room's hours
        self.host = host
        self.settings: KioskSettings = host.kiosk
        self.client = client
        self.devices = devices
        self.post = post
        self._clock = clock
        self.view = HallView(hall.categories)
        self.book = GuideBook(hall) if hall.catalog is not None else None
        self.flow: IssuingFlow = self._new_flow(TicketFlow)
        self.elderly = self.settings.elderly_default
        self.idle = IdleTimer(self.mode.idle_timeout_s, clock)
        self.at_home = True
        self._listeners: list[Callable[[str], None]] = []
        self._probe_at = 0.0
        self.request_timeout_s = request_timeout_s
        self.probe_interval_s = probe_interval_s
        self.card_problem = ""     # why the last card was refused, in Chinese
        self.id_entry = Entry()    # an ID number being typed on the keypad (personal)
        self.face_try_s = face_try_s
        self.face: FaceCheck | None = None      # a running 人证核验 (holds the card photo)
        self.face_view: FaceView | None = None  # what its screen shows (holds a frame)

    def self_service_only(self) -> bool:
        """A kiosk of the self-service room while the windows are closed and the room is
        open: it offers the self-service items only (no tickets, no check-in)."""
        hours = self.hall.self_service
        if self.settings.room != "self_service" or hours is None or self.view.hall_open is not False:
            return False
        now = dt.datetime.fromtimestamp(self._wall(), ZoneInfo(self.hall.timezone))
        try:
            day = WorkingDays.for_hall(self.hall).day_kind(now.date())
        except CalendarYearUnknown:
            day = "ordinary"
        return hours.is_open(now.isoweekday(), now.hour * 60 + now.minute, day)

    # -- wiring ---------------------------------------------------------------------------
    @property
    def mode(self) -> Mode:
        return mode_for(self.settings, self.elderly)

    def listen(self, fn: Callable[[str], None]) -> None:
        """fn(what) on the UI thread when something shown changed: hall, flow, devices, card."""
        self._listeners.append(fn)

    def _notify(self, what: str) -> None:
        for fn in list(self._listeners):
            fn(what)

    def _new_flow(self, kind: type) -> IssuingFlow:
        extra = {"book": self.book} if issubclass(kind, GuideFlow) else \
            {"hall_id": self.hall.id} if issubclass(kind, ApplicationFlow) else \
            {"reasons": self.hall.ratings.reasons} if kind is RatingFlow else {}
        if issubclass(kind, FilingFlow):
            extra = {"offer": offered_items(self.hall.catalog, self.face_possible)}
        return kind(list(self.hall.categories), self.hall.rules.elderly_age, **extra)

    def start(self) -> None:
        self.client.on_connection(lambda up: self.post(self._connection, up))
        self.client.on_server(lambda online: self.post(self._server, online))
        self.client.on_state(lambda suffix, payload: self.post(self._state, suffix, payload))
        self.devices.start(on_card=lambda record: self.post(self._card, record),
                           on_health=lambda health: self.post(self._health, health),
                           on_scan=lambda code: self.post(self._scan, code))
        self.client.start()

    def stop(self) -> None:
        self.devices.stop()
        self.client.stop()

    # -- from the bus and devices (already on the UI thread) -----------------------------
    def _connection(self, up: bool) -> None:
        self.view.set_connected(up)
        if up:
            self.client.publish_devices(self.devices.health())
        self._notify("hall")

    def _server(self, online: bool) -> None:
        """The queue server's retained status: tiles pause the moment it goes offline."""
        self.view.set_server_online(online)
        self._notify("hall")

    def _state(self, suffix: str, payload: dict) -> None:
        if self.view.update_state(suffix, payload):
            self._notify("hall")

    def _health(self, health: dict) -> None:
        for kind, value in health.items():
            self.view.set_device(kind, value)
        if self.client.connected:
            self.client.publish_devices(health)
        self._notify("devices")

    def _card(self, record) -> None:
        """A card on the reader; used only while a screen asks for it (identity, check-in)."""
        if self.flow.step not in (IDENTITY, APPOINTMENT, FIND, RATE_CARD):
            return
        problem = self.flow.identify(record.id_number, record.name, source="card")
        self.card_problem = problem
        self._after_choice()
        if self.flow.step == FACE:
            self._start_face(record.photo)
        self._notify("card")

    def _scan(self, code: str) -> None:
        """A code under the QR scanner: on the home screen or at 预约签到, a check-in."""
        if not (self.at_home or self.flow.step == APPOINTMENT):
            return
        if self.at_home:
            self.leave_home()
        self.new_appointment()
        self.flow.scan(code)
        self._after_choice()
        self._notify("card")

    # -- 人证核验 ---------------------------------------------------------------------------
    def _start_face(self, photo) -> None:
        self._stop_face()
        check = FaceCheck(self.devices.camera, self.post,
                          lambda view: self._face_update(check, view),
                          lambda result: self._face_done(check, result), try_s=self.face_try_s,
                          threshold=self.settings.face_threshold)
        self.face = check
        check.start(photo)

    def _stop_face(self) -> None:
        """The check ends: its thread stops; the card photo and the frames are dropped."""
        if self.face is not None:
            self.face.stop()
        self.face, self.face_view = None, None

    def _face_update(self, check: FaceCheck, view: FaceView) -> None:
        if check is not self.face:
            return                  # a check of a citizen who has gone
        before = self.face_view.prompt if self.face_view else ""
        self.face_view = view
        self.idle.touch(self.mode.idle_timeout_s)   # someone stands at the camera
        if view.prompt != before:
            self.say(view.prompt)
        self._notify("face")

    def _face_done(self, check: FaceCheck, result: dict) -> None:
        if check is not self.face:
            return
        self._stop_face()
        self.flow.face_checked(result)
        self._after_choice()
        self._notify("flow")

    # -- from the screens -----------------------------------------------------------------
    def touched(self) -> None:
        self.idle.touch()

    def set_elderly(self, on: bool) -> None:
        self.elderly = on
        self.idle.touch(self.mode.idle_timeout_s)
        self._notify("mode")

    def leave_home(self) -> None:
        self.at_home = False
        self.idle.touch(self.mode.idle_timeout_s)

    def go_home(self) -> None:
        """返回首页: the citizen's flow, typed digits and card data are dropped; the mode
        stays theirs (a citizen in 适老模式 who goes home is still the same citizen)."""
        self._to_home(self.elderly)

    def end(self) -> None:
        """The citizen has gone (idle time out): nothing of theirs stays, their mode neither."""
        self._to_home(self.settings.elderly_default)

    def _to_home(self, elderly: bool) -> None:
        self._stop_face()
        self.flow.clear()                       # wiped, in case anything still holds it
        self.flow = self._new_flow(TicketFlow)
        self.card_problem = ""
        self.id_entry = Entry()
        self.at_home = True
        self.elderly = elderly
        self.idle.held = False
        self.idle.touch(self.mode.idle_timeout_s)
        self._notify("home")

    def back(self) -> None:
        """上一步: the step before this one; from a flow's first step, home (mode kept);
        after a ticket or a refusal, a new intention from the flow's first step."""
        flow = self.flow
        if not flow.can_go_back:
            return
        if flow.step == flow.first_step:
            self.go_home()
            return
        if flow.step in (DONE, FAILED):
            self._start(type(flow))
        else:
            self._stop_face()
            flow.back()
        self.card_problem = ""
        self.id_entry = Entry()
        self.idle.touch(self.mode.idle_timeout_s)

    @property
    def shows_personal_data(self) -> bool:
        """A typed ID number, or a read or typed identity not yet on a ticket (the ticket
        shows it masked, for its own time), is on the screen."""
        flow = self.flow
        return bool(self.id_entry.text) or (flow.identity is not None and flow.step != DONE) \
            or flow.typed_personal

    def new_ticket(self) -> None:
        """Start choosing a category afresh (the last ticket, if any, is finished with)."""
        if not (isinstance(self.flow, TicketFlow) and self.flow.step == CATEGORY):
            self._start(TicketFlow)

    def new_appointment(self) -> None:
        """Start a check-in (预约签到) afresh."""
        if not (isinstance(self.flow, AppointmentFlow) and self.flow.step == APPOINTMENT):
            self._start(AppointmentFlow)

    def new_requeue(self) -> None:
        """Start 过号重排 afresh: an empty keypad."""
        if not (isinstance(self.flow, RequeueFlow) and self.flow.step == REQUEUE):
            self._start(RequeueFlow)

    def new_rating(self) -> None:
        """Start 评价服务 afresh: the card first."""
        if not (isinstance(self.flow, RatingFlow) and self.flow.step == RATE_CARD):
            self._start(RatingFlow)

    def rate(self, step: str, *args) -> str:
        """A move on the rating screen (choose_level, toggle_reason, submit); sends when due."""
        getattr(self.flow, step)(*args)
        return self._after_choice()

    def requeue(self) -> str:
        """确定 on the 过号重排 keypad: the number to the server; its problem, "" when sent."""
        problem = self.flow.submit()
        self._after_choice()
        return problem

    def new_follow(self) -> None:
        """Start 办件查询 afresh: swipe the card, or type the number and the last four."""
        if not (isinstance(self.flow, ApplicationFlow) and self.flow.step == FIND):
            self._start(ApplicationFlow)

    def find_applications(self) -> str:
        """确定 on 办件查询's keypad: the typed number and last four to the server."""
        self.flow.submit()
        return self._after_choice()

    def pickup(self) -> str:
        """领取出件号: a 统一出件 ticket for the ready applications."""
        self.flow.pickup()
        return self._after_choice()

    def print_receipt(self, index: int) -> None:
        """受理凭证 again, on the kiosk's A4 printer (CUPS), for a found application."""
        flow = self.flow
        document = flow.receipt(index)
        if document is None:
            return
        number = flow.applications[index]["number"]
        self._print_a4(flow, document, lambda problem: flow.receipt_printed(number, problem))

    def _print_a4(self, flow, document, record) -> None:
        """A 受理凭证 to the kiosk's A4 printer (CUPS, on its own worker); record(problem), ""
        once printed, if `flow` is still the citizen's."""
        self.devices.print_a4(document, lambda error: self.post(self._a4_printed, flow,
                                                                record, error))

    def _a4_printed(self, flow, record, error) -> None:
        if flow is self.flow:
            record(RECEIPT_PRINTER_FAULT if error is not None else "")
            self._notify("flow")


    def new_complaint(self) -> None:
        """Start 办不成事反映 afresh."""
        if not (isinstance(self.flow, ComplaintFlow) and self.flow.step == COMPLAINT):
            self._start(ComplaintFlow)

    def complain(self, step: str, *args) -> str:
        """A move of the complaint (choose_domain, choose_problem, press, submit); the
        flow's step. Sent to the server when it reaches ISSUING."""
        getattr(self.flow, step)(*args)
        return self._after_choice()

    # -- 自助申报 ----------------------------------------------------------------------------
    @property
    def face_possible(self) -> bool:
        """A face can be checked now: the kiosk's camera delivers frames."""
        camera = self.devices.camera
        return camera is not None and camera.get_status().get("state") == "ok"

    def new_filing(self) -> None:
        """Start self-filing afresh: the list of this kiosk's fileable items."""
        if not (isinstance(self.flow, FilingFlow) and self.flow.step == FILING_ITEMS):
            self._start(FilingFlow)

    def filing(self, move: str, *args) -> None:
        """A move of the filing flow (choose_item, answer, without_photo, next_material,
        confirm, sign); a problem is the flow's `problem`. Filing starts after sign."""
        getattr(self.flow, move)(*args)
        self._after_choice()

    def photograph(self) -> bool:
        """拍照: the document camera's latest frame, as JPEG, for the current material."""
        camera = self.devices.document_camera
        frame = camera.latest() if camera is not None else None
        if frame is None:
            return False
        from drivers.camera.documents import snapshot

        self.flow.photographed(snapshot(frame))
        return True

    def _file(self, flow: FilingFlow, args: dict) -> None:
        """Off the UI thread: each photo and the signature in parts, then the filing with the
        flow's one transaction; the answer goes to the UI thread like any other."""
        try:
            for upload, data in flow.parts():
                self.client.upload(upload, data, timeout=self.request_timeout_s)
            data = self.client.request(flow.action, args, timeout=self.request_timeout_s,
                                       transaction=flow.transaction)
        except RequestError as error:       # refused, or no answer (timeout): 重试 resends
            self.post(self._answered, flow, None, error)
            return
        self.post(self._answered, flow, data, None)

    def new_guide(self) -> None:
        """Open 办事指南 afresh, and ask the server for this hall's most asked items."""
        if not (isinstance(self.flow, GuideFlow) and self.flow.step == GUIDE_HOME):
            self._start(GuideFlow)
        self.client.request_async("catalog.popular", {},
                                  lambda data, error: self.post(self._popular, data, error),
                                  timeout=self.request_timeout_s)

    def _popular(self, data: dict | None, error) -> None:
        counts = (data or {}).get("counts") if error is None else None
        if isinstance(counts, dict) and self.book is not None:
            self.book.counts = {k: v for k, v in counts.items() if isinstance(v, int)}
            self._notify("asked")

    def guide(self, step: str, *args) -> str:
        """A move inside 办事指南 (open_domain, open_item, press, turn, ...)."""
        getattr(self.flow, step)(*args)
        return self.flow.step

    def take_for_item(self) -> str:
        """取号办理 on an item's guide: a ticket in its category."""
        flow = self.flow
        flow.take(self.view.tile(self.hall.category(flow.item.category)))
        return self._after_choice()

    def lookup_notice(self) -> str:
        """The typed notice number to the server; its problem in Chinese, "" when sent."""
        flow = self.flow
        args = flow.notice_request()
        if args is None:
            return flow.problem
        self.client.request_async("notice.lookup", args,
                                  lambda data, error: self.post(self._noticed, flow, data, error),
                                  timeout=self.request_timeout_s)
        return ""

    def _noticed(self, flow, data: dict | None, error) -> None:
        if flow is not self.flow:
            return
        flow.on_notice(data, error.code if error is not None else "")
        self._notify("flow")

    def print_checklist(self) -> None:
        """The item's materials checklist on the ticket printer, with the guide's QR code."""
        flow = self.flow
        flow.print_state = "printing"
        self.devices.print_document(
            flow.checklist, lambda error, health: self.post(
                self._document_printed, flow, flow.checklist_printed, error, health))

    def _document_printed(self, flow, record, error, health) -> None:
        """A slip of `flow` came out or not: record(ok, problem) if it is still the flow."""
        if flow is self.flow:
            record(error is None, self._print_problem(error))
        self._health(health)
        self._notify("flow")

    def _start(self, kind: type) -> None:
        self._stop_face()
        self.flow.clear()
        self.flow = self._new_flow(kind)
        self.card_problem = ""
        self.id_entry = Entry()

    def enter_code(self, code: str) -> str:
        """A typed appointment code; its problem in Chinese, "" when sent."""
        problem = self.flow.enter_code(code)
        self._after_choice()
        return problem

    def choose(self, tile) -> str:
        self.flow.choose(tile)
        return self._after_choice()

    def identify(self, id_number: str) -> str:
        """A typed ID number; its problem in Chinese, "" when accepted."""
        problem = self.flow.identify(id_number, source="manual")
        self._after_choice()
        if self.flow.step == FACE:
            self._start_face(None)      # no card photo: the check fails, staff verify
        return problem

    def choose_priority(self, priority: str) -> str:
        self.flow.choose_priority(priority)
        return self._after_choice()

    def _after_choice(self) -> str:
        if self.flow.asking:
            args = self.flow.request()
            if args is not None:
                self._send(args)
        return self.flow.step

    def retry(self) -> None:
        args = self.flow.retry()
        if args is not None:
            self._send(args)
            self._notify("flow")

    def say(self, text: str) -> None:
        """Spoken guidance, in elderly mode only."""
        if self.mode.speak and text:
            self.devices.say(text)

    def tick(self) -> bool:
        """Called every second by the app: True when the idle time ran out (the session
        ended: home, in the hall's default mode)."""
        now = self._clock()
        # Personal data on screen goes after a short time of its own, whatever the mode.
        self.idle.limit_s = self.settings.personal_data_s if self.shows_personal_data else None
        # Fallback for a server that hangs while its status still says online.
        if self.view.server_silent and self.client.connected and now >= self._probe_at:
            self._probe_at = now + self.probe_interval_s
            self.client.request_async("ticket.lookup", {"number": "A9999"},
                                      lambda data, error: self.post(self._probed, error),
                                      timeout=self.request_timeout_s)
        mode_left_on = self.elderly != self.settings.elderly_default
        if (not self.at_home or mode_left_on) and self.idle.expired():
            self.end()
            return True
        return False

    def _probed(self, error) -> None:
        # Any answer, even "no such ticket", proves the server is back.
        if error is None or error.code != "timeout":
            self.view.set_server_silent(False)
            self._notify("hall")

    # -- the ticket -----------------------------------------------------------------------
    def _send(self, args: dict) -> None:
        self.idle.held = True
        flow = self.flow
        if isinstance(flow, FilingFlow):
            threading.Thread(target=self._file, args=(flow, args), name="kiosk-filing",
                             daemon=True).start()
            return
        self.client.request_async(flow.action, args,
                                  lambda data, error: self.post(self._answered, flow, data, error),
                                  timeout=self.request_timeout_s, transaction=flow.transaction)

    def _answered(self, flow: IssuingFlow, data: dict | None, error) -> None:
        if flow is not self.flow:
            return           # the citizen went home meanwhile: not theirs to show any more
        self.idle.held = False
        code, message = (error.code, error.message) if error is not None else ("", "")
        step = flow.on_response(data, code, message)
        if step == DONE and isinstance(flow, ComplaintFlow):
            self._print_slip(flow)
        elif step == DONE and isinstance(flow, FilingFlow):
            self.idle.touch(self.mode.ticket_show_s)
            self.devices.print_document(
                lambda cpl: flow.receipt(cpl, self.hall.name),
                lambda error, health: self.post(self._document_printed, flow, flow.on_printed,
                                                error, health))
            document = flow.a4_receipt() if self.devices.a4 is not None else None
            if document is not None:       # also on A4 where the kiosk has one (issue 15)
                self._print_a4(flow, document, flow.a4_printed)
            self.say(flow.outcome()["verdict"])
        elif step == DONE:
            if flow.should_print:
                self.idle.touch(self.mode.ticket_show_s)
                self.devices.print_ticket(dict(flow.ticket), self._printed)
            else:                      # shown again, not printed: long enough to note it
                self.idle.touch(self.mode.ticket_show_unprinted_s)
            self.say(flow.spoken)
        elif step == FAILED:
            self.idle.touch(self.mode.idle_timeout_s)
            if flow.category is not None:
                self.view.issue_refused(flow.category.id, code)
            if code == "timeout":
                self.view.set_server_silent(True)
                self._probe_at = self._clock() + self.probe_interval_s
        else:                          # back to an earlier step (a refused appointment code)
            self.idle.touch(self.mode.idle_timeout_s)
            self.say(getattr(flow, "problem", ""))
        self._notify("flow")

    def _print_slip(self, flow: ComplaintFlow) -> None:
        """The complaint's slip (回执) on the ticket printer; shown long enough to note it."""
        self.idle.touch(self.mode.ticket_show_unprinted_s)
        self.devices.print_document(flow.slip, lambda error, health: self.post(
            self._document_printed, flow, flow.on_printed, error, health))
        self.say(FILED)

    def _printed(self, ticket: dict, error: DeviceError | None, health: dict) -> None:
        """From the printer worker: hand over to the UI thread."""
        self.post(self._on_printed, ticket, error, health)

    def _on_printed(self, ticket: dict, error: DeviceError | None, health: dict) -> None:
        current = self.flow.ticket and self.flow.ticket.get("number") == ticket.get("number")
        if current:
            self.flow.on_printed(error is None, self._print_problem(error))
            if error is not None:
                # Keep the number on screen long enough to photograph it.
                self.idle.touch(self.mode.ticket_show_unprinted_s)
        self._health(health)
        self._notify("flow")

    @staticmethod
    def _print_problem(error: DeviceError | None) -> str:
        """The printer's trouble as a citizen reads it (its own message is for staff)."""
        if error is None:
            return ""
        return "打印机缺纸" if error.code == "paper_out" else "打印机出了故障"
