"""Fetched messages going in, and their bytes coming out: ``raw_body``, apart from the
``raw_message`` rows.

A batch of fetched messages goes in with one INSERT of their rows (``ON CONFLICT DO
NOTHING``: a message another worker stored is skipped) and their bytes beside them
(:func:`insert_raws`, in the transaction of
:meth:`intake.adapters.store.Store.store_raws`).  The bytes are written once and read
only where something needs the message itself (:func:`raw_bytes`): never to count a
try or set a status, which update the ``raw_message`` row alone (on SQLite an UPDATE
rewrites its whole row).

On SQLite a message of :data:`STREAM_RAW_BYTES` or more is never bound or read whole:
SQLite would hold two more copies of it (the bound value and the row's record, or the
record read and the value handed over), so it is inserted as ``zeroblob(size)`` (``raw``
is the row's last column: a zero-filled blob ending a record is never built) and
written, then read, through SQLite's blob handle a piece at a time.  A message fetched in
pieces (:attr:`intake.domain.ports.RawMail.pieces`) is written so as it comes
(:func:`insert_in_pieces`), its sha256 and Message-ID found on the way: it is never held
whole, and a large stored message is read a piece at a time where it can be
(:func:`raw_pieces`).  PostgreSQL has no blob handle: there it is joined and inserted
whole.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from sqlalchemy import func, insert, update
from sqlmodel import Session, select

from intake.adapters.engine import conflict_insert
from intake.adapters.tables import RawBodyRow, RawMessageRow
from intake.domain.errors import IntakeError
from intake.domain.ports import LARGE_MAIL_BYTES
from intake.mail.rawkeys import PieceKeys

# on SQLite a message this large is written into its row, and read, in pieces of this size
STREAM_RAW_BYTES = LARGE_MAIL_BYTES
_TABLE: Any = RawBodyRow.__table__  # type: ignore[attr-defined]


class MissingRawBody(IntakeError):
    """A stored message whose bytes are not in ``raw_body`` (never, but for damage)."""


class PiecesChanged(IntakeError):
    """A message's pieces did not add up to the size given for it: it changed or went away
    while it was read (nothing of it is stored: the transaction is rolled back)."""


class NewRaw(NamedTuple):
    """A fetched message to store: its row, and its bytes (which go into ``raw_body``)."""

    row: RawMessageRow
    raw: bytes


def insert_raws(s: Session, rows: Sequence[NewRaw]) -> list[int | None]:
    """Insert fetched messages, rows in one statement and bytes apart; return each row's
    new id, or ``None`` where its (mailbox, source key) was stored already."""
    ids = _insert_rows(s, [new.row for new in rows])
    _insert_bodies(s, [(i, new.raw) for i, new in zip(ids, rows, strict=True) if i is not None])
    return ids


def _insert_rows(s: Session, rows: Sequence[RawMessageRow]) -> list[int | None]:
    table: Any = RawMessageRow.__table__  # type: ignore[attr-defined]
    values = [row.model_dump(exclude={"id"}) for row in rows]
    keys = (table.c.id, table.c.mailbox, table.c.source_key)
    statement = conflict_insert(s, table).on_conflict_do_nothing().returning(*keys)
    # many parameter sets: SQLAlchemy makes them one INSERT … VALUES (…), (…), compiled once
    found = s.execute(statement, values)
    stored = {(mailbox, key): i for i, mailbox, key in found}
    # a copy later in the same batch was not stored: the first holds the id
    return [stored.pop((row.mailbox, row.source_key), None) for row in rows]


def insert_in_pieces(s: Session, row: RawMessageRow, pieces: Iterable[bytes]) -> int | None:
    """Insert a fetched message of ``row.size`` bytes given as *pieces*, its ``sha256`` and
    ``message_id`` filled in as they pass; return its new id, or ``None`` where its
    (mailbox, source key) was stored already (then its pieces are never read).

    :raises PiecesChanged: the pieces add up to more or less than ``row.size``.
    """
    driver = _sqlite(s)
    if driver is None:  # no blob handle: the message whole, as any other
        keys = PieceKeys()
        data = b"".join(_checked(pieces, row.size, keys))
        row.sha256, row.message_id = keys.sha256, keys.message_id
        return insert_raws(s, [NewRaw(row, data)])[0]
    [raw_id] = _insert_rows(s, [row])
    if raw_id is None:
        return None
    s.execute(insert(_TABLE).values(raw_id=raw_id, raw=func.zeroblob(row.size)))
    keys = PieceKeys()
    with driver.blobopen(_TABLE.name, "raw", raw_id) as blob:
        for piece in _checked(pieces, row.size, keys):
            blob.write(piece)
    table: Any = RawMessageRow.__table__  # type: ignore[attr-defined]
    found = {"sha256": keys.sha256, "message_id": keys.message_id}
    s.execute(update(table).where(table.c.id == raw_id).values(**found))
    row.sha256, row.message_id = keys.sha256, keys.message_id
    return raw_id


def _checked(pieces: Iterable[bytes], size: int, keys: PieceKeys) -> Iterator[bytes]:
    """*pieces*, each fed to *keys* on its way, as long as they add up to *size* exactly."""
    for piece in pieces:
        if keys.size + len(piece) > size:
            raise PiecesChanged(f"more than the {size} bytes given")
        keys.add(piece)
        yield piece
    if keys.size != size:
        raise PiecesChanged(f"{keys.size} bytes of the {size} given")


def _sqlite(s: Session) -> sqlite3.Connection | None:
    driver = s.connection().connection.driver_connection
    return driver if isinstance(driver, sqlite3.Connection) else None


def _insert_bodies(s: Session, bodies: Sequence[tuple[int, bytes]]) -> None:
    """Insert the bytes of the messages just stored, as ``(raw_id, raw)`` pairs."""
    driver = _sqlite(s)
    small = [
        {"raw_id": raw_id, "raw": raw}
        for raw_id, raw in bodies
        if driver is None or len(raw) < STREAM_RAW_BYTES
    ]
    if small:
        s.execute(insert(_TABLE), small)
    if driver is None:
        return
    for raw_id, raw in bodies:
        if len(raw) < STREAM_RAW_BYTES:
            continue
        s.execute(insert(_TABLE).values(raw_id=raw_id, raw=func.zeroblob(len(raw))))
        data = memoryview(raw)
        with driver.blobopen(_TABLE.name, "raw", raw_id) as blob:
            for start in range(0, len(data), STREAM_RAW_BYTES):
                blob.write(data[start : start + STREAM_RAW_BYTES])


def raw_bytes(s: Session, raw_id: int) -> bytes:
    """The bytes of stored message *raw_id* (as received, or its headers once pruned).

    :raises MissingRawBody: when ``raw_body`` has no row for it.
    """
    driver = _sqlite(s)
    if driver is None:
        found = s.execute(select(RawBodyRow.raw).where(RawBodyRow.raw_id == raw_id)).first()
        if found is None:
            raise MissingRawBody(f"raw message {raw_id} has no stored bytes")
        return bytes(found[0])
    try:
        blob = driver.blobopen(_TABLE.name, "raw", raw_id, readonly=True)
    except sqlite3.OperationalError as exc:  # "no such rowid"
        raise MissingRawBody(f"raw message {raw_id} has no stored bytes") from exc
    with blob:
        size = len(blob)
        if size < STREAM_RAW_BYTES:
            return blob.read()
        # one buffer of the message's size, filled in place and handed over (BytesIO's
        # getvalue does not copy): the message is held once, and a piece
        whole = io.BytesIO()
        whole.seek(size - 1)
        whole.write(b"\0")
        whole.seek(0)
        while piece := blob.read(STREAM_RAW_BYTES):
            whole.write(piece)
        return whole.getvalue()


def raw_pieces(s: Session, raw_id: int) -> Callable[[], Iterator[bytes]]:
    """The bytes of stored message *raw_id*, read from its row :data:`STREAM_RAW_BYTES`
    at a time, afresh on each call (on SQLite: never whole; elsewhere one piece, whole).

    :raises MissingRawBody: from the pieces, when ``raw_body`` has no row for it.
    """

    def pieces() -> Iterator[bytes]:
        driver = _sqlite(s)
        if driver is None:
            yield raw_bytes(s, raw_id)
            return
        try:
            blob = driver.blobopen(_TABLE.name, "raw", raw_id, readonly=True)
        except sqlite3.OperationalError as exc:  # "no such rowid"
            raise MissingRawBody(f"raw message {raw_id} has no stored bytes") from exc
        with blob:
            while piece := blob.read(STREAM_RAW_BYTES):
                yield piece

    return pieces
