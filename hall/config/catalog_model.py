"""The service catalogue as plain, frozen data (what loader.py reads from YAML).

Field names are the file's option names; the words citizens read for the coded values
(原件, 窗口领取, ...) are here too, one place for each.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Material forms and the words the guide and the one-time notice print for them.
FORMS = {"original": "原件", "copy": "复印件", "original_and_copy": "原件及复印件"}
# How results reach the citizen.
DELIVERIES = {"window": "窗口领取", "post": "邮寄送达", "online": "网上下载"}
NO_FEE = "不收费"
DEFAULT_RETENTION_DAYS = 180


@dataclass(frozen=True)
class Material:
    """One material (申请材料) of an item."""
    name: str                    # "居民身份证"
    form: str = "original"       # a key of FORMS
    count: int = 1               # copies to bring
    later: bool = False          # 容缺受理: may be provided after acceptance
    promise: bool = False        # 告知承诺: a signed promise may replace it
    not_needed: bool = False     # 免提交: the hall reads it (ID card, shared data); not brought
    note: str = ""               # one short line for the citizen
    line: int = field(default=0, compare=False)   # file line, for messages

    @property
    def brought(self) -> bool:
        """Whether the citizen has to bring it (not read by the hall itself)."""
        return not self.not_needed


# Kinds of a kiosk question (one a screen): a pick list, digits on the numeric keypad, a
# mobile number, or letters and digits on the A-Z keypad (a plate, a bank account with
# letters). Chinese answers are pick lists: the kiosk has no Chinese input (docs/kiosk.md).
QUESTION_KINDS = ("choice", "digits", "phone", "letters")


@dataclass(frozen=True)
class Question:
    """What the kiosk asks a self-filing citizen that the ID card does not say."""
    name: str                    # the form field and the question's title: 领取方式
    kind: str = "choice"         # one of QUESTION_KINDS
    choices: tuple[str, ...] = ()  # for "choice"
    min_len: int = 1             # for "digits" and "letters"
    max_len: int = 20
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class AutoCheck:
    """自动核验: rules the server checks when an application is filed at the kiosk; when
    they all hold (and every material is there) it is accepted at once, when one fails it is
    refused at once with the rule's reason."""
    min_age: int | None = None   # whole years on the day of filing, from the ID number
    max_age: int | None = None
    regions: tuple[str, ...] = ()  # ID number prefixes (administrative division codes)
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Item:
    """A service item (政务服务事项) with the facts of its guide (办事指南)."""
    code: str                    # the provincial catalogue's code, or the hall's own
    name: str                    # "社会保障卡申领"
    domain: str                  # one of the catalogue's domains: "社保"
    category: str                # queue (category id of the hall config) that serves it
    windows: tuple[str, ...] = ()      # window ids; () = every window serving the category
    aliases: tuple[str, ...] = ()      # other words people use: "社保卡", "补卡"
    conditions: tuple[str, ...] = ()   # 申请条件
    materials: tuple[Material, ...] = ()
    legal_days: int = 0          # 法定时限, working days; 0 = 即办件
    committed_days: int = 0      # 承诺时限, working days, at most legal_days
    fee: str = NO_FEE            # 收费标准
    basis: tuple[str, ...] = ()  # 设定依据
    delivery: tuple[str, ...] = ("window",)   # keys of DELIVERIES
    kiosk: bool = False          # may be filed at a self-service kiosk
    face_check: bool = False     # ... after face verification (人脸核验)
    retired: bool = False        # no longer offered; kept for history and old tickets
    questions: tuple[Question, ...] = ()   # asked at the kiosk (kiosk items only)
    auto_check: AutoCheck | None = None    # 自动核验 at the kiosk (kiosk items only)
    # Days an application's personal data (form, photos, name) is kept after it is closed.
    retention_days: int = DEFAULT_RETENTION_DAYS
    line: int = field(default=0, compare=False)   # file line, for messages

    @property
    def immediate(self) -> bool:
        """即办件: done while the citizen waits."""
        return self.committed_days == 0


@dataclass(frozen=True)
class Bundle:
    """一件事一次办: items filed together at one window with one set of materials."""
    code: str
    name: str                    # "新生儿出生一件事"
    category: str
    items: tuple[str, ...]       # item codes
    aliases: tuple[str, ...] = ()
    retired: bool = False
    line: int = field(default=0, compare=False)   # file line, for messages


@dataclass(frozen=True)
class Catalog:
    domains: tuple[str, ...] = ()      # in the order of the kiosk's domain tiles
    items: tuple[Item, ...] = ()
    bundles: tuple[Bundle, ...] = ()
    source: str = field(default="", compare=False)
    _by_code: dict = field(default=None, compare=False, repr=False, hash=False)

    def __post_init__(self):
        codes = {entry.code: entry for entry in (*self.items, *self.bundles)}
        object.__setattr__(self, "_by_code", codes)

    def get(self, code: str) -> Item | Bundle | None:
        return self._by_code.get(code)

    def item(self, code: str) -> Item | None:
        entry = self._by_code.get(code)
        return entry if isinstance(entry, Item) else None

    def bundle(self, code: str) -> Bundle | None:
        entry = self._by_code.get(code)
        return entry if isinstance(entry, Bundle) else None

    def offered(self) -> tuple[Item, ...]:
        """The items citizens can ask for (not retired)."""
        return tuple(i for i in self.items if not i.retired)

    def in_domain(self, domain: str) -> tuple[Item, ...]:
        return tuple(i for i in self.offered() if i.domain == domain)
