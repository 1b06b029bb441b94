"""When a letter says the piece ran, in words: "you reported on Sunday", "this week's editorial",
"last Monday's business section", and reporters named by role or by what they did (issue 17)."""

from __future__ import annotations

import time
from datetime import date

import pytest

from intake.domain.model import Article
from intake.sorting.articles import MATCH_AT_LEAST, Catalogue
from intake.sorting.datecues import date_cues

# Tuesday 10 March 2026
TUESDAY = date(2026, 3, 10)


def _days(text: str, sent_on: date = TUESDAY) -> list[tuple[int, int, int]]:
    return [(c.day, c.month, c.span_days) for c in date_cues(text, sent_on)]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("On Sunday you reported that the ferry is late.", 8),
        ("You reported on Sunday that the ferry is late.", 8),
        ("Last Monday's business section had it wrong.", 9),
        ("Sunday's front page was wrong.", 8),
        ("Your Sunday obituary of my aunt was kind.", 8),
        ("Yesterday you wrote that the ferry is late.", 9),
        ("You wrote yesterday that the ferry is late.", 9),
    ],
)
def test_the_day_a_reader_says_the_piece_ran(text: str, day: int) -> None:
    assert _days(text) == [(day, 3, 0)]


def test_this_weeks_piece_is_any_day_of_this_week_up_to_the_letter() -> None:
    (cue,) = date_cues("This week's editorial was wrong.", TUESDAY)
    assert (cue.day, cue.month, cue.span_days) == (9, 3, 1)
    assert cue.matches(date(2026, 3, 10), slack_days=0)
    assert not cue.matches(date(2026, 3, 6), slack_days=0)
    assert _days("Your column this week was wrong.") == [(9, 3, 1)]


@pytest.mark.parametrize(
    "text",
    [
        "On Sunday we walked to the ferry.",  # no piece, nobody reported
        "I wrote to the council on Sunday.",
        "This week the ferry was late.",
    ],
)
def test_a_day_in_running_prose_is_no_cue(text: str) -> None:
    assert date_cues(text, TUESDAY) == ()


def test_relative_date_patterns_are_fast_on_hostile_text() -> None:
    hostile = "you reported " + "word " * 20_000 + "yesterday " + "on " * 20_000 + ", " * 10_000
    start = time.perf_counter()
    date_cues(hostile, TUESDAY)
    assert time.perf_counter() - start < 1.0


# -- reporters named by their role, or by what they did ----------------------------------------


def _article(slug: str, title: str, author: str, day: int) -> Article:
    return Article(
        url=f"https://www.news.test/{slug}/",
        title=title,
        author=author,
        author_email=f"{slug}@news.test",
        published=date(2026, 3, day),
    )


FERRY = _article("ferry", "Ferry Fares Rise in April", "Bram Oduya", 5)
ROOFS = _article("roofs", "School Roofs Leak Again", "Ines Calloway", 2)
CATALOGUE = Catalogue([FERRY, ROOFS])


@pytest.mark.parametrize(
    "text",
    [
        "As Oduya reported, the ferry is late again.",
        "Your reporter Oduya forgot the commuters.",
        "Oduya writes that nobody rides at night.",
    ],
)
def test_a_surname_by_its_role_or_its_reporting_names_the_reporter(text: str) -> None:
    found = CATALOGUE.match(text=f"Dear Editor,\n\n{text}\n")
    assert found[0].article == FERRY and found[0].score >= MATCH_AT_LEAST
    assert "names the reporter, Bram Oduya" in found[0].reason


def test_a_surname_alone_is_still_no_reporter() -> None:
    assert CATALOGUE.match(text="Dear Editor,\n\nWe met Oduya at the quay.\n") == ()
