"""Hostile mail in a poll: impossible dates, reused Message-IDs, messages that cost too much."""

from __future__ import annotations

from deskkit import SAMPLES, Desk
from sqlmodel import select

from intake.adapters.store import LetterRow, RawMessageRow
from intake.app.inbound import poll

SEED_LETTER = (SAMPLES / "inbox" / "01-letter-seed-nyc-ice.eml").read_bytes()


def statuses(desk: Desk) -> list[tuple[str, str]]:
    with desk.deps.store.session() as s:
        rows = s.exec(select(RawMessageRow).order_by(RawMessageRow.id)).all()  # type: ignore[arg-type]
        return [(r.status, r.note) for r in rows]


def test_a_letter_with_an_impossible_date_is_taken_without_one(desk: Desk) -> None:
    bad = SEED_LETTER.replace(
        b"\nDate: ", b"\nDate: Mon, 23 Nov 2026 10:00:00 -99999999999999\nX-Old-Date: ", 1
    )
    assert bad != SEED_LETTER
    desk.deliver(bad)
    report = poll(desk.deps)
    assert report.quarantined == 0 and report.letters == 1
    assert [status for status, _ in statuses(desk)] == ["processed"]
    [letter] = desk.deps.store.letters()
    assert isinstance(letter, LetterRow) and letter.state == "awaiting_author"
