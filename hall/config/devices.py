"""Device model profiles: firmware_configs/devices/<name>.yaml, data not code.

A profile file names its `kind` and sets that kind's options; a site config's device entry
names the profile and may override options. Each driver kind registers a reader that turns
the merged options into its typed settings, checking every value's type and range:

    PROFILE_READERS["printer"] = "drivers.printer.profile:read_profile"

    def read_profile(section: Section) -> PrinterProfile: ...   # uses get_int(..., minval=...)

so a wrong value reports the profile file (or the site file, for an override) and its line.
"""
from __future__ import annotations

import importlib
from importlib import resources
from pathlib import Path
from typing import Any


from hall.config import Problems, Section, load_yaml

# kind -> "module:function" reading a Section into that kind's typed profile.
PROFILE_READERS: dict[str, str] = {}
PROFILE_READERS["card_reader"] = "drivers.card_reader.profile:read_profile"
PROFILE_READERS["printer"] = "drivers.printer.profile:read_profile"
PROFILE_READERS["camera"] = "drivers.camera.profile:read_profile"
PROFILE_READERS["display_bus"] = "drivers.rs485.profile:read_profile"
PROFILE_READERS["keypad"] = "drivers.keypad.profile:read_keypad"
PROFILE_READERS["evaluator"] = "drivers.keypad.profile:read_evaluator"
PROFILE_READERS["voice"] = "drivers.voice.profile:read_profile"


def devices_dir() -> Path:
    return Path(str(resources.files("firmware_configs") / "devices"))


def profile_names() -> list[str]:
    return sorted(p.stem for p in devices_dir().glob("*.yaml"))


def _reader(kind: str):
    module, func = PROFILE_READERS[kind].split(":")
    return getattr(importlib.import_module(module), func)


def load_profile(name: str, problems: Problems, *, kind: str | None = None,
                 overrides: Section | None = None, directory: Path | None = None) -> Any:
    """The typed profile `name`, with a site's overrides applied; problems collected."""
    path = (directory or devices_dir()) / f"{name}.yaml"
    if not path.exists():
        where = overrides or None
        problems.add(where.file if where else str(path), where.line if where else 0,
                     f"no device profile '{name}'",
                     f"profiles available: {', '.join(profile_names())}")
        return None
    root = load_yaml(path, problems)
    found_kind = root.get_str("kind", choices=sorted(PROFILE_READERS))
    if kind is not None and found_kind is not None and found_kind != kind:
        root.error(root.node_of("kind"), f"profile '{name}' is for a {found_kind}, not a {kind}")
        return None
    if found_kind not in PROFILE_READERS:
        return None
    return _reader(found_kind)(_Merged(root, overrides))


class _Merged(Section):
    """A profile section whose options a site's device entry may override.

    An overridden option is read from the site file, and its mistakes are reported there.
    """

    SITE_KEYS = ("profile", "port")   # what a site's device entry says besides overrides

    def __init__(self, profile: Section, overrides: Section | None):
        super().__init__(profile.file, profile.node, profile.where, profile.problems)
        self._read.add("kind")
        self._overrides = overrides
        self._site_nodes: set[int] = set()

    def _node(self, option, default):
        if self._overrides is not None and self._overrides.has(option):
            self._read.add(option)
            node, found = self._overrides._node(option, default)
            self._site_nodes.add(id(node))
            return node, found
        return super()._node(option, default)

    def error(self, node, message, hint=""):
        if node is not None and id(node) in self._site_nodes:
            self._overrides.error(node, message, hint)
        else:
            super().error(node, message, hint)

    def finish(self) -> None:
        super().finish()
        if self._overrides is not None:
            self._overrides._read.update(self._read | set(self.SITE_KEYS))
            self._overrides.finish()
