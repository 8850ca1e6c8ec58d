"""The hall's configuration as plain, frozen data (what config/hall.py reads from YAML).

The queue engine takes only these objects: it never sees YAML, files or lines.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from drivers.face import DEFAULT_THRESHOLD as FACE_THRESHOLD

HALL_KINDS = ("county", "township", "village")
WINDOW_KINDS = ("comprehensive", "domain", "dedicated")
HOST_ROLES = ("kiosk", "agent")
KIOSK_ROOMS = ("hall", "self_service")
# Device kinds a host may drive; the agent's display_bus also carries keypads and evaluator pads.
# A booking code (预约码): random digits, typed at the kiosk or scanned from its QR code.
BOOKING_CODE_DIGITS = 8
DEVICE_KINDS = ("printer", "card_reader", "camera", "display_bus", "voice", "scanner",
                "document_camera")
# What the working-day calendar says a date is (hall/workdays.py WorkingDays.day_kind):
# "ordinary" is a day judged by its weekday alone (no calendar at hand).
DAY_KINDS = ("working", "weekend", "holiday", "closure", "ordinary")


@dataclass(frozen=True)
class Hours:
    """Opening hours in minutes after hall-local midnight; 0..1440 is a 24-hour hall."""
    open: int = 8 * 60 + 30
    close: int = 17 * 60 + 30
    lunch: tuple[int, int] | None = None          # (start, end) or None: no break
    weekdays: tuple[int, ...] = (1, 2, 3, 4, 5)   # ISO weekdays the hall opens in ordinary weeks
    last_ticket_before_close: int = 30            # minutes before close that issuing stops
    open_on_holidays: bool = False                # a public holiday closes the hall unless set

    def opens_on(self, weekday: int, day: str = "ordinary") -> bool:
        """The one rule of opening days. `day` is the calendar's word for the date (DAY_KINDS):
        a local closure always closes; a public holiday closes unless `open_on_holidays`; a
        make-up working day (调休, a working Saturday or Sunday) opens; any other day opens
        when its weekday is in `weekdays`."""
        if day == "closure":
            return False
        if day == "holiday":
            return self.open_on_holidays
        return weekday in self.weekdays or (day == "working" and weekday >= 6)

    def is_open(self, weekday: int, minute: int, day: str = "ordinary") -> bool:
        """Whether tickets may be issued at this ISO weekday and minute of day."""
        if not self.opens_on(weekday, day):
            return False
        if not self.open <= minute < self.close - self.last_ticket_before_close:
            return False
        return not (self.lunch and self.lunch[0] <= minute < self.lunch[1])


@dataclass(frozen=True)
class Category:
    """A queue with its own ticket prefix (业务类别 / 号段)."""
    id: str                      # "a", "yibao"
    prefix: str                  # "A"
    name: str                    # "综合业务"
    daily_cap: int = 999         # tickets a day; numbers run 001..cap
    per_person_limit: int = 0    # tickets a day per ID number; 0 = no limit
    real_name: bool = False      # an ID card (or number) is required to take a ticket
    face_verify: bool = False    # 人证核验 at the kiosk: the card holder's face (docs/face.md)
    priority_allowed: bool = True
    services: tuple[str, ...] = ()     # service item codes of the catalogue
    wait_alert_s: int = 1800     # the manager is alerted when a wait exceeds this
    collection: bool = False     # 统一出件: the queue where finished applications are collected
    line: int = 0                # config line, for messages


@dataclass(frozen=True)
class Window:
    """A service counter (窗口)."""
    id: str                      # "3"
    name: str                    # "3号窗口"
    kind: str = "comprehensive"  # comprehensive | domain | dedicated
    # What it calls from, most preferred first. A comprehensive window serves every category:
    # HallConfig adds the ones it does not list, after the listed ones (served_categories).
    categories: tuple[str, ...] = ()
    display: tuple[str, int] | None = None    # (agent host id, bus address) of its LED display
    keypad: tuple[str, int] | None = None     # (agent host id, bus address) of its caller keypad
    evaluator: tuple[str, int] | None = None  # (agent host id, bus address) of its evaluator pad
    # The department answering for what happens here when the item is unknown (cases):
    # usually one of the catalogue's domains ("社保"); "" = the hall's default lead.
    department: str = ""
    line: int = 0


def served_categories(window: Window, category_ids: list[str]) -> tuple[str, ...]:
    """The one rule of what a window serves: its own categories; a comprehensive window
    then every other category of the hall."""
    if window.kind != "comprehensive":
        return window.categories
    return window.categories + tuple(c for c in category_ids if c not in window.categories)


@dataclass(frozen=True)
class DeviceRef:
    """A device on a host: which driver profile sits on which port."""
    kind: str                    # printer, card_reader, camera, display_bus, voice, ...
    profile: str                 # name of a file in firmware_configs/devices/
    port: str = ""               # /dev/ttyUSB0, socket://host:port, usb:VID:PID, ...
    options: tuple[tuple[str, object], ...] = ()   # profile overrides
    line: int = 0
    # The driver's typed profile with the overrides applied, checked when the hall config
    # is loaded (hall/config/devices.py); None only where the profile itself had problems.
    settings: object = field(default=None, compare=False)


@dataclass(frozen=True)
class KioskSettings:
    """How a kiosk behaves for citizens (read from a kiosk host's `kiosk:` section)."""
    orientation: str = "portrait"        # portrait (1080x1920) | landscape (1920x1080)
    idle_timeout_s: int = 60             # back to the home screen after this long untouched
    elderly_default: bool = False        # start in elderly mode (适老模式)
    elderly_idle_timeout_s: int = 120
    ticket_show_s: int = 20              # how long a printed ticket stays on screen
    ticket_show_unprinted_s: int = 90    # ... and when the printer could not print it
    personal_data_s: int = 30            # a screen with a typed or read ID number, untouched
    room: str = "hall"                   # hall | self_service (the 24-hour self-service room)
    face_threshold: float = FACE_THRESHOLD   # 人证核验: the largest matching distance (docs/face.md)
    a4_printer: str = ""                 # CUPS queue of an A4 printer beside the kiosk ("" = none)


@dataclass(frozen=True)
class Host:
    """A machine of the hall other than the server: a kiosk board or a display agent."""
    id: str
    role: str                    # kiosk | agent
    devices: tuple[DeviceRef, ...] = ()
    kiosk: KioskSettings = field(default_factory=KioskSettings)
    line: int = 0


@dataclass(frozen=True)
class QueueRules:
    """Rules of calling that are the same for every category of the hall."""
    max_recalls: int = 2                 # after this many recalls the next skip is automatic
    priority_max_overtakes: int = 3      # a normal ticket is passed by priority tickets at most this often
    elderly_age: int = 65                # ID card holders this old get an elderly ticket
    handle_time_default_s: int = 300     # handle time assumed before today's first finish
    requeue_behind: int = 3              # 过号重排: a skipped ticket comes back behind this many
    requeue_within_min: int = 30         # ... if asked within this many minutes (0: never)


@dataclass(frozen=True)
class Appointments:
    """Booking a time at the hall (预约办理): which days and slots, how many, and for whom.

    Slots are cut from the opening hours on working days (the working-day calendar, make-up
    days included), from the 延时/错时 `extended` spans on the same days, and from the
    `weekend` spans on ordinary weekends (never on a public holiday or a local closure).
    Times are minutes after hall-local midnight, like Hours."""
    days_ahead: int = 7                  # bookable up to this many days after today
    slot_minutes: int = 30
    capacity: int = 3                    # bookings per category per slot, until the manager sets it
    per_person_per_day: int = 1          # bookings of one ID number on one day
    per_person_open: int = 3             # bookings of one ID number not yet due, at a time
    extended: tuple[tuple[int, int], ...] = ()        # 延时/错时 spans of every working day
    weekend: tuple[tuple[int, int, int], ...] = ()    # (ISO weekday 6 or 7, start, end)
    no_show_count: int = 3               # this many missed bookings ...
    no_show_window_days: int = 90        # ... within this many days ...
    no_show_block_days: int = 30         # ... block booking for this many days after the last


@dataclass(frozen=True)
class Cases:
    """Bad-rating cases and 办不成事 complaints (queue_server/cases): who answers, how soon.

    A case goes to the lead of its department (the item's domain, else the window's
    department); a department not in `leads` goes to `default_lead`. Deadlines count
    working days after the day the case is opened (hall/workdays.py)."""
    rating_days: int = 5                 # a bad rating is rectified within this many working days
    complaint_days: int = 5              # a 办不成事 complaint is answered within this many
    warn_days: int = 1                   # the dashboard warns this many working days before
    leads: tuple[tuple[str, str], ...] = ()   # (department, staff account), in file order
    default_lead: str = ""               # "" = the case waits for a manager to assign it

    def lead_of(self, department: str | None) -> str | None:
        return dict(self.leads).get(department or "") or self.default_lead or None

    def days_for(self, kind: str) -> int:
        return self.complaint_days if kind == "complaint" else self.rating_days


@dataclass(frozen=True)
class ServerSettings:
    """The queue server process (the `server:` section)."""
    database: str = ""                   # SQLite file; "" = var/<hall id>.sqlite beside the config
    broker: str = ""                     # mqtt://user:pass@host:port; "" = embedded broker
    broker_port: int = 1883              # port of the embedded broker
    console_host: str = "0.0.0.0"
    console_port: int = 8080
    console_behind_tls: bool = False     # an HTTPS proxy serves the console: Secure cookies, HSTS
    public_url: str = "http://127.0.0.1:8080"   # base of the mobile ticket links in QR codes
    max_payload_bytes: int = 16384


# The reasons a citizen may tick for a bad rating (不满意, 非常不满意), as halls following
# GB/T 39734-2020 list them; a hall replaces them with `hall.ratings.reasons`.
RATING_REASONS = ("态度差", "办事效率低", "等候时间长", "多次跑动", "一次性告知不到位",
                  "材料要求不清楚", "收费不合理", "办事不公开透明", "环境设施不便", "其他")


@dataclass(frozen=True)
class Ratings:
    """好差评 (queue_server/ratings.py): what a citizen may say, and for how long."""
    reasons: tuple[str, ...] = RATING_REASONS   # the bad-rating reasons to pick from
    change_minutes: int = 10             # a rating can be changed this long after it was given
    comment_max: int = 200               # characters of free text
    sms_link: bool = True                # text a rating link after the service where a phone is known


@dataclass(frozen=True)
class Province:
    """The provincial 好差评 platform the ratings (and cases) go up to (queue_server/province.py).
    Credentials are read from files outside the database; url "" = no reporting."""
    url: str = ""                        # https://... the platform's receiving address
    hall_code: str = ""                  # this hall's code at the platform; "" = hall.id
    token_file: str = ""                 # a file holding the bearer token ("" = none)
    cert_file: str = ""                  # client certificate (PEM) for mutual TLS ("" = none)
    key_file: str = ""                   # its private key (PEM); "" = in cert_file
    ca_file: str = ""                    # CA to trust for the platform; "" = the system's
    timeout_s: float = 10.0              # one request's timeout
    batch: int = 50                      # records sent per round


@dataclass(frozen=True)
class SiteRef:
    """A site of a county (the county's `sync.sites`): a township centre or village station."""
    id: str
    kind: str = "township"               # township | village
    name: str = ""
    line: int = 0


@dataclass(frozen=True)
class SyncSettings:
    """Sync with the county (the `sync:` section, docs/sync.md). A site sets `county` and
    `hub`; the county lists its `sites` and its PostgreSQL `store`."""
    county: str = ""                     # site: the county's hall id ("" = this hall syncs with none)
    hub: str = ""                        # site: host:port of the county's Mosquitto hub
    hub_ca: str = ""                     # site: CA file of the hub's TLS listener ("" = plain TCP)
    key_file: str = ""                   # site: the sync key ("" = <database>.synckey)
    book_url: str = ""                   # village: public_url of the township or county hall
                                         # whose /book page its kiosk shows as a QR code
    interval_s: float = 2.0              # how often what is owed is sent again (after its back-off)
    sites: tuple[SiteRef, ...] = ()      # county: its sites
    store: str = ""                      # county: PostgreSQL conninfo of the county store
    keys_dir: str = ""                   # county: folder of <site>.key, the sites' sync keys

    @property
    def is_site(self) -> bool:
        return bool(self.county)

    def site(self, site_id: str) -> SiteRef | None:
        return next((s for s in self.sites if s.id == site_id), None)


@dataclass(frozen=True)
class HallConfig:
    id: str
    name: str
    kind: str = "county"
    timezone: str = "Asia/Shanghai"
    hours: Hours = field(default_factory=Hours)
    rules: QueueRules = field(default_factory=QueueRules)
    appointments: Appointments = field(default_factory=Appointments)
    cases: Cases = field(default_factory=Cases)
    categories: tuple[Category, ...] = ()
    windows: tuple[Window, ...] = ()
    hosts: tuple[Host, ...] = ()
    server: ServerSettings = field(default_factory=ServerSettings)
    ratings: Ratings = field(default_factory=Ratings)
    province: Province = field(default_factory=Province)
    catalogue: str = ""          # path of the service catalogue file, relative to the config
    sync: SyncSettings = field(default_factory=SyncSettings)
    # The self-service room (24小时自助服务区): its kiosks offer the self-service items during
    # these hours while the windows are closed; None = no such room.
    self_service: Hours | None = None
    closures: tuple[dt.date, ...] = ()   # local closing days (besides the national holidays)
    source: str = ""             # the file this was read from
    # The service catalogue read from `catalogue` (hall.catalog.Catalog), checked against
    # this config's categories and windows; None when the hall has none.
    catalog: object = field(default=None, compare=False)

    def __post_init__(self):
        # Expanded once here, so that every reader of Window.categories sees what it serves.
        ids = [c.id for c in self.categories]
        object.__setattr__(self, "windows", tuple(
            replace(w, categories=served_categories(w, ids)) for w in self.windows))

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def window(self, window_id: str) -> Window | None:
        return next((w for w in self.windows if w.id == window_id), None)

    @property
    def collection(self) -> Category | None:
        """统一出件's queue (the category marked collection: true), if the hall has one."""
        return next((c for c in self.categories if c.collection), None)

    def collection_windows(self) -> list[Window]:
        """The windows that hand results out: those that list 统一出件's queue themselves (a
        comprehensive window serves it too, but only as one of all)."""
        queue = self.collection
        if queue is None:
            return []
        return [w for w in self.windows if w.kind != "comprehensive" and queue.id in w.categories] \
            or [w for w in self.windows if queue.id in w.categories]

    def host(self, host_id: str) -> Host | None:
        return next((h for h in self.hosts if h.id == host_id), None)

    def windows_on_agent(self, host_id: str) -> list[Window]:
        """The windows whose display, keypad or evaluator pad an agent host drives."""
        return [w for w in self.windows
                if any(place and place[0] == host_id for place in (w.display, w.keypad, w.evaluator))]
