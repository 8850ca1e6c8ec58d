"""How `yichuang simulate` counts lost and duplicated tickets and the estimate's error."""
from __future__ import annotations

from queue_server.engine.model import Ticket
from queue_server.sim.day import Citizen
from queue_server.sim.ledger import Ledger, report, tally


def citizen(n: int) -> Citizen:
    return Citizen(n, 60.0 * n, "zonghe", False, f"id{n}", False, 300.0, None)


def row(n: int, number: str, status: str = "done", called: float | None = 1600.0, who: str | None = None) -> Ticket:
    return Ticket(id=n, date="2025-06-10", category="zonghe", origin="zonghe", seq=n, number=number,
                  priority="normal", issued_at=1000.0, status=status, called_at=called, id_hash=who or f"h{n}")


def handed(ledger: Ledger, n: int, number: str, estimate_s: int = 300) -> None:
    ledger.handed(citizen(n), {"number": number, "estimated_wait_s": estimate_s})


def test_a_clean_day_has_nothing_lost_or_duplicated_and_the_estimate_error():
    ledger = Ledger()
    handed(ledger, 1, "A001", 300)      # waited 600 s: 5 min too optimistic
    handed(ledger, 2, "A002", 900)      # 5 min too pessimistic
    handed(ledger, 3, "A003")           # still waiting
    f = tally(ledger, [row(1, "A001"), row(2, "A002"), row(3, "A003", "waiting", None)], 3)
    assert f.ok and (f.issued, f.handed, f.called, f.waiting) == (3, 3, 2, 1)
    assert (f.estimate_mae_s, f.estimate_bias_s, f.estimate_within_5min) == (300, 0, 1.0)
    assert f.longest_wait_s == {"normal": 600.0, "priority": 0.0}
    assert "tickets lost:             0" in report(f)


def test_a_ticket_the_server_forgot_or_cancelled_unserved_is_lost():
    ledger = Ledger()
    for n, number in ((1, "A001"), (2, "A002"), (3, "A003")):
        handed(ledger, n, number)
    f = tally(ledger, [row(1, "A001"), row(3, "A003", "cancelled", None)], 3)
    assert not f.ok and len(f.lost) == 2
    assert [x.split(":")[0] for x in f.lost] == ["A002", "A003"]


def test_one_number_for_two_citizens_or_two_tickets_for_one_are_duplicates():
    ledger = Ledger()
    handed(ledger, 1, "A001")
    handed(ledger, 2, "A001")   # numbering restarted after a crash
    f = tally(ledger, [row(1, "A001")], 2)
    assert not f.ok and f.duplicated == ["A001: handed to 2 citizens"]
    ledger = Ledger()
    handed(ledger, 1, "A001")
    # a retried request issued a second ticket that nobody was handed
    f = tally(ledger, [row(1, "A001", who="same"), row(2, "A002", "waiting", None, who="same")], 1)
    assert not f.ok and f.duplicated == ["A001, A002: one citizen, 2 tickets"]
