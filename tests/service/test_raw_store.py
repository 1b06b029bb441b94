"""Fetched mail is stored as received (issue 16: 6): a large message streamed into its row
comes back byte for byte, the row's Message-ID is read from the headers alone, and a
store batch holds at most its bytes (a message over them is stored alone)."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from pathlib import Path

import pytest
from deskkit import make_desk
from deskletters import BUS, letter
from sqlmodel import col, select

from intake.adapters.rawbody import STREAM_RAW_BYTES
from intake.adapters.store import NewRaw, RawMessageRow, Store, raw_bytes
from intake.app.inbound import STORE_BATCH, STORE_BATCH_BYTES, PollReport, fetch_new, poll


def test_large_and_small_messages_are_stored_as_received(tmp_path: Path) -> None:
    desk = make_desk(tmp_path)
    picture = base64.encodebytes(bytes(range(256)) * (2 * STREAM_RAW_BYTES // 256 + 7))
    large = (
        b"From: Reader <reader@example.org>\r\nTo: letters@news.test\r\n"
        b"Subject: photo of the bus stop\r\nMessage-ID: <large@example.org>\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
        b"--b\r\nContent-Type: text/plain\r\n\r\nThe stop, as it is.\r\n"
        b"--b\r\nContent-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + picture.replace(b"\n", b"\r\n")
        + b"--b--\r\n"
    )
    # no Message-ID among its headers; its body quotes one, which is not the message's
    quoting = (
        b"From: Reader <other@example.org>\nTo: letters@news.test\nSubject: forwarded\n\n"
        b"Message-ID: <quoted@example.org>\nas it was sent to me.\n"
    )
    small = letter(1, BUS)
    for raw in (large, quoting, small):
        desk.deliver(raw)
    assert poll(desk.deps).fetched == 3
    with desk.deps.store.session() as s:
        rows = s.exec(select(RawMessageRow).order_by(col(RawMessageRow.id))).all()
        stored = {raw_bytes(s, row.id or 0): (row.message_id, row.size) for row in rows}
    assert len(large) > 2 * STREAM_RAW_BYTES
    assert stored[large] == ("large@example.org", len(large))
    assert stored[quoting] == ("", len(quoting))
    assert stored[small][1] == len(small) and stored[small][0] != ""


def test_a_store_batch_never_holds_more_than_its_bytes_and_a_large_message_goes_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = make_desk(tmp_path)
    mib = 2**20
    sizes = [3 * mib, 3 * mib, 3 * mib, 9 * mib, 10_000, 2 * mib, 10_000, 7 * mib, 20_000]
    for n, size in enumerate(sizes):
        head = f"From: r{n}@example.org\nSubject: {n}\nMessage-ID: <m{n}@example.org>\n\n"
        desk.deliver(head.encode() + b"x" * (size - len(head) - 1) + b"\n")
    batches: list[list[int]] = []
    store_raws = Store.store_raws

    def spy(store: Store, rows: Sequence[NewRaw]) -> list[int | None]:
        batches.append([len(new.raw) for new in rows])
        return store_raws(store, rows)

    monkeypatch.setattr(Store, "store_raws", spy)
    report = PollReport()
    fetch_new(desk.deps, desk.deps.open_mailbox(), report)
    batches = [b for b in batches if b]
    assert report.fetched == len(sizes)
    assert sorted(size for batch in batches for size in batch) == sorted(sizes)
    assert all(sum(b) <= STORE_BATCH_BYTES and len(b) <= STORE_BATCH for b in batches if len(b) > 1)
    assert [9 * mib] in batches  # over the budget: stored alone, beside no other
    assert len(batches) < len(sizes)  # the small ones did share a batch
