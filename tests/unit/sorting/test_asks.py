"""Mail that asks the paper for something, or sells it something, is not a letter
(issue 17): the signs, the verdict with its reasons, and letters that merely mention
such things left alone."""

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
        ("Would you consider adding a link to our guide?", "asks us to add a link"),
        ("It would be a useful resource for your readers.", "asks us to add a link"),
        ("I am writing to apply for the night reporter opening.", "applies for a job"),
        ("My résumé and clips are attached.", "applies for a job"),
        ("Three Sundays running my paper has landed in the gutter.", "delivery or a subscription"),
        ("Do you offer a student rate for the e-edition?", "delivery or a subscription"),
        ("Is there a word limit, and will it be published soon?", "how to send a letter"),
        ("Could you send a reporter to the opening?", "asks us to cover something"),
        ("Attached is my 900-word essay on the budget.", "submits a piece for publication"),
        ("Our rate card is below; sponsored posts start at $300.", "sells something"),
        ("Please correct the spelling of my name online.", "asks for a correction"),
        ("The caption is wrong. Could someone fix it on the website?", "asks us to fix something"),
        ("My first name is spelled Katarzyna, not Katrina.", "asks us to fix something"),
        ("Who do I talk to about this? I have paid since 2019.", "the paper's service"),
        ("Is it possible to buy a print of that photograph?", "the paper's service"),
        ("Thank you for printing my letter last Sunday!", "the paper's service"),
        ("We would be grateful for a mention in the paper.", "the paper's service"),
        ("I'd love to set you up with a no-obligation pilot.", "sells a service, or is a scam"),
        ("All efforts to locate his next of kin have failed.", "sells a service, or is a scam"),
        ("You are welcome to embed it in the story at no cost.", "offers us content"),
        ("I wanted to introduce Dr. Paul Henning, who studies sleep.", "offers us content"),
        ("He's happy to speak with Ms. Menon for a follow-up.", "offers us content"),
        ("Just following up on my note from last Wednesday.", "offers us content"),
        ("Please consider my attached piece for your opinion pages.", "offers us content"),
    ],
)
def test_each_kind_of_ask_is_named(text: str, what: str) -> None:
    weight, reasons = asks_of(text)
    assert weight >= 3.0
    assert any(what in reason for reason in reasons), reasons


@pytest.mark.parametrize(
    "text",
    [
        "Frankly I am tempted to cancel my subscription over this editorial.",
        "Your congestion pricing editorial ignores those who drive at night.",
        "The city should apply for the state grant this month.",
        "I have been a subscriber for thirty years and never read a sillier column.",
        "Please print this so the owner knows what he painted over.",
        "One correction for your readers: she taught from 1958, not 1968.",
        "Thank you for Helen Pruitt's report on the library hours.",
        "Can someone explain why the board renewed the contract? Who tasted the food?",
        "I have subscribed to the Courier for forty years and rarely disagreed so strongly.",
        "The city's own figures put the peak in 2011, not 2009, as your story says.",
        "This letter is exclusive to your paper and has not been submitted elsewhere.",
        "The council should fix the overflow pipes before the next storm.",
        "I am happy to talk to your reporter: the depot knows the figures.",
    ],
)
def test_a_letter_that_mentions_such_things_asks_nothing(text: str) -> None:
    assert asks_of(text) == (0.0, ())


def _mail(body: str, subject: str = "Your article") -> bytes:
    return (
        "From: Rhoda Kerr <rhoda@example.org>\r\nTo: letters@news.test\r\n"
        f"Subject: {subject}\r\nDate: Tue, 4 Nov 2025 10:00:00 -0500\r\n"
        "Message-ID: <asks-test@example.org>\r\n\r\n" + body.replace("\n", "\r\n")
    ).encode()


def test_a_dear_editor_link_pitch_quoting_our_headline_is_other_with_its_reason() -> None:
    body = (
        "Dear Editor,\n\nI loved your article “Council Approves the Eastside Depot Plan”"
        " and I strongly agree with it. We have written a comprehensive guide to bus"
        " depots and air quality that would be a valuable addition for your readers."
        " Would you consider adding a link to it from the article? I believe your"
        " readers would benefit.\n\nKind regards,\nRhoda Kerr\nOutreach, AirGuides\n"
    )
    verdict = classify(parse_message(_mail(body)), DESK)
    assert verdict.category is Category.other
    assert any("asks us to add a link, not a letter" in r for r in verdict.reasons)
    assert any(r.startswith("but: opens with") for r in verdict.reasons)


def test_a_letter_with_no_ask_is_still_a_letter() -> None:
    body = (
        "Dear Editor,\n\nYour article on the Eastside depot left out the residents who"
        " spoke at the hearing. I disagree with the council's claim that nobody objected:"
        " six of us did, and our reasons are in the minutes. The expansion passed without"
        " listening to the street that will breathe its fumes every morning.\n\n"
        "Rhoda Kerr\nCarver Street\n"
    )
    assert classify(parse_message(_mail(body)), DESK).category is Category.letter


def test_the_signs_are_fast_on_hostile_text() -> None:
    for hostile in ("add " * 200_000, "a" * 2_000_000, "my paper " * 200_000, " \n" * 500_000):
        started = time.perf_counter()
        asks_of(hostile)
        assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    ("body", "ask"),
    [
        (
            (
                "Could you pass this on to Helen Pruitt? I run the homework club at the branch and"
                " would like to talk to her about the Sunday hours.\n\nThanks,\nDev Raman\n"
            ),
            "asks to reach a reporter",
        ),
        (
            (
                "Yesterday's story on the depot only told half of it. Please don't use my name, but"
                " someone should ask the agency for the idling logs.\n\nRay\n"
            ),
            "gives a tip, not for publication",
        ),
        (
            (
                "Sunday's story on the food bank has a photo of my mother. Where can I buy three"
                " copies of that paper?\n\nGloria Estrada\nLakeview\n"
            ),
            "asks about delivery or a subscription",
        ),
    ],
)
def test_asking_to_reach_a_reporter_a_tip_or_copies_is_no_letter(body: str, ask: str) -> None:
    verdict = classify(parse_message(_mail(body)), DESK)
    assert verdict.category is Category.other
    assert any(r.startswith(f"{ask}, not a letter") for r in verdict.reasons)


def test_asking_us_to_print_the_correct_puzzle_is_no_letter() -> None:
    body = (
        "Dear Editor,\n\nSaturday's crossword had the wrong grid printed with the clues. Will"
        " you print the correct puzzle?\n\nMargaret Lyle\n"
    )
    verdict = classify(parse_message(_mail(body)), DESK)
    assert verdict.category is Category.other
    assert any(r.startswith("asks for a correction, not a letter") for r in verdict.reasons)


_NOT_LETTERS = {
    "asks us to add a link": "I really enjoyed your piece. Our team published an in-depth guide"
    " to school-zone safety; you could point readers to it, and we will return the favour.",
    "applies for a job": "Your coverage is the kind of reporting I want to do. I would be"
    " grateful to be considered for your winter reporting fellowship and can start in January.",
    "asks us to cover something": "After your piece on the mural we commissioned a new one."
    " We would love it if you could include this in your weekend listings.",
    "asks how to send a letter or after one sent": "I read the editorial and would like to"
    " respond. Before I write, what is the maximum length you accept?",
    "asks the paper a question or a favour": "Your story says demand is up 40 percent. Could"
    " you tell me where that figure comes from? We would like to cite it.",
    "says it is not for publication": "Please tell Grace Okafor thank you from all of us. Her"
    " story brought eleven new volunteers. No need to print this.",
    "submits a piece for publication": "After your article about the mural I found a photo of"
    " it from 1998. Please publish it so people remember. The photo is attached.",
    "asks for the paper's endorsement": "Your coverage showed how close our races are. We"
    " respectfully ask for the Courier's endorsement of Rita Vance.",
}


@pytest.mark.parametrize("ask", sorted(_NOT_LETTERS))
def test_mail_asking_the_paper_in_other_words_is_no_letter(ask: str) -> None:
    body = f"Dear Editor,\n\n{_NOT_LETTERS[ask]}\n\nAda Reader\nEastbay\n"
    verdict = classify(parse_message(_mail(body)), DESK)
    assert verdict.category is Category.other
    assert any(r.startswith(f"{ask}, not a letter") for r in verdict.reasons), verdict.reasons


def test_a_press_release_without_its_header_is_told_by_dateline_and_spokesperson() -> None:
    body = (
        "RIVERSIDE, Nov. 27 - The Rotary Club today pledged $20,000 to keep the library open"
        ' on Sundays.\n\n"Libraries are the heart of a town," said club president Alan Ross.\n'
    )
    reasons = classify(parse_message(_mail(body)), DESK).reasons
    assert any(r.startswith("press release dateline") for r in reasons)
    assert any(r.startswith("quotes a spokesperson") for r in reasons)
