"""`yichuang plan`: how many windows of each kind to staff, hour by hour (sim/plan.py).

Exits 2 on a bad config, profile, history or option.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import unicodedata
from pathlib import Path

DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "firmware_configs" / "sites" / "county.yaml"


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "plan", help="windows needed hour by hour to keep the longest normal wait under a target",
        description="Capacity planning for the manager: from an arrival profile (a YAML file) or "
                    "the hall's history of the same weekday, simulate the day against the real "
                    "queue rules and find, hour by hour, the fewest windows of each kind that keep "
                    "every normal (non-priority) ticket's wait under the target.")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, metavar="FILE",
                        help="hall config (default: the shipped county hall)")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--profile", type=Path, metavar="FILE",
                        help="expected tickets by hour and category (docs/planning.md)")
    source.add_argument("--from-history", type=Path, metavar="DB",
                        help="the hall's SQLite database: learn the same weekday of the last weeks")
    parser.add_argument("--target-minutes", type=float, default=20.0, metavar="M",
                        help="longest wait of a normal ticket (default 20)")
    parser.add_argument("--day", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                        help="the day planned (default: tomorrow); its weekday picks the history")
    parser.add_argument("--seeds", default="1,2,3",
                        help="simulated days the plan must hold in, by seed (default 1,2,3)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from hall.config.hall import ConfigError, load_hall_config
    from ..sim.plan import PlanError, figures, plan

    try:
        seeds = [int(s) for s in args.seeds.split(",")]
        if not 1 <= args.target_minutes <= 600 or not seeds:
            raise PlanError("--target-minutes must be 1 to 600, --seeds at least one number")
        config = load_hall_config(args.config)
        day = args.day or _tomorrow(config)
        demand = _demand(args, config, day)
    except (ConfigError, PlanError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{config.name} {day} — {demand.source}", flush=True)
    target_s = args.target_minutes * 60
    result = plan(config, demand, target_s, day, seeds,
                  progress=lambda h: print(f"  … {h:02d}:00", file=sys.stderr, flush=True))
    print(table(figures(result, demand, config, target_s)))
    return 0


def _tomorrow(config) -> dt.date:
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo(config.timezone)).date() + dt.timedelta(days=1)


def _demand(args, config, day: dt.date):
    from hall import words
    from ..sim.plan import PlanError, demand_from_store, read_profile

    if args.profile is not None:
        import yaml

        data = yaml.safe_load(args.profile.read_text(encoding="utf-8"))
        return read_profile(data, config, words.plan_source_profile(args.profile.name))
    if not args.from_history.is_file():
        raise PlanError(f"{args.from_history}: no such database")
    from ..service import HISTORY_WEEKS
    from ..store import Store

    store = Store(str(args.from_history))
    try:
        return demand_from_store(store, config, day, HISTORY_WEEKS)
    finally:
        store.close()


def table(f: dict) -> str:
    """The plan as a plain table: a column per hour (its start), a line per figure and per
    kind of window (a column per kind would not fit a terminal)."""
    h, hours = f["headings"], f["hours"]
    rows = [[h["hour"], *(r["label"][:5] for r in hours)],
            [h["expected"], *(str(r["expected"]) for r in hours)],
            *([name, *(str(r["windows"][g]) for r in hours)] for g, name in enumerate(f["groups"])),
            [h["total"], *(str(r["total"]) for r in hours)],
            [h["longest"] + "（分钟）", *(("—" if r["longest_min"] is None else str(r["longest_min"]))
                                        + ("*" if r["over"] else "") for r in hours)]]
    widths = [max(_width(x) for x in column) for column in zip(*rows)]
    lines = [f["title"]] + ["  ".join(_pad(x, w, left=i > 0) for i, (x, w) in enumerate(zip(row, widths)))
                            for row in rows]
    if any(r["over"] for r in hours):
        lines.append("* " + f["over_note"])
    return "\n".join(lines)


def _width(text: str) -> int:
    """Columns a terminal gives `text` (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, left: bool = False) -> str:
    """`text` in `width` columns: names to the left, figures to the right."""
    space = " " * (width - _width(text))
    return space + text if left else text + space
