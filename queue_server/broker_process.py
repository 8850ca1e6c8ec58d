"""The embedded broker's own process: `python -m queue_server.broker_process HOST PORT REPORT_FD
PARENT_PID` (queue_server.broker.CHILD), launched by queue_server.broker.EmbeddedBroker.

Kept apart from broker.py so that the process imports only amqtt's broker and what it needs
(each module imported here is memory the hall server pays for twice, docs/bench/server.md):
none of the project's other modules, and not amqtt's authentication plugins, whose password
hashing (pwdlib, argon2, cffi) an anonymous broker never uses.
"""
from __future__ import annotations

import asyncio
import os
import signal
import sys

from amqtt.broker import Broker
from amqtt.plugins.base import BaseAuthPlugin


class AnonymousAccess(BaseAuthPlugin):
    """Every client may connect: what amqtt's AnonymousAuthPlugin does with allow_anonymous."""

    async def authenticate(self, *, session) -> bool:
        session.is_anonymous = True
        return True


class _SnapshotDict(dict):
    """A dict iterated over a copy of itself. amqtt walks its subscription table across
    awaits (on connect, on broadcast) while other clients' (un)subscribes change it, which
    raised "dictionary changed size during iteration" and dropped those connections."""

    def __iter__(self):
        return iter(list(dict.keys(self)))

    def items(self):
        return list(dict.items(self))


class HallBroker(Broker):
    """amqtt 0.12.1 with two of its bugs worked around (see _SnapshotDict, and below)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._subscriptions = _SnapshotDict()

    async def _publish_retained_messages_for_subscription(self, subscription, session):
        # On connect amqtt offers the new session the retained messages of every filter
        # that ANY client subscribed; only the session's own filters may get them.
        holders = self._subscriptions.get(subscription[0], ())
        if any(held.client_id == session.client_id for held, _qos in holders):
            await super()._publish_retained_messages_for_subscription(subscription, session)


def serve(host: str, port: int, report: int, parent: int) -> None:
    """Start amqtt, write the port it serves on (or why not) to the pipe, serve.
    A Ctrl-C in the terminal reaches the whole process group: the parent stops the broker
    after its own clients have said goodbye, so the broker itself ignores it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    config = {
        "listeners": {"default": {"type": "tcp", "bind": f"{host}:{port}", "max_connections": 0}},
        # only anonymous access: the default plugin set also logs every packet and publishes $SYS
        "plugins": {f"{__name__}.{AnonymousAccess.__name__}": {}},
    }
    with os.fdopen(report, "w") as out:
        try:
            broker = HallBroker(config, loop=loop)
            loop.run_until_complete(broker.start())
        except BaseException as exc:   # reported to the launcher
            out.write(str(exc) or type(exc).__name__)
            return
        out.write(str(port))
    loop.run_until_complete(_while_parent_lives(parent))


async def _while_parent_lives(parent: int) -> None:
    # A parent that dies reparents this process: then stop serving (and free the port).
    while os.getppid() == parent:
        await asyncio.sleep(0.5)


if __name__ == "__main__":
    _host, _port, _report, _parent = sys.argv[1:]
    serve(_host, int(_port), int(_report), int(_parent))
