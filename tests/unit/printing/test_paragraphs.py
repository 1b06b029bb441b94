"""The writer's paragraphs, whatever width the client wrapped at (intake.printing.letterbody)."""

from __future__ import annotations

import random
import textwrap

import pytest

from intake.printing.letterbody import prepare_letter

FIRST = (
    "Your article on the night buses said the depot would close in March, but the drivers "
    "I ride with every evening say nobody has told them anything of the kind, and the "
    "notices at the stops still list the old times."
)
SECOND = (
    "When I wrote to the transit authority last year about the same route, I got a form "
    "letter back and nothing changed; I would like to know who decides these things."
)
THIRD = "Please keep reporting on this."


def wrapped(paragraphs: list[str], width: int, separator: str = "\n\n") -> str:
    return separator.join(
        textwrap.fill(p, width, break_long_words=False, break_on_hyphens=False) for p in paragraphs
    )


@pytest.mark.parametrize("width", [60, 66, 72, 76, 78, 80, 85, 88, 100, 120])
def test_a_letter_wrapped_at_any_width_prints_one_paragraph_per_paragraph(width: int) -> None:
    text = wrapped([FIRST, SECOND, THIRD], width)
    assert len(text.splitlines()) > 5  # really wrapped

    body = prepare_letter(text)

    assert body.paragraphs == (FIRST, SECOND, THIRD)


@pytest.mark.parametrize("width", [72, 88, 100])
def test_paragraphs_with_no_blank_line_between_them_are_told_apart(width: int) -> None:
    # The client wrapped; the writer pressed Enter once between paragraphs.  That
    # can be seen only where the next word would have fitted on the line.
    text = wrapped([FIRST, SECOND, THIRD], width, separator="\n")
    lines = text.splitlines()
    ends = [lines.index(textwrap.wrap(p, width)[-1]) for p in (FIRST, SECOND)]
    assert all(len(lines[i]) + 1 + len(lines[i + 1].split()[0]) <= width for i in ends)

    assert prepare_letter(text).paragraphs == (FIRST, SECOND, THIRD)


def test_one_line_per_paragraph_with_single_newlines_keeps_every_line() -> None:
    text = f"{FIRST}\n{SECOND}\n{THIRD}\n"

    assert prepare_letter(text).paragraphs == (FIRST, SECOND, THIRD)


def test_crlf_line_ends_change_nothing() -> None:
    text = wrapped([FIRST, SECOND, THIRD], 88).replace("\n", "\r\n")

    assert prepare_letter(text).paragraphs == (FIRST, SECOND, THIRD)


@pytest.mark.parametrize("width", [0, 72, 88])
def test_verse_and_lists_keep_their_lines_inside_a_wrapped_letter(width: int) -> None:
    verse = ["The robot said no,", "the robot said why,", "the robot said nothing",
             "when I asked it to try."]  # fmt: skip
    items = ["- 212 story times for toddlers", "- 48 hours of homework help"]
    prose = wrapped([FIRST], width) if width else FIRST
    text = f"{prose}\n\n" + "\n".join(verse) + "\n\n" + "\n".join(items) + f"\n\n{THIRD}\n"

    assert prepare_letter(text).paragraphs == (FIRST, *verse, *items, THIRD)


def test_a_letter_of_short_lines_only_keeps_them_all() -> None:
    lines = ["Twelve hours on and twelve hours gone,", "the call light blinks till dawn,",
             "and nobody counts the steps we take", "between the bed and the phone."]  # fmt: skip

    assert prepare_letter("\n".join(lines)).paragraphs == tuple(lines)


def test_a_link_that_pushed_the_words_down_does_not_split_the_sentence() -> None:
    text = (
        "Anyone curious can read our last edition at\n"
        "https://www.example.org/gazette/2019/final-edition-of-the-town-paper\n"
        "which we still keep online for the town.\n"
    )

    assert prepare_letter(text).paragraphs == (" ".join(text.split()),)


def _is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    remaining = iter(haystack)
    return all(word in remaining for word in needle)


WORDS = [
    "the",
    "city",
    "bus",
    "route",
    "depot",
    "council",
    "rent",
    "tenant",
    "library",
    "branch",
    "children",
    "nurse",
    "shift",
    "article",
    "reporter",
    "March",
    "1926",
    "$14",
    "well-known",
    "don't",
    "“free”",
    "returns—and",
    "(sic)",
    "Zürich",
    "O'Brien",
    "42%",
    "e.g.",
    "I",
    "we",
    "they",
    "said",
    "because",
    "although,",
    "however;",
    "yes:",
    "no!",
    "why?",
]


def _random_letter(rng: random.Random) -> str:
    paragraphs = []
    for _ in range(rng.randint(1, 5)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(1, 70))]
        paragraphs.append(" ".join(words).capitalize() + rng.choice([".", "", "?", ":"]))
    shape = rng.choice(["wrap", "single", "lines", "list"])
    width = rng.choice([60, 66, 72, 76, 80, 85, 88, 100, 132])
    if shape == "wrap":
        body = wrapped(paragraphs, width)
    elif shape == "single":
        body = wrapped(paragraphs, width, separator="\n")
    elif shape == "lines":
        body = "\n".join(paragraphs)
    else:
        body = "\n".join(f"- {p}" for p in paragraphs)
    sign_off = rng.choice(["", "\n\nSincerely,\nAda Byron\nLondon", "\n\n-- Ada Byron, Leeds",
                           "\nAda", "\n\nBest,\nAda Byron\n12 Fleet Street\nLondon, UK"])  # fmt: skip
    return rng.choice(["", "Dear Editor,\n\n", "To the Editor:\n"]) + body + sign_off


def test_printed_words_are_always_an_in_order_subset_of_the_writers() -> None:
    # A property over a thousand random letters: whatever the shape, print only removes or joins.
    rng = random.Random(20261128)
    for _ in range(1000):
        text = _random_letter(rng)
        body = prepare_letter(text)
        # "Ada Byron, Leeds" prints as a name over a town, "Ada; 555 0100 1234" as "Ada":
        # the separator before what was cut may go with it, never a word.
        printed = [w.rstrip(",;") for w in " ".join((*body.paragraphs, *body.signature)).split()]
        written = [w.rstrip(",;") for w in text.split()]
        assert _is_subsequence(printed, written), text
