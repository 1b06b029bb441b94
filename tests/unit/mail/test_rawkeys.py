"""A raw message's sha256 and Message-ID: the same whether it is seen whole or in pieces,
wherever the pieces are cut (a blank line or a header cut in two included)."""

from __future__ import annotations

import pytest

from intake.mail.parse import sha256_hex
from intake.mail.rawkeys import PieceKeys, quick_message_id

MESSAGES = [
    b"From: a@example.org\r\nMessage-ID: <one@example.org>\r\n\r\nbody\r\n",
    b"Message-ID:\t<Two@Example.ORG>\n\nbody\n",
    # a blank LF LF in a CRLF message, after the real end: the first of the two wins
    b"From: a@example.org\r\n\r\nMessage-ID: <quoted@example.org>\n\nbody\n",
    # an LF LF before a later CRLF CRLF: the headers end at the first
    b"Subject: x\n\nMessage-ID: <late@example.org>\r\n\r\nbody",
    b"Subject: no blank line at all\r\nMessage-ID: <nobody@example.org>\r\n",
    b"Subject: none\r\n\r\n",
    b"",
    b"\r\n\r\nMessage-ID: <body@example.org>\r\n",
]


def _keys(pieces: list[bytes]) -> tuple[str, str]:
    keys = PieceKeys()
    for piece in pieces:
        keys.add(piece)
    assert keys.size == sum(len(p) for p in pieces)
    return keys.sha256, keys.message_id


@pytest.mark.parametrize("raw", MESSAGES)
def test_pieces_cut_anywhere_give_the_keys_of_the_whole(raw: bytes) -> None:
    whole = (sha256_hex(raw), quick_message_id(raw))
    assert _keys([raw]) == whole
    for cut in range(len(raw) + 1):
        assert _keys([raw[:cut], raw[cut:]]) == whole, cut
    for size in (1, 2, 3, 5):
        assert _keys([raw[at : at + size] for at in range(0, len(raw), size)]) == whole, size


def test_only_the_headers_are_held() -> None:
    keys = PieceKeys()
    keys.add(b"Message-ID: <held@example.org>\r\n\r\n" + b"x" * 100)
    for _ in range(100):
        keys.add(b"y" * 10_000)
    assert keys.message_id == "held@example.org"
    assert not keys._head  # what it holds: nothing, once the headers ended
