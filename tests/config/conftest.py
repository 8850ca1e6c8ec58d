"""Fixtures of the hall config tests (the sample config lives in hall_samples.py)."""
from __future__ import annotations

from pathlib import Path

import pytest
from hall_samples import write_profiles

from hall.config import ConfigError, load_hall_config


@pytest.fixture
def profiles_dir(tmp_path: Path) -> Path:
    return write_profiles(tmp_path / "devices")


@pytest.fixture
def write(tmp_path: Path):
    """write(text) -> path of a hall config file holding text."""
    def _write(text: str, name: str = "hall.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path
    return _write


@pytest.fixture
def problems(write, profiles_dir):
    """problems(text) -> the ConfigError problems of that config (fails if it loads)."""
    def _problems(text: str):
        path = write(text)
        with pytest.raises(ConfigError) as info:
            load_hall_config(path, profiles_dir)
        for problem in info.value.problems:
            assert problem.file == str(path)
        return info.value.problems
    return _problems
