"""The whole cycle on the embedded default: letter in, author asked, reply matched, pair out.

These run the real use cases over real local edges (SQLite file, Maildir,
outbox folder); only the clock is fake.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
from email.message import EmailMessage
from pathlib import Path

import pytest
from deskkit import SAMPLES, Desk, approve_ready, make_desk
from sqlmodel import select

from intake.adapters.store import (
    AuditRow,
    LetterRow,
    OutboundRow,
    RawMessageRow,
    ResponseRow,
    raw_bytes,
)
from intake.app.inbound import poll
from intake.app.outbound import send_outbox
from intake.app.publishing import publish
from intake.domain.errors import DeliveryDeferred, DeliveryRejected
from intake.worker import tick

SEED_LETTER = (SAMPLES / "inbox" / "01-letter-seed-nyc-ice.eml").read_bytes()
RESPONSE = (
    "Thank you for your feedback. It is heartening to see the de Blasio administration "
    "working to develop an equitable solution."
)


def request_of(desk: Desk) -> EmailMessage:
    files = desk.outbox_files()
    assert len(files) == 1, files
    msg = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def reply_to(request: EmailMessage, *, sender: str | None = None, to: str | None = None,
             text: str = RESPONSE) -> bytes:  # fmt: skip
    reply = EmailMessage()
    reply["From"] = sender or str(request["To"])
    reply["To"] = to or str(request["Reply-To"])
    reply["Subject"] = "Re: " + str(request["Subject"])
    reply["Message-ID"] = email.utils.make_msgid(domain="author.test")
    reply["In-Reply-To"] = request["Message-ID"]
    body = request.get_body(("plain",))
    assert body is not None
    quoted = "\n".join("> " + line for line in body.get_content().splitlines())
    reply.set_content(f"{text}\n\nOn Fri, 28 Nov 2026, The Nation Letters wrote:\n{quoted}\n")
    return reply.as_bytes()


def letters(desk: Desk) -> list[LetterRow]:
    return desk.deps.store.letters()


def test_seed_letter_goes_to_its_author_and_the_pair_comes_out(desk: Desk) -> None:
    desk.deliver(SEED_LETTER)
    result = tick(desk.deps)
    assert "letters=1" in result["poll"] and "sent=1" in result["send"]
    (letter,) = letters(desk)
    assert letter.state == "awaiting_author"
    assert letter.writer_email == "maibe.ponet@cityhall.example"

    request = request_of(desk)
    assert request["To"].addresses[0].addr_spec == "michelle.chen@news.test"
    reply_address = str(request["Reply-To"])
    assert reply_address.startswith("letters+") and reply_address.endswith("@news.test")
    assert request["Auto-Submitted"] == "auto-generated"
    assert request["X-Auto-Response-Suppress"] == "All"
    assert "We are extremely disappointed" in request.get_body(("plain",)).get_content()  # type: ignore[union-attr]

    desk.clock.advance(hours=5)
    desk.deliver(reply_to(request))
    result = tick(desk.deps)
    assert "replies=1" in result["poll"]
    (letter,) = letters(desk)
    assert letter.state == "response_received"
    with desk.deps.store.session() as s:
        (response,) = s.exec(select(ResponseRow)).all()
    assert response.text.strip() == RESPONSE
    assert "We are extremely disappointed" in response.cut  # the quote is kept for editors

    # nothing is written until an editor approves: the run only makes the letter ready
    (letter,) = letters(desk)
    assert publish(desk.deps, "md").written == []
    assert letters(desk)[0].state == "ready"
    assert approve_ready(desk) == [letter.id]
    report = publish(desk.deps, "md")
    (path,) = report.written
    text = path.read_text(encoding="utf-8")
    assert (
        "A Response to ‘Is New York City Partnering With ICE to Rip Apart Immigrant Communities?’"
        in text
    )
    assert "Dear Editor:" in text
    assert "Maibe Ponet\nDeputy Press Secretary\nMayor Bill de Blasio’s Office" in text.replace(
        "\\\n", "\n"
    )
    assert "Michelle Chen responds:" in text and "heartening" in text
    assert "wrote:" not in text and "> " not in text
    (letter,) = letters(desk)
    assert letter.state == "published"

    # further rounds send, publish and change nothing
    again = tick(desk.deps, "md")
    assert again == {
        "poll": again["poll"],
        "authors": "reminded=0 expired=0",
        "send": "sent=0 deferred=0 failed=0",
        "reprint": "re-rendered=0 removed=0",
        "publish": "ready=0 auto-approved=0 published=0",
    }
    assert "fetched=0" in again["poll"]
    assert len(desk.outbox_files()) == 1


def test_every_state_change_leaves_an_audit_row(desk: Desk) -> None:
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    desk.deliver(reply_to(request_of(desk)))
    tick(desk.deps)
    approve_ready(desk)
    publish(desk.deps, "md")
    (letter,) = letters(desk)
    assert letter.id is not None
    trail = [(a.event, a.source_state, a.target_state) for a in desk.deps.store.audit(letter.id)]
    changes = [t for t in trail if t[1]]
    assert changes == [
        ("request_queued", "received", "awaiting_author"),
        ("response_matched", "awaiting_author", "response_received"),
        ("readied", "response_received", "ready"),
        ("approved", "ready", "approved"),
        ("published", "approved", "published"),
    ]
    assert ("author_request_sent", "", "") in trail


def test_polling_again_and_redelivery_process_nothing_twice(desk: Desk) -> None:
    desk.deliver(SEED_LETTER)
    poll(desk.deps)
    poll(desk.deps)
    desk.deliver(SEED_LETTER)  # the same message delivered twice (new file, same Message-ID)
    report = poll(desk.deps)
    assert report.fetched == 1 and report.duplicates == 1 and report.letters == 0
    assert len(letters(desk)) == 1
    with desk.deps.store.session() as s:
        statuses = sorted(r.status for r in s.exec(select(RawMessageRow)).all())
        outbound = s.exec(select(OutboundRow)).all()
    assert statuses == ["duplicate", "processed"]
    assert len(outbound) == 1


def test_a_letter_with_an_unnamed_attachment_delivered_twice_is_handled_once(desk: Desk) -> None:
    message = email.message_from_bytes(SEED_LETTER, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    message.add_attachment(b"\x89PNG\r\n\x1a\n", maintype="image", subtype="png")  # no name
    raw = message.as_bytes()
    desk.deliver(raw)
    poll(desk.deps)
    desk.deliver(b"Received: from relay2.example.org by mx.news.test\n" + raw)
    report = poll(desk.deps)
    assert report.duplicates == 1 and report.letters == 0
    assert len(letters(desk)) == 1


def test_inbox_copies_are_marked_never_deleted(desk: Desk) -> None:
    desk.deliver(SEED_LETTER)
    desk.deliver(b"\x00\x01 not a message at all")
    poll(desk.deps)
    maildir = desk.settings.local.maildir
    assert list((maildir / "new").iterdir()) == []
    names = sorted(p.name for p in (maildir / "cur").iterdir())
    assert len(names) == 2
    assert sum(n.endswith(":2,S") for n in names) == 1
    assert sum(n.endswith(":2,FS") for n in names) == 1  # the quarantined one is flagged


def test_garbage_is_quarantined_and_the_next_message_still_handled(desk: Desk) -> None:
    desk.deliver(b"")
    desk.deliver(b"\xff\xfe\x00garbage")
    desk.deliver(SEED_LETTER)
    report = poll(desk.deps)
    assert report.quarantined == 2 and report.letters == 1
    with desk.deps.store.session() as s:
        bad = s.exec(select(RawMessageRow).where(RawMessageRow.status == "quarantined")).all()
    assert all(r.note for r in bad)


def test_reply_from_another_address_is_held_not_accepted(desk: Desk) -> None:
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    desk.deliver(reply_to(request_of(desk), sender="Impostor <impostor@evil.test>"))
    report = poll(desk.deps)
    assert report.replies == 0 and report.held == 1
    assert letters(desk)[0].state == "awaiting_author"
    with desk.deps.store.session() as s:
        held = s.exec(select(RawMessageRow).where(RawMessageRow.status == "held")).one()
    assert "impostor@evil.test" in held.note and "michelle.chen@news.test" in held.note


def test_reply_with_a_tampered_key_is_held(desk: Desk) -> None:
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    request = request_of(desk)
    key = str(request["Reply-To"]).split("+")[1].split("@")[0]
    forged = "a" * len(key) if key != "a" * len(key) else "b" * len(key)
    raw = reply_to(request, to=f"letters+{forged}@news.test")
    # without the In-Reply-To fallback the forged key is all there is
    raw = b"\n".join(line for line in raw.split(b"\n") if not line.startswith(b"In-Reply-To"))
    desk.deliver(raw)
    report = poll(desk.deps)
    assert report.held == 1 and letters(desk)[0].state == "awaiting_author"


def test_reply_matched_by_in_reply_to_when_the_key_is_lost(desk: Desk) -> None:
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    desk.deliver(reply_to(request_of(desk), to="letters@news.test"))
    assert poll(desk.deps).replies == 1
    assert letters(desk)[0].state == "response_received"


def test_reply_after_the_key_expired_is_held(tmp_path: Path) -> None:
    desk = make_desk(tmp_path, extra="[authors]\nkey_valid_days = 3\n")
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    desk.clock.advance(days=4)
    desk.deliver(reply_to(request_of(desk)))
    assert poll(desk.deps).held == 1


class FlakyTransport:
    """Refuses for now N times, then delivers into a list."""

    def __init__(self, failures: int, error: type[Exception] = DeliveryDeferred) -> None:
        self.failures, self.error, self.sent = failures, error, []  # type: ignore[var-annotated]

    def send(self, raw: bytes, *, sender: str, recipients: list[str], message_id: str) -> None:
        if self.failures:
            self.failures -= 1
            raise self.error("451 4.3.0 try again later")
        self.sent.append(message_id)

    def close(self) -> None:
        pass


def test_a_deferred_send_is_retried_later_never_lost(desk: Desk) -> None:
    import dataclasses

    flaky = FlakyTransport(failures=2)
    deps = dataclasses.replace(desk.deps, open_transport=lambda: flaky)
    desk.deliver(SEED_LETTER)
    poll(deps)
    assert send_outbox(deps).deferred == 1
    assert send_outbox(deps).sent == 0  # not due yet: backoff
    desk.clock.advance(seconds=61)
    assert send_outbox(deps).deferred == 1
    desk.clock.advance(seconds=121)
    assert send_outbox(deps).sent == 1
    assert len(flaky.sent) == 1
    (row,) = desk.deps.store.outbound()
    assert (row.status, row.attempts) == ("sent", 3)


def test_a_rejected_request_sends_the_letter_back_to_the_editors(desk: Desk) -> None:
    import dataclasses

    deps = dataclasses.replace(
        desk.deps, open_transport=lambda: FlakyTransport(1, DeliveryRejected)
    )
    desk.deliver(SEED_LETTER)
    poll(deps)
    assert send_outbox(deps).failed == 1
    (letter,) = letters(desk)
    assert letter.state == "needs_review"
    assert letter.id is not None
    assert any(a.event == "request_failed" for a in desk.deps.store.audit(letter.id))


def test_a_bounce_of_our_request_marks_it_failed(desk: Desk) -> None:
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    request = request_of(desk)
    bounce = (
        "From: MAILER-DAEMON@mail.news.test\r\nTo: letters@news.test\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\nAuto-Submitted: auto-replied\r\n"
        "Message-ID: <bounce1@mail.news.test>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain\r\n\r\nThis is the mail system. Your mail could not be delivered.\r\n"
        "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.news.test\r\n\r\n"
        "Final-Recipient: rfc822; michelle.chen@news.test\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "--b\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {request['Message-ID']}\r\nTo: michelle.chen@news.test\r\n"
        "--b--\r\n"
    ).encode()
    desk.deliver(bounce)
    poll(desk.deps)
    (letter,) = letters(desk)
    assert letter.state == "needs_review"
    rows = desk.deps.store.outbound()
    (row,) = [r for r in rows if r.purpose == "author_request"]
    assert row.status == "failed" and "bounced" in row.last_error
    # the editors are told (tests/service/test_sorting.py covers the notice itself)
    assert [r.purpose for r in rows if r.purpose.startswith("notice_bounce_")]


def test_a_letter_naming_no_article_goes_to_review(desk: Desk) -> None:
    msg = EmailMessage()
    msg["From"] = "Ada Reader <ada@example.org>"
    msg["To"] = "letters@news.test"
    msg["Subject"] = "Letter to the editor"
    msg["Message-ID"] = "<noarticle@example.org>"
    msg.set_content(
        "Dear Editor:\n\nI was disappointed by your coverage of the harbour dredging plans, which "
        "I believe ignored the fishermen who will lose their moorings. I have lived here for "
        "forty years and I have never seen the council so careless with the town's history. "
        "Your readers deserve to hear from the people who work the water every day.\n\n"
        "Ada Reader\nPortsmouth\n"
    )
    desk.deliver(msg.as_bytes())
    poll(desk.deps)
    (letter,) = letters(desk)
    assert letter.state == "needs_review"
    assert letter.id is not None
    (flag,) = [a for a in desk.deps.store.audit(letter.id) if a.event == "flagged"]
    assert "article" in flag.note


def test_audit_rows_name_their_actor(desk: Desk) -> None:
    desk.deliver(SEED_LETTER)
    poll(desk.deps)
    with desk.deps.store.session() as s:
        rows = s.exec(select(AuditRow)).all()
    assert rows and all(r.actor == "intake" for r in rows)


def test_one_poll_handles_every_stored_message_whatever_the_batch_size(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    import intake.app.batches

    monkeypatch.setattr(intake.app.batches, "PROCESS_BATCH", 2)
    monkeypatch.setattr(intake.app.batches, "HANDLE_BATCH", 2)
    for n in range(5):
        desk.deliver(SEED_LETTER.replace(b"4471.press", f"4471.press{n}".encode()))
    report = poll(desk.deps)
    assert report.fetched == 5 and report.letters == 5
    with desk.deps.store.session() as s:
        assert {r.status for r in s.exec(select(RawMessageRow)).all()} == {"processed"}


def test_a_message_over_the_size_limit_is_kept_and_set_aside(tmp_path: Path) -> None:
    desk = make_desk(tmp_path, extra="[classify]\nmax_message_mb = 1\n")
    huge = SEED_LETTER + b"\n" + (b"x" * 76 + b"\n") * 20000  # ~1.5 MB
    desk.deliver(huge)
    desk.deliver(SEED_LETTER.replace(b"4471.press", b"4471.other"))
    report = poll(desk.deps)
    assert report.quarantined == 1 and report.letters == 1
    with desk.deps.store.session() as s:
        (row,) = s.exec(select(RawMessageRow).where(RawMessageRow.status == "quarantined")).all()
        assert raw_bytes(s, row.id or 0) == huge
    assert "max_message_mb" in row.note
