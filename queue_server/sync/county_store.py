"""The county's store: PostgreSQL (psycopg 3), one database for every site of the county.

    sync_sites         each site: kind, name, line up/down (its bridge's notification),
                       last seen, last sync, the backlog it last reported
    sync_records       every record a site sent up, once: PRIMARY KEY (site, id)
    sync_applications  the county's copy of each application (latest revision) and its
                       decision: the county owns decisions
    sync_ratings       each rating given at a site, its latest version (a change within the
                       site's change_minutes comes up as a record of its own)
    sync_down          the county's outbox per site (catalogue, config, decisions), kept
                       until the site acknowledges each id

The schema is created by `CountyStore.create()` (idempotent); the receiver calls it at
start. Receiving is idempotent: `receive` inserts with ON CONFLICT DO NOTHING and returns
every id of the batch to acknowledge, new or not, so a redelivery is acknowledged again and
changes nothing. A single hall keeps SQLite; only the county runs this.
"""
from __future__ import annotations

import contextlib
import time
from typing import Callable, Iterable

from hall.protocol import sync as contract

from ..outbox import FIRST_BACKOFF_S, MAX_BACKOFF_S

SCHEMA = """
CREATE TABLE IF NOT EXISTS sync_sites (
    site TEXT PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT 'township',
    name TEXT NOT NULL DEFAULT '',
    line TEXT NOT NULL DEFAULT 'unknown',        -- up | down | unknown (bridge notification)
    line_since DOUBLE PRECISION,
    last_seen DOUBLE PRECISION,                  -- any message from the site
    last_sync DOUBLE PRECISION,                  -- the last batch of records received
    backlog INTEGER NOT NULL DEFAULT 0,          -- records the site still owes (its last report)
    backlog_oldest DOUBLE PRECISION,
    received BIGINT NOT NULL DEFAULT 0           -- records received, redeliveries not counted
);
CREATE TABLE IF NOT EXISTS sync_records (
    site TEXT NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    at DOUBLE PRECISION NOT NULL,                -- when the site made it
    body JSONB NOT NULL,                         -- nothing personal in clear
    received_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (site, id)
);
CREATE INDEX IF NOT EXISTS sync_records_kind ON sync_records (kind, at);
CREATE TABLE IF NOT EXISTS sync_applications (
    site TEXT NOT NULL,
    number TEXT NOT NULL,
    item TEXT NOT NULL,
    state TEXT NOT NULL,
    rev INTEGER NOT NULL,                        -- the site's revision last received
    record JSONB NOT NULL,
    sealed TEXT,                                 -- base64, the site's sync key
    decision TEXT,                               -- approve | refuse, once the county decided
    reason TEXT,
    decided_at DOUBLE PRECISION,
    PRIMARY KEY (site, number)
);
CREATE TABLE IF NOT EXISTS sync_ratings (
    site TEXT NOT NULL,
    rating TEXT NOT NULL,                        -- e<evaluation id at the site>
    version INTEGER NOT NULL,                    -- the latest received
    level INTEGER NOT NULL,
    at DOUBLE PRECISION NOT NULL,                -- when it was first given
    body JSONB NOT NULL,
    PRIMARY KEY (site, rating)
);
CREATE TABLE IF NOT EXISTS sync_down (
    seq BIGSERIAL PRIMARY KEY,
    site TEXT NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    at DOUBLE PRECISION NOT NULL,
    body JSONB NOT NULL,
    tries INTEGER NOT NULL DEFAULT 0,
    next_try_at DOUBLE PRECISION NOT NULL DEFAULT 0,
    delivered_at DOUBLE PRECISION,
    UNIQUE (site, id)
);
CREATE INDEX IF NOT EXISTS sync_down_due ON sync_down (site, delivered_at, next_try_at);
CREATE INDEX IF NOT EXISTS sync_down_owed ON sync_down (next_try_at) WHERE delivered_at IS NULL;
"""

DECISIONS = {"approve": "approved", "refuse": "refused"}


class CountyStore:
    def __init__(self, dsn: str, clock: Callable[[], float] = time.time):
        import psycopg           # the `county` extra: only the county needs PostgreSQL
        from psycopg.types.json import Jsonb
        self._jsonb = Jsonb
        self._idle = psycopg.pq.TransactionStatus.IDLE
        self.conn = psycopg.connect(dsn, autocommit=True)   # transactions are explicit
        self.clock = clock

    def close(self) -> None:
        self.conn.close()

    def batch(self):
        """One transaction around several of the receiver's calls: one commit, one flush of
        the WAL, for all it found waiting. A commit per message held 200 sites to ~85
        records/s (docs/scaling.md). Inside it the calls take no savepoint of their own (two
        more round trips each): when a batch fails, the receiver runs each message alone."""
        return self.conn.transaction()

    def _transaction(self):
        """A transaction of its own, or the batch's when one is open."""
        if self.conn.info.transaction_status != self._idle:
            return contextlib.nullcontext()
        return self.conn.transaction()

    def create(self) -> None:
        with self.conn.transaction():
            self.conn.execute(SCHEMA)

    # ------------------------------------------------------------ sites
    def add_site(self, site: str, kind: str = "township", name: str = "") -> None:
        with self.conn.transaction():
            self.conn.execute(
                "INSERT INTO sync_sites (site, kind, name) VALUES (%s, %s, %s) "
                "ON CONFLICT (site) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name",
                [contract.check_name(site, "site"), kind, name])

    def known(self, site: str) -> bool:
        return self.conn.execute("SELECT 1 FROM sync_sites WHERE site = %s",
                                 [site]).fetchone() is not None

    def line(self, site: str, up: bool) -> None:
        """The site's bridge connected (up) or was lost (down, the broker's will)."""
        now = self.clock()
        with self._transaction():
            self.conn.execute(
                "UPDATE sync_sites SET line = %s, line_since = %s, "
                "last_seen = CASE WHEN %s THEN %s ELSE last_seen END WHERE site = %s",
                ["up" if up else "down", now, up, now, site])

    def status(self, site: str, backlog: int, oldest: float | None) -> None:
        now = self.clock()
        with self._transaction():
            self.conn.execute("UPDATE sync_sites SET backlog = %s, backlog_oldest = %s, "
                              "last_seen = %s WHERE site = %s", [backlog, oldest, now, site])

    def sites(self) -> list[dict]:
        """Every site with its line, last seen, last sync, its backlog and the county's."""
        rows = self.conn.execute(
            "SELECT s.site, s.kind, s.name, s.line, s.line_since, s.last_seen, s.last_sync, "
            "s.backlog, s.backlog_oldest, s.received, "
            "(SELECT count(*) FROM sync_down d WHERE d.site = s.site AND d.delivered_at IS NULL) "
            "FROM sync_sites s ORDER BY s.kind, s.site").fetchall()
        keys = ("site", "kind", "name", "line", "line_since", "last_seen", "last_sync",
                "backlog", "backlog_oldest", "received", "down_backlog")
        return [dict(zip(keys, row)) for row in rows]

    # ------------------------------------------------------------ up: records of the sites
    def receive(self, site: str, envelopes: list[dict]) -> list[str]:
        """Keep each new envelope once (one transaction); the ids to acknowledge: all."""
        now = self.clock()
        new = 0
        with self._transaction():
            for env in envelopes:
                cur = self.conn.execute(
                    "INSERT INTO sync_records (site, id, kind, at, body, received_at) "
                    "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (site, id) DO NOTHING",
                    [site, env["id"], env["kind"], env["at"], self._jsonb(env["body"]), now])
                if cur.rowcount == 1:
                    new += 1
                    if env["kind"] == "application":
                        self._application(site, env["body"])
                    elif env["kind"] == "rating":
                        self._rating(site, env)
            self.conn.execute("UPDATE sync_sites SET last_seen = %s, last_sync = %s, "
                              "received = received + %s WHERE site = %s", [now, now, new, site])
        return [env["id"] for env in envelopes]

    def _application(self, site: str, body: dict) -> None:
        """The county's copy: the newest revision wins; a decision taken here stays."""
        self.conn.execute(
            "INSERT INTO sync_applications (site, number, item, state, rev, record, sealed) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (site, number) DO UPDATE SET "
            "item = EXCLUDED.item, rev = EXCLUDED.rev, record = EXCLUDED.record, "
            "sealed = COALESCE(EXCLUDED.sealed, sync_applications.sealed), "
            "state = CASE WHEN sync_applications.decision IS NULL THEN EXCLUDED.state "
            "ELSE sync_applications.state END "
            "WHERE sync_applications.rev < EXCLUDED.rev",
            [site, body["number"], body["item"], body["state"], int(body["rev"]),
             self._jsonb(body["record"]), body.get("sealed")])

    def _rating(self, site: str, env: dict) -> None:
        """The latest version of a rating wins, whatever order the versions arrive in."""
        body = env["body"]
        key = env["id"].rsplit("/", 1)[1].split(".")[0]        # e<id>[.<version>]
        self.conn.execute(
            "INSERT INTO sync_ratings (site, rating, version, level, at, body) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (site, rating) DO UPDATE SET "
            "version = EXCLUDED.version, level = EXCLUDED.level, body = EXCLUDED.body "
            "WHERE sync_ratings.version < EXCLUDED.version",
            [site, key, int(body.get("version") or 1), int(body["level"]),
             float(body.get("first_ts") or env["at"]), self._jsonb(body)])

    def ratings(self, site: str | None = None) -> list[dict]:
        """Each rating's latest version."""
        rows = self.conn.execute(
            "SELECT site, rating, version, level, body FROM sync_ratings "
            "WHERE (%s::text IS NULL OR site = %s) ORDER BY site, at, rating",
            [site, site]).fetchall()
        return [dict(zip(("site", "rating", "version", "level", "body"), row)) for row in rows]

    def application(self, site: str, number: str) -> dict | None:
        row = self.conn.execute(
            "SELECT site, number, item, state, rev, record, sealed, decision, reason, decided_at "
            "FROM sync_applications WHERE site = %s AND number = %s", [site, number]).fetchone()
        keys = ("site", "number", "item", "state", "rev", "record", "sealed", "decision",
                "reason", "decided_at")
        return dict(zip(keys, row)) if row else None

    def records(self, site: str | None = None, kind: str | None = None) -> list[dict]:
        rows = self.conn.execute(
            "SELECT site, id, kind, at, body FROM sync_records WHERE (%s::text IS NULL OR site = %s) "
            "AND (%s::text IS NULL OR kind = %s) ORDER BY site, at, id",
            [site, site, kind, kind]).fetchall()
        return [dict(zip(("site", "id", "kind", "at", "body"), row)) for row in rows]

    # ------------------------------------------------------------ decisions (the county's)
    def decide(self, site: str, number: str, decision: str, reason: str | None = None) -> dict:
        """The county's decision on a site's application: kept here and owed to the site
        (kind `decision`), in one transaction. A second decision is a conflict."""
        if decision not in DECISIONS:
            raise ValueError(f"decision {decision!r} is not one of {', '.join(DECISIONS)}")
        if decision == "refuse" and not (reason or "").strip():
            raise ValueError("a refusal needs its reason")
        now = self.clock()
        with self.conn.transaction():
            cur = self.conn.execute(
                "UPDATE sync_applications SET decision = %s, state = %s, reason = %s, "
                "decided_at = %s WHERE site = %s AND number = %s AND decision IS NULL",
                [decision, DECISIONS[decision], reason, now, site, number])
            if cur.rowcount != 1:
                raise LookupError(f"no undecided application {number} of {site}")
            body = {"number": number, "decision": decision, "state": DECISIONS[decision],
                    "reason": reason, "decided_at": now}
            self.put_down(site, "decision", number, body)
        return body

    # ------------------------------------------------------------ down: the county's outbox
    def put_down(self, site: str, kind: str, key: str, body: dict) -> str:
        """Owe `body` to `site` (inside the caller's transaction when there is one)."""
        env_id = contract.envelope_id(site, kind, key)
        self.conn.execute(
            "INSERT INTO sync_down (site, id, kind, at, body) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (site, id) DO NOTHING",
            [site, env_id, kind, self.clock(), self._jsonb(body)])
        return env_id

    def broadcast(self, kind: str, key: str, body: dict) -> int:
        """Owe the same record to every site (a catalogue change), in one transaction."""
        with self.conn.transaction():
            sites = [row[0] for row in self.conn.execute("SELECT site FROM sync_sites").fetchall()]
            for site in sites:
                self.put_down(site, kind, key, body)
        return len(sites)

    def due_down(self, site: str, limit: int = contract.MAX_BATCH) -> list[dict]:
        """What `site` is owed and is not in a back-off, oldest first, as envelopes."""
        return self.due_down_all(limit, site).get(site, [])

    def due_down_all(self, limit: int = contract.MAX_BATCH, site: str | None = None) -> dict:
        """site -> its due envelopes (at most `limit` each), in one query for every site."""
        rows = self.conn.execute(
            "SELECT site, id, kind, at, body FROM (SELECT *, row_number() OVER "
            "(PARTITION BY site ORDER BY seq) AS n FROM sync_down WHERE delivered_at IS NULL "
            "AND next_try_at <= %s AND (%s::text IS NULL OR site = %s)) due WHERE n <= %s "
            "ORDER BY site, seq", [self.clock(), site, site, limit]).fetchall()
        owed: dict[str, list[dict]] = {}
        for s, i, k, at, b in rows:
            owed.setdefault(s, []).append(
                {"v": contract.VERSION, "id": i, "site": s, "kind": k, "at": at, "body": b})
        return owed

    def sent_down(self, site: str, ids: Iterable[str]) -> None:
        """Sent, not yet acknowledged: not again before the back-off (a lost line)."""
        now = self.clock()
        with self.conn.transaction():
            for i in ids:
                self.conn.execute(
                    "UPDATE sync_down SET tries = tries + 1, next_try_at = %s + "
                    "LEAST(%s * power(2, tries), %s) WHERE site = %s AND id = %s "
                    "AND delivered_at IS NULL", [now, FIRST_BACKOFF_S, MAX_BACKOFF_S, site, i])

    def delivered_down(self, site: str, ids: Iterable[str]) -> int:
        now = self.clock()
        with self._transaction():
            return sum(self.conn.execute(
                "UPDATE sync_down SET delivered_at = %s WHERE site = %s AND id = %s "
                "AND delivered_at IS NULL", [now, site, i]).rowcount for i in ids)

    def retry_down(self, site: str) -> None:
        """The site's line is back: end the back-offs of what it is owed."""
        with self._transaction():
            self.conn.execute("UPDATE sync_down SET next_try_at = 0 WHERE site = %s "
                              "AND delivered_at IS NULL", [site])

    # ------------------------------------------------------------ reports across sites
    def report(self, day_from: float, day_to: float) -> list[dict]:
        """Per site and kind: records made in [day_from, day_to); ratings counted once each
        (given in that span) with the mean of their latest levels; `case` counts steps."""
        rows = self.conn.execute(
            "SELECT site, kind, count(*), NULL::numeric FROM sync_records "
            "WHERE kind <> 'rating' AND at >= %s AND at < %s GROUP BY site, kind "
            "UNION ALL SELECT site, 'rating', count(*), avg(level) FROM sync_ratings "
            "WHERE at >= %s AND at < %s GROUP BY site ORDER BY 1, 2",
            [day_from, day_to, day_from, day_to]).fetchall()
        return [{"site": s, "kind": k, "count": n, "mean_level": float(m) if m is not None else None}
                for s, k, n, m in rows]
