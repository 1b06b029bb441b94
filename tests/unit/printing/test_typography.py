"""Tests for intake.printing.typography: curly quotes and house dashes, never a word changed."""

from __future__ import annotations

import re

import pytest

from intake.printing.typography import DASHES, fold, smarten


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ('He said "no" and left.', "He said “no” and left."),
        ("The city's plan, the readers' views.", "The city’s plan, the readers’ views."),
        ("She called it 'absurd'.", "She called it ‘absurd’."),
        ("Back in the '90s, 'em all.", "Back in the ’90s, ’em all."),
        ('("quoted") and ["bracketed"]', "(“quoted”) and [“bracketed”]"),
        ("\"'Nested' quotes,\" she wrote.", "“‘Nested’ quotes,” she wrote."),
        ("A dash -- typed twice.", "A dash—typed twice."),
        ("A dash - spaced.", "A dash—spaced."),
        ("An en dash – spaced.", "An en dash—spaced."),
        ("A set—dash stays.", "A set—dash stays."),
        (
            "stop-and-frisk and 1990-95 keep their hyphens",
            "stop-and-frisk and 1990-95 keep their hyphens",
        ),
        ("O'Brien's", "O’Brien’s"),
    ],
)
def test_quotes_and_dashes_are_set(typed: str, printed: str) -> None:
    assert smarten(typed) == printed


@pytest.mark.parametrize("dash", DASHES)
def test_every_dash_takes_the_house_form(dash: str) -> None:
    assert smarten("one -- two - three—four", dash=dash) == f"one{dash}two{dash}three{dash}four"


def test_urls_and_addresses_are_left_exactly_as_written() -> None:
    text = "See https://example.org/a--b's?q=\"x\" or write to o'neil--x@example.org -- thanks"

    assert smarten(text) == (
        "See https://example.org/a--b's?q=\"x\" or write to o'neil--x@example.org—thanks"
    )


def test_an_unknown_dash_is_refused() -> None:
    with pytest.raises(ValueError, match="dash"):
        smarten("a -- b", dash="--")


@pytest.mark.parametrize(
    "text",
    [
        'He said "no" -- twice.',
        "It's the readers' 'choice' - or is it?",
        "Zürich's “façade” — and Łódź’s.",
    ],
)
def test_no_word_is_added_dropped_or_moved(text: str) -> None:
    def words(value: str) -> list[str]:
        return re.findall(r"\w+", fold(value))

    assert words(smarten(text)) == words(text)
    assert words(smarten(text, dash=" – ")) == words(text)


def test_fold_undoes_the_typography() -> None:
    assert fold("“Curly” ‘quotes’—and… dashes – too") == "\"Curly\" 'quotes'-and... dashes - too"
