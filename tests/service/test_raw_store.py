"""Fetched mail is stored as received (issue 16: 6): a large message streamed into its row
comes back byte for byte, the row's Message-ID is read from the headers alone, and a
store batch holds at most its bytes (a message over them is stored alone)."""

from __future__ import annotations

import base64
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import pytest
from deskkit import make_desk
from deskletters import BUS, letter
from sqlmodel import col, select

from intake.adapters.rawbody import STREAM_RAW_BYTES
from intake.adapters.store import NewRaw, RawMessageRow, Store, raw_bytes
from intake.app.inbound import STORE_BATCH, STORE_BATCH_BYTES, PollReport, fetch_new, poll
from intake.domain.ports import RawMail
from intake.mail.parse import sha256_hex
from intake.mail.rawkeys import quick_message_id


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
    mib, kib = 2**20, 2**10
    sizes = [3 * mib, 1000 * kib, 1000 * kib, 9 * mib, 10_000] + [1000 * kib] * 8 + [20_000]
    for n, size in enumerate(sizes):
        head = f"From: r{n}@example.org\nSubject: {n}\nMessage-ID: <m{n}@example.org>\n\n"
        desk.deliver(head.encode() + b"x" * (size - len(head) - 1) + b"\n")
    batches: list[list[int]] = []
    store_raws, in_pieces = Store.store_raws, Store.store_raw_in_pieces

    def spy(store: Store, rows: Sequence[NewRaw]) -> list[int | None]:
        batches.append([len(new.raw) for new in rows])
        return store_raws(store, rows)

    def spy_pieces(store: Store, row: RawMessageRow, pieces: Iterable[bytes]) -> int | None:
        batches.append([-row.size])  # stored as it comes: never held, nor beside others
        return in_pieces(store, row, pieces)

    monkeypatch.setattr(Store, "store_raws", spy)
    monkeypatch.setattr(Store, "store_raw_in_pieces", spy_pieces)
    report = PollReport()
    fetch_new(desk.deps, desk.deps.open_mailbox(), report)
    batches = [b for b in batches if b]
    assert report.fetched == len(sizes)
    assert sorted(abs(size) for batch in batches for size in batch) == sorted(sizes)
    assert all(sum(b) <= STORE_BATCH_BYTES and len(b) <= STORE_BATCH for b in batches if len(b) > 1)
    assert [-3 * mib] in batches and [-9 * mib] in batches  # in pieces
    assert all(size < STREAM_RAW_BYTES for b in batches for size in b if size > 0)
    assert len(batches) < len(sizes)  # the small ones did share a batch
    with desk.deps.store.session() as s:
        rows = s.exec(select(RawMessageRow).order_by(col(RawMessageRow.id))).all()
        assert [row.size for row in rows] == sizes, "stored in the inbox's order"
        for row, n in zip(rows, itertools.count(), strict=False):
            raw = raw_bytes(s, row.id or 0)
            assert (row.message_id, row.sha256) == (f"m{n}@example.org", sha256_hex(raw))


class _ChangingBox:
    """An inbox whose large messages change or go away while they are fetched."""

    name = "test://changing"

    def __init__(self, mails: list[RawMail]) -> None:
        self.mails = mails

    def uidvalidity(self) -> int:
        return 0

    def new_messages(self, after_uid: int, is_known: Callable[[str], bool]) -> Iterator[RawMail]:
        return iter([m for m in self.mails if not is_known(m.source_key)])

    def mark_done(self, source_keys: Sequence[str], *, quarantined: bool = False) -> None:
        return None

    def close(self) -> None:
        return None


def _big(n: int) -> bytes:
    head = b"From: r@example.org\r\nMessage-ID: <big%d@example.org>\r\n\r\n" % n
    return head + b"0123456789abcdef\r\n" * (3 * STREAM_RAW_BYTES // 18)


def _in_pieces(key: str, size: int, *reads: bytes) -> RawMail:
    """A large message the inbox said was *size* bytes, read as each of *reads* in turn."""
    left = list(reads)

    def pieces() -> Iterator[bytes]:
        data = left.pop(0)
        for at in range(0, len(data), STREAM_RAW_BYTES):
            yield data[at : at + STREAM_RAW_BYTES]

    return RawMail(source_key=key, uid=None, pieces=pieces, size=size, internal_date=None)


def test_a_large_message_that_changes_or_goes_away_while_fetched_is_stored_whole_or_not(
    tmp_path: Path,
) -> None:
    desk = make_desk(tmp_path)
    grown, shrunk, same = _big(1), _big(2), _big(3)
    box = _ChangingBox([
        _in_pieces("grew", len(grown) - 5, grown, grown),  # larger than said: read again
        _in_pieces("shrank", len(shrunk) + 5, shrunk, shrunk),  # smaller than said
        _in_pieces("gone", len(same), b"", b""),  # expunged before its first piece
        _in_pieces("went", len(same), same[: 2 * STREAM_RAW_BYTES], b""),  # and midway
        _in_pieces("same", len(same), same),
    ])  # fmt: skip
    report = PollReport()
    fetch_new(desk.deps, box, report)
    assert report.fetched == 3
    with desk.deps.store.session() as s:
        rows = s.exec(select(RawMessageRow).order_by(col(RawMessageRow.id))).all()
        got = {row.source_key: (raw_bytes(s, row.id or 0), row) for row in rows}
    assert list(got) == ["grew", "shrank", "same"], "what went away waits for the next poll"
    for key, raw in (("grew", grown), ("shrank", shrunk), ("same", same)):
        stored, row = got[key]
        assert stored == raw and row.size == len(raw) and row.sha256 == sha256_hex(raw)
        assert row.message_id == quick_message_id(raw) != ""
    # the next poll finds what went away again (were it back), and stores nothing twice
    box.mails = [_in_pieces("went", len(same), same), _in_pieces("same", len(same), same)]
    again = PollReport()
    fetch_new(desk.deps, box, again)
    assert again.fetched == 1
