"""The sync contract between a site (township centre, village station) and its county
(contract v1, docs/sync.md). Pure: no I/O, so the site link, the county receiver and any load
generator build and check envelopes the same way.

    yichuang/sync/<site>/up        site -> county   envelopes, QoS 1
    yichuang/sync/<site>/ack       county -> site   {"ids": [...]}
    yichuang/sync/<site>/down      county -> site   envelopes, QoS 1
    yichuang/sync/<site>/down-ack  site -> county   {"ids": [...]}
    yichuang/sync/<site>/status    site -> county   {"backlog": n, "oldest": ts|null}
    yichuang/sync/<site>/bridge    the site's bridge: "1" connected, "0" lost (retained;
                                   Mosquitto's bridge notification and its will)

An up or down message is one envelope or a JSON list of envelopes (a batch):

    {"v": 1, "id": "<site>/<kind>/<key>", "site": "<site>", "kind": "rating",
     "at": 1764640000.0, "body": {...}}

The id is the receiver's dedupe key: a redelivered envelope is acknowledged again and has no
second effect. Bodies hold nothing personal in clear: what the county needs of a person
travels sealed (`sealed`, base64 of an AES-GCM blob under the site's sync key).
"""
from __future__ import annotations

import json
import re

from .topics import NAME_PATTERN, ROOT, check_name

VERSION = 1
UP_KINDS = ("application", "rating", "complaint", "case", "figures")     # site -> county
DOWN_KINDS = ("catalog", "config", "decision")                           # county -> site
KINDS = UP_KINDS + DOWN_KINDS
DIRECTIONS = ("up", "ack", "down", "down-ack", "status", "bridge")
MAX_MESSAGE_BYTES = 256 * 1024     # one message (a batch included); the broker refuses more
MAX_BATCH = 200                    # envelopes in one message
MAX_KEY = 96
MAX_DEPTH = 8                      # of a body's nesting: records are flat, a deep one is an attack
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,%d}" % (MAX_KEY - 1))
_TOPIC = re.compile(rf"{ROOT}/sync/({NAME_PATTERN})/({'|'.join(DIRECTIONS)})")


class EnvelopeError(ValueError):
    """A message that is not a valid envelope: refused whole, never applied."""


def topic(site: str, direction: str) -> str:
    if direction not in DIRECTIONS:
        raise ValueError(f"direction {direction!r} is not one of {', '.join(DIRECTIONS)}")
    return f"{ROOT}/sync/{check_name(site, 'site')}/{direction}"


def site_pattern(site: str) -> str:
    """Every sync topic of one site: what its broker bridges to the county hub."""
    return f"{ROOT}/sync/{check_name(site, 'site')}/#"


def all_sites(direction: str) -> str:
    """What the county receiver subscribes to, e.g. yichuang/sync/+/up."""
    if direction not in DIRECTIONS:
        raise ValueError(direction)
    return f"{ROOT}/sync/+/{direction}"


def parse_topic(name: str) -> tuple[str, str] | None:
    """(site, direction) of a sync topic, None for any other topic."""
    match = _TOPIC.fullmatch(name)
    return (match.group(1), match.group(2)) if match else None


def envelope_id(site: str, kind: str, key: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise ValueError(f"key {key!r} must be letters, digits, '_.:-', at most {MAX_KEY}")
    return f"{check_name(site, 'site')}/{kind}/{key}"


def envelope(site: str, kind: str, key: str, at: float, body: dict) -> dict:
    return {"v": VERSION, "id": envelope_id(site, kind, key), "site": site, "kind": kind,
            "at": float(at), "body": body}


def encode(envelopes: list[dict]) -> bytes:
    return json.dumps(envelopes, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode(payload: bytes, site: str, kinds: tuple[str, ...]) -> list[dict]:
    """The envelopes of one up or down message of `site`, each checked; EnvelopeError if any
    is wrong (the sender gets no ack and the operator a log line; nothing is applied)."""
    if len(payload) > MAX_MESSAGE_BYTES:
        raise EnvelopeError(f"message of {len(payload)} bytes (at most {MAX_MESSAGE_BYTES})")
    try:
        value = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise EnvelopeError(f"not JSON: {exc}") from None
    items = value if isinstance(value, list) else [value]
    if not 1 <= len(items) <= MAX_BATCH:
        raise EnvelopeError(f"a batch holds 1 to {MAX_BATCH} envelopes, not {len(items)}")
    return [check(item, site, kinds) for item in items]


def check(item: object, site: str, kinds: tuple[str, ...]) -> dict:
    if not isinstance(item, dict):
        raise EnvelopeError("an envelope is a JSON object")
    if item.get("v") != VERSION:
        raise EnvelopeError(f"envelope version {item.get('v')!r} (this side speaks {VERSION})")
    if item.get("site") != site:
        raise EnvelopeError(f"envelope of site {item.get('site')!r} on the topic of {site!r}")
    kind = item.get("kind")
    if kind not in kinds:
        raise EnvelopeError(f"kind {kind!r} does not travel this way ({', '.join(kinds)})")
    ident = item.get("id")
    prefix = f"{site}/{kind}/"
    if not (isinstance(ident, str) and ident.startswith(prefix)
            and _KEY.fullmatch(ident[len(prefix):])):
        raise EnvelopeError(f"id {ident!r} is not {prefix}<key>")
    at = item.get("at")
    if not isinstance(at, (int, float)) or isinstance(at, bool):
        raise EnvelopeError("at must be Unix seconds")
    if not isinstance(item.get("body"), dict):
        raise EnvelopeError("body must be a JSON object")
    if _depth(item["body"]) > MAX_DEPTH:
        raise EnvelopeError(f"body nested deeper than {MAX_DEPTH}")
    extra = set(item) - {"v", "id", "site", "kind", "at", "body"}
    if extra:
        raise EnvelopeError(f"unknown fields {sorted(extra)}")
    return item


def _depth(value: object, level: int = 1) -> int:
    if level > MAX_DEPTH:
        return level
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return max((_depth(c, level + 1) for c in children), default=level)


def acks(ids: list[str]) -> bytes:
    return json.dumps({"ids": ids}, separators=(",", ":")).encode("utf-8")


def decode_acks(payload: bytes) -> list[str]:
    try:
        value = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise EnvelopeError(f"not JSON: {exc}") from None
    ids = value.get("ids") if isinstance(value, dict) else None
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids) \
            or len(ids) > MAX_BATCH:
        raise EnvelopeError('an ack is {"ids": [up to %d strings]}' % MAX_BATCH)
    return ids
