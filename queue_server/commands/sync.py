"""`yichuang sync ...`: the county's side of the sync with its sites (docs/sync.md).

    yichuang sync county --config county.yaml --broker mqtt://server-sync:PW@hub:1883
        the county receiver: creates the store's schema, registers the config's sites, keeps
        every site's records in PostgreSQL and sends each site what it is owed; until stopped
    yichuang sync sites --config county.yaml          every site: line, backlog, last sync
    yichuang sync decide --config county.yaml --site S --number N --approve | --refuse WHY
        the county's decision on a site's application, sent down to the site
    yichuang sync catalog --config county.yaml [--db county.sqlite]
        the county hall's catalogue changes (事项管理) owed to every site; run after editing
    yichuang sync config --config county.yaml --site S | --all --file changes.yaml
        the county's part of a site's hall config (hours, closures, self_service_hours,
        ratings, case deadlines), checked like a hall file and sent down
    yichuang sync report --config county.yaml [--from DAY] [--to DAY]
        records per site and kind made in those days (the hall's timezone), ratings once each

A site needs no command: its `yichuang server` runs the link when `sync.county` is set.
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import time
import sys
from pathlib import Path

from hall.config.hall import ConfigError, load_hall_config
from hall.config.model import HallConfig
from hall.words import LINE_STATE


def register(subparsers) -> None:
    parser = subparsers.add_parser("sync", help="the county's side of the sync with its sites",
                                   description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="sync_command", required=True)
    county = commands.add_parser("county", help="run the county receiver")
    _common(county)
    county.add_argument("--broker", required=True, metavar="URL",
                        help="the county hub, mqtt://server-sync:PASSWORD@host:port "
                             "(the password from broker-config's secrets)")
    county.add_argument("--broker-ca", metavar="FILE", help="CA of an mqtts:// hub")
    county.add_argument("-v", "--verbose", action="store_true")
    county.set_defaults(func=run_county)
    sites = commands.add_parser("sites", help="every site: line, backlog, last sync")
    _common(sites)
    sites.set_defaults(func=run_sites)
    decide = commands.add_parser("decide", help="the county's decision on a site's application")
    _common(decide)
    decide.add_argument("--site", required=True)
    decide.add_argument("--number", required=True, help="the application's number")
    verdict = decide.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--approve", action="store_true", help="准予")
    verdict.add_argument("--refuse", metavar="REASON", help="不予许可, with the reason")
    decide.set_defaults(func=run_decide)
    catalog = commands.add_parser("catalog", help="send the county's catalogue changes to every site")
    _common(catalog)
    catalog.add_argument("--db", metavar="PATH", help="the county hall's SQLite file "
                                                       "(default: from the config)")
    catalog.set_defaults(func=run_catalog)
    config = commands.add_parser("config", help="send changes of the sites' hall configs")
    _common(config)
    to = config.add_mutually_exclusive_group(required=True)
    to.add_argument("--site", help="one site")
    to.add_argument("--all", action="store_true", help="every site")
    config.add_argument("--file", required=True, metavar="FILE",
                        help="the changes: hall: with the county's sections only")
    config.set_defaults(func=run_config)
    report = commands.add_parser("report", help="records per site and kind over some days")
    _common(report)
    report.add_argument("--from", dest="first", type=dt.date.fromisoformat, metavar="DAY",
                        help="first day, YYYY-MM-DD (default: today)")
    report.add_argument("--to", dest="last", type=dt.date.fromisoformat, metavar="DAY",
                        help="last day, included (default: the first)")
    report.set_defaults(func=run_report)


def _common(parser) -> None:
    parser.add_argument("--config", required=True, metavar="FILE", help="the county's hall config")
    parser.add_argument("--store", metavar="CONNINFO",
                        help="PostgreSQL conninfo (default: sync.store of the config)")


class SetupError(ValueError):
    pass


def open_store(args) -> tuple[HallConfig, object]:
    """The county's config and its store (schema created, the config's sites registered)."""
    config = load_hall_config(args.config)
    if not config.sync.sites:
        raise SetupError(f"{args.config}: the county lists no sync.sites")
    dsn = args.store or config.sync.store
    if not dsn:
        raise SetupError(f"{args.config}: no store: set sync.store or give --store")
    from ..sync.county_store import CountyStore
    try:
        store = CountyStore(dsn)
    except Exception as exc:        # psycopg.OperationalError: no such server or database
        raise SetupError(f"cannot open the county store: {exc}") from None
    store.create()
    for site in config.sync.sites:
        store.add_site(site.id, site.kind, site.name)
    return config, store


def run_county(args: argparse.Namespace) -> int:
    from ..sync.county import CountyReceiver
    from .server import StopSignal, setup_logging
    setup_logging(args.verbose)
    stop = StopSignal()
    try:
        config, store = open_store(args)
    except (ConfigError, SetupError) as exc:
        print(exc, file=sys.stderr)
        return 1
    receiver = CountyReceiver(store, args.broker, county=config.id, tls_ca=args.broker_ca,
                              resend_s=config.sync.interval_s).start()
    print(f"county receiver of {config.id}: {len(config.sync.sites)} sites, hub {receiver.bus.address}")
    stop.wait()
    receiver.stop()
    store.close()
    return 0


def with_county_store(run):
    """A `sync` command on the county's config and store: a wrong config or an unreachable
    store is one line on stderr and exit 1."""
    @functools.wraps(run)
    def opened(args: argparse.Namespace) -> int:
        try:
            config, store = open_store(args)
        except (ConfigError, SetupError) as exc:
            print(exc, file=sys.stderr)
            return 1
        return run(args, config, store)
    return opened


@with_county_store
def run_sites(args: argparse.Namespace, config: HallConfig, store) -> int:
    print(f"{'site':<20} {'kind':<9} {'line':<10} {'backlog':>7} {'owed':>5}  {'last sync':<19}  key")
    for s in store.sites():
        print(f"{s['site']:<20} {s['kind']:<9} {LINE_STATE.get(s['line'], s['line']):<10} "
              f"{s['backlog']:>7} {s['down_backlog']:>5}  {_when(s['last_sync']):<19}  "
              f"{_key_state(config, s['site'])}")
    store.close()
    return 0


def _key_state(config: HallConfig, site: str) -> str:
    """Whether the county holds the site's sync key (sync.keys_dir/<site>.key, docs/sync.md):
    without it the county cannot open what that site sealed."""
    if not config.sync.keys_dir:
        return "no keys_dir"
    return "ok" if (Path(config.sync.keys_dir) / f"{site}.key").is_file() else "missing"


def run_decide(args: argparse.Namespace) -> int:
    try:
        _config, store = open_store(args)
        body = store.decide(args.site, args.number, "approve" if args.approve else "refuse",
                            args.refuse)
    except (LookupError, ValueError, ConfigError) as exc:    # SetupError is a ValueError
        print(exc, file=sys.stderr)
        return 1
    print(f"{args.number} of {args.site}: {body['state']}; sent to the site with its next sync")
    store.close()
    return 0


@with_county_store
def run_catalog(args: argparse.Namespace, config: HallConfig, store) -> int:
    """Every change of the county hall's catalogue, owed to every site under its own id
    (<code>.<change id>): running it again owes nothing twice."""
    from ..store import Store
    from .server import default_db
    hall = Store(str(args.db or default_db(config)))
    changes = hall.catalogue_changes()
    for change in changes:
        store.broadcast("catalog", f"{change['code']}.{change['id']}",
                        {"action": change["action"], "fields": change["after"]})
    print(f"{len(changes)} catalogue changes owed to {len(config.sync.sites)} sites")
    hall.db.close()
    store.close()
    return 0


def run_config(args: argparse.Namespace) -> int:
    """The changes file checked (file and line), then owed as one `config` record to the
    site or every site. Each run is a record of its own (the same file sent again after
    another change must win again); its `at` orders them at the site."""
    from hall.config.county_part import load_changes
    try:
        _values, sections = load_changes(args.file)
        config, store = open_store(args)
        if args.site and config.sync.site(args.site) is None:
            raise SetupError(f"{args.site} is not one of the sites of {args.config}")
    except (ConfigError, SetupError) as exc:
        print(exc, file=sys.stderr)
        return 1
    body = {"hall": sections}
    key = str(time.time_ns())
    if args.all:
        count = store.broadcast("config", key, body)
    else:
        with store.conn.transaction():
            store.put_down(args.site, "config", key, body)
        count = 1
    print(f"{', '.join(sections)} owed to {count} site(s); sent with the next sync")
    store.close()
    return 0


@with_county_store
def run_report(args: argparse.Namespace, config: HallConfig, store) -> int:
    from zoneinfo import ZoneInfo
    tz = ZoneInfo(config.timezone)
    first = args.first or dt.datetime.now(tz).date()
    last = args.last or first
    start, end = (dt.datetime.combine(day, dt.time(), tz).timestamp()
                  for day in (first, last + dt.timedelta(days=1)))
    print(f"{'site':<20} {'kind':<12} {'count':>6}  mean rating   ({first} to {last})")
    for row in store.report(start, end):
        mean = f"{row['mean_level']:.2f}" if row["mean_level"] is not None else ""
        print(f"{row['site']:<20} {row['kind']:<12} {row['count']:>6}  {mean}")
    store.close()
    return 0


def _when(ts: float | None) -> str:
    return dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S") if ts else "never"
