"""Outgoing mail over SMTP, and the local outbox folder of the embedded default.

Both take an already-composed message (bytes) from the outbox table.  SMTP
4xx replies, timeouts and refused connections become
:class:`intake.domain.errors.DeliveryDeferred` (try again later); 5xx replies become
:class:`intake.domain.errors.DeliveryRejected` (it will never work).  A refused login,
or a server that wants one (530 authentication required, 534 mechanism too weak, 535
credentials invalid, 538 encryption required; RFC 4954), becomes
:class:`intake.domain.errors.AuthenticationFailed`: no message is at fault, so none is
charged for it.
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from collections.abc import Sequence
from pathlib import Path

from intake.adapters.privatefiles import replace_private
from intake.config import SmtpSettings
from intake.domain.errors import (
    AuthenticationFailed,
    DeliveryDeferred,
    DeliveryRejected,
    IntakeError,
)

# replies that say the login, not the message, is wrong (RFC 4954 §6); 454 is "try later"
AUTH_REFUSALS = frozenset({530, 534, 535, 538})


def _said(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(words.split())[:200]}".strip()


class SmtpTransport:
    """See :class:`intake.domain.ports.Transport`.  One connection, opened on first use."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._conn: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context(cafile=s.ca_file or None)
        conn: smtplib.SMTP | None = None
        try:
            if s.security == "ssl":
                conn = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout_seconds, context=context)
            else:
                conn = smtplib.SMTP(s.host, s.port, timeout=s.timeout_seconds)
                if s.security == "starttls":
                    conn.starttls(context=context)
            if s.username:
                self._login(conn)
        except (TimeoutError, smtplib.SMTPException, OSError, IntakeError) as exc:
            if conn is not None:
                conn.close()
            if isinstance(exc, IntakeError):
                raise
            raise DeliveryDeferred(f"smtp {s.host}:{s.port}: {exc}") from exc
        return conn

    def _login(self, conn: smtplib.SMTP) -> None:
        s = self.settings
        where = f"as {s.username} at {s.host}:{s.port}"
        try:
            conn.login(s.username, s.password)
        except smtplib.SMTPAuthenticationError as exc:
            said = _said(exc.smtp_code, exc.smtp_error)
            if exc.smtp_code in AUTH_REFUSALS or 500 <= exc.smtp_code < 600:
                raise AuthenticationFailed("smtp", f"{where}: {said}") from exc
            raise DeliveryDeferred(f"smtp login {where}: {said}") from exc
        except smtplib.SMTPNotSupportedError as exc:
            hint = "" if s.security != "none" else "; most servers offer it only after STARTTLS"
            raise AuthenticationFailed(
                "smtp", f"{where}: the server offers no AUTH here{hint}"
            ) from exc
        except smtplib.SMTPException as exc:
            if "authentication method" in str(exc):  # no mechanism both sides know
                raise AuthenticationFailed("smtp", f"{where}: {exc}") from exc
            raise

    def send(self, raw: bytes, *, sender: str, recipients: Sequence[str], message_id: str) -> None:
        if self._conn is None:
            self._conn = self._connect()
        try:
            refused = self._conn.sendmail(sender, list(recipients), raw)
        except smtplib.SMTPRecipientsRefused as exc:
            self.close()
            codes = [code for code, _ in exc.recipients.values()]
            if any(c in AUTH_REFUSALS for c in codes):
                raise self._wants_login(min(codes), str(exc.recipients)) from exc
            if all(500 <= c < 600 for c in codes):
                raise DeliveryRejected(f"recipients refused: {exc.recipients}") from exc
            raise DeliveryDeferred(f"recipients deferred: {exc.recipients}") from exc
        except smtplib.SMTPResponseException as exc:
            self.close()
            if exc.smtp_code in AUTH_REFUSALS:
                raise self._wants_login(exc.smtp_code, exc.smtp_error) from exc
            if 500 <= exc.smtp_code < 600:
                raise DeliveryRejected(f"smtp {exc.smtp_code}: {exc.smtp_error!r}") from exc
            raise DeliveryDeferred(f"smtp {exc.smtp_code}: {exc.smtp_error!r}") from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            self.close()
            raise DeliveryDeferred(f"smtp send: {exc}") from exc
        if refused:
            # some recipients accepted: treat the rest as a permanent failure to report
            raise DeliveryRejected(f"some recipients refused: {refused}")

    def check(self) -> None:
        """Connect, secure and log in as the settings say, then leave (``intake check``).

        :raises AuthenticationFailed: the login was refused.
        :raises DeliveryDeferred: the server could not be reached or failed for now.
        """
        self.close()
        self._conn = self._connect()
        self.close()

    def _wants_login(self, code: int, text: bytes | str) -> AuthenticationFailed:
        """The server refused to take mail from us until we log in (or log in otherwise)."""
        s = self.settings
        who = f"as {s.username}" if s.username else "without a login (smtp.username is not set)"
        return AuthenticationFailed("smtp", f"{who} at {s.host}:{s.port}: {_said(code, text)}")

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.quit()
            except (smtplib.SMTPException, OSError):
                self._conn.close()
            self._conn = None


class FolderTransport:
    """The embedded default's outbox: each message becomes a ``.eml`` file.

    The file name derives from the Message-ID, and files are written to a
    temporary name and renamed, so a resend after a crash overwrites the same
    file instead of adding a second copy.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def send(self, raw: bytes, *, sender: str, recipients: Sequence[str], message_id: str) -> None:
        try:
            name = hashlib.sha256(message_id.encode()).hexdigest()[:24] + ".eml"
            envelope = f"X-Intake-Envelope-To: {', '.join(recipients)}\r\n".encode()
            replace_private(self.directory, name, envelope + raw)
        except OSError as exc:
            raise DeliveryDeferred(f"outbox folder {self.directory}: {exc}") from exc

    def close(self) -> None:
        return None
