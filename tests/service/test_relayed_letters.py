"""Mail the paper relays and forwarded letters, through the service (issue 17: 4 and 5).

A web form or a shared inbox sends the reader's letter from its own address:
the letter is the reader's, and the acknowledgement (and any question) goes to
the reader.  A forward carries someone's letter: it is that writer's letter,
with a finding naming who forwarded it.
"""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from pathlib import Path

from deskkit import Desk, make_desk
from sqlmodel import select

from intake.adapters.store import LetterRow, OutboundRow, RawMessageRow, loads
from intake.worker import tick

TITLE = "The Quiet Collapse of the City’s Bus Network"
AUTHOR = "author1@news.test"
ACK = "[writers]\nacknowledge = true\n"


def _mail(body: str, *, sender: str, subject: str, ident: str, extra: dict[str, str]) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "letters@news.test"
    msg["Subject"] = subject
    msg["Date"] = "Fri, 27 Nov 2026 10:00:00 +0000"
    msg["Message-ID"] = f"<{ident}>"
    for name, value in extra.items():
        msg[name] = value
    msg.set_content(body)
    return msg.as_bytes()


FORM = f"""A new letter was submitted at https://www.news.test/contact/letters

Name: Nadia Brook
Email: nadia.brook@example.org
Town: Eastbay
Article: {TITLE}

Message:
The bus network did not collapse quietly. Riders on the 14 have complained at every
council meeting for two years, and nobody came to listen until your reporter did.
"""


def _outbound(desk: Desk, purpose: str) -> list[OutboundRow]:
    return [o for o in desk.deps.store.outbound() if o.purpose == purpose]


def _to(row: OutboundRow) -> str:
    msg = email.message_from_bytes(row.raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return str(msg["To"].addresses[0].addr_spec)


def _letter_of(desk: Desk) -> LetterRow:
    tick(desk.deps)
    (letter,) = desk.deps.store.letters()
    return letter


def test_a_configured_relays_letter_is_the_readers_and_the_reader_is_answered(
    tmp_path: Path,
) -> None:
    # a form service on another domain, listed by the operator; it marks its mail automatic
    desk = make_desk(tmp_path, extra=ACK, desk_keys='relays = ["forms@webforms.example.net"]')
    desk.deliver(
        _mail(
            FORM,
            sender="Letters form <forms@webforms.example.net>",
            subject="Letter submission",
            ident="form-1@webforms.example.net",
            extra={"Auto-Submitted": "auto-generated", "Precedence": "bulk"},
        )
    )
    letter = _letter_of(desk)
    assert (letter.writer_name, letter.writer_email) == ("Nadia Brook", "nadia.brook@example.org")
    assert letter.body.startswith("The bus network did not collapse quietly.")
    assert "Email:" not in letter.body
    assert letter.state == "awaiting_author"
    findings = loads(letter.findings)
    assert any(f.startswith("relayed: ") and "forms@webforms.example.net" in f for f in findings)
    (ack,) = _outbound(desk, "writer_ack")
    assert _to(ack) == "nadia.brook@example.org"  # the reader, never the relay
    (request,) = _outbound(desk, "author_request")
    assert _to(request) == AUTHOR


def test_the_papers_own_form_from_a_no_reply_address_is_a_letter_not_bulk(
    tmp_path: Path,
) -> None:
    desk = make_desk(tmp_path, extra=ACK)  # nothing configured: the desk's own domain
    desk.deliver(
        _mail(
            FORM.replace("Email: nadia.brook@example.org\n", ""),
            sender="The Nation web form <no-reply@forms.news.test>",
            subject="Letter to the editor submission",
            ident="form-2@forms.news.test",
            extra={"Reply-To": "Nadia Brook <nadia.brook@example.org>"},
        )
    )
    letter = _letter_of(desk)
    assert letter.writer_email == "nadia.brook@example.org"
    (ack,) = _outbound(desk, "writer_ack")
    assert _to(ack) == "nadia.brook@example.org"


def test_an_unlisted_no_reply_sender_on_another_domain_is_not_taken_as_a_relay(
    tmp_path: Path,
) -> None:
    desk = make_desk(tmp_path, extra=ACK)
    desk.deliver(
        _mail(
            FORM,
            sender="Forms <no-reply@webforms.example.net>",
            subject="Letter submission",
            ident="form-3@webforms.example.net",
            extra={},
        )
    )
    tick(desk.deps)
    # nobody vouched for it: a no-reply sender's mail stays bulk, its Email field never mailed
    assert _categories(desk) == ["bulk"]
    assert desk.deps.store.letters() == [] and _outbound(desk, "writer_ack") == []


FORWARD = f"""Please see below a letter from my neighbour, who asked me to send it on.

---------- Forwarded message ---------
From: Walter Ames <walter.ames@example.com>
Date: Thu, Nov 26, 2026 at 6:40 PM
Subject: bus letter
To: Kofi Mensah <kofi@example.org>

Dear Editor,

Your article "{TITLE}" is right about the 14. I have waited forty minutes for it in the
rain three times this month, and I believe the council should restore the evening service
before it spends a cent on the new depot.

Walter Ames
Eastbay
"""


def test_a_forwarded_letter_is_its_writers_with_a_finding_naming_the_forwarder(
    tmp_path: Path,
) -> None:
    desk = make_desk(tmp_path, extra=ACK)
    desk.deliver(
        _mail(
            FORWARD,
            sender="Kofi Mensah <kofi@example.org>",
            subject="Fwd: bus letter",
            ident="fwd-1@example.org",
            extra={},
        )
    )
    letter = _letter_of(desk)
    assert (letter.writer_name, letter.writer_email) == ("Walter Ames", "walter.ames@example.com")
    assert letter.body.startswith("Dear Editor,") and "Forwarded" not in letter.body
    findings = loads(letter.findings)
    assert any(f.startswith("forwarded: forwarded by Kofi Mensah") for f in findings)
    assert letter.state == "awaiting_author"
    # the desk mails no address it was only told of: no acknowledgement to either
    assert _outbound(desk, "writer_ack") == []
    assert _categories(desk) == ["letter"]


def _categories(desk: Desk) -> list[str]:
    with desk.deps.store.session() as s:
        return [raw.category for raw in s.exec(select(RawMessageRow)).all()]
