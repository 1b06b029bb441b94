"""Outgoing messages: headers set in code, bodies from templates.

Headers are never rendered by Jinja, and every value put in one passes
:func:`intake.domain.controlchars.one_line` first: a subject, a name or a
Message-ID a reader or a catalogue supplied reaches no header with a line
break (no header injection), an ESC, a NUL or a bidi override.  The bodies
keep their newlines and tabs and lose every other control character.
Pure: the caller passes the time and the random part of the Message-ID.
"""

from __future__ import annotations

import email.policy
import email.utils
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage

from intake.domain.controlchars import multiline, one_line

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


def header_address(address: str) -> str:
    """*address* as a header or an SMTP envelope may carry it: no controls, no spaces."""
    return "".join(one_line(address).split())


def _message_id(value: str) -> str:
    # a msg-id is one token: whatever a reader put around or inside it goes
    return "".join(one_line(value).split()).strip("<>")


def _mailbox(name: str, address: str) -> HeaderAddress:
    local, _, domain = header_address(address).partition("@")
    return HeaderAddress(display_name=one_line(name).strip(), username=local, domain=domain)


def compose(out: Outgoing, *, now: datetime) -> EmailMessage:
    """Build the message: text with an HTML alternative, loop-safe headers."""
    msg = EmailMessage(policy=email.policy.default)
    msg["From"] = _mailbox(out.from_name, out.from_address)
    msg["To"] = _mailbox(out.to_name, out.to_address)
    msg["Reply-To"] = header_address(out.reply_to)
    msg["Subject"] = one_line(out.subject)
    msg["Date"] = email.utils.format_datetime(now)
    msg["Message-ID"] = f"<{_message_id(out.message_id)}>"
    in_reply_to = _message_id(out.in_reply_to)
    if in_reply_to:
        msg["In-Reply-To"] = f"<{in_reply_to}>"
    references = [ref for ref in map(_message_id, out.references) if ref]
    if references:
        msg["References"] = " ".join(f"<{ref}>" for ref in references)
    # RFC 3834 §5: automatic mail says so, and asks auto-responders to stay quiet
    msg["Auto-Submitted"] = one_line(out.auto_submitted)
    msg["X-Auto-Response-Suppress"] = "All"
    if out.letter_ref:
        msg["X-Intake-Letter"] = one_line(out.letter_ref)
    msg.set_content(multiline(out.text))
    if out.html:
        msg.add_alternative(multiline(out.html), subtype="html")
    return msg


def to_wire(msg: EmailMessage) -> bytes:
    """Serialise *msg* as it goes over SMTP (CRLF line ends)."""
    return msg.as_bytes(policy=WIRE_POLICY)
