"""What the integration tests use to act as a reader's mail client against the test mail stack.

Owns the `MailStack` handle (where the running Postfix + Dovecot of deploy/mailstack listen) and
small blocking helpers around it: build a message, send it over SMTP, read or append over IMAP,
and wait until a mailbox or the Postfix queue reaches an expected state. Test code only.
"""

from __future__ import annotations

import contextlib
import re
import smtplib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import formatdate, make_msgid
from pathlib import Path

import pytest
from imapclient import IMAPClient

# (uid, raw message bytes, persistent flags)
Message = tuple[int, bytes, set[bytes]]

_POLL_SECONDS = 0.1
# the stack's Postfix drops incoming Authentication-Results with this id, as a border MTA
# must drop its own (RFC 8601 §5); no other test stamps with it
STRIPPED_AUTHSERV_ID = "border.news.test"
_QUEUE_DIRS = ("maildrop", "incoming", "active", "deferred", "hold")


@dataclass(frozen=True, slots=True, kw_only=True)
class MailStack:
    """A running test mail stack: plain ports take STARTTLS, the `s` ports are implicit TLS."""

    host: str
    imap_port: int
    smtp_port: int
    imaps_port: int
    smtps_port: int
    ca_file: Path
    state_dir: Path

    def password(self, user: str) -> str:
        """Every test account's password is `<local part>-pw`."""
        return f"{user.partition('@')[0]}-pw"


def make_message(
    from_: str, to: str | Sequence[str], subject: str, body: str, **headers: str
) -> EmailMessage:
    """A text/plain message; extra headers by keyword, `in_reply_to=` becomes `In-Reply-To:`.

    Date and Message-ID are filled in unless given (`date=`, `message_id=`).
    """
    msg = EmailMessage()
    msg["From"] = from_
    msg["To"] = to if isinstance(to, str) else ", ".join(to)
    msg["Subject"] = subject
    extra = {"-".join(part.capitalize() for part in k.split("_")): v for k, v in headers.items()}
    extra.setdefault("Date", formatdate(localtime=True))
    extra.setdefault("Message-Id", make_msgid(domain=from_.rpartition("@")[2] or None))
    for name, value in extra.items():
        msg[name] = value
    msg.set_content(body)
    return msg


def send(
    stack: MailStack, from_addr: str, to_addrs: str | Sequence[str], msg: EmailMessage
) -> None:
    """Submit over plain SMTP like a reader's client on 127.0.0.1 (no AUTH needed from there).

    Raises `smtplib.SMTPRecipientsRefused` if *any* recipient is refused, not only all of them,
    so a test never mistakes a partial delivery for success.
    """
    rcpts = [to_addrs] if isinstance(to_addrs, str) else list(to_addrs)
    with smtplib.SMTP(stack.host, stack.smtp_port, timeout=10) as smtp:
        refused = smtp.send_message(msg, from_addr=from_addr, to_addrs=rcpts)
    if refused:
        raise smtplib.SMTPRecipientsRefused(refused)


@contextlib.contextmanager
def imap_session(stack: MailStack, user: str) -> Iterator[IMAPClient]:
    """A logged-in IMAPClient on the plain IMAP port; logs out on exit."""
    # imapclient 4.x defaults to ssl=True, which fails on a plain port with WRONG_VERSION_NUMBER.
    client = IMAPClient(stack.host, port=stack.imap_port, ssl=False, timeout=10)
    with client:
        # IMAPClient sets imaplib's debug level to 5, and imaplib then repr()s every fetched
        # literal for a log line nobody reads: ~10x the CPU on big fetches (research/PERF.md).
        client._imap.debug = 0
        client.login(user, stack.password(user))
        yield client


def fetch_all(stack: MailStack, user: str, folder: str = "INBOX") -> list[Message]:
    """Every message in `folder`, oldest UID first, without setting \\Seen (BODY.PEEK)."""
    with imap_session(stack, user) as client:
        client.select_folder(folder, readonly=True)
        uids = client.search("ALL")
        if not uids:
            return []
        # imapclient 4.1 cannot fetch "1:*" (it int()s the set); pass the explicit UIDs.
        data = client.fetch(uids, ["BODY.PEEK[]", "FLAGS"])
    # \Recent belongs to one session (RFC 3501 §2.3.2) and is gone in IMAP4rev2 (RFC 9051):
    # comparing it would make tests depend on which session looked first.
    return [
        (
            int(uid),
            bytes(data[uid][b"BODY[]"]),
            {bytes(f) for f in data[uid][b"FLAGS"]} - {b"\\Recent"},
        )
        for uid in sorted(data)
    ]


def wait_for(
    stack: MailStack,
    user: str,
    predicate: Callable[[list[Message]], bool],
    timeout: float = 10.0,
    folder: str = "INBOX",
) -> list[Message]:
    """Poll `folder` until `predicate(messages)` holds and return those messages; fail otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        messages = fetch_all(stack, user, folder)
        if predicate(messages):
            return messages
        if time.monotonic() >= deadline:
            subjects = [_subject(raw) for _, raw, _ in messages]
            pytest.fail(
                f"{user} {folder}: condition not met after {timeout:.1f} s; "
                f"{len(messages)} message(s) there, subjects {subjects!r}; "
                f"logs in {stack.state_dir / 'log'}"
            )
        time.sleep(_POLL_SECONDS)


def wait_for_queue_empty(stack: MailStack, timeout: float = 10.0) -> None:
    """Wait until Postfix holds no message, i.e. every accepted one was delivered or bounced."""
    queue = _run_dir(stack) / "spool"
    deadline = time.monotonic() + timeout
    while True:
        left = [p for d in _QUEUE_DIRS for p in (queue / d).rglob("*") if p.is_file()]
        if not left:
            return
        if time.monotonic() >= deadline:
            pytest.fail(
                f"Postfix queue not empty after {timeout:.1f} s: {[str(p) for p in left]}; "
                f"see {stack.state_dir / 'log' / 'postfix.log'}"
            )
        time.sleep(_POLL_SECONDS)


def append(
    stack: MailStack, user: str, raw: bytes, folder: str = "INBOX", *, flags: Sequence[bytes] = ()
) -> int:
    """IMAP APPEND `raw` (e.g. a DSN, which the stack never generates itself); returns its UID."""
    with imap_session(stack, user) as client:
        response = client.append(folder, raw, flags=tuple(flags))
    # UIDPLUS (RFC 4315): "[APPENDUID <uidvalidity> <uid>] Append completed."
    found = re.search(rb"\[APPENDUID \d+ (\d+)\]", response)
    if found is None:
        raise AssertionError(f"APPEND to {user} {folder}: no APPENDUID in {response!r}")
    return int(found.group(1))


def _run_dir(stack: MailStack) -> Path:
    # start-mailstack.sh moves sockets and queue out of long state paths (sun_path is 108 bytes)
    # and records where in mailstack.env.
    env = (stack.state_dir / "mailstack.env").read_text(encoding="utf-8")
    found = re.search(r"^export MAILSTACK_RUN_DIR='([^']*)'$", env, re.MULTILINE)
    return Path(found.group(1)) if found else stack.state_dir / "run"


def _subject(raw: bytes) -> str:
    return str(BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)["Subject"])
