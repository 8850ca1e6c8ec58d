"""Device model profiles: firmware_configs/devices/<name>.yaml, data not code.

A profile file names its `kind` and sets that kind's options; a site config's device entry
names the profile and may override options. Each kind's driver declares its options as data
(drivers/options.py: types, ranges, defaults, checks across options); this loader reads the
merged options with the typed getters of reader.py, so a wrong value reports the profile
file (or the site file, for an override) and its line, then hands the values to the
driver's `make`:

    PROFILE_KINDS["printer"] = "drivers.printer.profile:PROFILE"    # a drivers.options.ProfileSpec
"""
from __future__ import annotations

import importlib
import re
from importlib import resources
from pathlib import Path
from typing import Any

from drivers.options import Declaration, KeyMap, Option, ProfileRef, ProfileSpec

from .reader import Problems, Section, load_yaml

PROFILE_PATTERN = r"[a-z0-9][a-z0-9_-]{0,63}"
SITE_DEVICE_KEYS = ("profile", "port")     # a device entry's own keys; the rest are overrides
PROFILE_HINT = "the name of a file in firmware_configs/devices/, without .yaml"

# kind -> "module:attribute" of the driver's ProfileSpec for that kind.
PROFILE_KINDS: dict[str, str] = {}
PROFILE_KINDS["card_reader"] = "drivers.card_reader.profile:PROFILE"
PROFILE_KINDS["printer"] = "drivers.printer.profile:PROFILE"
PROFILE_KINDS["camera"] = "drivers.camera.profile:PROFILE"
PROFILE_KINDS["document_camera"] = "drivers.camera.profile:PROFILE"    # 高拍仪: a camera too
PROFILE_KINDS["display_bus"] = "drivers.display.profile:PROFILE"
PROFILE_KINDS["keypad"] = "drivers.keypad.profile:KEYPAD"
PROFILE_KINDS["evaluator"] = "drivers.keypad.profile:EVALUATOR"
PROFILE_KINDS["voice"] = "drivers.voice.profile:PROFILE"
PROFILE_KINDS["scanner"] = "drivers.scanner.profile:PROFILE"


def devices_dir() -> Path:
    return Path(str(resources.files("firmware_configs") / "devices"))


def profile_names(directory: Path | None = None) -> list[str]:
    return sorted(p.stem for p in (directory or devices_dir()).glob("*.yaml"))


def _available() -> str:
    return f"profiles available: {', '.join(profile_names())}"


def spec_of(kind: str) -> ProfileSpec:
    module, attribute = PROFILE_KINDS[kind].split(":")
    return getattr(importlib.import_module(module), attribute)


def load_profile(name: str, problems: Problems, *, kind: str | None = None,
                 overrides: Section | None = None, directory: Path | None = None) -> Any:
    """The typed profile `name`, with a site's overrides applied; problems collected."""
    path = (directory or devices_dir()) / f"{name}.yaml"
    if not path.exists():
        problems.add(overrides.file if overrides else str(path),
                     overrides.line if overrides else 0, f"no device profile '{name}'", _available())
        return None
    root = load_yaml(path, problems)
    found_kind = root.get_str("kind", choices=sorted(PROFILE_KINDS))
    if kind is not None and found_kind is not None and found_kind != kind:
        root.error(root.node_of("kind"), f"profile '{name}' is for a {found_kind}, not a {kind}")
        return None
    if found_kind not in PROFILE_KINDS:
        return None
    section = _Merged(root, overrides)
    spec = spec_of(found_kind)
    values = _read_all(section, spec.options, path.parent)
    for mistake in spec.check(values):
        section.error(section.node_of(mistake.option), mistake.message, mistake.hint)
    section.finish()
    return spec.make(values)


def _read_all(section: Section, options: tuple[Declaration, ...], directory: Path) -> dict:
    return {option.name: _read(section, option, directory) for option in options}


def _read(section: Section, option: Declaration, directory: Path) -> Any:
    if isinstance(option, Option):
        return _value(section, option.name, option)
    if isinstance(option, ProfileRef):
        return _referenced(section, option, directory)
    if isinstance(option, KeyMap):
        return _key_map(section.section(option.name), option)
    if option.many:
        return [_finished(sub, _read_all(sub, option.options, directory))
                for sub in section.sections(option.name, required=False)]
    sub = section.section(option.name, required=False)
    return _finished(sub, _read_all(sub, option.options, directory))


def _finished(section: Section, values: Any) -> Any:
    section.finish()
    return values


def _value(section: Section, name: str, option: Option) -> Any:
    if option.type is str:
        return section.get_str(name, option.default, choices=option.choices,
                               pattern=option.pattern, hint=option.hint)
    if option.type is bool:
        return section.get_bool(name, option.default)
    getter = section.get_int if option.type is int else section.get_float
    return getter(name, option.default, minval=option.minval, maxval=option.maxval,
                  hint=option.hint)


def _key_map(section: Section, keys: KeyMap) -> dict:
    found = {}
    for code in section.keys():
        if not code.isdigit() or not keys.low <= int(code) <= keys.high:
            section.error(section.node_of(code),
                          f"{keys.what} '{code}' is not a number {keys.low}..{keys.high}")
            section.get(code)
            continue
        found[int(code)] = _value(section, code, keys.value)
    return _finished(section, found)


def _referenced(section: Section, ref: ProfileRef, directory: Path) -> Any:
    """The profile a ref names: in the referring profile's folder, else a shipped one."""
    name = section.get_str(ref.name, ref.default, pattern=f"({PROFILE_PATTERN})?",
                           hint=PROFILE_HINT)
    if not name or not re.fullmatch(PROFILE_PATTERN, name):
        return None     # "": no such devices on this bus; a malformed name was reported
    if not (directory / f"{name}.yaml").exists():
        directory = devices_dir()
    if not (directory / f"{name}.yaml").exists():
        section.error(section.node_of(ref.name), f"no device profile '{name}'", _available())
        return None
    return load_profile(name, section.problems, kind=ref.kind, directory=directory)


class _Merged(Section):
    """A profile section whose options a site's device entry may override.

    An overridden option is read from the site file, and its mistakes are reported there.
    """

    def __init__(self, profile: Section, overrides: Section | None):
        super().__init__(profile.file, profile.node, profile.where, profile.problems)
        self._read.add("kind")
        self._overrides = overrides
        self._site_nodes: set[int] = set()

    def _overridden(self, option: str) -> bool:
        return self._overrides is not None and self._overrides.has(option)

    def _node(self, option, default):
        if self._overridden(option):
            self._read.add(option)
            node, found = self._overrides._node(option, default)
            self._site_nodes.add(id(node))
            return node, found
        return super()._node(option, default)

    def node_of(self, option):
        return self._overrides.node_of(option) if self._overridden(option) else \
            super().node_of(option)

    def error(self, node, message, hint=""):
        if node is not None and id(node) in self._site_nodes:
            self._overrides.error(node, message, hint)
        else:
            super().error(node, message, hint)

    def finish(self) -> None:
        super().finish()
        if self._overrides is not None:
            self._overrides._read.update(self._read | set(SITE_DEVICE_KEYS))
            self._overrides.finish()
