"""Topic names of the hall bus (contract v1, docs/mqtt.md).

    yichuang/<hall>/<role>/<id>/status            availability (retained, will)
    yichuang/<hall>/<role>/<id>/request/<action>  client -> server
    yichuang/<hall>/<role>/<id>/response/<action> server -> client
    yichuang/<hall>/<role>/<id>/devices           device health (retained)
    yichuang/<hall>/queue/<category>/state        retained
    yichuang/<hall>/window/<id>/state             retained
    yichuang/<hall>/hall/state                    retained
    yichuang/<hall>/event/<name>                  not retained
"""
from __future__ import annotations

import re

ROOT = "yichuang"
CONTRACT_VERSION = 1
SERVER_ID = "main"   # the queue server's id: its status is yichuang/<hall>/server/main/status
CLIENT_ROLES = ("server", "kiosk", "window", "display", "agent")   # who talks on the bus
NAME_PATTERN = r"[a-z0-9][a-z0-9_-]{0,31}"
ACTION_PATTERN = r"[a-z][a-z_]*(\.[a-z][a-z_]*)*"
PHOTO_PART_BYTES = 8192   # application.photo: raw bytes of one part (base64 fits 16 KiB requests)
_NAME = re.compile(NAME_PATTERN)


class TopicError(ValueError):
    pass


def check_name(value: str, what: str = "name") -> str:
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise TopicError(f"{what} {value!r} must match {NAME_PATTERN}")
    return value


def check_role(role: str) -> str:
    if role not in CLIENT_ROLES:
        raise TopicError(f"role {role!r} is not one of {', '.join(CLIENT_ROLES)}")
    return role


def client_base(hall: str, role: str, client_id: str) -> str:
    return f"{ROOT}/{check_name(hall, 'hall')}/{check_role(role)}/{check_name(client_id, 'id')}"


def status(hall: str, role: str, client_id: str) -> str:
    return f"{client_base(hall, role, client_id)}/status"


def devices(hall: str, role: str, client_id: str) -> str:
    return f"{client_base(hall, role, client_id)}/devices"


def request(hall: str, role: str, client_id: str, action: str) -> str:
    return f"{client_base(hall, role, client_id)}/request/{action}"


def response(hall: str, role: str, client_id: str, action: str) -> str:
    return f"{client_base(hall, role, client_id)}/response/{action}"


def queue_state(hall: str, category: str) -> str:
    return f"{ROOT}/{check_name(hall, 'hall')}/queue/{check_name(category, 'category')}/state"


def window_state(hall: str, window: str) -> str:
    return f"{ROOT}/{check_name(hall, 'hall')}/window/{check_name(window, 'window')}/state"


def hall_state(hall: str) -> str:
    return f"{ROOT}/{check_name(hall, 'hall')}/hall/state"


def event(hall: str, name: str) -> str:
    return f"{ROOT}/{check_name(hall, 'hall')}/event/{check_name(name, 'event')}"


def parse_client_topic(topic: str) -> tuple[str, str, str, str, str] | None:
    """(hall, role, id, kind, action) for .../<role>/<id>/(request|response)/<action>, else None."""
    parts = topic.split("/")
    if len(parts) != 6 or parts[0] != ROOT or parts[4] not in ("request", "response"):
        return None
    _root, hall, role, client_id, kind, action = parts
    if role not in CLIENT_ROLES or not _NAME.fullmatch(hall) or not _NAME.fullmatch(client_id):
        return None
    return hall, role, client_id, kind, action
