"""One list of closing words (intake.mail.closings), and the four readers of it agree.

A closing that one part of intake recognises is recognised by all of them:
the reply's sign-off cut (mail.signoff), the generic extractor's contact block
(mail.replytext), the printed signature (printing.signature) and the
letter's signs (sorting.letterscore).  Each is checked through its own
public function, so a reader that kept a list of its own would fail here.
"""

from __future__ import annotations

import time

import pytest

from intake.mail.closings import closing_and_name, is_closing
from intake.mail.replytext import extract_reply_from_text
from intake.mail.signoff import split_signoff
from intake.printing.signature import split_signature
from intake.sorting.letterscore import score_content

CLOSINGS = (
    "Sincerely",
    "Sincerely yours",
    "Yours faithfully",
    "Yours truly",
    "Respectfully",
    "Best",
    "Best regards",
    "Kind regards",
    "Warmest regards",
    "With best wishes",
    "All the best",
    "Many thanks",
    "Thanks again",
    "Cheers",
    "Warmly",
    "Take care",
    "In solidarity",
    "Mit freundlichen Grüßen",
    "Viele Grüße",
    "Cordialement",
    "Bien à vous",
    "Atentamente",
    "Saludos cordiales",
    "Atenciosamente",
    "Cordiali saluti",
    "Met vriendelijke groet",
    "Med vänlig hälsning",
    "Vennlig hilsen",
    "Med venlig hilsen",
    "Pozdrawiam",
)
# Lines that start like a closing and are not one.
NOT_CLOSINGS = (
    "Best of luck with the vote",
    "Thanks to your reporter the council listened",
    "Regards to the whole newsroom from all of us",
    "Yours is the only paper that covered it",
)
BODY = (
    "Your article on the night buses said the depot would close in March, but the drivers\n"
    "I ride with every evening say nobody has told them anything of the kind. The council\n"
    "should publish its plans before the budget vote, and your paper should ask for them.\n"
)


@pytest.mark.parametrize("closing", CLOSINGS)
def test_a_closing_is_one_with_its_punctuation(closing: str) -> None:
    for line in (closing, f"{closing},", f"  {closing.upper()}!", f"{closing.lower()}."):
        assert is_closing(line), line
    assert closing_and_name(f"{closing}, Dana Whitfield") == "Dana Whitfield"


@pytest.mark.parametrize("line", NOT_CLOSINGS)
def test_a_sentence_that_starts_like_a_closing_is_none(line: str) -> None:
    assert not is_closing(line)
    assert not is_closing(f"{line}.")


@pytest.mark.parametrize("closing", CLOSINGS)
def test_the_reply_sign_off_is_cut_at_every_closing(closing: str) -> None:
    body, sign_off = split_signoff(f"{BODY}\n{closing},\nDana Whitfield\n")
    assert sign_off.startswith(closing)
    assert body == BODY.rstrip()
    body, sign_off = split_signoff(f"{BODY}\n{closing}, Dana Whitfield\n")
    assert sign_off == f"{closing}, Dana Whitfield"


@pytest.mark.parametrize("closing", CLOSINGS)
def test_the_generic_extractor_cuts_the_contact_block_under_every_closing(closing: str) -> None:
    reply = extract_reply_from_text(
        f"{BODY}\n{closing},\nDana Whitfield\nDirector of Operations\nTel. +1 555 010 0199\n"
    )
    assert reply.signature.startswith("Director of Operations")
    assert reply.text.endswith(f"{closing},\nDana Whitfield")


@pytest.mark.parametrize("closing", CLOSINGS)
def test_the_printed_signature_starts_under_every_closing(closing: str) -> None:
    lines = [*BODY.splitlines(), "", f"{closing},", "Dana Whitfield", "Akron, Ohio"]
    body, signature = split_signature(lines, "")
    assert signature == ["Dana Whitfield", "Akron, Ohio"]
    assert body[-1] == "" and body[:-1] == BODY.splitlines()
    lines = [*BODY.splitlines(), "", f"{closing}, Dana Whitfield", "Akron, Ohio"]
    assert split_signature(lines, "")[1] == ["Dana Whitfield", "Akron, Ohio"]


@pytest.mark.parametrize("closing", CLOSINGS)
def test_the_sorter_counts_every_closing(closing: str) -> None:
    score = score_content("", f"{BODY}\n{closing},\nDana Whitfield\nAkron, Ohio\n")
    assert f"closes with '{closing},'" in score.letter_reasons


@pytest.mark.parametrize("line", NOT_CLOSINGS)
def test_no_reader_takes_a_sentence_for_a_closing(line: str) -> None:
    text = f"{BODY}\n{line}.\n"
    assert split_signoff(text) == (text, "")
    assert not any(r.startswith("closes with") for r in score_content("", text).letter_reasons)
    assert split_signature([*BODY.splitlines(), "", f"{line}."], "")[1] is None


def test_closings_are_read_in_linear_time() -> None:
    hostile = ("best " * 20_000, "with " * 20_000 + "x", "thanks " + " " * 100_000 + "x")
    started = time.perf_counter()
    for text in hostile:
        is_closing(text)
        closing_and_name(text)
        split_signoff(f"{BODY}\n{text}\nDana Whitfield\n")
    assert time.perf_counter() - started < 1.0
