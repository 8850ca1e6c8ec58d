"""Validation of hall bus payloads against the packaged JSON Schemas (draft 2020-12).

    validate("request", "ticket.issue", {"transaction": "t1", "category": "a"})
    validate("state", "queue", payload)
    validate("status", None, payload)

Extra fields are allowed everywhere (a newer peer may add them); wrong types and missing
required fields raise PayloadError with one short message naming the field.

Speed: every request the server takes and every message a client receives is checked, so a
check must cost microseconds, not the ~200 us of the reference validator. Each schema is
also compiled to Python by fastjsonschema (with its `$ref`s inlined); a payload it accepts is
valid. Only a payload it rejects goes to jsonschema (draft 2020-12, the contract's dialect),
which has the last word and words the message. A test checks both agree. jsonschema is
imported only then: a process whose peers send valid payloads never needs it (it is ~0.1 s
and 4 MB of every bus participant's start).
"""
from __future__ import annotations

import functools
import json
from importlib import resources
from typing import TYPE_CHECKING

import fastjsonschema

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from referencing import Registry

KINDS = ("request", "response", "state", "event", "status", "devices")


class PayloadError(ValueError):
    """A payload does not match its schema."""


def _files() -> dict[str, dict]:
    folder = resources.files("hall.protocol.schemas")
    return {
        entry.name[:-5]: json.loads(entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".json")
    }


@functools.cache
def _schemas() -> dict[str, dict]:
    return _files()


@functools.cache
def _registry() -> Registry:
    from referencing import Registry, Resource
    common = Resource.from_contents(_schemas()["common"])
    return Registry().with_resource("common.json", common)


def schema_name(kind: str, name: str | None) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown payload kind {kind!r}")
    return f"{kind}.{name}" if name else kind


@functools.cache
def validator(kind: str, name: str | None) -> Draft202012Validator:
    """The compiled validator of one payload; KeyError if the contract has no such payload."""
    from jsonschema import Draft202012Validator
    schema = _schemas()[schema_name(kind, name)]
    return Draft202012Validator(schema, registry=_registry())


_ANNOTATIONS = ("$schema", "title", "description", "$comment")


def _inline(node, defs: dict):
    """The schema with every `$ref` (to common.json or inside it) replaced by its target,
    so that it compiles on its own; a `$ref` with sibling keywords becomes an allOf."""
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target = _inline(defs[node["$ref"].split("#/$defs/", 1)[1]], defs)
        rest = {k: _inline(v, defs) for k, v in node.items() if k != "$ref" and k not in _ANNOTATIONS}
        return {"allOf": [target, rest]} if rest else target
    return {k: _inline(v, defs) for k, v in node.items() if k not in ("$schema", "$defs")}


@functools.cache
def _fast(kind: str, name: str | None):
    """The compiled fast check of one payload (raises on a payload it does not accept)."""
    schema = _schemas()[schema_name(kind, name)]
    return fastjsonschema.compile(_inline(schema, _schemas()["common"]["$defs"]))


def warm(kinds: tuple[str, ...] = KINDS) -> None:
    """Compile the fast checks of these kinds now (all: about 0.4 s once per process): a bus
    participant calls it before it connects, so that no message waits ~10 ms for its
    schema's compilation."""
    for kind in kinds:
        for name in (None, *names(kind)):
            if has_schema(kind, name):
                _fast(kind, name)


def has_schema(kind: str, name: str | None) -> bool:
    return schema_name(kind, name) in _schemas()


def names(kind: str) -> list[str]:
    """Every name of a kind, e.g. names("request") -> the actions of the contract."""
    prefix = kind + "."
    return sorted(key[len(prefix):] for key in _schemas() if key.startswith(prefix))


def actions(subject: str) -> tuple[str, ...]:
    """The request actions on one subject, e.g. actions("window") -> ("call_next", "finish",
    ...): the contract's schemas are the one list of what a window (or kiosk) can ask."""
    prefix = subject + "."
    return tuple(n[len(prefix):] for n in names("request") if n.startswith(prefix))


def validate(kind: str, name: str | None, payload: object) -> None:
    """Raise PayloadError (the most relevant problem, with its path) unless payload matches its schema."""
    try:
        fast = _fast(kind, name)
    except KeyError:
        raise PayloadError(f"no {kind} {name!r} in the contract") from None
    try:
        fast(payload)
        return
    except fastjsonschema.JsonSchemaException:
        pass   # rejected: the reference validator decides, and says why
    from jsonschema.exceptions import best_match
    error = best_match(validator(kind, name).iter_errors(payload))
    if error is not None:
        where = ".".join(str(p) for p in error.absolute_path) or "payload"
        raise PayloadError(f"{where}: {_describe(error)}")


def _describe(error) -> str:
    """What is wrong, from the schema side only: the payload's value is never echoed, as it
    may be an ID number."""
    rule, value = error.validator, error.validator_value
    if rule == "required":
        return error.message
    if rule == "type":
        return f"must be of type {value}"
    if rule in ("enum", "const"):
        return f"must be one of {value}" if rule == "enum" else f"must be {value!r}"
    if rule in ("minLength", "maxLength", "minimum", "maximum", "pattern", "maxItems", "minItems"):
        return f"breaks {rule} {value}"
    if rule == "not":
        return "carries a field that is not allowed here"
    return f"does not match the contract ({rule})"
