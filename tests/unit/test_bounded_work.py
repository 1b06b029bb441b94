"""Bounded work per message: hostile shapes cost seconds at most, never minutes.

Each generated message is run through everything the worker does to mail
before it touches the database: parse, classify, reply extraction, print
preparation and the letters policy.  The bound is generous (a budget, not a
benchmark): before the patterns were made linear, the 80 KB blank-lines
letter took 90 s to classify and most shapes here over 10 s.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from intake.mail.parse import parse_message
from intake.mail.replytext import extract_reply
from intake.mail.tametext import MAX_BLANK_LINES, MAX_MARK_RUN, MAX_SPACE_RUN, tame
from intake.printing.letterbody import prepare_letter
from intake.sorting.classify import DeskIdentity, classify
from intake.sorting.policy import LettersPolicy, check_letter

BOUND_SECONDS = 5.0
DESK = DeskIdentity(address="letters@news.test")
POLICY = LettersPolicy(word_limit=250, max_article_age_days=14, require_full_name=True,
                       require_town=True, require_phone_or_address=True,
                       require_exclusivity=False)  # fmt: skip


def message(body: str, *, content_type: str = "text/plain; charset=utf-8",
            subject: str = "Your article on the budget", extra: str = "") -> bytes:  # fmt: skip
    return (
        "From: Jane Reader <jane@example.org>\r\nTo: letters@news.test\r\n"
        f"Subject: {subject}\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n"
        f"Message-ID: <hostile@example.org>\r\nMIME-Version: 1.0\r\n{extra}"
        f"Content-Type: {content_type}\r\n\r\n{body}"
    ).encode()


def letter(middle: str) -> bytes:
    return message(f"Dear Editor,\r\n\r\n{middle}\r\n\r\nJane Reader\r\nBrooklyn\r\n")


def shapes(size: int) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """Hostile messages of about *size* characters each: whitespace, runs, nesting, encodings."""
    n = size // 2
    runs = {
        "blank lines": "\r\n" * n,
        "lines of spaces and tabs": " \t \r\n" * (n // 3),
        "one whitespace line": " \t " * n + "x",
        "words and tabs on one line": "a \t " * (n // 2),
        "a rule of dashes": "-" * size,
        "a rule of underscores": "_" * size,
        "colons": ":" * size,
        "hashes": "#" * size,
        "quotes": '"' * n + "“" * n,
        "brackets": "[" * n + "](" * n,
        "deep quoting": ">" * size + " hi",
        "quoted blank lines": "> " * 20 + "x\r\n" + "> \r\n" * (n // 2),
        "unicode spaces": "\u00a0\u2003 \u3000" * (n // 2),
        "carriage returns": "\r" * size,
        "tabs and newlines": "\t\n" * n,
        "links without spaces": "http://" * (size // 7),
        "www without spaces": "www." * (size // 4),
        "at signs": "a@" * n,
        "one word repeated": "word " * (size // 5),
        "salutations": "Dear " * (size // 5),
        "capitalised names": "Jane " * (size // 5),
        "digits": "1 " * n,
        "commas": ", " * n,
        "wrote on one line": "wrote " * (size // 6),
    }
    for name, middle in runs.items():
        yield name, lambda middle=middle: letter(middle)
    yield (
        "nested quoted-printable soft breaks",
        lambda: message(
            "=\r\n" * n + "=C3=9C" * 1000, extra="Content-Transfer-Encoding: quoted-printable\r\n"
        ),
    )
    yield (
        "an unknown charset",
        lambda: message(
            "Dear Editor,\r\n" + "\u00dcn\u00efc\u00f6d\u00e9  \r\n" * (n // 8),
            content_type="text/plain; charset=x-unknown",
        ),
    )
    yield (
        "a subject of prefixes",
        lambda: message("Dear Editor, I disagree.\r\n", subject="Re: " * (n // 4) + "[L-1]"),
    )
    yield "many MIME parts", lambda: _multipart(n // 40)


def _multipart(parts: int) -> bytes:
    body = "".join(
        f"--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDear Editor, part {i}.\r\n"
        for i in range(parts)
    )
    return message(body + "--B--\r\n", content_type='multipart/mixed; boundary="B"')


def work(raw: bytes) -> None:
    """Everything the worker does to one message before the database."""
    mail = parse_message(raw)
    classify(mail, DESK)
    extract_reply(mail)
    prepare_letter(mail.text, sender_name="Jane Reader")
    check_letter(POLICY, text=mail.text, writer_name="Jane Reader", article_published=None,
                 sent_on=None, recipients=(), desk_address=DESK.address)  # fmt: skip


SHAPES = list(shapes(80_000))


@pytest.mark.parametrize(("name", "make"), SHAPES, ids=[name for name, _ in SHAPES])
def test_a_hostile_message_costs_seconds_at_most(name: str, make: Callable[[], bytes]) -> None:
    raw = make()
    started = time.perf_counter()
    work(raw)
    took = time.perf_counter() - started
    assert took < BOUND_SECONDS, f"{name}: {len(raw)} bytes took {took:.1f} s"


def test_the_80_kb_blank_lines_letter_classifies_in_well_under_a_second() -> None:
    # issue 13, finding 1: this letter took 90-103 s to classify
    mail = parse_message(letter("\r\n" * 40_000))
    started = time.perf_counter()
    verdict = classify(mail, DESK)
    assert time.perf_counter() - started < 1.0
    assert verdict.reasons


def test_taming_bounds_the_runs_and_keeps_every_word() -> None:
    text = "Dear Editor,\n" + "\n" * 50 + "a" + " " * 500 + "b\n" + "-" * 1000 + "\n \t \nend  \n"
    tamed = tame(text)
    assert tamed.split() == [w if w != "-" * 1000 else "-" * MAX_MARK_RUN for w in text.split()]
    assert "\n" * (MAX_BLANK_LINES + 2) not in tamed
    assert "a" + " " * MAX_SPACE_RUN + "b" in tamed
    assert tamed.endswith("end  \n")  # trailing spaces tell flowed text apart: kept


@pytest.mark.parametrize(
    "text",
    [
        " " * 100_000 + "x",
        "Best" + " " * 50_000 + "x",
        "-" + " " * 50_000 + "x",
        "Regards" + " " * 50_000 + "x\nx\n",
        ("Best" + " " * 2_000 + "x\n") * 50,
    ],
    ids=["spaces", "valediction-spaces", "rule-spaces", "closing-spaces", "many-lines"],
)
def test_print_preparation_is_linear_on_text_that_skipped_taming(text: str) -> None:
    """Text an editor pastes or edits never passes the parser's taming: the print path's own
    patterns must be linear (these took 7 to 150 s when their tails backtracked)."""
    from intake.mail.signoff import split_signoff
    from intake.printing.letterbody import prepare_letter, prepare_response

    started = time.perf_counter()
    prepare_letter(text)
    prepare_response(text)
    split_signoff(text)
    assert time.perf_counter() - started < 5
