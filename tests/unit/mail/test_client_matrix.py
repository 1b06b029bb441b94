"""The client matrix, fast: intake's real request answered the way each client quotes it.

The request is rendered from the real templates and composed by the real
composer; each reply (:mod:`clientmatrix`) goes through the reply path's own
extraction (:func:`intake.mail.ourquote.extract_answer`) with what the
outbox holds, and must come out as exactly the author's new text.  The
service suite (``tests/service/test_client_replies.py``) delivers a subset
through a desk.
"""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from clientmatrix import CLIENTS, FORMATS, NEW_TEXTS, SIGNOFFS, answer
from fakes import FROZEN_AT

from intake.mail.compose import Outgoing, compose, to_wire
from intake.mail.ourquote import SentMail, extract_answer
from intake.mail.parse import parse_message
from intake.printing.render import AuthorRequestView, Renderer

ROOT = Path(__file__).resolve().parents[3]
LETTER = (ROOT / "tests" / "data" / "letters" / "seed_letter.txt").read_text(encoding="utf-8")


def real_request() -> bytes:
    view = AuthorRequestView(
        publication="The Nation",
        author_name="Michelle Chen",
        article_title="Is New York City Partnering With ICE to Rip Apart Immigrant Communities?",
        article_url="https://www.example.org/article/nyc-ice/",
        writer_name="Maibe Ponet",
        letter_text=LETTER.strip(),
        received_on="28 November 2026",
        deadline_on="3 December 2026",
        reply_address="letters+q3xk7hzv2mwbd5tnc4rj6lpyfe@news.test",
        letter_ref="L-1",
    )
    text, html = Renderer(ROOT / "templates").author_request(view)
    msg = compose(
        Outgoing(
            from_name="The Nation Letters",
            from_address="letters@news.test",
            to_name="Michelle Chen",
            to_address="michelle.chen@news.test",
            reply_to=view.reply_address,
            subject="A reader’s letter on ‘Is New York City Partnering With ICE to Rip Apart "
            "Immigrant Communities?’: would you like to respond? [L-1]",
            text=text,
            html=html,
            message_id="intake.req.1.abcdefabcdef@news.test",
            letter_ref="L-1",
        ),
        now=FROZEN_AT,
    )
    return to_wire(msg)


REQUEST = real_request()
REQUEST_MSG = email.message_from_bytes(REQUEST, policy=email.policy.default)
assert isinstance(REQUEST_MSG, EmailMessage)
SENT = (SentMail.of(parse_message(REQUEST)),)


@pytest.mark.parametrize(
    ("fmt", "text"), [*((fmt, "paragraphs") for fmt in FORMATS), ("both", "list")]
)
@pytest.mark.parametrize("signoff", sorted(SIGNOFFS))
@pytest.mark.parametrize("client", sorted(CLIENTS))
def test_each_client_comes_out_as_exactly_the_new_text(
    client: str, fmt: str, signoff: str, text: str
) -> None:
    raw = answer(REQUEST_MSG, client, fmt, signoff=signoff, new_text=NEW_TEXTS[text])
    reply = extract_answer(parse_message(raw), SENT)
    assert reply.text == NEW_TEXTS[text]
    assert "Maibe Ponet" in reply.cut  # the request is kept for the editors
    if signoff != "none":
        assert "Michelle" in reply.cut
