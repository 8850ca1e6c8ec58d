"""Sync between sites (township centres, village stations) and their county (docs/sync.md).

    site.py          SiteOutbox (what a site owes, in the service's transaction) and SiteLink
    county.py        CountyReceiver: every site's records into the county store, its outbox down
    county_store.py  CountyStore: PostgreSQL (psycopg 3), the schema and every query
    pg_server.py     PrivatePostgres: Debian's PostgreSQL on a free port, for tests and benchmarks

The contract itself (topics, envelopes) is hall/protocol/sync.py.
"""
