"""Asking mail that opens "Dear Editor" and cites an article is no letter (issue 17: 2):
the signs added for the pitches, expert offers, listings, reprint requests and notes
"not for the paper" that passed for letters, and the weaker signs (hints) that only
weigh alone and decide two together; letters that use the same words are left alone."""

from __future__ import annotations

import time

import pytest

from intake.domain.model import Category
from intake.mail.parse import parse_message
from intake.sorting.asks import asks_of
from intake.sorting.classify import DeskIdentity, classify

DESK = DeskIdentity(address="letters@news.test")


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("If you ever need a stringer for the schools, I would love to be considered.", "job"),
        ("Why haven't you covered this? Please assign a reporter to it.", "cover something"),
        ("The bonus was never discussed in public. I think it deserves a story.", "cover"),
        ("The concert is free. Could you list this in the arts calendar?", "cover something"),
        ("This isn't a letter for the paper, just a note of thanks.", "not for publication"),
        ("I'm writing to you directly about your reporter's conduct.", "not for publication"),
        ("Could you correct the web version before the hearing?", "fix something"),
        ("To receive your plaque, kindly remit the processing fee.", "or is a scam"),
        ("Dr. Ames has studied levies for years. She can be reached at the number below.", "an"),
        ("Given your coverage, he may be a helpful voice before the vote.", "an expert"),
        ("May we reprint your editorial in our parish newsletter?", "leave to reprint"),
        ("We ask permission to republish the column with credit.", "leave to reprint"),
        ("The paper has been arriving after nine. I pay for home delivery.", "a subscription"),
        ("A 54% increase without a word. Please restore my old rate.", "a subscription"),
        ("Is this the correct address to send a letter to the editor?", "how to send a letter"),
        ("How many words will you take, and can it be a Word document?", "how to send a letter"),
        ("Do you need my phone number or street address?", "how to send a letter"),
        ("Please don't print this; just tell our carrier we noticed.", "not for publication"),
    ],
)
def test_each_new_kind_of_ask_decides(text: str, what: str) -> None:
    weight, reasons = asks_of(text)
    assert weight >= 3.0
    assert any(what in reason and reason.count(", not a letter") for reason in reasons), reasons


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("Could you include the date of the meeting?", "asks the paper to act"),
        ("Let me know if you would like the figures.", "asks the paper to act"),
        ("I expect a reply by Friday.", "wants an answer, not publication"),
        ("I'd like to know who decided that.", "wants an answer, not publication"),
        ("We would write it at no charge.", "as a business does"),
        ("In return, a short mention of the shop would do.", "as a business does"),
        ("I'd be glad to send a sample translation.", "as a business does"),
        ("The founder would welcome a chance to talk.", "as a business does"),
        ("I represent a maker of phone pouches.", "writes for a company or a press office"),
        ("Janelle Okoro\nMedia Relations, Riverside State", "for a company or a press office"),
    ],
)
def test_a_hint_alone_weighs_but_does_not_decide(text: str, hint: str) -> None:
    weight, reasons = asks_of(text)
    assert weight == 1.5
    assert [r for r in reasons if hint in r and ", unlike a letter: ‘" in r] == list(reasons)


def test_two_hints_together_decide() -> None:
    weight, reasons = asks_of(
        "Our in-house team can write a piece at no charge. Let me know if you'd like it."
    )
    assert weight == 4.5
    assert len(reasons) == 3


@pytest.mark.parametrize(
    "text",
    [
        "The council should assign a crossing guard to every school on Elm Street.",
        "Our team won the state title in 1998, and your story forgot it.",
        "It is outside the remit of the planning board, whatever your editorial says.",
        "The library deserves more attention from the council than your column gives it.",
        "Our customers cannot park since the lanes went in, and I run a bike shop.",
        "In return for the subsidy the owners promised jobs that never came.",
        "My neighbours asked me to write on behalf of the whole street.",
        "The health department would welcome volunteers, and so would the food bank.",
        "I can tell you, as a teacher, that the start times matter.",
        "The post office wants to end home delivery on our rural route this spring.",
        "Don't run it through the park, whatever the council's map says.",
        "When the pipe burst I had to call 911 twice before anyone came.",
        "Do you need my vote, councillors? Then fix the potholes.",
    ],
)
def test_a_letter_in_the_same_words_asks_nothing(text: str) -> None:
    assert asks_of(text) == (0.0, ())


def _mail(body: str, subject: str = "Your article") -> bytes:
    return (
        "From: Rhoda Kerr <rhoda@example.org>\r\nTo: letters@news.test\r\n"
        f"Subject: {subject}\r\nDate: Tue, 4 Nov 2025 10:00:00 -0500\r\n"
        "Message-ID: <asks-hints-test@example.org>\r\n\r\n" + body.replace("\n", "\r\n")
    ).encode()


def test_a_business_offer_citing_a_story_is_no_letter() -> None:
    body = (
        "Dear Editor,\n\nAfter your story on the Elm Street bike lanes, our team thought there"
        " was room for a companion piece with tips from our in-house experts. We would write"
        " it at no charge. Let me know if you'd like an outline first.\n\nKind regards,\n"
        "Ben Okafor\nPartnerships, Wheelwise\n"
    )
    verdict = classify(parse_message(_mail(body)), DESK)
    assert verdict.category is Category.other
    assert any(r.startswith("offers the paper something") for r in verdict.reasons)
    assert any(r.startswith("writes for a company") for r in verdict.reasons)


def test_a_letter_with_one_hint_stays_a_letter() -> None:
    body = (
        "Dear Editor,\n\nYour editorial of 3 November on the Elm Street bike lanes says that"
        " the shops were consulted. I run a hardware store on that street and nobody asked me"
        " or my neighbours. I believe the council should survey every business before it"
        " removes another space, and I disagree that the lanes cost us nothing: our takings"
        " fell by a fifth in October. If your reporter wants the figures, let me know if that"
        " helps.\n\nSincerely,\nMartin Oyelaran\nRiverside\n"
    )
    verdict = classify(parse_message(_mail(body)), DESK)
    assert verdict.category is Category.letter, verdict.reasons
    assert any("asks the paper to act, unlike a letter" in r for r in verdict.reasons)


def test_the_hints_stay_linear_on_hostile_text() -> None:
    text = ("our " * 5_000) + ("could you " * 2_000) + ("in return " * 2_000)
    started = time.perf_counter()
    asks_of(text)
    assert time.perf_counter() - started < 1.0
