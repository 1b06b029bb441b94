"""The Maildir inbox keeps the Mailbox contract (the IMAP inbox runs the same assertions)."""

from __future__ import annotations

import itertools
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
