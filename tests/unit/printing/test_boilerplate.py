"""Tests for intake.printing.boilerplate (and its use by intake.printing.letterbody): what is not the writer's words.

Quoted mail, disclaimers, client taglines, tracking junk and web-page furniture
never reach print; the writer's own words always do, in their order.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from intake.mail.parse import parse_message
from intake.printing.boilerplate import clean_letter_text
from intake.printing.housestyle import HouseStyle
from intake.printing.letterbody import prepare_letter
from intake.printing.printview import PrintInput, pair_view
from intake.printing.typography import fold

REPO = Path(__file__).resolve().parents[3]
SEED = REPO.parent / "shared" / "seed" / "000_94b2853b89eeda72.txt"
CORPUS = REPO.parent / "shared" / "corpus"

LETTER = (
    "Dear Editor,\n\n"
    "Your article on the harbour flats missed the tenants who were moved out\n"
    "first. Nobody asked them where they wanted to live.\n\n"
    "Yours sincerely,\nPeter Marsh\nDover\n"
)


def printed(text: str, sender: str = "Peter Marsh") -> str:
    body = prepare_letter(text, sender_name=sender)
    return "\n".join((*body.paragraphs, *body.signature))


def test_a_quoted_newsletter_under_the_letter_is_removed() -> None:
    text = LETTER + (
        "\nOn Tue, 25 Nov 2026 at 07:00, The Daily <news@daily.example> wrote:\n"
        "> Today: the harbour flats, the ring road and a recipe for soup.\n"
        "> Unsubscribe at any time.\n"
    )

    assert printed(text) == printed(LETTER)


def test_quoted_lines_inside_a_letter_are_removed_and_the_rest_kept() -> None:
    text = (
        "Dear Editor,\n\nYou wrote:\n\n> The flats are full.\n\n"
        "They are not; I counted the lights.\n\nPeter Marsh\n"
    )

    body = prepare_letter(text, sender_name="Peter Marsh")

    assert body.paragraphs == ("You wrote:", "They are not; I counted the lights.")


def test_an_original_message_block_and_everything_below_it_is_removed() -> None:
    text = LETTER + (
        "\n-----Original Message-----\nFrom: The Daily\nSent: Tuesday\nTo: Peter\n"
        "Subject: Your subscription\n\nThe flats story is free to read.\n"
    )

    assert printed(text) == printed(LETTER)


@pytest.mark.parametrize(
    "disclaimer",
    [
        (
            "This email and any attachments are confidential and intended solely for the\n"
            "addressee. If you are not the intended recipient, please delete it."
        ),
        "CONFIDENTIALITY NOTICE: The information in this message is privileged.",
        "If you have received this email in error please notify the sender.",
        "Please consider the environment before printing this email.",
    ],
)
def test_disclaimers_under_the_letter_are_removed(disclaimer: str) -> None:
    assert printed(f"{LETTER}\n{disclaimer}\n") == printed(LETTER)
    assert printed(f"{LETTER}\n{disclaimer}\n\nSent from my iPhone\n") == printed(LETTER)


def test_a_disclaimer_run_on_under_the_name_leaves_the_name() -> None:
    text = LETTER.rstrip("\n") + "\nThis message is confidential and may be privileged.\n"

    assert prepare_letter(text, sender_name="Peter Marsh").signature == ("Peter Marsh", "Dover")


def test_a_letter_about_confidential_email_keeps_its_words() -> None:
    text = (
        "Dear Editor,\n\n"
        "This email is confidential, the mayor's aide wrote to me in March, and\n"
        "so I was told nothing about the harbour flats.\n\n"
        "I have asked again and again. If you are not the intended recipient of\n"
        "a council letter, you never learn what it said; that is the problem.\n\n"
        "Peter Marsh\n"
    )

    body = prepare_letter(text, sender_name="Peter Marsh")

    assert len(body.paragraphs) == 2
    assert body.paragraphs[1].endswith("that is the problem.")


@pytest.mark.parametrize(
    "tagline",
    ["Sent from my iPhone", "Get Outlook for Android", "Sent from Yahoo Mail for iPhone"],
)
def test_client_taglines_are_removed(tagline: str) -> None:
    assert printed(f"{LETTER}\n{tagline}\n") == printed(LETTER)


def test_tracking_junk_is_removed_and_links_lose_their_tracking_parameters() -> None:
    text = (
        "Dear Editor,\n\n[cid:image001.png@01DA3F2C.5B8E4A10]\n"
        "Your piece https://www.news.test/flats/?utm_source=nl&utm_medium=email&id=7&fbclid=AbC\n"
        "missed the tenants. [image: Daily logo]\n\n"
        "Peter Marsh\n\n"
        "Virus-free. www.avast.com\n"
        "Sender notified by Mailtrack 26/11/26, 09:12:44\n"
    )

    out = printed(text)

    assert "https://www.news.test/flats/?id=7 missed the tenants." in out
    for junk in ("utm_", "fbclid", "cid:", "image:", "avast", "Mailtrack", "Virus"):
        assert junk not in out


def test_the_web_page_around_the_seed_never_appears() -> None:
    page = SEED.read_text(encoding="utf-8")

    out = clean_letter_text(page)

    for furniture in ("Facebook", "Twitter", "Flipboard", "Pocket", "Ad Policy",
                      "Thank you for reading The Nation!", "recurring donation", "Sustainers",
                      "Thank you for your generosity", "Donate today"):  # fmt: skip
        assert furniture not in out, furniture
    assert "\nEmail\n" not in out
    headline = page.split("\n")[0]
    assert out.count(headline) == 1  # the page prints it three times
    assert "Dear Editor:" in out and "Maibe Ponet" in out and "prior convictions." in out


def test_an_html_letter_pasted_from_a_web_page_loses_the_page() -> None:
    html = (
        "<html><body><p>Dear Editor,</p>"
        "<ul class='share'><li><a href='#'>Facebook</a></li><li><a href='#'>Twitter</a></li>"
        "<li><a href='#'>Email</a></li><li>Flipboard</li><li>Pocket</li></ul>"
        "<p>The harbour flats story missed the tenants who moved out first.</p>"
        "<p>Advertisement</p>"
        "<p>Peter Marsh<br>Dover</p>"
        "<h3>Thank you for reading The Harbour Times!</h3>"
        "<p>Independent journalism needs your support. Set up a recurring donation today.</p>"
        "<p>Ad Policy</p></body></html>"
    )
    raw = (
        "From: Peter Marsh <peter@example.org>\nTo: letters@news.test\nSubject: Flats\n"
        "Message-ID: <flats.1@example.org>\nMIME-Version: 1.0\n"
        "Content-Type: text/html; charset=utf-8\n\n" + html
    ).encode()

    body = prepare_letter(parse_message(raw).text, sender_name="Peter Marsh")

    assert body.paragraphs == ("The harbour flats story missed the tenants who moved out first.",)
    assert body.signature == ("Peter Marsh", "Dover")


@pytest.mark.parametrize(
    "kept",
    [
        "Thank you for reading my letter.",
        "I support your journalism and donate every month.",
        "Pocket money for children is the real issue here.",
    ],
)
def test_the_writers_own_lines_that_look_like_furniture_are_kept(kept: str) -> None:
    text = f"Dear Editor,\n\nThe flats story was fair.\n\n{kept}\n\nPeter Marsh\n"

    assert kept in prepare_letter(text, sender_name="Peter Marsh").paragraphs


# --- the writer's words stay the writer's words -----------------------------------------------


def words(text: str) -> list[str]:
    """The words of *text*, typography aside."""
    plain = fold(unicodedata.normalize("NFC", text)).translate(
        dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
    )
    return re.findall(r"\w+", plain)


def is_in_order_subset(part: list[str], whole: list[str]) -> bool:
    remaining = iter(whole)
    return all(word in remaining for word in part)


def letter_texts() -> list[tuple[str, str, str]]:
    """(name, sender, text) of every letter the project has, plus the seed page and the corpus."""
    found: list[tuple[str, str, str]] = []
    for path in sorted((REPO / "tests" / "data" / "mail" / "letter").glob("*.eml")) + sorted(
        (REPO / "samples" / "inbox").glob("0[1-4]-*.eml")
    ):
        mail = parse_message(path.read_bytes())
        found.append((path.name, mail.sender.name if mail.sender else "", mail.text))
    if SEED.is_file():
        found.append(("seed page", "", SEED.read_text(encoding="utf-8")))
    if CORPUS.is_dir():
        for line in (CORPUS / "labels.jsonl").read_text(encoding="utf-8").splitlines():
            label = json.loads(line)
            if label["format"] == "body_text":
                text = (CORPUS / label["path"]).read_text(encoding="utf-8", errors="replace")
                found.append((label["path"], "", text))
    return found


def test_there_are_enough_letters_to_mean_something() -> None:
    assert len(letter_texts()) >= 90


@pytest.mark.parametrize("typography", [False, True])
def test_printed_words_are_an_in_order_subset_of_the_writers(typography: bool) -> None:
    style = HouseStyle(typography=typography)
    for name, sender, text in letter_texts():
        view = pair_view(
            PrintInput(
                letter_id=1,
                article_title="T",
                article_url="",
                author_name="A",
                writer_name=sender,
                letter_text=text,
                response_text=text,
            ),
            style,
        )
        source = words(text)
        assert is_in_order_subset(words(" ".join(view.letter_paragraphs)), source), name
        assert is_in_order_subset(words(" ".join(view.response_paragraphs)), source), name
        signed = words(" ".join(view.signature))
        assert is_in_order_subset(signed, source) or signed == words(sender), name
