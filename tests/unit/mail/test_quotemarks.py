"""Where quoted mail starts (intake.mail.quotemarks), through the generic extractor: the
classes of issue 12 that mail from systems the team had not seen showed, each written
here as a hand-made reply (no fixture text)."""

from __future__ import annotations

import time

import pytest

from intake.mail.htmltext import split_html_reply
from intake.mail.parse import parse_loose, parse_message
from intake.mail.quotemarks import (
    ENDS_WITH_VERB_RE,
    attribution_start,
    ends_with_verb,
    split_inline_attribution,
)
from intake.mail.replytext import extract_reply, extract_reply_from_text

NEW = "The figures stand; the council confirmed them on Friday."
DESK = "Letters Desk <letters@news.test>"


@pytest.mark.parametrize(
    "attribution",
    [
        f"Den man. 3. jun. 2024 kl. 10.15 skrev {DESK}:",  # Danish
        "Den 3 juni 2024 kl. 10:15 skrev Letters Desk:",  # Swedish, no address
        f"På man. 3. juni 2024 kl. 10:15 skrev {DESK}:",  # Norwegian
        f"Il giorno lun 3 giu 2024 alle ore 10:15 {DESK} ha scritto:",  # Italian
        f"Op ma 3 jun. 2024 om 10:15 schreef {DESK}:",  # Dutch
        f"Em seg., 3 de jun. de 2024 às 10:15, {DESK} escreveu:",  # Portuguese
        f"Am Mo., 3. Juni 2024 um 10:15 Uhr schrieb {DESK}:",  # German
        "El dl., 3 de juny 2024 a les 10:15, Letters Desk (<letters@news.test>) va escriure:",
        f"{DESK} je napisao/la 3. lip 2024. u 10:15:",  # the sender first, an unlisted verb
        f"Pada tanggal Sen, 3 Jun 2024 10.15, {DESK} menulis:",  # an unlisted verb, last
    ],
)
def test_an_attribution_in_a_language_the_verbs_lack_cuts_by_its_shape(attribution: str) -> None:
    text = f"{NEW}\n\n{attribution}\n\n> A reader writes that the figures are wrong.\n"
    assert extract_reply_from_text(text).text == NEW


def test_an_attribution_starts_at_its_opener_not_at_the_reply_line_above() -> None:
    lines = ["Agreed.", "Den 3 juni 2024 kl. 10:15:18, Letters Desk (letters@news.test) skrev:"]
    assert attribution_start(lines, 1) == 1
    text = "\n".join(lines) + "\n\nA reader writes that the figures are wrong.\n"
    assert extract_reply_from_text(text).text == "Agreed."
    # a wrapped attribution still starts on its first piece
    wrapped = ["On Mon, 3 Jun 2024 at 10:15, Letters Desk <", "letters@news.test> wrote:"]
    assert attribution_start(wrapped, 1) == 0


@pytest.mark.parametrize("joint", [" ", "--- ", " -- "])
def test_an_attribution_joined_to_the_reply_line_is_split_off(joint: str) -> None:
    line = f"{NEW}{joint}On Mon, Jun 3, 2024 at 10:15 AM, letters@news.test wrote:"
    assert split_inline_attribution(line) == (
        NEW,
        "On Mon, Jun 3, 2024 at 10:15 AM, letters@news.test wrote:",
    )
    assert extract_reply_from_text(f"{line}\n> A reader writes.\n").text == NEW


def test_a_sentence_with_on_and_a_colon_is_not_split() -> None:
    line = "We spoke on Monday and agreed on three points:"
    assert split_inline_attribution(line) is None
    assert extract_reply_from_text(f"{line}\n- the map\n- the date").text.startswith(line)


@pytest.mark.parametrize(
    "marker",
    [
        "--- Previous replies ---",
        "Previous messages:",
        "### Vorherige Nachrichten ###",
        "-- Messages précédents --",
        "----- Respuestas anteriores -----",
        "[Mensagens anteriores]",
        "== Risposte precedenti ==",
        "Eerdere berichten",
        "--- Tidigare svar ---",
        "Poprzednie wiadomości:",
    ],
)
def test_a_notifiers_previous_replies_marker_cuts(marker: str) -> None:
    text = f"{NEW}\n\n{marker}\n\nLetters Desk, 3 June 2024:\nA reader writes.\n"
    assert extract_reply_from_text(text).text == NEW


@pytest.mark.parametrize(
    "marker",
    [
        "Svar venligst over denne linje",
        "## Vastaa tämän rivin yläpuolelle ##",
        "-- Пожалуйста, ответьте выше этой строки --",
    ],
)
def test_reply_above_this_line_in_more_languages(marker: str) -> None:
    text = f"{NEW}\n\n{marker}\n\nTicket 42 was updated."
    assert extract_reply_from_text(text).text == NEW


def test_previous_replies_in_a_sentence_is_not_a_marker() -> None:
    text = f"{NEW}\nPrevious replies from the council said otherwise."
    assert extract_reply_from_text(text).text == text


@pytest.mark.parametrize("rule", ["-----", "________________", "==========", "*****"])
@pytest.mark.parametrize(
    "header",
    [f"From: {DESK}\nSent: Monday", "Von: Leserbriefe\nDatum: 3. Juni 2024", "Date: Monday"],
)
def test_a_rule_above_a_sender_or_date_line_cuts(rule: str, header: str) -> None:
    text = f"{NEW}\n\n{rule}\n{header}\n\nA reader writes that the figures are wrong.\n"
    assert extract_reply_from_text(text).text == NEW


def test_a_rule_between_the_writers_own_paragraphs_stays() -> None:
    text = f"{NEW}\n\n-----\n\nA second point: the map is from 2019."
    assert extract_reply_from_text(text).text == text


@pytest.mark.parametrize(
    "headers",
    [
        "Date: Mon, 3 Jun 2024 10:15:00 +0200\nTo: dana@example.org",
        "Datum: 3. Juni 2024 10:15\nAn: dana@example.org\nBetreff: Ihr Artikel",
    ],
)
def test_a_header_block_that_opens_with_the_date_cuts(headers: str) -> None:
    assert extract_reply_from_text(f"{NEW}\n\n{headers}\n\nA reader writes.").text == NEW


def test_a_date_line_of_the_writers_own_is_kept() -> None:
    text = f"{NEW}\n\nDate: next Monday\nTo: all of you who wrote in"
    assert extract_reply_from_text(text).text == text


def test_a_lone_sender_line_standing_apart_cuts() -> None:
    text = f"{NEW}\n\nFrom: letters@news.test\n\nA reader writes that the figures are wrong."
    assert extract_reply_from_text(text).text == NEW


def test_arrows_around_a_link_are_not_a_quote() -> None:
    text = "Details are here:\n>>> https://news.test/corrections <<<\nThanks for asking."
    assert extract_reply_from_text(text).text == text


def test_a_link_wrapped_out_of_its_quoted_line_stays_in_the_quote() -> None:
    text = (
        f"{NEW}\n\nOn Mon, 3 Jun 2024 at 10:15, {DESK} wrote:\n"
        "> Read the letter (https://news.test/letters/view?id=42&token=\nab12cd)\n> Thanks\n"
    )
    assert extract_reply_from_text(text).text == NEW


def test_a_signature_with_no_quote_below_loses_its_contact_details() -> None:
    text = (
        f"{NEW}\n\nDana Obi\nSenior Reporter, The Ledger\nM: +1 555 010 0199 | dana@ledger.test\n"
    )
    reply = extract_reply_from_text(text)
    assert reply.text == f"{NEW}\n\nDana Obi"
    assert "+1 555 010 0199" in reply.signature


def test_a_last_paragraph_of_names_without_contact_details_stays() -> None:
    text = f"{NEW}\n\nThe Council\nThe Mayor\nThe Editors"
    assert extract_reply_from_text(text).text == text


def _html_mail(html: str) -> bytes:
    return (
        "From: Dana Obi <dana@example.org>\nTo: letters@news.test\nSubject: Re: x\n"
        f"MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n{html}\n"
    ).encode()


@pytest.mark.parametrize("key", ["From:", "Von:", "De :", "Date:"])
def test_an_hr_above_a_sender_or_date_starts_the_quoted_message(key: str) -> None:
    html = f"<p>{NEW}</p><hr><p><b>{key}</b> Letters Desk<br>Monday</p><p>A reader writes.</p>"
    parts = split_html_reply(html)
    assert parts.text == NEW
    assert parts.quoted.startswith(key.split()[0])
    assert extract_reply(parse_message(_html_mail(html))).text == NEW


def test_an_hr_between_the_writers_paragraphs_stays() -> None:
    html = f"<p>{NEW}</p><hr><p>A second point: the map is from 2019.</p>"
    assert split_html_reply(html).text == f"{NEW}\n\nA second point: the map is from 2019."


def test_an_interleaved_reply_in_html_keeps_each_answer_and_cuts_each_quote() -> None:
    html = (
        "<div>See my answers below.</div><blockquote>Is the figure for 2023 right?</blockquote>"
        "<div>Yes, it is from the council's report.</div><blockquote>And the map?</blockquote>"
        "<div>The map is from 2019; we will correct it.</div>"
    )
    reply = extract_reply(parse_message(_html_mail(html)))
    assert reply.text == (
        "See my answers below.\n\nYes, it is from the council's report.\n\n"
        "The map is from 2019; we will correct it."
    )
    assert "And the map?" in reply.cut


def test_a_body_only_file_whose_first_line_is_no_header_is_a_body() -> None:
    mail = parse_loose(b"<https://news.test/a> and <https://news.test/b> say it all.\n")
    assert mail.text.startswith("<https://news.test/a>")
    assert parse_loose(b"Subject: hi\n\nBody\n").subject == "hi"


def test_quote_marks_are_read_in_linear_time() -> None:
    hostile = (
        "x on " * 20_000 + ":",
        "a@b.cc " * 10_000 + "word " * 10_000 + ":",
        ">>" + "a" * 100_000 + "<",
        "Date: " + "1:11 2020 " * 10_000,
        "From: " + "<" * 50_000 + "@",
        "-" * 100_000,
    )
    started = time.perf_counter()
    for text in hostile:
        extract_reply_from_text(f"{NEW}\n\n{text}\n{text}\n> quote\n")
        split_inline_attribution(text)
    assert time.perf_counter() - started < 5.0


@pytest.mark.parametrize(
    "line",
    [
        "Jo wrote:",
        "Jo WROTE",
        "Jo rewrote :",
        "Jo wrote: ",
        "Jo wrote:\n",
        "Jo wrote\u00a0\u2003:",
        "Op 3 jun. 2024 heeft Jo het volgende geschreven:",
        "Op 3 jun. 2024 heeft Jo het  \t volgende\ngeschreven :",
        "Jo het volgende geschreven wrote het volgende",
        "Le 3 juin 2024, Jo a écrit :",
        "Jo napisał(a):",
        "Jo написал(а) :",
        "Jo 写道：",
        "Jo yazdı:",
        "Jo wrote: and more",
        "word " * 1000 + "wrote:",
        "word " * 1000 + "and nothing",
    ],
)
def test_ends_with_verb_finds_what_the_pattern_finds_in_the_whole_line(line: str) -> None:
    assert ends_with_verb(line) == bool(ENDS_WITH_VERB_RE.search(line))
