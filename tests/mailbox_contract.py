"""The Mailbox contract (:class:`intake.domain.ports.Mailbox`), one set of assertions for every inbox.

The Maildir adapter runs it in ``tests/service/test_maildir_contract.py``, the IMAP
adapter on the real Dovecot in ``tests/integration/test_imap_contract.py``: both
inboxes must behave the same way to the use cases, so one function states what
that way is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

from intake.domain.ports import LARGE_MAIL_BYTES, Mailbox, RawMail


@dataclass
class Harness:
    """An inbox under test and the two things only its own test can do."""

    mailbox: Mailbox
    deliver: Callable[[bytes], None]  # put a message into the inbox, as mail arrives
    marks: Callable[[], dict[bytes, set[str]]]  # Message-ID → the marks a person sees


def sample(number: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Reader {number} <reader{number}@example.org>"
    msg["To"] = "letters@news.test"
    msg["Subject"] = f"Letter number {number}"
    msg["Date"] = "Sat, 28 Nov 2026 09:00:00 +0000"
    msg["Message-ID"] = f"<contract-{number}@example.org>"
    msg.set_content(f"Dear Editor,\n\nThis is letter {number}, with a line ending in CRLF.\n")
    return msg.as_bytes().replace(b"\n", b"\r\n")


def big_sample(number: int) -> bytes:
    """A message of more than three :data:`LARGE_MAIL_BYTES`, CRLF lines, base64 attached."""
    line = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkwYWJjZGVmZ2hpamtsbW5vcHFy\r\n"
    head = sample(number).replace(b"Letter number", b"Large letter number")
    return head + line * (3 * LARGE_MAIL_BYTES // len(line) + 99)


def _message_id(raw: bytes) -> bytes:
    for line in raw.splitlines():
        if line.lower().startswith(b"message-id:"):
            return line.split(b":", 1)[1].strip()
    raise AssertionError("sample without a Message-ID")


def _everything(mailbox: Mailbox) -> list[RawMail]:
    return list(mailbox.new_messages(0, lambda _key: False))


def check_mailbox_contract(harness: Harness) -> None:
    """Every assertion a Mailbox must satisfy; fails at the first broken promise."""
    box = harness.mailbox
    assert box.name and box.name == box.name, "a stable, non-empty name"
    validity = box.uidvalidity()
    assert validity >= 0 and box.uidvalidity() == validity, "UIDVALIDITY is stable"
    assert _everything(box) == [], "the contract starts on an empty inbox"

    sent = [sample(n) for n in (1, 2, 3)]
    for raw in sent:
        harness.deliver(raw)

    # oldest first, byte for byte, each with its own key
    got = _everything(box)
    assert all(m.pieces is None for m in got), "a small message comes whole"
    assert [_message_id(m.data) for m in got] == [_message_id(r) for r in sent], got
    assert [m.data.replace(b"\r\n", b"\n") for m in got] == [
        r.replace(b"\r\n", b"\n") for r in sent
    ], "the bytes as delivered"
    keys = [m.source_key for m in got]
    assert len(set(keys)) == 3 and all(keys)
    for message in got:
        assert message.internal_date is None or message.internal_date.utcoffset() is not None

    # reading is not consuming: nothing is marked or moved by a fetch
    assert [m.source_key for m in _everything(box)] == keys
    assert all(not marks for marks in harness.marks().values())

    # what the store already knows is not fetched again
    known = {keys[0]}
    assert [m.source_key for m in box.new_messages(0, known.__contains__)] == keys[1:]

    # marking shows a person what intake has done, and never deletes
    box.mark_done([keys[0]])
    box.mark_done([keys[1]], quarantined=True)
    box.mark_done(["no-such-key", "0:999999"])  # unknown keys are ignored
    marks = harness.marks()
    ids = [_message_id(r) for r in sent]
    assert marks[ids[0]] == {"done"}
    assert marks[ids[1]] == {"done", "quarantined"} or marks[ids[1]] == {"quarantined"}
    assert marks[ids[2]] == set()
    assert len(_everything(box)) == 3, "marked mail stays in the inbox: nothing is deleted"

    # a large message comes in pieces, read afresh each time, never whole
    harness.deliver(large := big_sample(4))
    [big] = [m for m in _everything(box) if m.source_key not in keys]
    assert big.data == b"" and big.pieces is not None, "a large message is not held whole"
    pieces = list(big.pieces())
    assert len(pieces) > 1 and all(len(p) <= LARGE_MAIL_BYTES for p in pieces)
    assert big.size == sum(len(p) for p in pieces) == len(big.whole())
    assert big.whole().replace(b"\r\n", b"\n") == large.replace(b"\r\n", b"\n")

    box.close()
    box.close()  # closing twice is harmless
