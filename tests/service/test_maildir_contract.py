"""The Maildir inbox keeps the Mailbox contract (the IMAP inbox runs the same assertions)."""

from __future__ import annotations

import itertools
import os
from datetime import timedelta
from pathlib import Path

from fakes import FROZEN_AT, deliver_at
from mailbox_contract import Harness, check_mailbox_contract

from intake.adapters.maildir import MaildirMailbox


def _marks(maildir: Path) -> dict[bytes, set[str]]:
    """Message-ID → what a mail client shows: Seen as done, Flagged as quarantined."""
    found: dict[bytes, set[str]] = {}
    for sub in ("new", "cur"):
        for path in (maildir / sub).iterdir():
            _, _, info = path.name.partition(":2,")
            flags = set(info) if sub == "cur" else set()
            mid = next(
                line.split(b":", 1)[1].strip()
                for line in path.read_bytes().splitlines()
                if line.lower().startswith(b"message-id:")
            )
            found[mid] = {mark for flag, mark in (("S", "done"), ("F", "quarantined"))
                          if flag in flags}  # fmt: skip
    return found


def test_maildir_keeps_the_mailbox_contract(tmp_path: Path) -> None:
    maildir = tmp_path / "inbox"
    minutes = itertools.count()

    def deliver(raw: bytes) -> None:
        # one minute apart on the fake clock, so "oldest first" is well defined
        deliver_at(maildir, raw, FROZEN_AT + timedelta(minutes=next(minutes)))

    check_mailbox_contract(
        Harness(mailbox=MaildirMailbox(maildir), deliver=deliver, marks=lambda: _marks(maildir))
    )


def test_mail_delivered_in_the_same_instant_comes_out_in_delivery_order(tmp_path: Path) -> None:
    maildir = tmp_path / "inbox"
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True)
    # the microseconds of a Maildir key are not zero-padded: as text, M100034 < M99812
    names = ["1764000000.M99812P100Q1.host", "1764000000.M100034P100Q2.host",
             "1764000001.M5P100Q3.host", "1764000001.M5P100Q10.host"]  # fmt: skip
    stamp = FROZEN_AT.timestamp()
    for n, name in enumerate(names):
        path = maildir / "new" / name
        path.write_bytes(b"Message-ID: <m%d@example.net>\r\n\r\nbody\r\n" % n)
        os.utime(path, (stamp, stamp))
    got = [m.source_key for m in MaildirMailbox(maildir).new_messages(0, lambda _key: False)]
    assert got == names
    # and so do messages a test delivers at one fake instant, however many
    keys = [deliver_at(tmp_path / "many", b"Subject: %d\r\n\r\nx\r\n" % n, FROZEN_AT)
            for n in range(300)]  # fmt: skip
    many = MaildirMailbox(tmp_path / "many").new_messages(0, lambda _key: False)
    assert [m.source_key for m in many] == keys
