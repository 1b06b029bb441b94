"""``intake check``: each thing the desk needs, tried once, with a one-line verdict.

In order: the config (already read by the caller), the database (reachable, and at
the schema revision this intake needs), the catalogue (loads), the inbox (an IMAP
login and the folder selected, or the local Maildir readable) and the outbox (an
SMTP login, or the local folder writable); with ``--send-test ADDRESS`` a short
message is sent to that address through the same outbox, straight away (not through
the outbox table: nothing is recorded).  Every check runs whatever the others gave,
so one run names every problem; nothing is written to the database and no mail is
fetched or marked.

A composition of the adapters, like :mod:`intake.worker`, kept apart from it: the
worker runs the desk, this only tries its parts.
"""

from __future__ import annotations

import email.utils
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage

from intake.adapters.imap import ImapMailbox
from intake.adapters.maildir import MaildirMailbox
from intake.adapters.smtp import FolderTransport, SmtpTransport
from intake.app.deps import Deps
from intake.config import Settings
from intake.domain.errors import IntakeError
from intake.domain.ports import Mailbox
from intake.worker import schema_status


@dataclass(frozen=True, slots=True)
class Verdict:
    """One check: its name, whether it passed, and what it found (or why it failed)."""

    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{self.name}: {'ok' if self.ok else 'FAIL'} {self.detail}".rstrip()


def run_checks(settings: Settings, deps: Deps, send_test: str = "") -> Iterator[Verdict]:
    """Try each part in turn (see the module's docstring); yield a verdict as each ends."""
    yield _try("database", lambda: _database(settings, deps))
    yield _try("catalogue", lambda: _catalogue(settings, deps))
    yield _try("imap" if settings.imap else "inbox", lambda: _inbox(settings))
    yield _try("smtp" if settings.smtp else "outbox", lambda: _outbox(settings))
    if send_test:
        yield _try("send-test", lambda: _send_test(settings, send_test))


def _try(name: str, check: Callable[[], str]) -> Verdict:
    try:
        return Verdict(name, True, check())
    except Exception as exc:  # noqa: BLE001 (a database driver's, a socket's: each one line)
        return Verdict(name, False, _one_line(exc))


def _one_line(exc: BaseException) -> str:
    """The first line of the error (a database driver's words, without SQLAlchemy's footer
    of links); what is not intake's own error says its type too."""
    lines = str(exc).strip().splitlines()
    text = " ".join(lines[0].split()) if lines else ""
    if isinstance(exc, IntakeError):
        return text or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _database(settings: Settings, deps: Deps) -> str:
    found, needed = schema_status(deps)
    where = settings.database.url  # the terminal masks a password in it
    if found != needed:
        have = f"at revision {found}" if found else "empty"
        raise IntakeError(f"{where} is {have}, this intake needs {needed}: run `intake migrate`")
    return f"{where} (revision {found})"


def _catalogue(settings: Settings, deps: Deps) -> str:
    if not settings.articles.source:
        return "none configured (articles.source): every letter goes to review"
    return f"{len(deps.catalogue())} articles from {settings.articles.source}"


def _inbox(settings: Settings) -> str:
    box: Mailbox
    if settings.imap is None:
        box = MaildirMailbox(settings.local.maildir)
    else:
        box = ImapMailbox(settings.imap)
    try:
        box.uidvalidity()  # IMAP: connect, log in, select the folder
    finally:
        box.close()
    if settings.imap is None:
        return f"Maildir {settings.local.maildir}"
    s = settings.imap
    return f"logged in as {s.username} at {s.host}:{s.port}, folder {s.folder!r} selected"


def _outbox(settings: Settings) -> str:
    if settings.smtp is None:
        folder = settings.local.outbox_dir
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".check-{secrets.token_hex(4)}"
        probe.write_bytes(b"")
        probe.unlink()
        return f"folder {folder} writable"
    s = settings.smtp
    SmtpTransport(s).check()
    who = f"logged in as {s.username}" if s.username else "connected (no login configured)"
    return f"{who} at {s.host}:{s.port}"


def _send_test(settings: Settings, address: str) -> str:
    sender = settings.from_address
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = address
    msg["Subject"] = f"intake check: a test message from {settings.desk.publication}'s desk"
    msg["Date"] = email.utils.formatdate(localtime=False)
    domain = sender.partition("@")[2] or "localhost"
    message_id = f"intake.check.{secrets.token_hex(8)}@{domain}"
    msg["Message-ID"] = f"<{message_id}>"
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(
        f"This message was sent by `intake check --send-test {address}` to show that the\n"
        f"letters desk of {settings.desk.publication} can send mail. Nothing needs doing.\n"
    )
    transport = (
        SmtpTransport(settings.smtp)
        if settings.smtp
        else FolderTransport(settings.local.outbox_dir)
    )
    try:
        transport.send(msg.as_bytes(), sender=sender, recipients=[address], message_id=message_id)
    finally:
        transport.close()
    return f"sent to {address} from {sender}, Message-ID <{message_id}>"
