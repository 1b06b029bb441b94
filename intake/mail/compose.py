"""Outgoing messages: headers set in code, bodies from templates.

Headers are never rendered by Jinja: ``EmailMessage`` with the default
policy refuses CR/LF in header values, which rules out header injection from
a subject or a name a reader typed.  Pure: the caller passes the time and
the random part of the Message-ID.
"""

from __future__ import annotations

import email.policy
import email.utils
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage

# SMTPUTF8-free wire format with CRLF line ends, as SMTP wants it
WIRE_POLICY = email.policy.SMTP


@dataclass(frozen=True, slots=True, kw_only=True)
class Outgoing:
    """Everything needed to build one automatic message from the desk."""

    from_name: str
    from_address: str
    to_name: str
    to_address: str
    reply_to: str
    subject: str
    text: str
    html: str
    message_id: str  # without angle brackets
    references: Sequence[str] = ()
    in_reply_to: str = ""
    letter_ref: str = ""
    # RFC 3834 §5: "auto-generated" for mail we start, "auto-replied" for answers to a message
    auto_submitted: str = "auto-generated"


def make_message_id(purpose: str, letter_id: int, token: str, domain: str) -> str:
    """Return our Message-ID shape: ``intake.<purpose>.<letter>.<token>@<domain>``."""
    return f"intake.{purpose}.{letter_id}.{token}@{domain}"


def _mailbox(name: str, address: str) -> HeaderAddress:
    local, _, domain = address.partition("@")
    return HeaderAddress(display_name=name, username=local, domain=domain)


def compose(out: Outgoing, *, now: datetime) -> EmailMessage:
    """Build the message: text with an HTML alternative, loop-safe headers."""
    msg = EmailMessage(policy=email.policy.default)
    msg["From"] = _mailbox(out.from_name, out.from_address)
    msg["To"] = _mailbox(out.to_name, out.to_address)
    msg["Reply-To"] = out.reply_to
    msg["Subject"] = out.subject
    msg["Date"] = email.utils.format_datetime(now)
    msg["Message-ID"] = f"<{out.message_id}>"
    if out.in_reply_to:
        msg["In-Reply-To"] = f"<{out.in_reply_to}>"
    if out.references:
        msg["References"] = " ".join(f"<{r}>" for r in out.references)
    # RFC 3834 §5: automatic mail says so, and asks auto-responders to stay quiet
    msg["Auto-Submitted"] = out.auto_submitted
    msg["X-Auto-Response-Suppress"] = "All"
    if out.letter_ref:
        msg["X-Intake-Letter"] = out.letter_ref
    msg.set_content(out.text)
    if out.html:
        msg.add_alternative(out.html, subtype="html")
    return msg


def to_wire(msg: EmailMessage) -> bytes:
    """Serialise *msg* as it goes over SMTP (CRLF line ends)."""
    return msg.as_bytes(policy=WIRE_POLICY)
