"""Every answer, retained state and event of the service matches the bus contract's schemas,
and every field it sends is declared there (so documented: third parties build on it)."""
import copy
import json
from importlib import resources

from halls import id_number
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from hall.protocol.schema import has_schema, schema_name, validate


def strict_schemas() -> dict:
    """The packaged schemas with every object closed (unevaluatedProperties: false): a field
    the service sends but the contract does not declare fails validation."""
    def close(node):
        if isinstance(node, dict):   # an `if` only tests a payload: it stays open
            node = {k: v if k == "if" else close(v) for k, v in node.items()}
            if "properties" in node:
                node["unevaluatedProperties"] = False
            return node
        return [close(v) for v in node] if isinstance(node, list) else node
    folder = resources.files("hall.protocol.schemas")
    return {e.name[:-5]: close(json.loads(e.read_text(encoding="utf-8")))
            for e in folder.iterdir() if e.name.endswith(".json")}


STRICT = strict_schemas()
REGISTRY = Registry().with_resource("common.json", Resource.from_contents(STRICT["common"]))


def validate_strict(kind, name, payload):
    validate(kind, name, payload)   # the shipped schema, as peers use it
    checker = Draft202012Validator(copy.deepcopy(STRICT[schema_name(kind, name)]), registry=REGISTRY)
    undeclared = [f"{'.'.join(map(str, e.absolute_path)) or kind}: {e.message}"
                  for e in checker.iter_errors(payload)]
    assert not undeclared, (kind, name, undeclared)


def test_payloads_match_the_contract(service):
    seen = []
    service.add_listener(lambda kind, suffix, payload: seen.append((kind, suffix, payload)))
    service.staff.add("s1", "李明", "window", "secret001")
    code = service.book_appointment("b", service.date, "09:00-09:30")
    person = {"id_number": id_number(serial="432"), "name": "张飞"}
    script = [
        ("kiosk", "k1", "ticket.issue", {"category": "a", "transaction": "t1"}),
        ("kiosk", "k1", "ticket.issue", {"category": "c", "identity": person, "service": None}),
        ("kiosk", "k1", "ticket.issue", {"category": "b", "priority": "green"}),
        ("kiosk", "k1", "appointment.checkin", {"code": code}),
        ("kiosk", "k1", "ticket.lookup", {"number": "A001"}),
        ("window", "1", "window.login", {"staff": "s1", "password": "secret001"}),
        ("window", "1", "window.call_next", {}),
        ("window", "1", "window.recall", {}),
        ("window", "1", "window.start", {}),
        ("window", "1", "window.finish", {"outcome": "not_done", "reason": "材料不全"}),
        ("window", "1", "evaluation.submit", {"ticket": "B001", "level": 1, "reasons": ["态度差"]}),
        ("kiosk", "k1", "ticket.lookup", {"number": "B001"}),      # finished: outcome, reason
        ("window", "1", "window.call_next", {}),
        ("window", "1", "window.transfer", {"to_window": "2"}),
        ("kiosk", "k1", "ticket.lookup", {"number": "A001"}),      # reserved_for, transferred_from
        ("kiosk", "k1", "appointment.checkin", {"code": code}),     # checked_in_before
        ("window", "1", "window.call_next", {}),
        ("window", "1", "window.transfer", {"to_category": "a"}),
        ("window", "1", "window.call_next", {}),
        ("window", "1", "window.finish", {}),
        ("kiosk", "k1", "evaluation.last", {"identity": person}),
        ("kiosk", "k1", "evaluation.submit", {"identity": person, "level": 5}),
        ("kiosk", "k1", "evaluation.last", {"identity": person}),      # with its rating
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
        validate_strict("response", None, reply)      # the envelope
        assert has_schema("response", action), action
        if reply["status"] == "ok":
            validate_strict("response", action, reply["data"])
    assert reply["status"] == "error"
    kinds = set()
    for kind, suffix, payload in seen + [("state", k, v)
                                         for k, v in service.retained_states().items()]:
        name = suffix.split("/")[0] if kind == "state" else suffix.split("/")[1]
        validate_strict(kind, name, payload)
        kinds.add((kind, name))
    assert kinds == {("state", "queue"), ("state", "window"), ("state", "hall"),
                     ("event", "call"), ("event", "ticket_issued"),
                     ("event", "ticket_finished"), ("event", "evaluation"),
                     ("event", "case")}                # the level-1 rating opened a case
