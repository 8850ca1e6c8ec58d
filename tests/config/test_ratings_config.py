"""hall.ratings and province: read, typed and checked like every other option."""
from __future__ import annotations

from hall_samples import BASE, edit, line_of, only

from hall.config import load_hall_config
from hall.config.model import RATING_REASONS

RATINGS = """\
  ratings:
    reasons: [态度差, 等候时间长]
    change_minutes: 5
server:"""
PROVINCE = """
province:
  url: https://hcp.example.gov.cn/api/records
  hall_code: "360101001"
  token_file: secrets/province.token
  timeout_s: 5
"""


def test_defaults_without_the_sections(write, profiles_dir):
    config = load_hall_config(write(BASE), profiles_dir)
    assert config.ratings.reasons == RATING_REASONS and config.ratings.change_minutes == 10
    assert config.province.url == ""                     # no reporting


def test_the_sections_read(write, profiles_dir):
    config = load_hall_config(write(edit(BASE, "server:", RATINGS) + PROVINCE), profiles_dir)
    assert (config.ratings.reasons, config.ratings.change_minutes) == (("态度差", "等候时间长"), 5)
    assert (config.province.hall_code, config.province.token_file, config.province.timeout_s) == \
        ("360101001", "secrets/province.token", 5.0)


def test_mistakes_are_reported_with_their_lines(problems):
    text = edit(BASE, "server:", RATINGS.replace("[态度差, 等候时间长]", "[态度差, bad, 态度差]")
                .replace("5", "-1")) + PROVINCE.replace("https://hcp", "http://hcp") + \
        "  ca_file: x.pem\n"
    found = problems(text)
    assert only(found, "reason 'bad'").line == line_of(text, "reasons:")
    assert only(found, "different reasons").line == line_of(text, "reasons:")
    assert only(found, "change_minutes").line == line_of(text, "change_minutes")
    assert only(found, "province.url").line == line_of(text, "url: http://")


def test_a_credential_without_an_address_is_a_mistake(problems):
    found = problems(BASE + "province:\n  token_file: t\n")
    assert only(found, "'province.url' is not").line == line_of(BASE + "province:\n  token_file: t\n", "token_file")
