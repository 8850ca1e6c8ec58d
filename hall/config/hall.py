"""Reading a hall config file (YAML) into a HallConfig, every mistake reported at once.

Each section is read option by option with the typed getters of reader.py, then the parts
are checked against each other (a window's category exists, a display's host is an agent
host, a device profile exists, ...). Every problem names the file and the line and says how
to fix it; a technician fixes the whole file in one pass instead of one error per run.
"""
from __future__ import annotations

import re
from dataclasses import MISSING, fields, replace
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from drivers.face import THRESHOLD_RANGE

from ..protocol.topics import NAME_PATTERN
from .catalog import read_catalog
from .devices import PROFILE_HINT, PROFILE_PATTERN, SITE_DEVICE_KEYS, load_profile, profile_names
from .model import (DEVICE_KINDS, HALL_KINDS, HOST_ROLES, KIOSK_ROOMS, WINDOW_KINDS, Appointments,
                    Cases, Category, DeviceRef, HallConfig, Host, Hours, KioskSettings, Province,
                    QueueRules, Ratings, ServerSettings, SiteRef, SyncSettings, Window,
                    served_categories)
from .reader import REQUIRED, ConfigError, Problems, Section, load_yaml

ID_HINT = "use lower-case letters, digits, '-' or '_' (at most 32), e.g. 'yibao' or '3'"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
DAY = 24 * 60
WINDOW_DEVICES = ("display", "keypad", "evaluator")   # on the agent's display_bus

# Option -> getter limits, for the sections that map one to one onto a dataclass. The type
# (int, bool, text) and the default come from the dataclass field.
RULES_OPTIONS = {
    "max_recalls": dict(minval=0, maxval=9),
    "priority_max_overtakes": dict(minval=0, maxval=99),
    "elderly_age": dict(minval=50, maxval=100),
    "handle_time_default_s": dict(minval=10, maxval=7200),
    "requeue_behind": dict(minval=0, maxval=50),
    "requeue_within_min": dict(minval=0, maxval=240),
}
_PORT = dict(minval=1, maxval=65535)
SERVER_OPTIONS = {
    "database": {},
    "broker": {},
    "broker_port": _PORT,
    "console_host": {},
    "console_port": _PORT,
    "console_behind_tls": {},
    "public_url": dict(pattern=r"https?://[^\s/]+(/\S*)?",
                       hint="the address phones reach the console at, e.g. http://10.0.0.5:8080"),
    "max_payload_bytes": dict(minval=1024, maxval=1048576),
}
KIOSK_OPTIONS = {
    "orientation": dict(choices=("portrait", "landscape")),
    "idle_timeout_s": dict(minval=10, maxval=600),
    "elderly_default": {},
    "elderly_idle_timeout_s": dict(minval=10, maxval=1200),
    "ticket_show_s": dict(minval=3, maxval=120),
    "ticket_show_unprinted_s": dict(minval=3, maxval=600),
    "personal_data_s": dict(minval=10, maxval=120),
    "face_threshold": dict(minval=THRESHOLD_RANGE[0], maxval=THRESHOLD_RANGE[1],
                           hint="calibrated default 0.55 (docs/face.md); lower refuses more people"),
    "a4_printer": dict(pattern=r"([A-Za-z0-9_][A-Za-z0-9_.-]{0,126})?",
                       hint="the CUPS queue name of the kiosk's A4 printer (lpstat -p lists them)"),
    "room": dict(choices=KIOSK_ROOMS),
}
SYNC_OPTIONS = {
    "county": dict(pattern=NAME_PATTERN, hint="the county hall's id, e.g. qingshan-county"),
    "hub": dict(pattern=r"[A-Za-z0-9.-]+:\d{1,5}",
                hint="host:port of the county's Mosquitto hub, e.g. hub.qingshan.gov.cn:8883"),
    "hub_ca": {},
    "key_file": {},
    "book_url": dict(pattern=r"https?://[^\s/]+(/\S*)?",
                     hint="the township's or county's public_url, e.g. https://zwfw.qingshan.gov.cn"),
    "interval_s": dict(minval=0.2, maxval=600),
    "store": {},
    "keys_dir": {},
}
SITE_KINDS = ("township", "village")
APPOINTMENT_OPTIONS = {
    "days_ahead": dict(minval=1, maxval=60),
    "slot_minutes": dict(minval=10, maxval=120),
    "capacity": dict(minval=0, maxval=999),
    "per_person_per_day": dict(minval=1, maxval=9),
    "per_person_open": dict(minval=1, maxval=20),
}
RATINGS_OPTIONS = {
    "change_minutes": dict(minval=0, maxval=1440),
    "comment_max": dict(minval=0, maxval=500),
    "sms_link": {},
}
PROVINCE_OPTIONS = {
    "url": dict(pattern=r"https://[^\s/]+(/\S*)?",
                hint="the platform's HTTPS address, e.g. https://hcp.example.gov.cn/api/ratings"),
    "hall_code": dict(max_len=64),
    "token_file": {}, "cert_file": {}, "key_file": {}, "ca_file": {},
    "timeout_s": dict(minval=1.0, maxval=120.0),
    "batch": dict(minval=1, maxval=500),
}
MAX_REASONS = 20                 # reasons in the configured list (and ticked at once)
CASE_OPTIONS = {
    "rating_days": dict(minval=1, maxval=30),
    "complaint_days": dict(minval=1, maxval=30),
    "warn_days": dict(minval=0, maxval=10),
}
STAFF_PATTERN = r"[A-Za-z0-9_.-]{1,32}"     # a staff account id (yichuang staff add)
STAFF_HINT = "the staff account id (工号) as `yichuang staff add` made it, e.g. '1001'"
# no_show_block: {count, within_days, days} -> the Appointments fields
NO_SHOW_OPTIONS = {"count": ("no_show_count", dict(minval=0, maxval=20)),
                   "within_days": ("no_show_window_days", dict(minval=1, maxval=366)),
                   "days": ("no_show_block_days", dict(minval=1, maxval=366))}
CATEGORY_OPTIONS = {
    "daily_cap": dict(minval=1, maxval=9999),
    "per_person_limit": dict(minval=0, maxval=99),
    "real_name": {},
    "face_verify": {},
    "priority_allowed": {},
    "wait_alert_s": dict(minval=60, maxval=86400),
    "collection": {},
}


def default_devices_dir() -> Path:
    """firmware_configs/devices of the installed package (never relative to the cwd)."""
    return Path(str(resources.files("firmware_configs") / "devices"))


def load_hall_config(path: str | Path, devices_dir: str | Path | None = None) -> HallConfig:
    """Read and check a hall config; ConfigError lists every problem with file and line.

    `devices_dir` replaces the shipped firmware_configs/devices/ when checking that each
    device's profile exists (tests and sites with their own profiles).
    """
    problems = Problems()
    root = load_yaml(path, problems)
    if root.node is None:          # unreadable or not YAML: nothing more to say
        problems.raise_if_any()
    directory = Path(devices_dir) if devices_dir is not None else default_devices_dir()
    config = _read_config(root, directory)
    if config.catalogue and Path(config.catalogue).is_file():
        config = _with_catalog(config, problems)
    problems.raise_if_any()
    return config


def _with_catalog(config: HallConfig, problems: Problems) -> HallConfig:
    """The config with its catalogue read and checked; its mistakes join the config's."""
    return replace(config, catalog=read_catalog(config.catalogue, problems, config))


# -- small helpers ---------------------------------------------------------------------------

def _default(cls, name: str):
    field = next(f for f in fields(cls) if f.name == name)
    return field.default_factory() if field.default is MISSING else field.default


def _read_options(sec: Section, cls, spec: dict[str, dict]) -> dict:
    """Read the options of `spec`, each typed and defaulted by the field of `cls`."""
    getters = {bool: sec.get_bool, int: sec.get_int, float: sec.get_float, str: sec.get_str}
    return {name: getters[type(_default(cls, name))](name, _default(cls, name), **limits)
            for name, limits in spec.items()}


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _chinese_name(sec: Section, option: str, default=REQUIRED, max_len: int = 16) -> str | None:
    """A name citizens read on the kiosk or a display: Chinese, short."""
    value = sec.get_str(option, default, max_len=max_len,
                        hint="citizens read it on screens: keep it short")
    if isinstance(value, str) and not CHINESE.search(value):
        sec.error(sec.node_of(option), f"'{sec.where}.{option}' must be Chinese, got '{value}'",
                  "citizens and staff read this name: write it in Chinese, e.g. 医保业务")
    return value


def _unique(sec: Section, option: str, value, seen: dict, what: str) -> None:
    """Report `value` when an earlier entry already used it (seen: value -> line)."""
    if value is None:
        return
    if value in seen:
        owner, attribute = what.split()
        sec.error(sec.node_of(option),
                  f"{what} '{value}' is used twice (first at line {seen[value]})",
                  f"give every {owner} its own {attribute}")
    else:
        seen[value] = sec.line_of(option)


def _key_node(sec: Section, option: str) -> yaml.Node | None:
    """The node of an option's name: its line is where the option starts in the editor."""
    pairs = sec.node.value if isinstance(sec.node, yaml.MappingNode) else []
    return next((key for key, _value in pairs if getattr(key, "value", None) == option), None)


def _item_node(sec: Section, option: str, value: str) -> yaml.Node | None:
    """The node of one item of a list option, for pointing at its own line."""
    node = sec.node_of(option)
    children = node.value if isinstance(node, yaml.SequenceNode) else []
    return next((child for child in children
                 if isinstance(child, yaml.ScalarNode) and child.value == value), node)


# -- the sections ----------------------------------------------------------------------------

def _read_config(root: Section, devices_dir: Path) -> HallConfig:
    hall = _read_hall(root.section("hall"))
    server = _read_server(root.section("server", required=False))
    province = _read_province(root.section("province", required=False))
    categories = _read_categories(root, hall["kind"])
    hosts = _read_hosts(root.sections("hosts", required=False), devices_dir)
    windows = _read_windows(root, hall["kind"], categories, hosts)
    sync = _read_sync(root.section("sync", required=False), hall)
    root.finish()
    _check_rooms(root, hall, hosts)
    return HallConfig(**hall, server=server, categories=tuple(categories.values()),
                      windows=tuple(windows), hosts=tuple(hosts.values()), sync=sync,
                      province=province,
                      source=str(root.file))


def _read_hall(sec: Section) -> dict:
    """The hall: section as HallConfig fields; only defaults when it is missing (reported)."""
    if sec.node is None:
        return {"id": None, "name": None, "kind": _default(HallConfig, "kind")}
    values = {
        "id": sec.get_str("id", pattern=NAME_PATTERN, hint=ID_HINT),
        "name": _chinese_name(sec, "name", max_len=40),
        "kind": sec.get_str("kind", _default(HallConfig, "kind"), choices=HALL_KINDS),
        "timezone": _read_timezone(sec),
        "hours": _read_hours(sec.section("hours", required=False)),
        "rules": _read_rules(sec.section("rules", required=False)),
        "appointments": _read_appointments(sec.section("appointments", required=False)),
        "cases": _read_cases(sec.section("cases", required=False)),
        "catalogue": _read_catalogue(sec),
        "closures": tuple(sorted(sec.get_dates("closures", []))),
        "self_service": _read_self_service(sec),
        "ratings": _read_ratings(sec.section("ratings", required=False)),
    }
    sec.finish()
    return values


def _read_self_service(hall: Section) -> Hours | None:
    """`self_service_hours:` of the self-service room (24小时自助服务区), like `hours:`; its
    kiosks (kiosk.room: self_service) offer the self-service items while the windows close."""
    sec = hall.section("self_service_hours", required=False)
    return _read_hours(sec) if sec.node is not None else None


def _check_rooms(root: Section, hall: dict, hosts: dict[str, Host]) -> None:
    for host in hosts.values():
        if host.kiosk.room == "self_service" and hall.get("self_service") is None:
            root.problems.add(root.file, host.line, f"kiosk '{host.id}' stands in the "
                              "self-service room, but the hall has no self_service_hours",
                              'add under hall: self_service_hours: {open: "00:00", '
                              'close: "24:00", weekdays: [1, 2, 3, 4, 5, 6, 7]}')


def _read_sync(sec: Section, hall: dict) -> SyncSettings:
    """The `sync:` section: a site names its county and hub, a county lists its sites."""
    if sec.node is None:
        return SyncSettings()
    values = _read_options(sec, SyncSettings, SYNC_OPTIONS)
    sites = tuple(_read_site(entry, seen) for seen in [{}]
                  for entry in sec.sections("sites", required=False))
    sec.finish()
    kind = hall.get("kind")
    if values["county"]:
        if kind == "county":
            sec.error(sec.node_of("county"), "a county hall has no county above it here",
                      "set hall.kind to township or village, or remove sync.county")
        if values["county"] == hall.get("id"):
            sec.error(sec.node_of("county"), "a site cannot be its own county",
                      "write the county hall's id")
        if not values["hub"]:
            sec.error(_key_node(sec, "county") or sec.node, "a site needs the county's hub",
                      "add hub: host:port of the county's Mosquitto (e.g. hub.example:8883)")
    elif values["hub"] or values["book_url"]:
        option = "hub" if values["hub"] else "book_url"
        sec.error(sec.node_of(option), f"{option} without county", "add county: <the county's hall id>")
    if sites and kind != "county":
        sec.error(_key_node(sec, "sites"), f"a {kind} hall has no sites of its own",
                  "list sites only in the county's config")
    for option in ("hub_ca", "keys_dir"):
        values[option] = _relative(sec, option, values[option])
    return SyncSettings(**values, sites=sites)


def _relative(sec: Section, option: str, value: str) -> str:
    """A file or folder named relative to the config file, kept as an absolute path."""
    return str((Path(sec.file).parent / value).resolve()) if value else ""


def _read_site(entry: Section, seen: dict) -> SiteRef:
    site_id = entry.get_str("id", pattern=NAME_PATTERN, hint=ID_HINT)
    _unique(entry, "id", site_id, seen, "site id")
    kind = entry.get_str("kind", "township", choices=SITE_KINDS)
    name = _chinese_name(entry, "name", "", max_len=40) if entry.node_of("name") else ""
    entry.finish()
    return SiteRef(id=site_id or "", kind=kind, name=name or "", line=entry.line)


def _read_rules(sec: Section) -> QueueRules:
    rules = QueueRules(**_read_options(sec, QueueRules, RULES_OPTIONS))
    sec.finish()
    return rules


def _read_appointments(sec: Section) -> Appointments:
    values = _read_options(sec, Appointments, APPOINTMENT_OPTIONS)
    block = sec.section("no_show_block", required=False)
    for option, (name, limits) in NO_SHOW_OPTIONS.items():
        values[name] = block.get_int(option, _default(Appointments, name), **limits)
    block.finish()
    values["extended"] = tuple(_read_span(entry) for entry in
                               sec.sections("extended_hours", required=False))
    values["weekend"] = tuple((entry.get_int("weekday", minval=6, maxval=7,
                                             hint="6 is Saturday, 7 is Sunday") or 6,
                               *_read_span(entry))
                              for entry in sec.sections("weekend_service", required=False))
    sec.finish()
    if values["slot_minutes"] and 60 % values["slot_minutes"] and values["slot_minutes"] % 60:
        sec.error(sec.node_of("slot_minutes"), f"slot_minutes {values['slot_minutes']} does not "
                  "divide an hour", "use 15, 20, 30 or 60 (30: half-hour slots)")
    return Appointments(**{k: v for k, v in values.items() if v is not None})


def _read_ratings(sec: Section) -> Ratings:
    """hall.ratings: the bad-rating reasons (Chinese, short, each once) and the time limits."""
    values = _read_options(sec, Ratings, RATINGS_OPTIONS)
    reasons = sec.get_list("reasons", list(_default(Ratings, "reasons")), min_len=1)
    for reason in reasons:
        if not CHINESE.search(reason) or len(reason) > 16:
            sec.error(_item_node(sec, "reasons", reason), f"reason '{reason}' is not a short "
                      "Chinese phrase", "citizens tick it on a phone or kiosk: e.g. 等候时间长")
    if len(set(reasons)) != len(reasons) or len(reasons) > MAX_REASONS:
        sec.error(sec.node_of("reasons"), f"'{sec.where}.reasons' needs 1 to {MAX_REASONS} "
                  "different reasons", "list each reason once")
    sec.finish()
    return Ratings(reasons=tuple(reasons), **values)


def _read_province(sec: Section) -> Province:
    """province: where the ratings go up to; the credentials stay in files of their own."""
    values = _read_options(sec, Province, PROVINCE_OPTIONS)
    sec.finish()
    for option in ("token_file", "cert_file", "key_file", "ca_file"):
        if values[option] and not values["url"]:
            sec.error(sec.node_of(option), f"'province.{option}' is set but 'province.url' is not",
                      "give the platform's url, or remove the province section")
    return Province(**values)

def _read_cases(sec: Section) -> Cases:
    """hall.cases: deadlines, and the lead of each department ({department, staff} entries)."""
    values = _read_options(sec, Cases, CASE_OPTIONS)
    values["default_lead"] = sec.get_str("default_lead", "", pattern=f"({STAFF_PATTERN})?",
                                         hint=STAFF_HINT)
    seen: dict = {}
    leads = []
    for entry in sec.sections("leads", required=False):
        department = entry.get_str("department", max_len=16)
        staff = entry.get_str("staff", pattern=STAFF_PATTERN, hint=STAFF_HINT)
        entry.finish()
        _unique(entry, "department", department, seen, "lead department")
        if department and staff and department not in dict(leads):
            leads.append((department, staff))
    sec.finish()
    values["leads"] = tuple(leads)
    return Cases(**values)


def _read_span(entry: Section) -> tuple[int, int]:
    """{from: "17:30", to: "19:00"}: a span of service hours (延时, 错时, weekend)."""
    start, end = entry.get_time("from"), entry.get_time("to")
    entry.finish()          # a weekend entry's weekday is read before
    if start is not None and end is not None and not start < end:
        entry.error(entry.node_of("to"), f"'{entry.where}' ends ({_hhmm(end)}) before it "
                    f"starts ({_hhmm(start)})", "write the earlier time under from:")
    return (start or 0, end or 0)


def _read_timezone(hall: Section) -> str:
    value = hall.get_str("timezone", _default(HallConfig, "timezone"))
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        hall.error(hall.node_of("timezone"), f"unknown time zone '{value}'",
                   "use an IANA time zone name such as Asia/Shanghai or Asia/Urumqi")
    return value


def _read_catalogue(hall: Section) -> str:
    """The service catalogue file, written relative to the config, kept as an absolute path."""
    value = hall.get_str("catalogue", "")
    if not value:
        return ""
    path = (Path(hall.file).parent / value).resolve()
    if not path.is_file():
        hall.error(hall.node_of("catalogue"), f"catalogue file '{value}' not found",
                   f"the path is relative to the config file's folder; looked for {path}")
    return str(path)


def _read_hours(sec: Section) -> Hours:
    open_ = sec.get_time("open", _default(Hours, "open"))
    close = sec.get_time("close", _default(Hours, "close"))
    lunch = _read_lunch(sec)
    weekdays = sec.get_list("weekdays", list(_default(Hours, "weekdays")), item_type=int,
                            min_len=1)
    on_holidays = sec.get_bool("open_on_holidays", _default(Hours, "open_on_holidays"))
    all_day = open_ == 0 and close == DAY
    # A 24-hour hall never stops issuing before "close", unless told to.
    last = sec.get_int("last_ticket_before_close",
                       0 if all_day else _default(Hours, "last_ticket_before_close"),
                       minval=0, maxval=240)
    sec.finish()
    _check_hours(sec, open_, close, lunch, last)
    _check_weekdays(sec, weekdays)
    return Hours(open=open_, close=close, lunch=lunch, weekdays=tuple(sorted(set(weekdays))),
                 last_ticket_before_close=last, open_on_holidays=on_holidays)


def _read_lunch(sec: Section) -> tuple[int, int] | None:
    """`lunch: ["12:00", "13:30"]`: the break, or None when the hall serves through noon."""
    node = sec.node_of("lunch")
    sec.get("lunch", None)         # mark it read; the items are parsed below
    if node is None:
        return None
    if not isinstance(node, yaml.SequenceNode) or len(node.value) != 2 or not all(
            isinstance(child, yaml.ScalarNode) for child in node.value):
        sec.error(node, f"'{sec.where}.lunch' must be two times [start, end]",
                  'write it as lunch: ["12:00", "13:30"]')
        return None
    times = [_time_item(sec, child) for child in node.value]
    return None if None in times else (times[0], times[1])


def _time_item(sec: Section, node: yaml.ScalarNode) -> int | None:
    # A one-item view of the list's node reuses the reader's time parsing and messages.
    key = yaml.ScalarNode("tag:yaml.org,2002:str", "lunch", node.start_mark, node.end_mark)
    view = Section(sec.file, yaml.MappingNode("tag:yaml.org,2002:map", [(key, node)],
                                              node.start_mark, node.end_mark),
                   sec.where, sec.problems)
    return view.get_time("lunch")


def _check_hours(sec: Section, open_, close, lunch, last) -> None:
    if None in (open_, close, last):
        return
    if not open_ < close:
        sec.error(sec.node_of("close") or sec.node_of("open"),
                  f"the hall closes ({_hhmm(close)}) before it opens ({_hhmm(open_)})",
                  "close must be later than open; a 24-hour hall is open: \"00:00\", "
                  "close: \"24:00\"")
        return
    if lunch and not open_ < lunch[0] < lunch[1] < close:
        sec.error(sec.node_of("lunch"),
                  f"lunch {_hhmm(lunch[0])}-{_hhmm(lunch[1])} is not inside the opening hours "
                  f"{_hhmm(open_)}-{_hhmm(close)}",
                  "the break must start after open, end before close, and end after it starts")
    if last >= close - open_:
        sec.error(sec.node_of("last_ticket_before_close"),
                  f"last_ticket_before_close ({last} min) leaves no time to issue tickets",
                  f"the hall is open {close - open_} minutes a day; use a smaller number")


def _check_weekdays(sec: Section, weekdays: list[int]) -> None:
    for day in weekdays:
        if not 1 <= day <= 7:
            sec.error(_item_node(sec, "weekdays", str(day)), f"weekday {day} is not 1..7",
                      "1 is Monday, 7 is Sunday, e.g. [1, 2, 3, 4, 5]")
    if len(set(weekdays)) != len(weekdays):
        sec.error(sec.node_of("weekdays"), "a weekday is listed twice", "list each day once")


def _read_server(sec: Section) -> ServerSettings:
    values = _read_options(sec, ServerSettings, SERVER_OPTIONS)
    sec.finish()
    if values["broker"]:
        _check_broker_url(sec, values["broker"])
    elif values["broker_port"] == values["console_port"]:
        sec.error(sec.node_of("console_port") or sec.node_of("broker_port"),
                  f"the embedded broker and the console both want port {values['console_port']}",
                  "give console_port and broker_port different numbers")
    return ServerSettings(**values)


def _check_broker_url(sec: Section, url: str) -> None:
    node = sec.node_of("broker")
    hint = "write it as mqtt://host:1883 or mqtts://user:password@host:8883"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        sec.error(node, f"'server.broker' has a bad port: '{url}'", hint)
        return
    if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
        sec.error(node, f"'server.broker' is not an mqtt:// or mqtts:// address: '{url}'", hint)
    elif port == 0 or parts.path not in ("", "/") or parts.query or parts.fragment:
        sec.error(node, f"'server.broker' has extra parts: '{url}'", hint)


def _read_categories(root: Section, kind: str) -> dict[str, Category]:
    """Categories by id, in file order; a county or township hall needs at least one."""
    secs = root.sections("categories", required=kind != "village")
    if not secs and isinstance(root.node_of("categories"), yaml.SequenceNode) \
            and kind != "village":
        root.error(_key_node(root, "categories"), f"a {kind} hall needs at least one category",
                   "add a category such as {id: zonghe, prefix: A, name: 综合业务}")
    out: dict[str, Category] = {}
    ids: dict = {}
    prefixes: dict = {}
    for sec in secs:
        category = _read_category(sec)
        _unique(sec, "id", category.id, ids, "category id")
        _unique(sec, "prefix", category.prefix, prefixes, "category prefix")
        out.setdefault(category.id, category)
    return out


def _read_category(sec: Section) -> Category:
    category_id = sec.get_str("id", pattern=NAME_PATTERN, hint=ID_HINT)
    prefix = sec.get_str("prefix", pattern="[A-Z]",
                         hint="one capital letter A-Z, each category its own (tickets read A012)")
    name = _chinese_name(sec, "name")
    values = _read_options(sec, Category, CATEGORY_OPTIONS)
    services = sec.get_list("services", [], item_type=str)
    sec.finish()
    if values["per_person_limit"] and values["real_name"] is False:
        sec.error(sec.node_of("per_person_limit"),
                  "per_person_limit needs real_name: true (tickets are counted per ID number)",
                  "set real_name: true, or per_person_limit: 0")
    if values["face_verify"] and values["real_name"] is False:
        sec.error(sec.node_of("face_verify"),
                  "face_verify needs real_name: true (the face is compared with the ID card's photo)",
                  "set real_name: true, or face_verify: false")
    return Category(id=category_id, prefix=prefix, name=name, services=tuple(services),
                    line=sec.line, **values)


def _read_hosts(secs: list[Section], devices_dir: Path) -> dict[str, Host]:
    out: dict[str, Host] = {}
    ids: dict = {}
    for sec in secs:
        host = _read_host(sec, devices_dir)
        _unique(sec, "id", host.id, ids, "host id")
        out.setdefault(host.id, host)
    return out


def _read_host(sec: Section, devices_dir: Path) -> Host:
    host_id = sec.get_str("id", pattern=NAME_PATTERN, hint=ID_HINT)
    role = sec.get_str("role", choices=HOST_ROLES,
                       hint="kiosk: a ticket kiosk; agent: drives the window displays' bus")
    kiosk_sec = sec.section("kiosk", required=False)
    if sec.has("kiosk") and role != "kiosk":
        sec.error(sec.node_of("kiosk"), f"host '{host_id}' is not a kiosk but has kiosk: settings",
                  "remove the kiosk: section or set role: kiosk")
    kiosk = KioskSettings(**_read_options(kiosk_sec, KioskSettings, KIOSK_OPTIONS))
    kiosk_sec.finish()
    devices = _read_devices(sec.section("devices", required=False), devices_dir)
    sec.finish()
    return Host(id=host_id, role=role, devices=devices, kiosk=kiosk, line=sec.line)


def _read_devices(sec: Section, devices_dir: Path) -> tuple[DeviceRef, ...]:
    # Asking for every known kind makes finish() name them all when a kind is misspelt.
    entries = {kind: sec.section(kind, required=False) for kind in DEVICE_KINDS}
    sec.finish()
    return tuple(_read_device(kind, entry, devices_dir)
                 for kind, entry in entries.items() if entry.node is not None)


def _read_device(kind: str, sec: Section, devices_dir: Path) -> DeviceRef:
    profile = sec.get_str("profile", pattern=PROFILE_PATTERN, hint=PROFILE_HINT)
    port = sec.get_str("port", _default(DeviceRef, "port"))
    settings = None
    if isinstance(profile, str) and re.fullmatch(PROFILE_PATTERN, profile):
        settings = _load_profile(kind, sec, profile, devices_dir)
    options = tuple((key, _override(sec, key)) for key in sec.keys()
                    if key not in SITE_DEVICE_KEYS)
    sec.finish()
    return DeviceRef(kind=kind, profile=profile, port=port, options=options, line=sec.line,
                     settings=settings)


def _override(sec: Section, key: str):
    """A profile override: a single value or a list of them (kept hashable)."""
    if isinstance(sec.node_of(key), yaml.MappingNode):
        sec.error(sec.node_of(key), f"'{sec.where}.{key}' must be a single value or a list",
                  "device options override single values of the device profile")
        sec.get(key)
        return None
    value = sec.get(key)
    return tuple(value) if isinstance(value, list) else value


def _load_profile(kind: str, sec: Section, profile: str, devices_dir: Path):
    """The device's typed profile; a bad value in the profile or in the site's overrides is
    reported at its own file and line."""
    if (devices_dir / f"{profile}.yaml").is_file():
        return load_profile(profile, sec.problems, kind=kind, overrides=sec,
                            directory=devices_dir)
    known = profile_names(devices_dir)
    sec.error(sec.node_of("profile"), f"no device profile '{profile}' in {devices_dir}",
              f"profiles available: {', '.join(known)}" if known else
              "that folder has no profiles yet: add <profile>.yaml there")


def _read_windows(root: Section, kind: str, categories: dict[str, Category],
                  hosts: dict[str, Host]) -> list[Window]:
    secs = root.sections("windows", required=False)
    if kind == "village":
        if secs or root.has("windows"):
            root.error(_key_node(root, "windows"), "a village station has no windows",
                       "remove the windows: section, or set hall.kind: township")
        return []
    if not secs:
        root.error(_key_node(root, "windows") or _key_node(root, "categories"),
                   f"a {kind} hall needs at least one window",
                   "add a window under windows:, e.g. {id: '1', kind: comprehensive}")
        return []
    ids: dict = {}
    used: dict = {}          # (agent host, bus address) -> who has it
    windows = []
    for sec in secs:
        window = _read_window(sec, categories, hosts, used)
        _unique(sec, "id", window.id, ids, "window id")
        windows.append(window)
    _check_served(root, categories, windows)
    return windows


def _read_window(sec: Section, categories: dict[str, Category], hosts: dict[str, Host],
                 used: dict) -> Window:
    window_id = sec.get_str("id", pattern=NAME_PATTERN, hint=ID_HINT)
    name = _chinese_name(sec, "name", default=f"{window_id}号窗口")
    kind = sec.get_str("kind", _default(Window, "kind"), choices=WINDOW_KINDS,
                       hint="comprehensive serves every category; domain and dedicated only "
                            "their own")
    listed = _window_categories(sec, kind, categories)
    places = {device: _bus_place(sec, device, window_id, hosts, used) for device in WINDOW_DEVICES}
    department = sec.get_str("department", "", max_len=16)
    sec.finish()
    return Window(id=window_id, name=name, kind=kind, categories=tuple(listed), line=sec.line,
                  department=department, **places)


def _window_categories(sec: Section, kind: str, categories: dict[str, Category]) -> list[str]:
    listed = sec.get_list("categories", [], item_type=str)
    if kind in ("domain", "dedicated") and not listed:
        sec.error(_key_node(sec, "categories") or sec.node, f"a {kind} window needs its categories",
                  "list the category ids it serves, e.g. categories: [yibao]")
    out: list[str] = []
    for category_id in listed:
        node = _item_node(sec, "categories", category_id)
        if category_id not in categories:
            sec.error(node, f"window category '{category_id}' is not a category of this hall",
                      f"categories are: {', '.join(categories)}" if categories else
                      "add it under categories:")
        elif category_id in out:
            sec.error(node, f"category '{category_id}' is listed twice", "list it once")
        else:
            out.append(category_id)
    return out


def _bus_place(win: Section, device: str, window_id: str, hosts: dict[str, Host],
               used: dict) -> tuple[str, int] | None:
    """`display: {host: a1, address: 3}`: where a window device sits on an agent's bus."""
    sec = win.section(device, required=False)
    if sec.node is None:           # absent, or not a mapping (already reported)
        return None
    host_id = sec.get_str("host", pattern=NAME_PATTERN, hint="the id of an agent host")
    address = sec.get_int("address", minval=1, maxval=254,
                          hint="the device's bus address, set on the device itself")
    sec.finish()
    _check_bus_host(sec, host_id, hosts)
    if (host_id, address) in used:
        sec.error(sec.node_of("address"),
                  f"address {address} on host '{host_id}' is already {used[host_id, address]}",
                  "every display, keypad and evaluator on one bus needs its own address")
    elif host_id is not None and address is not None:
        used[host_id, address] = f"window {window_id}'s {device}"
    return host_id, address


def _check_bus_host(sec: Section, host_id: str | None, hosts: dict[str, Host]) -> None:
    host = hosts.get(host_id)
    agents = [h.id for h in hosts.values() if h.role == "agent"]
    if host_id is None:
        return
    if host is None:
        sec.error(sec.node_of("host"), f"no host '{host_id}' under hosts:",
                  f"agent hosts are: {', '.join(agents)}" if agents else
                  "add an agent host under hosts: (role: agent, devices: display_bus)")
    elif host.role != "agent":
        sec.error(sec.node_of("host"), f"host '{host_id}' is a {host.role}, not an agent",
                  "window displays, keypads and evaluators hang on an agent host's bus")
    elif not any(d.kind == "display_bus" for d in host.devices):
        sec.error(sec.node_of("host"), f"agent host '{host_id}' has no display_bus device",
                  f"add devices: display_bus: {{profile: ..., port: ...}} to host '{host_id}'")


def _check_served(root: Section, categories: dict[str, Category], windows: list[Window]) -> None:
    served = {c for w in windows for c in served_categories(w, list(categories))}
    for category in categories.values():
        if category.id not in served:
            root.problems.add(root.file, category.line,
                              f"no window serves category '{category.id}' ({category.name})",
                              "add it to a window's categories, or add a comprehensive window "
                              "(it serves every category)")


__all__ = ["ConfigError", "default_devices_dir", "load_hall_config"]
