"""The store's compare-and-set: it moves the letter, in the database and in the session."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fakes import FROZEN_AT
from sqlmodel import col, select

from intake.adapters.store import (
    LetterRow,
    NewRaw,
    OutboundRow,
    RawMessageRow,
    Store,
    aware,
    make_engine,
    migrate,
)
from intake.domain.errors import StaleState
from intake.domain.lifecycle import Event, LetterState, advance
from intake.domain.statuses import OutboxStatus, RawStatus

LATER = FROZEN_AT + timedelta(hours=2)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    engine = make_engine(f"sqlite:///{tmp_path / 'intake.db'}")
    migrate(engine)
    store = Store(engine)
    with store.session() as s:
        raw = RawMessageRow(mailbox="m", uidvalidity=1, source_key="k", message_id="id@x", sha256="h",
                            size=1, fetched_at=FROZEN_AT)  # fmt: skip
        s.add(raw)
        s.flush()
        s.add(LetterRow(raw_id=raw.id or 0, message_id="id@x", writer_name="A B", writer_email="a@x",
                        subject="s", body="b", confidence=0.9, received_at=FROZEN_AT,
                        updated_at=FROZEN_AT))  # fmt: skip
    return store


def stored_state(store: Store) -> tuple[str, object]:
    (letter,) = store.letters()
    return letter.state, aware(letter.updated_at)


def test_apply_moves_the_letter_and_the_copy_the_session_holds(store: Store) -> None:
    with store.session() as s:
        letter = s.get(LetterRow, 1)
        assert letter is not None and letter.state == LetterState.received
        Store.apply(s, advance(1, LetterState.received, Event.flagged, at=LATER, note="unsure"))
        # the caller sets nothing: the session's copy already says where the letter is
        assert (letter.state, aware(letter.updated_at)) == (LetterState.needs_review, LATER)
        assert letter not in s.dirty  # what the database has, not a change of its own to flush
        # and the next move starts from there, in the same transaction
        Store.apply(s, advance(1, LetterState(letter.state), Event.released, at=LATER))
        assert letter.state == LetterState.received
    assert stored_state(store) == (LetterState.received, LATER)
    trail = [(a.event, a.source_state, a.target_state, a.note) for a in store.audit(1)]
    assert trail == [("flagged", "received", "needs_review", "unsure"),
                     ("released", "needs_review", "received", "")]  # fmt: skip


def test_apply_without_the_letter_loaded_still_moves_it(store: Store) -> None:
    with store.session() as s:
        Store.apply(s, advance(1, LetterState.received, Event.request_queued, at=LATER))
        letter = s.get(LetterRow, 1)
        assert letter is not None and letter.state == LetterState.awaiting_author
    assert stored_state(store) == (LetterState.awaiting_author, LATER)


def test_a_stale_move_changes_nothing(store: Store) -> None:
    with store.session() as s:
        Store.apply(s, advance(1, LetterState.received, Event.flagged, at=LATER))
    with pytest.raises(StaleState), store.session() as s:
        # a worker that read the letter before the move above still thinks it is received
        Store.apply(s, advance(1, LetterState.received, Event.request_queued, at=LATER))
    assert stored_state(store) == (LetterState.needs_review, LATER)
    assert [a.event for a in store.audit(1)] == ["flagged"]


def test_statuses_are_stored_as_the_strings_they_always_were(store: Store) -> None:
    # databases written before the enums hold these strings: they must still read the same
    assert [s.value for s in RawStatus] == ["stored", "processed", "duplicate", "quarantined",
                                            "held", "dismissed"]  # fmt: skip
    assert [s.value for s in OutboxStatus] == ["pending", "sending", "sent", "failed"]
    with store.session() as s:
        s.add(OutboundRow(purpose="p", sender="a@x", recipients="b@x", message_id="m@x", raw=b"x",
                          next_attempt_at=FROZEN_AT, created_at=FROZEN_AT))  # fmt: skip
        raw = s.exec(select(RawMessageRow)).one()
        raw.status = RawStatus.held
    with store.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT status FROM raw_message").scalar_one()
        queued = conn.exec_driver_sql("SELECT status FROM outbound").scalar_one()
    assert (type(stored), stored, queued) == (str, "held", "pending")
    with store.session() as s:
        found = s.exec(select(RawMessageRow).where(col(RawMessageRow.status) == "held")).one()
        assert found.status == RawStatus.held and found.status in RawStatus.set_aside()


def _fetched(key: str, uid: int, raw: bytes = b"") -> NewRaw:
    raw = raw or key.encode()
    return NewRaw(RawMessageRow(mailbox="imap://box", uidvalidity=7, uid=uid, source_key=key,
                                message_id=f"{key}@x", sha256=key, size=len(raw),
                                fetched_at=FROZEN_AT), raw)  # fmt: skip


def test_fetched_mail_is_stored_in_one_transaction_and_a_copy_stored_already_is_skipped(
    store: Store,
) -> None:
    store.reset_folder("imap://box", 7, FROZEN_AT)
    assert store.store_raws([_fetched("7:1", 1)])[0] is not None
    # another worker stored 7:1 meanwhile: the batch stores the rest and says which it skipped
    ids = store.store_raws([_fetched("7:1", 1), _fetched("7:2", 2), _fetched("7:3", 3)])
    assert ids[0] is None and None not in ids[1:]
    with store.session() as s:
        stored = s.exec(select(RawMessageRow).where(RawMessageRow.mailbox == "imap://box")).all()
        assert sorted(r.source_key for r in stored) == ["7:1", "7:2", "7:3"]
        assert all(r.status == RawStatus.stored and r.reasons == "[]" for r in stored)
    folder = store.folder_state("imap://box")
    assert folder is not None and folder.last_uid == 3
    assert store.store_raws([]) == []
