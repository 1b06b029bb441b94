"""The client matrix through the real reply path: a letter in, the request out, the author's
reply (as each client quotes it) delivered to the desk, and the stored response read back.

Every client of :mod:`clientmatrix` answers once here, in turn as text, HTML
and both, with each kind of sign-off in rotation; the unit suite
(``tests/unit/mail/test_client_matrix.py``) runs every combination on the pure path.
"""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from clientmatrix import CLIENTS, FORMATS, LIST_TEXT, NEW_TEXT, SIGNOFFS, answer
from deskkit import SAMPLES, Desk, make_desk
from sqlmodel import select

from intake.adapters.store import ResponseRow
from intake.worker import tick

SEED_LETTER = (SAMPLES / "inbox" / "01-letter-seed-nyc-ice.eml").read_bytes()
CASES = [
    (client, FORMATS[n % 3], sorted(SIGNOFFS)[n % 4], (NEW_TEXT, LIST_TEXT)[n % 2])
    for n, client in enumerate(sorted(CLIENTS))
]


def the_request(desk: Desk) -> EmailMessage:
    (path,) = desk.outbox_files()
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def stored_responses(desk: Desk) -> list[ResponseRow]:
    with desk.deps.store.session() as s:
        return list(s.exec(select(ResponseRow)).all())


@pytest.mark.parametrize(("client", "fmt", "signoff", "text"), CASES)
def test_the_stored_response_is_exactly_what_the_author_wrote(
    tmp_path: Path, client: str, fmt: str, signoff: str, text: str
) -> None:
    desk = make_desk(tmp_path)
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    desk.clock.advance(hours=3)
    desk.deliver(answer(the_request(desk), client, fmt, signoff=signoff, new_text=text))
    result = tick(desk.deps)
    assert "replies=1" in result["poll"], result
    (response,) = stored_responses(desk)
    assert response.text == text
    assert "We are extremely disappointed" in response.cut  # the quoted letter, for editors
    if signoff != "none":
        assert "Michelle" in response.cut


def test_an_answer_to_the_reminder_is_cut_at_the_reminder(tmp_path: Path) -> None:
    desk = make_desk(tmp_path)
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    desk.clock.advance(days=3, hours=1)
    tick(desk.deps)
    sent = [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in desk.outbox_files()
    ]
    (reminder,) = [m for m in sent if str(m["Message-ID"]).startswith("<intake.rem")]
    assert isinstance(reminder, EmailMessage)
    # The reminder carries no HTML quote of the letter; a Gmail user answers it in text.
    desk.deliver(answer(reminder, "gmail-web", "text", signoff="best"))
    tick(desk.deps)
    (response,) = stored_responses(desk)
    assert response.text == NEW_TEXT
    assert "A gentle reminder" in response.cut
