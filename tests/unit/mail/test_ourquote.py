"""Cutting an answer at our own request (intake.mail.ourquote) and its sign-off (intake.mail.signoff).

The request is the real one (rendered and composed by intake's own code, see
``test_client_matrix.real_request``); the replies are written here by hand in
the shapes the client matrix does not cover: a trimmed quote, an unmarked
paste, interleaved answers, an author quoting the letter in her own words.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from test_client_matrix import REQUEST, SENT

from intake.domain.model import Address, ParsedMail
from intake.mail.htmltext import html_to_quoted_text
from intake.mail.ourquote import RESPONSE_MARKER, cut_at_our_mail, extract_answer
from intake.mail.parse import parse_message
from intake.mail.signoff import known_names, split_signoff

REQUEST_TEXT = parse_message(REQUEST).text.replace("\r\n", "\n").strip()
ANSWER = "The numbers are from the 2025 report.\n\nI stand by them."


def quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))


def mail(text: str = "", html: str = "", name: str = "Michelle Chen") -> ParsedMail:
    return ParsedMail(
        message_id="r@author.test",
        has_message_id=True,
        sender=Address(name=name, email="michelle.chen@news.test"),
        text=text,
        html=html,
    )


def test_the_request_opens_with_the_marker() -> None:
    assert REQUEST_TEXT.splitlines()[0] == f"## {RESPONSE_MARKER} ##"


def test_a_quote_trimmed_to_the_marker_is_cut_there() -> None:
    reply = cut_at_our_mail(f"{ANSWER}\n\n> ## {RESPONSE_MARKER} ##\n>\n> Dear Mich", SENT)
    assert reply is not None and reply.text == ANSWER


def test_a_paste_without_quote_marks_or_attribution_is_cut_at_our_opening_words() -> None:
    # a phone client that drops both the marker and the attribution, and re-wraps
    body = REQUEST_TEXT.split("\n", 2)[2].replace("\n", " ")
    reply = cut_at_our_mail(f"{ANSWER}\n\n{body}", SENT)
    assert reply is not None and reply.text == ANSWER
    assert "Dear Michelle Chen" in reply.cut


def test_an_attribution_naming_us_is_cut_even_with_the_quote_removed() -> None:
    text = (
        f"{ANSWER}\n\nOn Sat, 28 Nov 2026 at 09:00, The Nation Letters <letters@news.test> wrote:\n"
    )
    reply = cut_at_our_mail(text, SENT)
    assert reply is not None and reply.text == ANSWER


def test_answers_between_and_below_our_quoted_lines_are_kept() -> None:
    lines = REQUEST_TEXT.split("\n")
    at = next(i for i, line in enumerate(lines) if "Would you like to respond" in line)
    text = (
        "On Sat, 28 Nov 2026, The Nation Letters <letters@news.test> wrote:\n"
        f"{quoted(chr(10).join(lines[: at + 2]))}\n\nYes, gladly: the figures stand.\n\n"
        f"{quoted(chr(10).join(lines[at + 2 :]))}\n\nAnd the council meets in January.\n"
    )
    reply = cut_at_our_mail(text, SENT)
    assert reply is not None
    assert reply.text == "Yes, gladly: the figures stand.\n\nAnd the council meets in January."


def test_the_author_quoting_the_letter_in_her_answer_is_not_a_cut() -> None:
    own = (
        "Ms. Ponet writes that we are extremely disappointed by the omissions and "
        "mischaracterizations, but the figures come from the city.\n\nThey stand."
    )
    reply = cut_at_our_mail(f"{own}\n\n{quoted(REQUEST_TEXT)}", SENT)
    assert reply is not None and reply.text == own


def test_naming_our_address_in_a_sentence_is_not_a_cut() -> None:
    own = "I have copied letters@news.test on this, as you asked.\n\nThe figures stand."
    reply = cut_at_our_mail(f"{own}\n\n{quoted(REQUEST_TEXT)}", SENT)
    assert reply is not None and reply.text == own


def test_mail_that_does_not_quote_us_goes_to_the_generic_extractor() -> None:
    text = f"{ANSWER}\n\nOn Mon, 1 Dec 2026 at 10:00, Someone Else <x@example.org> wrote:\n> other"
    assert cut_at_our_mail(text, SENT) is None
    assert extract_answer(mail(text), SENT).text == ANSWER


def test_an_answer_with_nothing_new_stays_empty_for_the_editors() -> None:
    reply = extract_answer(mail(f"\n\n{quoted(REQUEST_TEXT)}"), SENT)
    assert reply.text == ""
    assert "Dear Michelle Chen" in reply.cut


def test_html_only_answers_are_read_with_their_blockquotes() -> None:
    request_html = parse_message(REQUEST).html
    html = f"<div>{ANSWER.replace(chr(10) * 2, '</div><div><br></div><div>')}</div>"
    html += f"<blockquote>{request_html}</blockquote>"
    reply = extract_answer(mail(html=html, text=""), SENT)
    assert reply.text == ANSWER


def test_html_to_quoted_text_marks_each_level() -> None:
    text = html_to_quoted_text(
        "<p>new</p><blockquote><p>one</p><blockquote>two<br>three</blockquote></blockquote>"
    )
    assert text.split("\n") == ["new", "", "> one", "", "> > two", "> > three"]


def test_cutting_is_linear_on_hostile_input() -> None:
    hostile = ("> " * 2000 + "wrote:\n" + "1 (" * 3000 + "\n-- Michelle\n") * 20
    started = time.perf_counter()
    extract_answer(mail(hostile + "\n" + quoted(REQUEST_TEXT)), SENT)
    assert time.perf_counter() - started < 2.0


# --- the sign-off -------------------------------------------------------------------------

NAMES = known_names("Michelle Chen")


@pytest.mark.parametrize(
    "signoff",
    [
        "Best,\nMichelle",
        "Best, Michelle",
        "Thanks,\nMichelle Chen\nStaff writer\nThe Nation",
        "— Michelle Chen",
        "– MC",
        "-Michelle",
        "-- \nMichelle Chen | The Nation\nhttps://www.example.org/mchen",
        "Michelle",
        "Sent from my iPhone",
        "Cheers — Michelle\n\nSent from my iPad",
        "Mit freundlichen Grüßen\nMichelle Chen",
        "Kind regards,\nM. Chen\n+1 212 555 0143",
    ],
)
def test_the_authors_sign_off_is_cut_and_kept(signoff: str) -> None:
    text, cut = split_signoff(f"{ANSWER}\n\n{signoff}", NAMES)
    assert text == ANSWER
    assert cut == signoff


@pytest.mark.parametrize(
    "ending",
    [
        "Thank you.",  # a closing sentence, no name after it
        "Two things:\n- Housing\n- Schools",  # a list, not a dash signature
        "The council meets in January.",
    ],
)
def test_what_only_looks_like_a_sign_off_stays(ending: str) -> None:
    text = f"{ANSWER}\n\n{ending}"
    assert split_signoff(text, NAMES) == (text, "")


def test_a_sign_off_never_takes_the_whole_answer() -> None:
    assert split_signoff("Thanks,\nMichelle", NAMES) == ("Thanks,\nMichelle", "")


def test_a_sign_off_inside_the_text_is_not_the_end() -> None:
    text = "Best,\nMichelle\n\nP.S. I checked the figures again today: they stand as printed."
    assert split_signoff(text, NAMES) == (text, "")


def test_extract_reply_cuts_at_the_request_it_is_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from clientmatrix import NEW_TEXT, answer
    from test_client_matrix import REQUEST_MSG

    from intake.cli.main import main

    request, reply = tmp_path / "request.eml", tmp_path / "reply.eml"
    request.write_bytes(REQUEST)
    reply.write_bytes(answer(REQUEST_MSG, "outlook-desktop-de", "text", signoff="best"))
    assert main(["extract-reply", str(reply), "--request", str(request), "--show-cut"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == NEW_TEXT
    assert "Von: The Nation Letters" in err and "Best," in err
