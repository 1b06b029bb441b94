"""Throttles (issue 13, finding 10): one sender cannot make the desk flood an author,
mail arbitrary addresses, or carry out a command twice."""

from __future__ import annotations

from pathlib import Path

from deskkit import Desk, make_desk, via_our_server
from deskletters import BUS, LIBRARY, RENT, answer, letter, read, text_of
from sqlmodel import select

from intake.adapters.store import AuditRow, LetterRow, ReplyKeyRow
from intake.app.digestrun import send_digest_now
from intake.worker import tick


def again(raw: bytes, n: int) -> bytes:
    """The same letter sent once more as a new message (another Message-ID)."""
    return raw.replace(b"Message-ID: <", f"Message-ID: <again{n}.".encode(), 1)


def requests(desk: Desk) -> list[ReplyKeyRow]:
    with desk.deps.store.session() as s:
        return list(s.exec(select(ReplyKeyRow).where(ReplyKeyRow.purpose == "author_request")))


def audit_notes(desk: Desk, letter_id: int) -> str:
    return "\n".join(a.note for a in desk.deps.store.audit(letter_id))


def test_further_letters_from_one_sender_about_one_article_wait_for_an_editor(
    desk: Desk,
) -> None:
    first = letter(1, BUS)
    desk.deliver(first)
    for n in range(1, 10):
        desk.deliver(again(first, n))
    tick(desk.deps)
    assert [r.letter_id for r in requests(desk)] == [1]  # ten letters, one request
    states = {row.id: row.state for row in desk.deps.store.letters()}
    assert states[1] == "awaiting_author"
    assert {states[n] for n in range(2, 11)} == {"needs_review"}
    for n in range(2, 11):
        assert "L-1 already went to its author" in audit_notes(desk, n)
    repeats = [row.findings for row in desk.deps.store.letters() if "repeat:" in row.findings]
    assert len(repeats) == 9 and all("L-1" in f for f in repeats)
    # another article from the same sender is asked; so is the same article from another
    desk.deliver(again(letter(1, LIBRARY), 99))
    desk.deliver(letter(2, BUS))
    tick(desk.deps)
    assert len(requests(desk)) == 3


def test_an_author_gets_at_most_the_daily_number_of_requests(tmp_path: Path) -> None:
    desk = make_desk(tmp_path, extra="[authors]\nmax_requests_per_author_day = 3\n")
    for n in range(1, 6):
        desk.deliver(letter(n, BUS))
    tick(desk.deps)
    assert len(requests(desk)) == 3
    waiting = [row for row in desk.deps.store.letters() if row.state == "needs_review"]
    assert len(waiting) == 2
    assert waiting[0].id is not None
    assert "was asked 3 times in the last 24 hours" in audit_notes(desk, waiting[0].id)
    desk.clock.advance(days=1, minutes=1)
    desk.deliver(letter(6, BUS))
    tick(desk.deps)
    assert len(requests(desk)) == 4  # a new day


def test_one_writer_gets_at_most_the_daily_number_of_requests_whatever_the_articles(
    tmp_path: Path,
) -> None:
    desk = make_desk(tmp_path, extra="[authors]\nmax_requests_per_writer_day = 2\n")
    desk.deliver(letter(1, BUS))
    desk.deliver(again(letter(1, LIBRARY), 1))
    desk.deliver(again(letter(1, RENT), 2))
    desk.deliver(letter(2, RENT))  # another writer is not held back
    tick(desk.deps)
    asked = sorted(r.letter_id for r in requests(desk))
    assert asked == [1, 2, 4]
    assert "reader1@example.net's letters went to authors" in audit_notes(desk, 3)
    desk.clock.advance(days=1, minutes=1)
    desk.deliver(again(letter(1, RENT), 3))
    tick(desk.deps)
    assert len(requests(desk)) == 4  # a new day


def ack_desk(tmp_path: Path) -> Desk:
    extra = '[writers]\nacknowledge = true\n[authors]\nauthserv_id = "mail.news.test"\n'
    return make_desk(tmp_path, extra=extra)


def acknowledgements(desk: Desk) -> list[str]:
    return [r.recipients for r in desk.deps.store.outbound() if r.purpose == "writer_ack"]


def test_no_acknowledgement_to_an_address_that_failed_authentication(tmp_path: Path) -> None:
    desk = ack_desk(tmp_path)
    for n in range(1, 21):  # twenty forged From addresses
        desk.deliver(via_our_server(letter(n), "dmarc=fail (p=reject) header.from=example.net"))
    tick(desk.deps)
    assert len(desk.deps.store.letters()) == 20  # the letters are taken all the same
    assert acknowledgements(desk) == []
    desk.deliver(via_our_server(letter(21), "dkim=pass header.d=example.net; dmarc=pass"))
    tick(desk.deps)
    assert acknowledgements(desk) == ["reader21@example.net"]


def test_a_replayed_command_line_is_refused_and_not_carried_out_twice(desk: Desk) -> None:
    desk.deliver(letter(1, BUS))
    tick(desk.deps)
    send_digest_now(desk.deps)
    (digest,) = [read(p) for p in desk.outbox_files() if "letters desk" in str(read(p)["Subject"])]
    order = answer(digest, "hold 1 legal check")
    desk.deliver(order)
    tick(desk.deps)
    (result,) = [read(p) for p in desk.outbox_files() if "done" in text_of(read(p))]
    desk.deliver(answer(result, "release 1"))  # the result's own address: a fresh token
    tick(desk.deps)
    with desk.deps.store.session() as s:
        row = s.get(LetterRow, 1)
        assert row is not None and row.state == "awaiting_author"
    # the first message again, byte for byte but for its Message-ID: a replay
    desk.deliver(order.replace(b"Message-ID: <", b"Message-ID: <replay.", 1))
    tick(desk.deps)
    with desk.deps.store.session() as s:
        row = s.get(LetterRow, 1)
        assert row is not None and row.state == "awaiting_author"
        holds = s.exec(select(AuditRow).where(AuditRow.letter_id == 1, AuditRow.event == "held"))
        assert len(holds.all()) == 1
    replies = [text_of(read(p)) for p in desk.outbox_files()]
    assert any("already carried out from this reply address" in t for t in replies)


def test_a_command_that_failed_may_be_sent_again_with_the_same_token(desk: Desk) -> None:
    desk.deliver(letter(1))  # no article: approve fails until one is assigned
    tick(desk.deps)
    send_digest_now(desk.deps)
    (digest,) = [read(p) for p in desk.outbox_files()]
    desk.deliver(answer(digest, "release 1 now"))
    tick(desk.deps)
    desk.deliver(answer(digest, f"assign 1 {BUS}").replace(b"Message-ID: <", b"Message-ID: <b.", 1))
    tick(desk.deps)
    desk.clock.advance(minutes=1)
    desk.deliver(answer(digest, "release 1 now").replace(b"Message-ID: <", b"Message-ID: <c.", 1))
    tick(desk.deps)
    replies = [text_of(read(p)) for p in desk.outbox_files()]
    assert not any("already carried out" in t for t in replies), replies
