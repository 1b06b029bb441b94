"""Tests for intake.printing.letterbody: letters and responses made ready for print."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intake.printing.letterbody import LetterBody, prepare_letter, prepare_response

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / "tests" / "data" / "letters"
SEED = REPO.parent / "shared" / "seed" / "000_94b2853b89eeda72.txt"
CORPUS = REPO.parent / "shared" / "corpus"

SEED_SIGNATURE = ("Maibe Ponet", "Deputy Press Secretary", "Mayor Bill de Blasio\u2019s Office")


def seed_letter_email() -> str:
    """The seed letter as its writer would email it: wrapped at 72 columns."""
    return (DATA / "seed_letter.txt").read_text(encoding="utf-8")


def seed_paragraphs() -> list[str]:
    """The four letter paragraphs exactly as The Nation printed them."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    start = lines.index("Dear Editor:") + 1
    end = lines.index("Maibe Ponet")
    return [line for line in lines[start:end] if line]


def test_the_seed_letter_unwraps_to_the_printed_paragraphs_and_signature() -> None:
    body = prepare_letter(seed_letter_email(), sender_name="Maibe Ponet")

    assert len(body.paragraphs) == 4
    assert list(body.paragraphs) == seed_paragraphs()
    assert body.signature == SEED_SIGNATURE
    assert body.salutation == "Dear Editor:"


def test_the_seed_fixture_really_is_hard_wrapped() -> None:
    # Guards the test above: an unwrapped fixture would make it pass trivially.
    lines = seed_letter_email().splitlines()
    assert max(len(line) for line in lines) <= 72
    assert len(lines) > 30


def test_the_seed_signature_is_found_without_a_sender_name() -> None:
    body = prepare_letter(seed_letter_email())

    assert body.signature == SEED_SIGNATURE
    assert list(body.paragraphs) == seed_paragraphs()


def test_a_sign_off_line_is_left_out_of_the_signature() -> None:
    text = seed_letter_email().replace("Maibe Ponet\n", "Sincerely,\nMaibe Ponet\n")

    body = prepare_letter(text, sender_name="Press Office")

    assert body.signature == SEED_SIGNATURE
    assert list(body.paragraphs) == seed_paragraphs()


def test_a_signature_glued_to_the_last_paragraph_is_found_by_the_sender_name() -> None:
    text = (
        "I disagree with the article, which left out the numbers that matter most\n"
        "to the people who ride the bus.\nJane Q. Doe\nPortland, Ore."
    )

    body = prepare_letter(text, sender_name="Jane Doe")

    assert body.paragraphs == (
        (
            "I disagree with the article, which left out the numbers that matter most "
            "to the people who ride the bus."
        ),
    )
    assert body.signature == ("Jane Q. Doe", "Portland, Ore.")


@pytest.mark.parametrize(
    "salutation",
    ["Dear Editor:", "Dear Editors,", "To the Editor:", "To the editors of The Nation,",
     "Editor:", "Sir,", "Dear Ms. Chen,", "Hello,"],
)  # fmt: skip
def test_salutations_are_taken_out_of_the_paragraphs(salutation: str) -> None:
    text = f"{salutation}\n\nYour article missed the point.\n\nSincerely,\nAda Lovelace\n"

    body = prepare_letter(text)

    assert body.salutation == salutation
    assert body.paragraphs == ("Your article missed the point.",)
    assert body.signature == ("Ada Lovelace",)


def test_a_salutation_on_the_first_line_of_text_is_cut_from_it() -> None:
    body = prepare_letter("Dear Editor: your article missed the point.\n\nAda Lovelace")

    assert body.salutation == "Dear Editor:"
    assert body.paragraphs == ("your article missed the point.",)


def test_prose_that_starts_like_a_salutation_is_kept() -> None:
    text = "Editors often miss this.\n\nDear God, what have we done to the river?\n\nAda Lovelace"

    body = prepare_letter(text, sender_name="Ada Lovelace")

    assert body.salutation == ""
    assert body.paragraphs == (
        "Editors often miss this.",
        "Dear God, what have we done to the river?",
    )


def test_contact_lines_are_never_part_of_the_signature_nor_printed() -> None:
    text = (
        "Your article missed the point.\n\n"
        "Best regards,\n"
        "Ada Lovelace\n"
        "(212) 555-0143\n"
        "ada@example.org\n"
        "221B Baker Street, Apt. 4\n"
        "Professor of Mathematics\n"
        "P.O. Box 1234\n"
        "www.example.org/ada\n"
        "Brooklyn, NY 11201\n"
    )

    body = prepare_letter(text, sender_name="Ada Lovelace")

    assert body.signature == ("Ada Lovelace", "Professor of Mathematics", "Brooklyn, NY")
    printed = " ".join((*body.paragraphs, *body.signature))
    for private in ("555", "ada@", "Baker", "Box", "www"):
        assert private not in printed


def test_contact_lines_are_dropped_even_when_no_signature_is_confirmed() -> None:
    text = "Your article missed the point.\n\nGo Mets\n+1 212 555 0143\n"

    body = prepare_letter(text, sender_name="Ada Lovelace")

    assert body.paragraphs == ("Your article missed the point.", "Go Mets")
    assert body.signature == ("Ada Lovelace",)


def test_no_signature_falls_back_to_the_sender_name() -> None:
    text = "I think the article was unfair to the city.\nIt should say so."

    assert prepare_letter(text, sender_name="Ada Lovelace").signature == ("Ada Lovelace",)
    assert prepare_letter(text).signature == ()


def test_an_unconfirmed_short_block_stays_in_the_letter() -> None:
    text = "The article was unfair.\n\nVote Yes On Four\n"

    body = prepare_letter(text, sender_name="Ada Lovelace")

    assert body.paragraphs == ("The article was unfair.", "Vote Yes On Four")
    assert body.signature == ("Ada Lovelace",)


@pytest.mark.parametrize(
    "tagline",
    ["Sent from my iPhone", "Sent from my Samsung Galaxy smartphone.", "Get Outlook for Android",
     "Sent with Proton Mail secure email."],
)  # fmt: skip
def test_client_taglines_are_dropped(tagline: str) -> None:
    text = f"The article was unfair.\n\nAda Lovelace\n\n{tagline}\n"

    body = prepare_letter(text, sender_name="Ada Lovelace")

    assert body == LetterBody(
        paragraphs=("The article was unfair.",), signature=("Ada Lovelace",), salutation=""
    )


def test_a_sentence_starting_with_sent_from_is_kept() -> None:
    body = prepare_letter("Sent from my desk, this is easier than my phone.\n", sender_name="A B")

    assert body.paragraphs == ("Sent from my desk, this is easier than my phone.",)


def test_a_dash_dash_signature_is_cut_and_its_name_lines_used() -> None:
    text = (
        "The article was unfair.\n\n-- \nAda Lovelace\nAnalytical Engines Ltd\n"
        "+44 20 7946 0958\nThis message is confidential and may be privileged.\n"
    )

    body = prepare_letter(text, sender_name="Ada Lovelace")

    assert body.paragraphs == ("The article was unfair.",)
    assert body.signature == ("Ada Lovelace", "Analytical Engines Ltd")


def test_a_dash_dash_block_naming_someone_else_is_only_cut() -> None:
    text = "The article was unfair.\n\n-- \nAcme Corp: widgets since 1901\n"

    body = prepare_letter(text, sender_name="Ada Lovelace")

    assert body.paragraphs == ("The article was unfair.",)
    assert body.signature == ("Ada Lovelace",)


def test_paragraphs_without_blank_lines_are_told_apart_by_the_wrap_width() -> None:
    # Wrapped at 72: "point." followed by "Second" would have fitted, so that
    # newline was the writer's; the other newlines are the client's.
    text = (
        "The article missed the point entirely, and in missing it the writer also\n"
        "missed the point.\n"
        "Second paragraph begins here and goes on for a while, longer than a line\n"
        "can hold.\n"
    )
    assert max(len(line) for line in text.splitlines()) == 72

    body = prepare_letter(text)

    assert body.paragraphs == (
        (
            "The article missed the point entirely, and in missing it the writer also "
            "missed the point."
        ),
        "Second paragraph begins here and goes on for a while, longer than a line can hold.",
    )


def test_a_sentence_ending_at_the_wrap_column_does_not_split_the_paragraph() -> None:
    text = (
        "Here is a line that ends a sentence, as lines sometimes happen to do.\n"
        "Continuation which could not fit above, since the word is too long for\n"
        "the line it would have joined.\n"
    )

    joined = (
        "Here is a line that ends a sentence, as lines sometimes happen to do. Continuation "
        "which could not fit above, since the word is too long for the line it would have "
        "joined."
    )
    assert prepare_letter(text).paragraphs == (joined,)


def test_unwrapped_text_keeps_every_newline_as_a_paragraph_break() -> None:
    long_one = "This paragraph was typed in webmail and never wrapped by the client at all. " * 2
    text = f"{long_one.strip()}\nShort second paragraph.\n{long_one.strip()}\n"

    body = prepare_letter(text)

    assert body.paragraphs == (long_one.strip(), "Short second paragraph.", long_one.strip())


def test_a_wrap_after_an_unspaced_dash_adds_no_space() -> None:
    text = (
        "The letter was signed by Mayor de Blasio and all of his senior team\u2014\n"
        "including the commissioner\u2014who agree.\n"
    )

    assert prepare_letter(text).paragraphs == (
        (
            "The letter was signed by Mayor de Blasio and all of his senior team\u2014including "
            "the commissioner\u2014who agree."
        ),
    )


def test_list_items_start_their_own_paragraphs() -> None:
    text = "Three errors:\n- the date\n- the sum\n- the name\n"

    assert prepare_letter(text).paragraphs == (
        "Three errors:",
        "- the date",
        "- the sum",
        "- the name",
    )


def test_whitespace_is_normalised() -> None:
    text = (
        "\r\n  Dear Editor:\r\n\r\nThe\u00a0article\tmissed \u200bthe point that every rider on "
        "the night buses\r\nknows by heart.  \r\n\r\n\r\n"
    )

    body = prepare_letter(text)

    assert body.paragraphs == (
        "The article missed the point that every rider on the night buses knows by heart.",
    )


def test_a_sign_off_with_the_name_on_the_same_line() -> None:
    body = prepare_letter("The article was unfair.\n\nThanks, Ada\n")

    assert body.paragraphs == ("The article was unfair.",)
    assert body.signature == ("Ada",)


def test_an_empty_letter() -> None:
    assert prepare_letter("", sender_name="Ada Lovelace") == LetterBody(
        paragraphs=(), signature=("Ada Lovelace",)
    )


def test_the_seed_response_unwraps_to_the_printed_paragraph() -> None:
    reply = (DATA / "seed_response.txt").read_text(encoding="utf-8")
    printed = next(
        line for line in SEED.read_text(encoding="utf-8").split("\n") if " responds:" in line
    )
    expected = printed.split("responds:", 1)[1].strip()

    assert prepare_response(reply, author_name="Michelle Chen") == (expected,)


def test_a_response_loses_greeting_sign_off_and_bare_name() -> None:
    reply = (
        "Hi,\n\nThank you for passing this on. The figures in the article\ncome from the city.\n\n"
        "They were checked twice.\n\nMichelle\n\nSent from my iPad\n"
    )

    assert prepare_response(reply, author_name="Michelle Chen") == (
        "Thank you for passing this on. The figures in the article come from the city.",
        "They were checked twice.",
    )


def test_an_empty_response() -> None:
    assert prepare_response("  \n\n") == ()


def _is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    remaining = iter(haystack)
    return all(word in remaining for word in needle)


def test_responses_from_the_corpus_keep_their_words_in_order() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    labels = [
        json.loads(line)
        for line in (CORPUS / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    replies = [label["expected_reply_text"] for label in labels if label.get("expected_reply_text")]
    assert len(replies) > 40

    kept_whole = 0
    for reply in replies:
        paragraphs = prepare_response(reply)
        words = " ".join(paragraphs).split()
        assert words, reply
        assert _is_subsequence(words, reply.split()), reply
        kept_whole += words == reply.split()
    # Most replies have nothing to trim; the rest lose only greetings and sign-offs.
    assert kept_whole >= len(replies) * 0.7
