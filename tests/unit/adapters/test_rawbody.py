"""A stored message's bytes, apart from its row: streamed in and out on SQLite, and never
touched when the row is updated (a try counted, a status set)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fakes import FROZEN_AT
from sqlmodel import col, select, update

from intake.adapters.rawbody import STREAM_RAW_BYTES, MissingRawBody
from intake.adapters.store import (
    NewRaw,
    RawBodyRow,
    RawMessageRow,
    Store,
    make_engine,
    migrate,
    raw_bytes,
)
from intake.domain.statuses import RawStatus

SIZE = 24 * STREAM_RAW_BYTES + 12_345  # pieces and a rest


@pytest.fixture
def store(tmp_path: Path) -> Store:
    engine = make_engine(f"sqlite:///{tmp_path / 'intake.db'}")
    migrate(engine)
    return Store(engine)


def _fetched(key: str, uid: int, raw: bytes = b"") -> NewRaw:
    raw = raw or key.encode()
    return NewRaw(RawMessageRow(mailbox="imap://box", uidvalidity=7, uid=uid, source_key=key,
                                message_id=f"{key}@x", sha256=key, size=len(raw),
                                fetched_at=FROZEN_AT), raw)  # fmt: skip


def _resident_mb(key: str) -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(x for x in status if x.startswith(key + ":"))
    return int(line.split()[1]) / 1024


@contextmanager
def peak_growth() -> Iterator[list[float]]:
    """How far the resident set peaked above where it was (Linux), in MB, once done."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
        clear.write("5")  # the peak starts again from here
    before = _resident_mb("VmRSS")
    grew: list[float] = []
    yield grew
    grew.append(_resident_mb("VmHWM") - before)


def _large() -> bytes:
    return bytes(range(256)) * (SIZE // 256) + b"end"


def _store_three(store: Store, large: bytes) -> list[int | None]:
    store.reset_folder("imap://box", 7, FROZEN_AT)
    return store.store_raws([_fetched("7:1", 1), _fetched("7:2", 2, large), _fetched("7:3", 3)])


def test_a_large_message_is_streamed_into_its_row_without_copies_of_it(store: Store) -> None:
    large = _large()
    with peak_growth() as grew:
        ids = _store_three(store, large)
    # bound as a parameter SQLite held two more copies of it, ~48 MB; streamed, a piece
    assert grew[0] < 12, f"storing a {len(large) / 2**20:.0f} MB message took {grew[0]:.0f} MB"
    with store.engine.connect() as conn:
        stored = conn.exec_driver_sql(
            "SELECT m.id, m.source_key, b.raw FROM raw_message m JOIN raw_body b "
            "ON b.raw_id = m.id WHERE m.mailbox = 'imap://box' ORDER BY m.id"
        ).all()
    assert [(i, k) for i, k, _ in stored] == list(zip(ids, ["7:1", "7:2", "7:3"], strict=True))
    assert [r for _, _, r in stored] == [b"7:1", large, b"7:3"]
    # stored already: nothing written over it
    assert store.store_raws([_fetched("7:2", 2, b"other")]) == [None]
    with store.session() as s:
        assert ids[1] is not None and raw_bytes(s, ids[1]) == large


def test_a_large_message_is_read_back_whole_holding_it_once(store: Store) -> None:
    large = _large()
    ids = _store_three(store, large)
    del large
    assert ids[1] is not None
    with store.session() as s, peak_growth() as grew:
        read = raw_bytes(s, ids[1])
    assert read == _large() and isinstance(read, bytes)
    message = SIZE / 2**20
    # read as a value SQLite held a copy of it beside the one handed over
    assert grew[0] < message + 8, f"reading a {message:.0f} MB message took {grew[0]:.0f} MB"
    with store.session() as s:
        assert [raw_bytes(s, i) for i in (ids[0], ids[2]) if i is not None] == [b"7:1", b"7:3"]


def test_counting_a_try_or_setting_a_status_leaves_the_message_alone(store: Store) -> None:
    ids = _store_three(store, _large())
    raw_id = ids[1]
    assert raw_id is not None
    with peak_growth() as grew:
        with store.session() as s:
            s.exec(
                update(RawMessageRow)
                .where(col(RawMessageRow.id) == raw_id)
                .values(attempts=RawMessageRow.attempts + 1)
            )
        with store.session() as s:
            row = s.get(RawMessageRow, raw_id)
            assert row is not None and row.attempts == 1
            row.status, row.note = RawStatus.quarantined, "set aside"
            s.add(row)
    # in the row, the message was read and rewritten each time: ~50 MB
    assert grew[0] < 8, f"updating the row of a {SIZE / 2**20:.0f} MB message took {grew[0]:.0f} MB"
    with store.session() as s:
        assert raw_bytes(s, raw_id) == _large()
        assert s.exec(select(RawBodyRow.raw_id).order_by(col(RawBodyRow.raw_id))).all() == ids


def test_a_message_without_its_bytes_says_so(store: Store) -> None:
    with store.session() as s, pytest.raises(MissingRawBody, match="raw message 99 has no"):
        raw_bytes(s, 99)


def test_a_batch_goes_in_with_one_insert_and_a_copy_in_it_is_skipped(store: Store) -> None:
    store.reset_folder("imap://box", 7, FROZEN_AT)
    assert store.store_raws([_fetched("7:1", 1)])[0] is not None
    again = [
        _fetched("7:1", 1),
        _fetched("7:2", 2),
        _fetched("7:2", 2, b"copy"),
        _fetched("7:3", 3),
    ]
    ids = store.store_raws(again)
    assert ids[0] is None and ids[2] is None and ids[1] is not None and ids[3] is not None
    with store.session() as s:
        assert [raw_bytes(s, i) for i in ids if i is not None] == [b"7:2", b"7:3"]
        assert len(s.exec(select(RawBodyRow.raw_id)).all()) == 3
