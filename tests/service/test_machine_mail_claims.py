"""Machine mail sorted on the quick read is claimed once, as before: a second delivery is a
duplicate, another message reusing its Message-ID is handled as its own."""

from __future__ import annotations

from deskkit import SAMPLES, Desk
from sqlmodel import select

from intake.adapters.store import MessageKeyRow, RawMessageRow
from intake.app.inbound import poll

OUT_OF_OFFICE = (SAMPLES / "inbox" / "05-out-of-office.eml").read_bytes()
LETTER = (SAMPLES / "inbox" / "02-letter-by-link.eml").read_bytes()


def _message_id(raw: bytes) -> bytes:
    line = next(li for li in raw.splitlines() if li.lower().startswith(b"message-id:"))
    return line.split(b":", 1)[1].strip()


def _rows(desk: Desk) -> list[RawMessageRow]:
    with desk.deps.store.session() as s:
        return list(s.exec(select(RawMessageRow).order_by(RawMessageRow.id)).all())


def test_a_second_delivery_of_machine_mail_is_a_duplicate(desk: Desk) -> None:
    desk.deliver(OUT_OF_OFFICE)
    desk.clock.advance(seconds=1)
    # delivered again by another hop: only a trace header differs
    desk.deliver(b"Received: from relay2.example.org by mx.news.test\n" + OUT_OF_OFFICE)
    report = poll(desk.deps)
    assert report.duplicates == 1
    first, second = _rows(desk)
    assert first.category == "auto_reply" and second.status == "duplicate"
    assert second.note == f"same message as raw message {first.id}"


def test_another_message_reusing_its_message_id_is_handled_as_its_own(desk: Desk) -> None:
    desk.deliver(OUT_OF_OFFICE)
    desk.clock.advance(seconds=1)
    reused = LETTER.replace(_message_id(LETTER), _message_id(OUT_OF_OFFICE), 1)
    desk.deliver(reused)
    desk.clock.advance(seconds=1)
    other_reply = OUT_OF_OFFICE.replace(b"\n\n", b"\n\nBack on the 3rd.\n", 1)
    desk.deliver(other_reply)
    report = poll(desk.deps)
    assert report.duplicates == 0 and report.letters == 1
    auto, letter, auto_again = _rows(desk)
    assert (auto.category, letter.category, auto_again.category) == (
        "auto_reply", "letter", "auto_reply"
    )  # fmt: skip
    assert "reuses the Message-ID" in letter.note and "reuses the Message-ID" in auto_again.note
    with desk.deps.store.session() as s:
        assert len(s.exec(select(MessageKeyRow)).all()) == 3
