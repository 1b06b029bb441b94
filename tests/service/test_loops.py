"""No mail loops (issue 13, finding 4): a naive autoresponder on every address we write to.

The autoresponder answers everything it receives, at once, without
``Auto-Submitted``; it threads under our mail and says what such robots say.
It sits behind the editor (the digest's command address), the author (the
request's reply key) and the writer (the acknowledgement and its details
key).  Five minutes of fake time, a poll every five seconds: the mail
intake sends must stop growing after the first round, and no autoresponse
becomes an author's response.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from deskkit import Desk, make_desk
from deskletters import BUS, answer, letter, read, text_of
from sqlmodel import select
from test_cycle import SEED_LETTER

from intake.adapters.store import OutboundRow, RawMessageRow, ResponseRow
from intake.app.digestrun import send_digest_now
from intake.worker import tick

AUTO_TEXT = "Thanks for your message. I will get back to you as soon as I can.\n\nBest,\n"
POLL_SECONDS = 5
MINUTES = 5


class NaiveResponder:
    """Answers every message intake writes, as a careless autoresponder would."""

    def __init__(self, desk: Desk, text: str = AUTO_TEXT) -> None:
        self.desk, self.text = desk, text
        self.seen: set[str] = set()
        self.sent = 0

    def answer_new_mail(self) -> None:
        for path in self.desk.outbox_files():
            if path.name in self.seen:
                continue
            self.seen.add(path.name)
            ours = read(path)
            for rcpt in ours["To"].addresses:
                self.desk.deliver(self._answer(ours, rcpt.addr_spec))

    def _answer(self, ours: EmailMessage, mailbox: str) -> bytes:
        self.sent += 1
        msg = EmailMessage()
        msg["From"] = mailbox
        msg["To"] = str(ours["Reply-To"] or ours["From"])
        msg["Subject"] = "Re: " + str(ours["Subject"])
        msg["Message-ID"] = f"<auto{self.sent}@{mailbox.partition('@')[2]}>"
        msg["In-Reply-To"] = str(ours["Message-ID"])
        msg["References"] = str(ours["Message-ID"])
        msg.set_content(self.text)
        return msg.as_bytes()


def outbox_count(desk: Desk) -> int:
    with desk.deps.store.session() as s:
        return len(s.exec(select(OutboundRow)).all())


def test_a_naive_autoresponder_on_every_address_causes_a_bounded_number_of_mails(
    tmp_path: Path,
) -> None:
    desk = make_desk(tmp_path, extra="[writers]\nacknowledge = true\n")
    desk.deliver(SEED_LETTER)  # its author is asked; its writer acknowledged and asked for a town
    desk.deliver(letter(1, BUS))
    tick(desk.deps)
    assert "queued=1" in send_digest_now(desk.deps)
    tick(desk.deps)
    responder = NaiveResponder(desk)
    written = {r.purpose.rstrip("0123456789_") for r in desk.deps.store.outbound()}
    assert {"author_request", "writer_ack", "digest"} <= written, written

    before = outbox_count(desk)
    counts = []
    for _ in range(MINUTES * 60 // POLL_SECONDS):
        responder.answer_new_mail()
        tick(desk.deps)
        desk.clock.advance(seconds=POLL_SECONDS)
        counts.append(outbox_count(desk))
    # bounded, and not growing with time: the autoresponder got no further mail at all
    assert counts == [before] * len(counts), counts
    assert responder.sent == before  # it did answer the command address, keys and acknowledgements

    # and no autoresponse became an author's response
    with desk.deps.store.session() as s:
        assert s.exec(select(ResponseRow)).all() == []
        held = s.exec(select(RawMessageRow).where(RawMessageRow.status == "held")).all()
    assert {row.state for row in desk.deps.store.letters()} == {"awaiting_author"}
    assert any("automatic reply" in row.note for row in held)


def test_mail_to_the_command_address_without_a_command_is_never_answered(desk: Desk) -> None:
    desk.deliver(letter(1))
    tick(desk.deps)
    send_digest_now(desk.deps)
    (digest,) = [read(p) for p in desk.outbox_files()]
    before = outbox_count(desk)
    desk.deliver(answer(digest, "Thanks, I will look at these tomorrow."))
    tick(desk.deps)
    assert outbox_count(desk) == before
    with desk.deps.store.session() as s:
        row = s.exec(select(RawMessageRow).where(RawMessageRow.id == 2)).one()
    assert "no command found" in row.note


def test_list_bulk_and_autoresponder_mail_to_the_command_address_is_ignored(desk: Desk) -> None:
    desk.deliver(letter(1))
    tick(desk.deps)
    send_digest_now(desk.deps)
    (digest,) = [read(p) for p in desk.outbox_files()]
    before = outbox_count(desk)
    marks = [
        {"Precedence": "bulk"},
        {"Precedence": "auto_reply"},
        {"List-Id": "<desk.lists.news.test>"},
        {"List-Unsubscribe": "<mailto:leave@lists.news.test>"},
        {"X-Autoreply": "yes"},
        {"X-Autorespond": "on"},
        {"Auto-Submitted": "auto-generated"},
        {"Return-Path": "<>"},
    ]
    for extra in marks:
        desk.deliver(answer(digest, "reject 1 spam", headers=extra))
    tick(desk.deps)
    assert outbox_count(desk) == before
    assert desk.deps.store.letters()[0].state == "needs_review"  # nothing was carried out


def test_command_answers_per_editor_per_hour_are_capped(tmp_path: Path) -> None:
    desk = make_desk(tmp_path, extra="[digest]\nanswers_per_hour = 3\n")
    desk.deliver(letter(1))
    tick(desk.deps)
    send_digest_now(desk.deps)
    (digest,) = [read(p) for p in desk.outbox_files()]
    for n in range(6):
        desk.deliver(answer(digest, f"hold 1 look again {n}"))
        tick(desk.deps)
        desk.clock.advance(minutes=5)
    answers = [r for r in desk.deps.store.outbound() if r.purpose.startswith("command_result_")]
    assert len(answers) == 3
    assert "answers_per_hour" in text_of_withheld(desk)
    desk.clock.advance(hours=1)
    desk.deliver(answer(digest, "release 1"))
    tick(desk.deps)
    answers = [r for r in desk.deps.store.outbound() if r.purpose.startswith("command_result_")]
    assert len(answers) == 4  # a new hour, a new allowance


def text_of_withheld(desk: Desk) -> str:
    with desk.deps.store.session() as s:
        rows = s.exec(select(RawMessageRow).where(RawMessageRow.id > 1)).all()
    return "\n".join(r.note for r in rows)


def test_an_autoreply_by_wording_alone_is_never_a_response(desk: Desk) -> None:
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    (request,) = [read(p) for p in desk.outbox_files()]
    for n, text in enumerate(
        (
            "Thank you for your email. I am out of the office until 8 December.",
            "Vielen Dank für Ihre Nachricht. Ich bin bis Montag außer Haus.",
            "Merci pour votre message. Je suis absente du bureau jusqu'au 3 décembre.",
            "Gracias por su mensaje. Estoy de vacaciones hasta el lunes.",
            "Grazie per il messaggio. Sono assente fino a lunedì.",
        )
    ):
        msg = EmailMessage()
        msg["From"] = str(request["To"])
        msg["To"] = str(request["Reply-To"])
        msg["Subject"] = "Re: " + str(request["Subject"])
        msg["Message-ID"] = f"<ooo{n}@news.test>"
        msg["In-Reply-To"] = str(request["Message-ID"])
        msg.set_content(text)
        desk.deliver(msg.as_bytes())
    report = tick(desk.deps)
    assert "replies=0" in report["poll"]
    assert desk.deps.store.letters()[0].state == "awaiting_author"
    assert "We are extremely disappointed" in text_of(request)
