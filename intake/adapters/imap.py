"""The editorial inbox over IMAP, with imapclient.

Connects per tick (never in ``__init__``), remembers nothing itself: the
service passes the last UID it stored.  Fetches with ``BODY.PEEK[]`` so the
\\Seen flag is untouched, in batches bounded by bytes (sizes are fetched
first; a very large message is fetched alone; one of ``LARGE_MAIL_BYTES`` or more is
fetched in pieces by partial fetches as it is stored).  Never deletes or expunges:
handled mail gets a keyword, and is moved only when configured to.
Library and socket errors become :class:`intake.domain.errors.MailboxUnavailable`;
a refused LOGIN becomes :class:`intake.domain.errors.AuthenticationFailed` (no retry
mends a wrong password), unless the server says the refusal is temporary.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError, LoginError

from intake.config import ImapSettings
from intake.domain.errors import AuthenticationFailed, MailboxUnavailable
from intake.domain.ports import LARGE_MAIL_BYTES, RawMail

log = logging.getLogger(__name__)

_ERRORS: tuple[type[BaseException], ...] = (IMAPClientError, OSError, ssl.SSLError)


def _ssl_context(ca_file: Path | None) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=ca_file or None)


def connect(settings: ImapSettings) -> IMAPClient:
    """Open, secure and log in an IMAP connection as *settings* say."""
    try:
        client = IMAPClient(
            settings.host,
            port=settings.port,
            ssl=settings.security == "ssl",
            ssl_context=_ssl_context(settings.ca_file) if settings.security == "ssl" else None,
            timeout=settings.timeout_seconds,
        )
        # imaplib's debug level (set to 5 by IMAPClient) makes it repr() every
        # fetched literal for a log line nobody reads: 10x the CPU on big fetches
        # (shared/research/PERF.md).  Private attribute: tests/unit/test_imap_debug.py
        # notices if it goes away.
        client._imap.debug = 0
        client.normalise_times = False
        if settings.security == "starttls":
            client.starttls(_ssl_context(settings.ca_file))
        client.login(settings.username, settings.password)
    except LoginError as exc:
        refusal = _refusal_text(exc)
        where = f"as {settings.username} at {settings.host}:{settings.port}"
        if _login_refused(exc, refusal):
            raise AuthenticationFailed("imap", f"{where}: {refusal}") from exc
        raise MailboxUnavailable(f"imap login {where}: {refusal}") from exc
    except _ERRORS as exc:
        raise MailboxUnavailable(f"imap {settings.host}:{settings.port}: {exc}") from exc
    return client


def _refusal_text(exc: LoginError) -> str:
    """The server's words, without the ``b'…'`` of a bytes repr imapclient leaves on them."""
    text = str(exc).strip()
    if len(text) > 2 and text[0] == "b" and text[1] in "'\"" and text[-1] == text[1]:
        text = text[2:-1]
    return " ".join(text.split())[:200] or "refused"


def _login_refused(exc: LoginError, refusal: str) -> bool:
    """Whether the server refused the credentials, as opposed to failing for now.

    imapclient raises ``LoginError`` for any failure during LOGIN: a lost connection
    (an abort underneath) and a server's ``[UNAVAILABLE]`` (RFC 5530: its password
    database is down) are worth retrying; anything else is a refusal.
    """
    if isinstance(exc.__context__, IMAPClientAbortError | OSError):
        return False
    return "[UNAVAILABLE]" not in refusal.upper()


def batches_by_size(sizes: Sequence[tuple[int, int]], limit: int) -> Iterator[list[int]]:
    """Group (uid, size) pairs, in order, into batches of at most *limit* bytes.

    A message larger than *limit* forms a batch of its own.
    """
    batch: list[int] = []
    total = 0
    for uid, size in sizes:
        if batch and total + size > limit:
            yield batch
            batch, total = [], 0
        batch.append(uid)
        total += size
    if batch:
        yield batch


def _pieces(client: IMAPClient, uid: int) -> Iterator[bytes]:
    """The bytes of message *uid*, fetched :data:`LARGE_MAIL_BYTES` at a time by partial
    fetches (``BODY.PEEK[]<offset.length>``, RFC 3501 §6.4.5) until one comes short; none
    when it was expunged meanwhile.

    :raises MailboxUnavailable: the server cannot be reached.
    """
    offset = 0
    while True:
        try:
            item = client.fetch([uid], [f"BODY.PEEK[]<{offset}.{LARGE_MAIL_BYTES}>"]).get(uid, {})
        except _ERRORS as exc:
            raise MailboxUnavailable(f"imap fetch: {exc}") from exc
        piece = item.get(f"BODY[]<{offset}>".encode())
        if not piece:
            return
        yield bytes(piece)
        offset += len(piece)
        if len(piece) < LARGE_MAIL_BYTES:
            return


class ImapMailbox:
    """See :class:`intake.domain.ports.Mailbox`."""

    def __init__(self, settings: ImapSettings) -> None:
        self.settings = settings
        self._client: IMAPClient | None = None
        self._uidvalidity = 0

    @property
    def name(self) -> str:
        s = self.settings
        return f"imap://{s.username}@{s.host}:{s.port}/{s.folder}"

    def _open(self) -> IMAPClient:
        if self._client is None:
            client = connect(self.settings)
            try:
                info: dict[bytes, Any] = client.select_folder(self.settings.folder)
            except _ERRORS as exc:
                client.logout()
                raise MailboxUnavailable(f"imap folder {self.settings.folder!r}: {exc}") from exc
            self._uidvalidity = int(info[b"UIDVALIDITY"])
            self._client = client
        return self._client

    def uidvalidity(self) -> int:
        self._open()
        return self._uidvalidity

    def new_messages(self, after_uid: int, is_known: Callable[[str], bool]) -> Iterator[RawMail]:
        reused = self._client is not None
        client = self._open()
        try:
            if reused:
                # a session kept open since the last look learns of new mail on NOOP (RFC 3501
                # §6.1.2); a fresh SELECT already counted it
                client.noop()
            # "N:*" always matches the last message, even when its UID is below N (RFC 3501 §6.4.8)
            uids = sorted(u for u in client.search(["UID", f"{after_uid + 1}:*"]) if u > after_uid)
            fresh = [u for u in uids if not is_known(f"{self._uidvalidity}:{u}")]
            if not fresh:
                return
            sizes = client.fetch(fresh, ["RFC822.SIZE"])
        except _ERRORS as exc:
            raise MailboxUnavailable(f"imap search/fetch: {exc}") from exc
        pairs = [(u, int(sizes.get(u, {}).get(b"RFC822.SIZE", 0))) for u in fresh]
        large = {u: size for u, size in pairs if size >= LARGE_MAIL_BYTES}
        for batch in batches_by_size(pairs, self.settings.batch_bytes):
            whole = [u for u in batch if u not in large]
            try:  # a large message's bytes are fetched in pieces, as they are stored
                fetched = client.fetch(whole, ["BODY.PEEK[]", "INTERNALDATE"]) if whole else {}
                if len(whole) < len(batch):
                    fetched.update(client.fetch([u for u in batch if u in large], ["INTERNALDATE"]))
            except _ERRORS as exc:
                raise MailboxUnavailable(f"imap fetch: {exc}") from exc
            for uid in batch:
                item = fetched.pop(uid, None)  # handed on, not held here with the rest
                if item is None or (uid not in large and b"BODY[]" not in item):
                    continue  # expunged by someone else between SEARCH and FETCH
                when = item.get(b"INTERNALDATE")
                if isinstance(when, datetime) and when.tzinfo is None:
                    when = when.replace(tzinfo=UTC)
                mail = RawMail(
                    source_key=f"{self._uidvalidity}:{uid}",
                    uid=uid,
                    data=b"" if uid in large else bytes(item[b"BODY[]"]),
                    internal_date=when if isinstance(when, datetime) else None,
                    of=len(fresh),
                    pieces=functools.partial(_pieces, client, uid) if uid in large else None,
                    size=large.get(uid, 0),
                )
                item = None  # the caller holds the only reference: once stored, it is freed
                yield mail
                del mail

    def mark_done(self, source_keys: Sequence[str], *, quarantined: bool = False) -> None:
        client = self._open()  # also learns the UIDVALIDITY the keys are checked against
        uids = [
            int(uid)
            for key in source_keys
            for validity, _, uid in [key.partition(":")]
            if validity == str(self._uidvalidity) and uid.isdigit()
        ]
        if not uids:
            return
        keyword = (
            self.settings.quarantine_keyword if quarantined else self.settings.processed_keyword
        )
        try:
            client.add_flags(uids, [keyword.encode()])
            target = self.settings.move_processed_to
            if target and not quarantined:
                if not client.folder_exists(target):
                    client.create_folder(target)
                if client.has_capability("MOVE"):
                    client.move(uids, target)
                else:
                    # without MOVE we copy and leave the original: intake never expunges
                    client.copy(uids, target)
        except _ERRORS as exc:
            raise MailboxUnavailable(f"imap mark: {exc}") from exc

    def close(self) -> None:
        if self._client is not None:
            with contextlib.suppress(*_ERRORS):
                self._client.logout()
            self._client = None


class ImapIdleWatcher:
    """Wake the worker as soon as mail arrives, where the server offers IDLE.

    Holds its own connection in IMAP IDLE (RFC 2177) on a daemon thread and
    calls *on_new_mail* on every EXISTS.  It only hastens the next poll: the
    timed poll stays the source of truth, since IDLE can miss mail on some
    servers.  IDLE is re-issued every ``reissue_seconds`` (servers may drop
    an IDLE after 29 minutes, RFC 2177), and a lost connection is retried
    after ``retry_seconds``.
    """

    def __init__(self, settings: ImapSettings, on_new_mail: Callable[[], None], *,
                 reissue_seconds: float = 600, retry_seconds: float = 30) -> None:  # fmt: skip
        self.settings = settings
        self.on_new_mail = on_new_mail
        self.reissue_seconds = reissue_seconds
        self.retry_seconds = retry_seconds
        self.supported: bool | None = None  # known after the first connection
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="imap-idle", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                if not self._watch():
                    return  # no IDLE here: the timed poll does all the work
            except AuthenticationFailed as exc:
                # the timed poll reports a refused login, once per change; IDLE only waits
                log.debug("imap idle: %s; retrying in %ss", exc, self.retry_seconds)
            except MailboxUnavailable as exc:
                log.warning("imap idle: %s; retrying in %ss", exc, self.retry_seconds)
            except _ERRORS as exc:
                log.warning("imap idle: %s; retrying in %ss", exc, self.retry_seconds)
            self._stop.wait(self.retry_seconds)

    def _watch(self) -> bool:
        client = connect(self.settings)
        try:
            self.supported = bool(client.has_capability("IDLE"))
            if not self.supported:
                log.info("imap idle: %s does not offer IDLE; polling only", self.settings.host)
                return False
            client.select_folder(self.settings.folder, readonly=True)
            while not self._stop.is_set():
                client.idle()
                deadline = time.monotonic() + self.reissue_seconds
                woke = False
                while not self._stop.is_set() and time.monotonic() < deadline:
                    # short checks so stop() is honoured promptly
                    responses = client.idle_check(timeout=1)
                    if any(len(r) > 1 and r[1] == b"EXISTS" for r in responses):
                        woke = True
                        break
                client.idle_done()
                if woke:
                    self.on_new_mail()
            return True
        finally:
            with contextlib.suppress(*_ERRORS):
                client.logout()
