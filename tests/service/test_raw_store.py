"""Fetched mail is stored as received (issue 16: 6): a large message streamed into its row
comes back byte for byte, and the row's Message-ID is read from the headers alone."""

from __future__ import annotations

import base64
from pathlib import Path

from deskkit import make_desk
from deskletters import BUS, letter
from sqlmodel import col, select

from intake.adapters.store import STREAM_RAW_BYTES, RawMessageRow
from intake.app.inbound import poll


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
        stored = {row.raw: (row.message_id, row.size) for row in rows}
    assert len(large) > 2 * STREAM_RAW_BYTES
    assert stored[large] == ("large@example.org", len(large))
    assert stored[quoting] == ("", len(quoting))
    assert stored[small][1] == len(small) and stored[small][0] != ""
