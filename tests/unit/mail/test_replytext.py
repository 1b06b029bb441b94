"""Reply text extraction: hand-written mails per client, and the labelled corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intake.domain.errors import UnparseableMessage
from intake.domain.model import ParsedMail, ReplyText
from intake.eval.replyscore import has_expectation, score_reply, strips_signature, texts_match
from intake.mail.parse import parse_loose, parse_message
from intake.mail.replytext import extract_reply, extract_reply_from_text

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"
# What bench/eval_replies.py reached (50/50) minus a margin of two items.
MIN_CORPUS_MATCH_RATE = 0.96


def _mail(*, text: str = "", html: str = "") -> ParsedMail:
    return ParsedMail(
        message_id="t@example.org", has_message_id=True, sender=None, text=text, html=html
    )


# --- plain text ---------------------------------------------------------------


def test_gmail_plain_top_post_keeps_only_the_answer() -> None:
    body = (
        "Thanks for sending this on. The figure was from the 2023 report.\n\n"
        "On Mon, Jun 3, 2024 at 10:12 AM Letters Desk <letters+abc@paper.example> wrote:\n\n"
        "> A reader wrote to us about your article.\n>\n> Best, the desk\n"
    )
    reply = extract_reply_from_text(body)
    assert reply.text == "Thanks for sending this on. The figure was from the 2023 report."
    assert "A reader wrote to us" in reply.cut
    assert "Letters Desk" in reply.cut


def test_attribution_wrapped_over_three_lines_is_cut_whole() -> None:
    body = (
        "Agreed.\n\n"
        "On Mon, Jun 3, 2024 at 10:12 AM, Letters Desk\n"
        "<letters+abc@paper.example>\n"
        "wrote:\n\n"
        "> A reader wrote to us.\n"
    )
    reply = extract_reply_from_text(body)
    assert reply.text == "Agreed."
    assert "<letters+abc@paper.example>" in reply.cut


def test_attribution_directly_under_a_text_line_leaves_that_line() -> None:
    reply = extract_reply_from_text(
        "Thanks.\nOn 3 Jun 2024, at 10:12, Letters Desk <letters@paper.example> wrote:\n> x\n"
    )
    assert reply.text == "Thanks."


def test_outlook_desktop_plain_header_block_cuts_the_rest() -> None:
    body = (
        "I am happy for this to be printed.\n\n"
        "From: Letters Desk <letters+abc@paper.example>\n"
        "Sent: Monday, June 3, 2024 10:12 AM\n"
        "To: Jane Author <jane@example.org>\n"
        "Subject: A letter about your article\n\n"
        "Dear Ms Author,\nA reader wrote to us.\n"
    )
    reply = extract_reply_from_text(body)
    assert reply.text == "I am happy for this to be printed."
    assert reply.cut.startswith("From: Letters Desk")


def test_original_message_separator_and_bold_headers() -> None:
    body = (
        "See my answer above.\n\n-----Original Message-----\n"
        "*From:* Letters Desk\n*Sent:* Monday\n*To:* Jane\n*Subject:* Letter\n\nText\n"
    )
    assert extract_reply_from_text(body).text == "See my answer above."


def test_german_attribution_and_outlook_headers() -> None:
    gmail = (
        "Vielen Dank, ich antworte gern.\n\n"
        "Am Mo., 3. Juni 2024 um 10:12 Uhr schrieb Leserbriefe <letters@paper.example>:\n\n"
        "> Ein Leser schrieb uns.\n"
    )
    assert extract_reply_from_text(gmail).text == "Vielen Dank, ich antworte gern."
    outlook = (
        "Gern.\n\n-----Ursprüngliche Nachricht-----\nVon: Leserbriefe <letters@paper.example>\n"
        "Gesendet: Montag, 3. Juni 2024 10:12\nAn: Jane\nBetreff: Leserbrief\n\nText\n"
    )
    assert extract_reply_from_text(outlook).text == "Gern."
    headers_only = "Gern.\n\nVon: Leserbriefe\nGesendet: Montag\nAn: Jane\nBetreff: Brief\n\nText"
    assert extract_reply_from_text(headers_only).text == "Gern."


def test_french_attribution_and_outlook_headers() -> None:
    gmail = (
        "Merci, je réponds volontiers.\n\n"
        "Le lun. 3 juin 2024 à 10:12, Courrier des lecteurs <letters@paper.example> a écrit :\n\n"
        "> Un lecteur nous a écrit.\n"
    )
    assert extract_reply_from_text(gmail).text == "Merci, je réponds volontiers."
    outlook = (
        "D'accord.\n\nDe : Courrier des lecteurs <letters@paper.example>\n"
        "Envoyé : lundi 3 juin 2024 10:12\nÀ : Jane\nObjet : Lettre\n\nTexte\n"
    )
    assert extract_reply_from_text(outlook).text == "D'accord."


def test_interleaved_answers_are_kept_and_quotes_cut() -> None:
    body = (
        "On Mon, Jun 3, 2024 at 10:12 AM Letters Desk <letters@paper.example> wrote:\n"
        "> The reader says the bridge cost 40 million.\n\n"
        "It cost 38 million; the reader rounded up.\n\n"
        "> The reader also says it opened late.\n\n"
        "It opened on time.\n"
    )
    reply = extract_reply_from_text(body)
    assert reply.text == "It cost 38 million; the reader rounded up.\n\nIt opened on time."
    assert "bridge cost 40 million" in reply.cut


def test_signature_delimiter_cuts_signature_and_reports_it() -> None:
    body = "Please print it as is.\n\n-- \nJane Author\nScience desk\n"
    reply = extract_reply_from_text(body)
    assert reply.text == "Please print it as is."
    assert reply.signature == "--\nJane Author\nScience desk"


def test_sent_from_my_iphone_is_a_signature_unless_kept() -> None:
    body = "Yes, go ahead.\n\nSent from my iPhone\n\nOn 3 Jun 2024, at 10:12, Desk wrote:\n> x\n"
    assert extract_reply_from_text(body).text == "Yes, go ahead."
    kept = extract_reply_from_text(body, strip_signature=False)
    assert kept.text == "Yes, go ahead.\n\nSent from my iPhone"


def test_sent_from_in_a_sentence_is_not_a_signature() -> None:
    body = "Short answer.\n\nSent from my holiday cottage in Wales, so forgive the delay please."
    assert extract_reply_from_text(body).text == body


def test_mobile_footers_in_other_languages() -> None:
    for footer in ("Von meinem iPhone gesendet", "Envoyé de mon iPhone", "Get Outlook for Android"):
        assert extract_reply_from_text(f"Fine.\n\n{footer}").text == "Fine."


def test_contact_block_after_name_is_signature_but_name_stays() -> None:
    body = (
        "The correction is welcome.\n\nBest,\nJane Author\nProfessor of History\n"
        "jane@uni.example\n+44 20 7946 0000\n"
    )
    reply = extract_reply_from_text(body)
    assert reply.text == "The correction is welcome.\n\nBest,\nJane Author"
    assert "jane@uni.example" in reply.signature


def test_sign_off_without_contact_details_is_kept() -> None:
    body = "The correction is welcome.\n\nThanks,\nJane\nHistory department"
    assert extract_reply_from_text(body).text == body


def test_author_quoting_themselves_is_not_an_attribution() -> None:
    body = "On 3 June 2024 I wrote:\n\nThe bridge cost 38 million.\n\nI still stand by that."
    assert extract_reply_from_text(body).text == body


def test_forward_and_divider_cut_the_rest() -> None:
    forward = "FYI.\n\nBegin forwarded message:\n\nFrom: Someone\nDate: Mon\n"
    assert extract_reply_from_text(forward).text == "FYI."
    divider = "OK.\n________________________________\nFrom: Desk\nSent: Mon\nTo: Jane\n"
    assert extract_reply_from_text(divider).text == "OK."


def test_a_body_that_is_all_quote_is_returned_whole() -> None:
    body = "> Only a quote here.\n> Nothing new."
    reply = extract_reply_from_text(body)
    assert reply.text == body
    assert reply.cut == ""


def test_windows_line_endings() -> None:
    reply = extract_reply_from_text(
        "Yes.\r\n\r\nOn Mon, 3 Jun 2024, Desk <d@p.example> wrote:\r\n> x"
    )
    assert reply.text == "Yes."


# --- HTML ----------------------------------------------------------------------

_GMAIL_HTML = (
    '<div dir="ltr">I stand by the figures.<div><br></div><div>Jane</div></div><br>'
    '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, 3 Jun 2024 at 10:12, '
    "Letters Desk &lt;letters+abc@paper.example&gt; wrote:<br></div>"
    '<blockquote class="gmail_quote" style="margin:0 0 0 .8ex;border-left:1px #ccc solid">'
    '<div dir="ltr">A reader wrote to us about your article.</div></blockquote></div>'
)


def test_gmail_html_quote_is_cut() -> None:
    reply = extract_reply(_mail(html=_GMAIL_HTML, text="unused plain part"))
    assert reply.text == "I stand by the figures.\n\nJane"
    assert "A reader wrote to us" in reply.cut
    assert "\ue000" not in reply.cut


def test_gmail_html_interleaved_answer_between_quotes_is_kept() -> None:
    html = (
        '<div class="gmail_quote">On Mon, 3 Jun 2024 at 10:12, Desk &lt;d@p.example&gt; wrote:'
        '<blockquote class="gmail_quote">The reader says 40 million.</blockquote>'
        "<div>It was 38 million.</div>"
        '<blockquote class="gmail_quote">And it opened late.</blockquote>'
        "<div>It opened on time.</div></div>"
    )
    reply = extract_reply(_mail(html=html))
    assert reply.text == "It was 38 million.\n\nIt opened on time."


def test_outlook_web_divrplyfwdmsg_cuts_everything_after() -> None:
    html = (
        '<html><body><div style="font-family:Calibri">I will reply properly tomorrow.</div>'
        '<div id="appendonsend"></div><hr style="display:inline-block;width:98%">'
        '<div id="divRplyFwdMsg" dir="ltr"><b>From:</b> Letters Desk<br><b>Sent:</b> Monday'
        "<br><b>To:</b> Jane<br><b>Subject:</b> Letter</div><div><p>Dear Ms Author</p></div>"
        "</body></html>"
    )
    reply = extract_reply(_mail(html=html))
    assert reply.text == "I will reply properly tomorrow."
    assert "Dear Ms Author" in reply.cut


def test_outlook_desktop_border_block_cuts_everything_after() -> None:
    html = (
        "<div class=WordSection1><p class=MsoNormal>Happy to respond.<o:p></o:p></p>"
        "<div style='border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm'>"
        "<p class=MsoNormal><b><span lang=DE>Von:</span></b> Leserbriefe<br>"
        "<b>Gesendet:</b> Montag<br><b>An:</b> Jane<br><b>Betreff:</b> Brief</p></div>"
        "<p class=MsoNormal>Liebe Frau Author</p></div>"
    )
    reply = extract_reply(_mail(html=html))
    assert reply.text == "Happy to respond."
    assert "Liebe Frau Author" in reply.cut


def test_apple_mail_blockquote_and_iphone_footer() -> None:
    html = (
        "<html><body>That is fair, I accept the correction.<div><br></div><div>Jane</div>"
        '<div><br></div><div>Sent from my iPhone</div><div><br><blockquote type="cite">'
        "<div>On 3 Jun 2024, at 10:12, Letters Desk &lt;d@p.example&gt; wrote:</div><br>"
        "<div>A reader wrote to us.</div></blockquote></div></body></html>"
    )
    reply = extract_reply(_mail(html=html))
    assert reply.text == "That is fair, I accept the correction.\n\nJane"
    assert reply.signature == "Sent from my iPhone"


def test_thunderbird_cite_prefix_and_signature() -> None:
    html = (
        "<p>I disagree with the reader, for three reasons.</p>"
        '<div class="moz-cite-prefix">On 03/06/2024 10:12, Letters Desk wrote:<br></div>'
        '<blockquote type="cite" cite="mid:abc@paper.example">A reader wrote.</blockquote>'
        '<pre class="moz-signature" cols="72">-- \nJane Author</pre>'
    )
    reply = extract_reply(_mail(html=html))
    assert reply.text == "I disagree with the reader, for three reasons."
    assert "Jane Author" in reply.signature
    kept = extract_reply(_mail(html=html), strip_signature=False)
    assert "Jane Author" in kept.text
    assert "A reader wrote" not in kept.text


def test_yahoo_quoted_div_is_cut() -> None:
    html = (
        '<div>Fine by me.</div><div class="yahoo_quoted"><div>On Monday, Desk wrote:</div>x</div>'
    )
    assert extract_reply(_mail(html=html)).text == "Fine by me."


def test_html_without_markers_falls_back_to_the_plain_part() -> None:
    text = "Plain answer.\n\nOn Mon, 3 Jun 2024, Desk <d@p.example> wrote:\n> quoted"
    reply = extract_reply(_mail(text=text, html="<p>Plain answer.</p><p>On Mon …</p>"))
    assert reply.text == "Plain answer."


def test_html_that_is_all_quote_falls_back_to_the_whole_text() -> None:
    html = '<blockquote type="cite">Only the quote.</blockquote>'
    reply = extract_reply(_mail(html=html, text="> Only the quote."))
    assert reply.text == "> Only the quote."


def test_html_that_is_only_a_signature_never_yields_empty_text() -> None:
    html = '<div class="gmail_signature">Jane Author</div>'
    reply = extract_reply(_mail(html=html, text="Jane Author"))
    assert reply.text == "Jane Author"


# --- scoring -----------------------------------------------------------------


def test_match_modes() -> None:
    assert texts_match(" a\nb \n", "a\nb", "exact")
    assert not texts_match("a\n\nb", "a\nb", "exact")
    assert texts_match("a b\nc", "ab c", "whitespace_insensitive")
    assert texts_match("a  \nb", "a\nb", "exact_rstrip_lines")
    assert texts_match("**Bold** and *em* [x](http://e.org)", "Bold and em x", "discourse_markdown")
    assert texts_match("Hello there\n[image]", "Hello", "prefix")


def test_score_reports_every_unmet_expectation() -> None:
    label = {
        "expected_reply_text": "Hi",
        "expected_reply_match": "exact",
        "expected_reply_contains": ["Hi"],
        "expected_reply_excludes": ["wrote"],
    }
    good = score_reply(label, ReplyText(text="Hi", cut="x"), "Hi\n> x")
    assert good.passed
    bad = score_reply(label, ReplyText(text="Hi\nOn Mon he wrote", cut=""), "")
    assert not bad.passed
    assert len(bad.failures) == 2
    assert not strips_signature({"expected_reply_match": "exact_quotes_only"})
    assert strips_signature({"expected_reply_match": "exact"})


# --- corpus ----------------------------------------------------------------------


def _labels() -> list[dict[str, object]]:
    if not CORPUS.is_dir():
        pytest.skip(f"labelled corpus not found at {CORPUS}")
    with (CORPUS / "labels.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_corpus_match_rate_does_not_regress() -> None:
    items = [
        label
        for label in _labels()
        if label.get("category") == "human_reply" and has_expectation(label)
    ]
    assert len(items) >= 40, "the corpus should hold about 50 labelled human replies"
    failed = []
    for label in items:
        raw = (CORPUS / str(label["path"])).read_bytes()
        strip = strips_signature(label)
        if label.get("format") == "eml":
            mail = parse_message(raw)
            body, reply = mail.text, extract_reply(mail, strip_signature=strip)
        else:
            body = raw.decode("utf-8", errors="replace")
            reply = extract_reply_from_text(body, strip_signature=strip)
        score = score_reply(label, reply, body)
        if not score.passed:
            failed.append(f"{label['path']}: {'; '.join(score.failures)}")
    rate = 1 - len(failed) / len(items)
    assert rate >= MIN_CORPUS_MATCH_RATE, "\n".join(failed)


def test_extract_reply_runs_on_every_corpus_file() -> None:
    labels = _labels()
    extracted = 0
    for label in labels:
        raw = (CORPUS / str(label["path"])).read_bytes()
        try:
            mail = parse_message(raw) if label.get("format") == "eml" else parse_loose(raw)
        except UnparseableMessage:
            continue  # the parser's documented refusal, not ours to handle
        reply = extract_reply(mail)
        extracted += 1
        if mail.text.strip():
            assert reply.text.strip(), f"{label['path']}: nothing left of a non-empty body"
    assert extracted >= len(labels) - 5
