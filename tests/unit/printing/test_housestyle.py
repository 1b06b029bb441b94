"""Tests for intake.printing.housestyle: the print conventions a publication sets in a TOML file."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest

from intake.adapters.housestylefile import load_house_style
from intake.domain.errors import ConfigError
from intake.printing.housestyle import HouseStyle, fill, parse_house_style

SHIPPED = Path(__file__).resolve().parents[3] / "config" / "house_style.toml"


def test_the_shipped_file_states_exactly_the_defaults() -> None:
    assert load_house_style(SHIPPED) == HouseStyle()


def test_the_shipped_file_sets_every_key() -> None:
    # Every setting is written out, so an editor sees what there is to change.
    doc = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))
    written = sum(len(table) for table in doc.values())
    assert written == len(dataclasses.fields(HouseStyle))


def test_missing_keys_keep_their_defaults() -> None:
    style = parse_house_style('[pair]\nsalutation = "Sir:"\n')

    assert style.salutation == "Sir:"
    assert style.headline == HouseStyle().headline
    assert style.typography is False


def test_every_key_is_read() -> None:
    text = """
[pair]
headline = "H {title}"
dek = "D {writer} {town}"
salutation = "S {publication}"
responds = "R {author}"
[typography]
enabled = true
dash = " – "
[unanswered]
publish = false
declined_note = "N1 {author}"
no_response_note = "N2 {author}"
[page]
title = "T {date}"
date = "{weekday} {day} {month} {year}"
"""
    assert parse_house_style(text) == HouseStyle(
        headline="H {title}", dek="D {writer} {town}", salutation="S {publication}",
        responds="R {author}", typography=True, dash=" – ", publish_unanswered=False,
        declined_note="N1 {author}", no_response_note="N2 {author}", page_title="T {date}",
        page_date="{weekday} {day} {month} {year}",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("[pairs]\n", "pairs: unknown table"),
        ("[pair]\nheadlines = 'x'\n", "pair.headlines: unknown key"),
        ("[pair]\nheadline = 3\n", "pair.headline: must be a string"),
        ("[typography]\nenabled = 'yes'\n", "typography.enabled: must be true or false"),
        ("[typography]\ndash = '--'\n", "typography.dash: must be one of"),
        ("[pair]\nheadline = 'On {titel}'\n", "pair.headline: unknown placeholder {titel}"),
        ("[pair]\nresponds = '{title} responds:'\n", "pair.responds: unknown placeholder {title}"),
        ("[pair]\ndek = '{title.__class__}'\n", "unknown placeholder {title.__class__}"),
        ("[pair]\ndek = '{title!r}'\n", "{title} takes no conversion or format spec"),
        ("[pair]\ndek = '{title:>40}'\n", "{title} takes no conversion or format spec"),
        ("[pair]\ndek = 'a {title'\n", "pair.dek: bad pattern"),
        ("[page]\ntitle = '{month}'\n", "page.title: unknown placeholder {month}"),
        ("pair = 1\n", "pair: must be a table"),
        ("[pair\n", "not valid TOML"),
    ],
)
def test_a_bad_file_fails_naming_the_key(text: str, names: str) -> None:
    with pytest.raises(ConfigError, match=r"publish\.house_style") as caught:
        parse_house_style(text, "style.toml")

    assert names in str(caught.value)
    assert "style.toml" in str(caught.value)


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_house_style(tmp_path / "nope.toml")


def test_literal_braces_are_written_doubled() -> None:
    style = parse_house_style("[pair]\nheadline = '{{Letters}} {title}'\n")

    assert fill(style.headline, {"title": "T"}) == "{Letters} T"


@pytest.mark.parametrize(
    ("title", "dek"),
    [
        ("Plain", "A response from W about ‘Plain’."),
        ("Is It?", "A response from W about ‘Is It?’"),
        ("Stop!", "A response from W about ‘Stop!’"),
        ("The U.S.", "A response from W about ‘The U.S.’"),
    ],
)
def test_a_title_ending_a_sentence_takes_the_patterns_full_stop(title: str, dek: str) -> None:
    assert fill(HouseStyle().dek, {"writer": "W", "title": title}) == dek
