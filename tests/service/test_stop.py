"""Asked to stop (SIGTERM sets ``deps.stop``), a poll finishes the message in hand and returns;
the next poll takes up the rest, losing and repeating nothing.  And it says how far it is."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from deskkit import SAMPLES, Desk
from sqlmodel import select

from intake.adapters.store import MessageKeyRow, OutboundRow, RawMessageRow
from intake.app.inbound import poll
from intake.worker import tick

INBOX = sorted((SAMPLES / "inbox").glob("*.eml"))


def _fill(desk: Desk) -> int:
    for path in INBOX:
        desk.deliver(path.read_bytes())
        desk.clock.advance(seconds=1)
    return len(INBOX)


def _stop_after(desk: Desk, step: str, count: int) -> list[tuple[str, int, int]]:
    """Wire a progress hook that records every report and sets the stop once, after *count*
    of *step*."""
    seen: list[tuple[str, int, int]] = []

    def progress(name: str, done: int, total: int) -> None:
        if (name, done) == (step, count) and not any(s[:2] == (step, count) for s in seen):
            desk.deps.stop.set()
        seen.append((name, done, total))

    desk.deps = replace(desk.deps, progress=progress)
    return seen


def _rows(desk: Desk) -> list[RawMessageRow]:
    with desk.deps.store.session() as s:
        return list(s.exec(select(RawMessageRow).order_by(RawMessageRow.id)).all())


def test_a_stop_while_handling_finishes_that_message_and_the_next_poll_the_rest(
    desk: Desk,
) -> None:
    total = _fill(desk)
    seen = _stop_after(desk, "handled", 2)
    report = poll(desk.deps)
    assert report.stopped and "stopped=yes" in report.summary()
    statuses = [row.status for row in _rows(desk)]
    assert len(statuses) == total  # everything was fetched before the stop
    assert statuses.count("stored") == total - 2  # two handled, none half-done
    assert all(row.attempts == (0 if row.status == "stored" else 1) for row in _rows(desk))
    assert ("fetched", total, total) in seen and ("handled", 2, total) in seen

    desk.deps.stop.clear()
    again = poll(desk.deps)
    assert not again.stopped and again.fetched == 0
    rows = _rows(desk)
    assert all(row.status != "stored" and row.attempts == 1 for row in rows)
    with desk.deps.store.session() as s:
        assert len(s.exec(select(MessageKeyRow)).all()) == total  # each claimed once


def test_a_stop_while_fetching_leaves_the_rest_in_the_inbox(desk: Desk) -> None:
    total = _fill(desk)
    _stop_after(desk, "fetched", 3)
    results = tick(desk.deps)
    assert list(results) == ["poll"]  # nothing else of the round runs after a stop
    assert len(_rows(desk)) == 3 and all(row.status == "stored" for row in _rows(desk))

    desk.deps.stop.clear()
    tick(desk.deps)
    rows = _rows(desk)
    assert len(rows) == total and all(row.status == "processed" for row in rows)
    assert len({row.source_key for row in rows}) == total
    with desk.deps.store.session() as s:
        requests = s.exec(select(OutboundRow).where(OutboundRow.purpose == "author_request")).all()
    assert len({r.letter_id for r in requests}) == len(requests) > 0


def test_a_stop_before_the_poll_fetches_nothing(desk: Desk, tmp_path: Path) -> None:
    _fill(desk)
    desk.deps.stop.set()
    assert poll(desk.deps).stopped
    assert _rows(desk) == []
