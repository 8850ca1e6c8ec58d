"""What the simulated citizens, windows and intruders saw, and the day's figures from it and
from the server's own database.

A ticket is lost when a citizen was handed it and the server then neither called it nor has
it waiting (gone from the database, or cancelled). It is duplicated when one number was
handed to two citizens (numbering restarted after a crash), or when one citizen holds two
tickets (a retried request issued twice: every simulated citizen has an ID number of their
own, so the database tells).
"""
from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

from .day import Citizen

EXPECTED_ANSWERS = ("no_ticket_waiting",)   # a window asking an empty queue is no refusal
GOOD_ESTIMATE_S = 300


@dataclass
class Issued:
    citizen: Citizen
    number: str
    estimate_s: int


class Ledger:
    """Thread-safe notes of the simulation's clients."""

    def __init__(self):
        self._lock = threading.Condition()
        self.issued: dict[int, Issued] = {}            # citizen n -> the ticket handed out
        self.holders: dict[str, list[int]] = {}       # number -> citizens handed it
        self.refused: Counter[str] = Counter()        # error code -> answers
        self.refused_by_fault: Counter[str] = Counter()   # fault -> answers it drew that refused
        self.unanswered = 0                           # requests given up on
        self.faults: list[str] = []                   # what happened, in order
        self.findings: list[str] = []                 # what went wrong that should not

    def handed(self, citizen: Citizen, ticket: dict) -> None:
        with self._lock:
            self.issued[citizen.n] = Issued(citizen, ticket["number"], int(ticket["estimated_wait_s"]))
            self.holders.setdefault(ticket["number"], []).append(citizen.n)
            self._lock.notify_all()

    def citizen_of(self, number: str, timeout: float) -> Citizen | None:
        """Who holds `number` (the kiosk's answer may come a moment after the call)."""
        with self._lock:
            self._lock.wait_for(lambda: number in self.holders, timeout)
            holders = self.holders.get(number)
            return self.issued[holders[-1]].citizen if holders else None

    def refuse(self, code: str, fault: str | None = None) -> None:
        if code in EXPECTED_ANSWERS:
            return
        with self._lock:
            self.refused[code] += 1
            if fault:
                self.refused_by_fault[fault] += 1

    def give_up(self) -> None:
        with self._lock:
            self.unanswered += 1

    def note(self, text: str) -> None:
        with self._lock:
            self.faults.append(text)

    def find(self, text: str) -> None:
        with self._lock:
            self.findings.append(text)


@dataclass
class Figures:
    citizens: int = 0
    issued: int = 0                 # tickets of the day in the server's database
    handed: int = 0                 # tickets handed to citizens (kiosk answers)
    called: int = 0
    served: int = 0
    no_show: int = 0
    waiting: int = 0                # still waiting when the simulation ended
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    longest_wait_s: dict[str, float] = field(default_factory=dict)   # normal / priority
    estimate_mae_s: float | None = None
    estimate_bias_s: float | None = None     # estimate - actual: > 0 too pessimistic
    estimate_within_5min: float | None = None
    refused: dict[str, int] = field(default_factory=dict)
    refused_by_fault: dict[str, int] = field(default_factory=dict)
    unanswered: int = 0
    faults: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.lost and not self.duplicated


def tally(ledger: Ledger, rows: list, citizens: int) -> Figures:
    """The figures of the day from the ledger and the server's ticket rows of that day."""
    by_number = {t.number: t for t in rows}
    f = Figures(citizens=citizens, issued=len(rows), handed=len(ledger.issued),
                refused=dict(ledger.refused), refused_by_fault=dict(ledger.refused_by_fault), unanswered=ledger.unanswered, faults=list(ledger.faults),
                findings=list(ledger.findings))
    f.called = sum(t.called_at is not None for t in rows)
    f.served = sum(t.status == "done" for t in rows)
    f.no_show = sum(t.status == "no_show" for t in rows)
    f.waiting = sum(t.status == "waiting" for t in rows)
    for number, holders in sorted(ledger.holders.items()):
        t = by_number.get(number)
        if t is None:
            f.lost.append(f"{number}: handed to a citizen, unknown to the server")
        elif t.called_at is None and t.status != "waiting":
            f.lost.append(f"{number}: never called, now {t.status}")
        if len(holders) > 1:
            f.duplicated.append(f"{number}: handed to {len(holders)} citizens")
    per_person = Counter(t.id_hash for t in rows if t.id_hash)
    f.duplicated += [f"{', '.join(t.number for t in rows if t.id_hash == h)}: one citizen, {n} tickets"
                     for h, n in per_person.items() if n > 1]
    _waits(f, ledger, by_number)
    return f


def _waits(f: Figures, ledger: Ledger, by_number: dict) -> None:
    errors = []
    for kind in ("normal", "priority"):
        waits = [t.called_at - t.issued_at for t in by_number.values()
                 if t.called_at is not None and (t.priority == "normal") == (kind == "normal")]
        f.longest_wait_s[kind] = max(waits, default=0.0)
    for issued in ledger.issued.values():
        t = by_number.get(issued.number)
        if t is not None and t.called_at is not None:
            errors.append(issued.estimate_s - (t.called_at - t.issued_at))
    if errors:
        f.estimate_mae_s = sum(abs(e) for e in errors) / len(errors)
        f.estimate_bias_s = sum(errors) / len(errors)
        f.estimate_within_5min = sum(abs(e) <= GOOD_ESTIMATE_S for e in errors) / len(errors)


def report(f: Figures) -> str:
    minutes = lambda s: "-" if s is None else f"{s / 60:.1f} min"
    refused = ", ".join(f"{code} {n}" for code, n in sorted(f.refused.items())) or "none"
    lines = [
        f"citizens arriving:        {f.citizens}",
        f"tickets issued:           {f.issued} (handed to citizens: {f.handed})",
        f"tickets called:           {f.called} (served {f.served}, no-shows {f.no_show})",
        f"still waiting at the end: {f.waiting}",
        f"tickets lost:             {len(f.lost)}",
        f"tickets duplicated:       {len(f.duplicated)}",
        f"longest wait, normal:     {minutes(f.longest_wait_s.get('normal'))}",
        f"longest wait, priority:   {minutes(f.longest_wait_s.get('priority'))}",
        f"wait estimate:            mean absolute error {minutes(f.estimate_mae_s)}, bias "
        f"{minutes(f.estimate_bias_s)}, within 5 min "
        + ("-" if f.estimate_within_5min is None else f"{f.estimate_within_5min:.0%}"),
        f"requests refused:         {sum(f.refused.values())} ({refused})",
        f"requests unanswered:      {f.unanswered}",
    ]
    lines += [f"  lost {x}" for x in f.lost] + [f"  duplicated {x}" for x in f.duplicated]
    lines += ["faults:"] + [f"  {x}" for x in f.faults] if f.faults else []
    lines += ["findings:"] + [f"  {x}" for x in f.findings] if f.findings else []
    return "\n".join(lines)
