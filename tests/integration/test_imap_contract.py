"""The IMAP inbox on the real Dovecot keeps the Mailbox contract (as the Maildir inbox does)."""

from __future__ import annotations

from pathlib import Path

from deskrun import empty_mailboxes
from mailbox_contract import Harness, check_mailbox_contract
from mailtools import MailStack, append, imap_session

from intake.adapters.imap import ImapMailbox
from intake.config import load_settings

USER = "letters@news.test"


def _marks(stack: MailStack, processed: str, quarantined: str) -> dict[bytes, set[str]]:
    """Message-ID → the keywords a mail client shows, read over a separate session."""
    with imap_session(stack, USER) as client:
        client.select_folder("INBOX", readonly=True)
        uids = client.search("ALL")
        data = (
            client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]", "FLAGS"]) if uids else {}
        )
    found: dict[bytes, set[str]] = {}
    for item in data.values():
        header = next(v for k, v in item.items() if k.startswith(b"BODY[HEADER"))
        mid = bytes(header).split(b":", 1)[1].strip()
        flags = {bytes(f).decode() for f in item[b"FLAGS"]}
        found[mid] = ({"done"} if processed in flags else set()) | (
            {"quarantined"} if quarantined in flags else set()
        )
    return found


def test_imap_keeps_the_mailbox_contract(mailstack: MailStack, tmp_path: Path) -> None:
    empty_mailboxes(mailstack)
    config = f"""
[imap]
host = "{mailstack.host}"
port = {mailstack.imap_port}
security = "starttls"
username = "{USER}"
password_env = "PW"
ca_file = "{mailstack.ca_file}"
"""
    settings = load_settings(config, {"PW": mailstack.password(USER)}, cwd=tmp_path)
    assert settings.imap is not None
    imap = settings.imap

    def deliver(raw: bytes) -> None:
        append(mailstack, USER, raw)

    check_mailbox_contract(
        Harness(
            mailbox=ImapMailbox(imap),
            deliver=deliver,
            marks=lambda: _marks(mailstack, imap.processed_keyword, imap.quarantine_keyword),
        )
    )
