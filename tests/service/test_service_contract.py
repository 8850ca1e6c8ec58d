"""Every answer, retained state and event of the service matches the bus contract's schemas."""
from halls import id_number

from queue_server.protocol.schema import has_schema, validate


def test_payloads_match_the_contract(service):
    seen = []
    service.add_listener(lambda kind, suffix, payload: seen.append((kind, suffix, payload)))
    service.staff.add("s1", "李明", "window", "secret1")
    code = service.book_appointment("b", service.date, "09:00-09:30")
    person = {"id_number": id_number(serial="432"), "name": "张飞"}
    script = [
        ("kiosk", "k1", "ticket.issue", {"category": "a", "transaction": "t1"}),
        ("kiosk", "k1", "ticket.issue", {"category": "c", "identity": person, "service": None}),
        ("kiosk", "k1", "ticket.issue", {"category": "b", "priority": "green"}),
        ("kiosk", "k1", "appointment.checkin", {"code": code}),
        ("kiosk", "k1", "ticket.lookup", {"number": "A001"}),
        ("window", "1", "window.login", {"staff": "s1", "password": "secret1"}),
        ("window", "1", "window.call_next", {}),
        ("window", "1", "window.recall", {}),
        ("window", "1", "window.start", {}),
        ("window", "1", "window.finish", {"outcome": "not_done", "reason": "材料不全"}),
        ("window", "1", "evaluation.submit", {"ticket": "B001", "level": 1, "reasons": ["态度差"]}),
        ("window", "1", "window.call_next", {}),
        ("window", "1", "window.transfer", {"to_window": "2"}),
        ("window", "1", "window.call_next", {}),
        ("window", "1", "window.skip", {}),
        ("window", "1", "window.pause", {"reason": "外出"}),
        ("window", "1", "window.resume", {}),
        ("window", "1", "window.logout", {}),
        ("window", "1", "window.logout", {}),           # an error answer
    ]
    for role, client, action, args in script:
        args = {k: v for k, v in args.items() if v is not None}
        reply = service.handle(role, client, action, args)
        validate("response", None, reply)             # the envelope
        assert has_schema("response", action), action
        if reply["status"] == "ok":
            validate("response", action, reply["data"])
    assert reply["status"] == "error"
    kinds = set()
    for kind, suffix, payload in seen + [("state", k, v)
                                         for k, v in service.retained_states().items()]:
        name = suffix.split("/")[0] if kind == "state" else suffix.split("/")[1]
        validate(kind, name, payload)
        kinds.add((kind, name))
    assert kinds == {("state", "queue"), ("state", "window"), ("state", "hall"),
                     ("event", "call"), ("event", "ticket_issued"),
                     ("event", "ticket_finished"), ("event", "evaluation")}
