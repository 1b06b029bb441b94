"""Outgoing mail over SMTP, and the local outbox folder of the embedded default.

Both take an already-composed message (bytes) from the outbox table.  SMTP
4xx replies, timeouts and refused connections become
:class:`intake.domain.errors.DeliveryDeferred` (try again later); 5xx replies become
:class:`intake.domain.errors.DeliveryRejected` (it will never work).
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from collections.abc import Sequence
from pathlib import Path

from intake.adapters.privatefiles import replace_private
from intake.config import SmtpSettings
from intake.domain.errors import DeliveryDeferred, DeliveryRejected


class SmtpTransport:
    """See :class:`intake.domain.ports.Transport`.  One connection, opened on first use."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._conn: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context(cafile=s.ca_file or None)
        try:
            conn: smtplib.SMTP
            if s.security == "ssl":
                conn = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout_seconds, context=context)
            else:
                conn = smtplib.SMTP(s.host, s.port, timeout=s.timeout_seconds)
                if s.security == "starttls":
                    conn.starttls(context=context)
            if s.username:
                conn.login(s.username, s.password)
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryDeferred(f"smtp login as {s.username} failed: {exc.smtp_code}") from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise DeliveryDeferred(f"smtp {s.host}:{s.port}: {exc}") from exc
        return conn

    def send(self, raw: bytes, *, sender: str, recipients: Sequence[str], message_id: str) -> None:
        if self._conn is None:
            self._conn = self._connect()
        try:
            refused = self._conn.sendmail(sender, list(recipients), raw)
        except smtplib.SMTPRecipientsRefused as exc:
            self.close()
            codes = [code for code, _ in exc.recipients.values()]
            if all(500 <= c < 600 for c in codes):
                raise DeliveryRejected(f"recipients refused: {exc.recipients}") from exc
            raise DeliveryDeferred(f"recipients deferred: {exc.recipients}") from exc
        except smtplib.SMTPResponseException as exc:
            self.close()
            if 500 <= exc.smtp_code < 600:
                raise DeliveryRejected(f"smtp {exc.smtp_code}: {exc.smtp_error!r}") from exc
            raise DeliveryDeferred(f"smtp {exc.smtp_code}: {exc.smtp_error!r}") from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            self.close()
            raise DeliveryDeferred(f"smtp send: {exc}") from exc
        if refused:
            # some recipients accepted: treat the rest as a permanent failure to report
            raise DeliveryRejected(f"some recipients refused: {refused}")

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
