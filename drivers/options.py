"""A device profile's options, declared as data.

A driver says which options its profile (firmware_configs/devices/<name>.yaml) has, of what
type, in what range, with what default, and which combinations are wrong; it does not read
files. The config loader (hall/config/devices.py) reads the file with these declarations,
reports each mistake at its file and line, and hands the checked values to `make`:

    OPTIONS = (
        Option("paper_width_dots", int, PrinterProfile.paper_width_dots, minval=360, maxval=832),
        Option("cut", str, PrinterProfile.cut, choices=("full", "partial")),
    )

    def check(values: dict) -> list[Mistake]:        # what no single option can say
        ...

    PROFILE = ProfileSpec(OPTIONS, make=lambda values: PrinterProfile(**values), check=check)

docs/drivers.md ("Profiles: options declared as data") lists the declarations.

Kept here, in the bottom layer, so that a driver imports nothing else of the project.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple


@dataclass(frozen=True)
class Option:
    """One value: `type` is str, int, float or bool; `default` when the file omits it."""
    name: str
    type: type
    default: Any
    minval: float | None = None
    maxval: float | None = None
    choices: tuple | None = None
    pattern: str | None = None
    hint: str = ""


@dataclass(frozen=True)
class ProfileRef:
    """The name of another profile, of `kind`; make() gets that profile (None if "")."""
    name: str
    kind: str
    default: str = ""


@dataclass(frozen=True)
class Group:
    """A nested mapping of options; many=True: a list of such mappings. make() gets a dict
    (a list of dicts)."""
    name: str
    options: tuple[Declaration, ...]
    many: bool = False


@dataclass(frozen=True)
class KeyMap:
    """A required mapping of codes low..high to values declared by `value` (its name and
    default unused); make() gets {code: value} in file order."""
    name: str
    value: Option
    low: int = 0
    high: int = 255
    what: str = "key code"


Declaration = Option | ProfileRef | Group | KeyMap


class Mistake(NamedTuple):
    """A problem check() finds, reported at `option`'s line."""
    option: str
    message: str
    hint: str = ""


def no_mistakes(values: dict) -> list[Mistake]:
    return []


@dataclass(frozen=True)
class ProfileSpec:
    """What a profile kind declares: its options, how checked values become the driver's
    typed profile, and the checks across options."""
    options: tuple[Declaration, ...]
    make: Callable[[dict], Any]
    check: Callable[[dict], list[Mistake]] = no_mistakes


def one_of(values: dict, option: str, allowed: tuple, what: str) -> list[Mistake]:
    """A Mistake when `option` is not one of `allowed` (e.g. serial rates)."""
    value = values[option]
    if value is None or value in allowed:
        return []
    return [Mistake(option, f"'{option}' {value} is not {what}",
                    f"use one of {', '.join(map(str, allowed))}")]
