"""Whatever a technician's editor leaves in the file, the loader answers with problems.

It never crashes with another exception and never points outside the file; a file made
invalid (an unclosed bracket anywhere) is never loaded as if nothing had happened.
"""
from __future__ import annotations

import pytest
from hall_samples import BASE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hall.config import ConfigError, load_hall_config

LINES = BASE.splitlines()
# Lines that break YAML wherever they stand: the file must then be refused.
FATAL = ["  foo: [", "{"]
JUNK = st.sampled_from(["", "  - x", *FATAL, "    address: -1", "  id: \"1\"",
                        "    categories: 3", "hall: 5", "    kind: village", "  - {}",
                        "      printer: nope", "    lunch: [\"13:00\"]", "\t", "name: 中心"])


@st.composite
def damaged(draw):
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "replace", "insert"]))
        if action == "delete" and len(lines) > 1:
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, lines[at])
        elif action == "replace":
            lines[at] = draw(JUNK)
        else:
            lines.insert(at, draw(JUNK))
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=damaged())
def test_damaged_file_gives_problems_inside_the_file(text, write, profiles_dir):
    path = write(text)
    broken = any(line in FATAL for line in text.splitlines())
    try:
        load_hall_config(path, profiles_dir)
    except ConfigError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert 1 <= problem.line <= len(text.splitlines()) + 1, str(problem)
            assert problem.message
    else:
        assert not broken, "a file with an unclosed bracket was loaded"


@pytest.mark.parametrize("text", ["", "# only a comment\n"])
def test_empty_file_asks_for_the_hall_section(text, write, profiles_dir):
    with pytest.raises(ConfigError) as info:
        load_hall_config(write(text), profiles_dir)
    assert "missing required option 'hall'" in str(info.value)
