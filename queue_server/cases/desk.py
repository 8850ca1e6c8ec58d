"""The case desk: HallService's cases (工单), under the service's lock and in its transaction,
like the application desk. Requests come through HallService.handle (the bus, the console):

    complaint.file   kiosk, window, public (the mobile page): a 办不成事 complaint
    case.step        window, manager: a step of the state machine (model.py) on one case

and a bad rating opens a case from the rating's storage (follow_rating), which also keeps
the case in step when the rating is changed. The role a person
has in a case (lead, manager, window) is decided here for every channel alike: the bus cannot
do what the console refuses. Each change is audited and told on the bus (event/case).

A complaint's phone number and the evidence photos of a case are sealed with the
applications' key (applications/sealing.py) and opened only for staff; the citizen's page,
the slip and the bus never carry them.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import secrets

from hall.words import (CASE_DEADLINE, CASE_EVIDENCE_FINAL, CASE_EVIDENCE_KIND,
                        CASE_EVIDENCE_MANY, CASE_EVIDENCE_NOTE, CASE_EVIDENCE_WHO, CASE_KIND,
                        CASE_RERATED, CASE_RERATED_KEPT, CASE_RERATED_WITHDRAWN, CASE_STATE,
                        RATING_LEVEL)

from ..applications.desk import mask_phone, optional_phone
from ..applications.sealing import Sealer
from ..applications.uploads import MAX_PHOTO_BYTES, TOO_LARGE, image_type
from ..engine import EngineError
from .model import (FINAL, Case, actor_role, clean_text, deadline_status, new_case, transition)

CHANNELS = {"kiosk": "kiosk", "window": "window", "public": "mobile"}   # who files -> channel
BAD_LEVELS = (1, 2)
KEEP_CONTACT_DAYS = 30             # a finished case's phone number is erased after this many days
MAX_TRIED, MAX_PROBLEM = 100, 500
MAX_EVIDENCE = 20                  # evidence photos on one case


class CaseDesk:
    def __init__(self, service):
        self.service = service
        self.sealer = Sealer(service.store.application_key())
        self.days = service.calendar

    @property
    def options(self):
        return self.service.config.cases

    # ------------------------------------------------------------ requests (under the lock)
    def follow_rating(self, now: float, evaluation: dict, *, named: bool = False,
                      channel: str = "evaluator", via: str = "mqtt") -> dict | None:
        """The one call of the rating storage, in its transaction, for every rating and every
        change of it: the rating's case follows its level. One case per rating
        (cases.evaluation_id is unique):

            bad, no case            -> a case is opened
            good, case open and nobody has worked on it (no staff note) -> withdrawn
            bad, case withdrawn     -> reinstated (open again, same number and day)
            new level or reasons, case live -> rerate: the case's level and reasons follow,
                                       noted (a good level kept while work has started)

        `evaluation`: the stored rating (id, ticket_id, ticket, level, reasons, window, staff);
        `channel`: where the citizen rated; `via`: the request's channel (mqtt, web) for the
        audit. Returns the case's staff view, or None when no case is touched."""
        bad = evaluation["level"] in BAD_LEVELS
        row = self.service.store.case("evaluation_id", evaluation["id"])
        if row is None:
            return self._open_for_rating(now, evaluation, named, channel, via) if bad else None
        case = _record(row)
        rating = (evaluation["level"], tuple(evaluation.get("reasons") or ()))
        if case.kind != "rating" or (case.level, tuple(case.reasons)) == rating:
            return None
        if case.state == "withdrawn":
            verb = "reinstate" if bad else None
        elif case.state in FINAL:
            verb = None
        elif not bad and case.state == "open" and not self._worked_on(case.number):
            verb = "withdraw"
        else:
            verb = "rerate"
        if verb is None:
            return None
        changed = transition(case, verb, "system", self.service.engine.date, rating=rating)
        self._keep(now, changed, verb, None, None, via, note=_rerated(changed, verb))
        return self._view(changed)

    def _open_for_rating(self, now, evaluation, named, channel, via) -> dict:
        held = self.service.engine.tickets.get(evaluation.get("ticket_id"))
        item = self._item(evaluation.get("item") or (held.service if held else None))
        case = self._new(now, "rating", item, evaluation.get("window"), named=named,
                         staff=evaluation.get("staff"), ticket=evaluation.get("ticket"),
                         evaluation=evaluation["id"], level=evaluation["level"],
                         reasons=tuple(evaluation.get("reasons") or ()), channel=channel)
        self._keep(now, case, "open", None, None, via, new=True)
        return self._view(case)

    def _worked_on(self, number: str) -> bool:
        """Somebody has worked on an open case: a note by staff (steps beyond open count too,
        but those leave the state)."""
        return any(n["staff"] for n in self.service.store.case_notes(number))

    def act(self, now: float, role: str, client_id: str, action: str, args: dict,
            via: str = "mqtt") -> dict:
        """One request, written whole or not at all (a savepoint in the batch's transaction);
        `via`: its channel (mqtt, web) for the audit."""
        conn = self.service.store.db.conn
        conn.execute("SAVEPOINT cases")
        try:
            data = self._file(now, role, client_id, args, via) if action == "complaint.file" \
                else self._step(now, role, client_id, args, via)
        except BaseException:
            conn.execute("ROLLBACK TO cases")
            conn.execute("RELEASE cases")
            raise
        conn.execute("RELEASE cases")
        return data

    def _file(self, now, role, client_id, args, via) -> dict:
        window = client_id if role == "window" else None
        staff = self._seated(window) if window else None
        code = args.get("item")
        item = self._item(code)
        if code is not None and item is None:
            raise EngineError("bad_request", "请选择办理事项")
        tried = clean_text(args.get("tried"), "想办的事", limit=MAX_TRIED)
        problem = clean_text(args.get("problem"), "遇到的问题", limit=MAX_PROBLEM)
        phone = optional_phone(args.get("phone"))
        case = self._new(now, "complaint", item, window, named=phone is not None,
                         channel=CHANNELS[role], tried=tried, summary=problem,
                         domain=self._domain(args.get("domain")))
        sealed = self.sealer.seal(case.number, {"phone": phone}) if phone else None
        self._keep(now, case, "file", staff, window, via, new=True, sealed=sealed,
                   private={"tried": tried, "problem": problem, "phone": phone})
        return {"case": self.citizen_view(case)}

    def _step(self, now, role, client_id, args, via) -> dict:
        number, verb = args.get("number"), args.get("step")
        row = self.service.store.case("number", number) if isinstance(number, str) else None
        if row is None:
            raise EngineError("unknown_ticket", "没有这个工单")
        case = _record(row)
        window = client_id if role == "window" else None
        staff = self._seated(window) if window else client_id
        text = args.get("text")
        changed = transition(case, verb, actor_role(role, staff, case), self.service.engine.date,
                             text=text, revisit=args.get("revisit"), lead=args.get("lead"))
        if verb == "note":
            clean_text(text, "记录内容")
        self._keep(now, changed, verb, staff, window, via,
                   note=text.strip() if isinstance(text, str) and text.strip() else None)
        return {"case": self._view(changed)}

    def _seated(self, window: str) -> str:
        slot = self.service.engine.slots[window]
        if slot.staff is None:
            raise EngineError("not_logged_in")
        return slot.staff

    def _item(self, code):
        catalog = self.service.config.catalog
        item = catalog.item(code) if catalog is not None and isinstance(code, str) else None
        return None if item is None or item.retired else item

    def _domain(self, domain):
        """A domain the citizen picked (a kiosk's tile): one of the catalogue's, or refused."""
        if domain is None:
            return None
        catalog = self.service.config.catalog
        if catalog is None or domain not in catalog.domains:
            raise EngineError("bad_request", "没有这个办事领域")
        return domain

    def _new(self, now, kind, item, window, domain=None, **fields) -> Case:
        today = self.service.engine.date
        seq = self.service.store.next_case_seq(today)
        number = f"{self.service.config.id.upper()}-C{today.replace('-', '')}-{seq:04d}"
        department = item.domain if item is not None else domain or self._window_department(window)
        case = new_case(number, secrets.token_urlsafe(24), kind, today, self.days,
                        self.options.days_for(kind), department=department,
                        lead=self.options.lead_of(department), item=item.code if item else None,
                        window=window, **fields)
        return case

    def _window_department(self, window: str | None) -> str:
        found = self.service.config.window(window) if window else None
        return found.department if found else ""

    def _keep(self, now, case: Case, verb: str, staff, window, via, *, new=False, sealed=None,
              note=None, private=None) -> None:
        """Write the case, its note, the audit row, the records owed upstream and the bus
        event; `private`: a complaint's words and phone, for the county sealed."""
        store, today = self.service.store, self.service.engine.date
        row = {"state": case.state, "lead": case.lead, "due": case.due,
               "rectified_on": case.rectified_on, "revisited_on": case.revisited_on,
               "record": _json(case), "updated_at": now}
        if new:
            store.add_case({**row, "number": case.number, "token": case.token, "kind": case.kind,
                            "date": today, "seq": int(case.number.rsplit("-", 1)[1]), "department": case.department,
                            "window": case.window, "staff": case.staff, "item": case.item,
                            "named": int(case.named), "evaluation_id": case.evaluation,
                            "sealed": sealed, "created_at": now})
        else:
            store.update_case(case.number, row)
        if note:
            store.add_case_note(case.number, now, staff, verb, note)
        audit = store.add_audit(
            now, today, staff, window, f"case.{verb}", case.ticket,
            {"result": "ok", "case": case.number, "kind": case.kind, "state": case.state,
             **({"lead": case.lead} if verb == "assign" else {})}, via)
        self.service.province.owe_case(case, verb, now)     # up to the province, in this transaction
        self.service.sync.case(case, verb, audit, private)  # and to the county (a site only)
        self.service.engine.changes.events.append(("case", {
            "number": case.number, "kind": case.kind, "action": verb, "state": case.state,
            "department": case.department or None, "window": case.window, "due": case.due,
            "ts": now}))

    # ------------------------------------------------------------ evidence photos (the console)
    def add_evidence(self, number: object, data: bytes, *, role: str, staff: str,
                     window: str | None = None) -> dict:
        """An evidence photo (整改材料) on a live case, by its lead or a manager: sealed like
        an application's photos (bound to the case number), with a note, the audit row,
        event/case and the province's record of the step `evidence` (not the photo). The
        console only: the bus carries text (a photo would not fit its requests anyway)."""
        with self.service._lock:
            now, store = self.service.clock(), self.service.store
            with store.transaction():
                case = self._evidence_case(number, role, staff)    # who asks, before what
                if len(data) > MAX_PHOTO_BYTES:
                    raise EngineError("bad_request", TOO_LARGE)
                if image_type(data) is None:
                    raise EngineError("bad_request", CASE_EVIDENCE_KIND)
                if case.state in FINAL:
                    raise EngineError("conflict", CASE_EVIDENCE_FINAL)
                if len(store.evidence(case.number)) >= MAX_EVIDENCE:
                    raise EngineError("bad_request", CASE_EVIDENCE_MANY.format(n=MAX_EVIDENCE))
                store.add_evidence(case.number, case.state, staff,
                                   self.sealer.seal_bytes(case.number, data), now)
                self._keep(now, case, "evidence", staff, window, "web", note=CASE_EVIDENCE_NOTE)
            self.service._publish(now)
            return self._view(case)

    def evidence_photo(self, number: object, index: int, *, role: str, staff: str,
                       window: str | None = None) -> bytes | None:
        """One evidence photo opened for the case's lead or a manager (None: no such photo;
        forbidden for anyone else); audited."""
        with self.service._lock:
            store = self.service.store
            case = self._evidence_case(number, role, staff)
            photos = store.evidence(case.number)
            if not 0 <= index < len(photos):
                return None
            with store.transaction():
                store.add_audit(self.service.clock(), self.service.engine.date, staff, window,
                                "case.evidence_view", case.ticket,
                                {"case": case.number, "photo": index}, "web")
            return self.sealer.open_bytes(case.number, photos[index]["sealed"])

    def _evidence_case(self, number: object, role: str, staff: str) -> Case:
        """The case, when this account is its lead or a manager."""
        row = self.service.store.case("number", number) if isinstance(number, str) else None
        if row is None:
            raise EngineError("unknown_ticket", "没有这个工单")
        case = _record(row)
        if actor_role(role, staff, case) not in ("lead", "manager"):
            raise EngineError("forbidden", CASE_EVIDENCE_WHO)
        return case

    def purge(self, today: str) -> int:
        """At the day's roll: the phone numbers of cases finished KEEP_CONTACT_DAYS ago go."""
        cutoff = dt.date.fromisoformat(today) - dt.timedelta(days=KEEP_CONTACT_DAYS)
        return self.service.store.purge_case_contacts(cutoff.isoformat())

    # ------------------------------------------------------------ views
    def page_url(self, token: str) -> str:
        return f"{self.service.config.server.public_url.rstrip('/')}/c/{token}"

    def citizen_view(self, case: Case) -> dict:
        """What the citizen's page, the slip and the bus may show: nothing personal, no staff."""
        status = deadline_status(case, self.service.engine.date, self.days, self.options.warn_days)
        item = self._item(case.item)
        return {"number": case.number, "kind": case.kind, "kind_text": CASE_KIND[case.kind],
                "state": case.state, "state_text": CASE_STATE[case.state],
                "opened_on": case.opened_on, "due": case.due, "deadline": status,
                "deadline_text": CASE_DEADLINE.get(status, ""), "item": case.item,
                "item_name": item.name if item else "", "tried": case.tried,
                "summary": case.summary if case.kind == "complaint" else "",
                "answer": case.answer if case.state != "verified" else "",
                "url": self.page_url(case.token), "hall": self.service.config.name}

    def _view(self, case: Case) -> dict:
        """Staff's view: the whole record with the words of its state and deadline."""
        view = self.citizen_view(case)
        record = {k: v for k, v in dataclasses.asdict(case).items() if k != "token"}
        return {**record, **view, "overdue": view["deadline"] == "overdue"}

    def staff_view(self, number: object) -> dict | None:
        """One case with its notes and the complaint's phone (masked), for staff."""
        if not isinstance(number, str):
            return None
        with self.service._lock:
            row = self.service.store.case("number", number)
            if row is None:
                return None
            private = self.sealer.open(row["number"], row["sealed"]) if row["sealed"] else {}
            evidence = [{"index": i, "state": e["state"], "staff": e["staff"], "ts": e["created_at"]}
                        for i, e in enumerate(self.service.store.evidence(number))]
            return {**self._view(_record(row)), "phone": mask_phone(private.get("phone")),
                    "notes": self.service.store.case_notes(number), "evidence": evidence}

    def by_token(self, token: object) -> dict | None:
        if not isinstance(token, str):
            return None
        with self.service._lock:
            row = self.service.store.case("token", token)
            return self.citizen_view(_record(row)) if row else None

    def listing(self, *, kind: str | None = None, lead: str | None = None,
                live: bool = True, first: str | None = None, last: str | None = None) -> list[dict]:
        where, params = [], []
        for column, value in (("kind", kind), ("lead", lead)):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        if live:
            where.append(f"state NOT IN {FINAL}")
        if first:
            where.append("date >= ?")
            params.append(first)
        if last:
            where.append("date <= ?")
            params.append(last)
        with self.service._lock:
            rows = self.service.store.cases(" AND ".join(where) or "1", params)
            return [self._view(_record(r)) for r in rows]

    def warnings(self) -> list[dict]:
        """Live cases at or past their day: the dashboard's escalation."""
        return [c for c in self.listing() if c["deadline"] in ("due", "overdue")]


def _rerated(case: Case, verb: str) -> str:
    """The system's note on a case whose rating changed."""
    reasons = f"（{'、'.join(case.reasons)}）" if case.reasons else ""
    tail = CASE_RERATED_WITHDRAWN if verb == "withdraw" else \
        CASE_RERATED_KEPT if case.level not in BAD_LEVELS else ""
    return CASE_RERATED.format(level=RATING_LEVEL[case.level], reasons=reasons) + tail


def _record(row: dict) -> Case:
    return Case(**json.loads(row["record"]))


def _json(case: Case) -> str:
    return json.dumps(dataclasses.asdict(case), ensure_ascii=False, separators=(",", ":"))
