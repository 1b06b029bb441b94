"""What a bounce says: which recipients failed, with what status, and which of our mails it was.

Owns reading a delivery failure report, in the three shapes mail servers send:

1. an RFC 3464 delivery status notification (``multipart/report`` with a
   ``message/delivery-status`` part: ``Final-Recipient``, ``Action``,
   ``Status``, ``Diagnostic-Code`` per recipient);
2. Exim's ``X-Failed-Recipients`` header, with the reason in the text;
3. a plain-text notice (qmail, old Exchange, Yahoo, Sendmail transcripts …),
   read from the notice only, never from the copy of the returned message.

It also finds our own outbound Message-IDs anywhere in the report (the
returned headers, an ``In-Reply-To``): ``intake.<purpose>.<letter>.<token>@<domain>``.
Pure: the caller passes the raw bytes; parsing them in memory is the only work.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.message import Message

_ADDRESS = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
_ADDRESS_RE = re.compile(_ADDRESS)
_OUR_ID_RE = re.compile(
    r"intake\.[a-z][a-z0-9_-]*\.\d+\.[a-z0-9]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+", re.IGNORECASE
)
# RFC 3463 enhanced status codes; the look-arounds keep IP addresses out.
_ENHANCED_RE = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)")
_SMTP_CODE_RE = re.compile(r"(?<![\d.#])([45][0-5]\d)(?:[ -]|$)", re.MULTILINE)

# Where the notice ends and the returned message begins, in the wordings of
# qmail, Exim, Postfix, Sendmail, Yahoo and Exchange.
_COPY_START_RE = re.compile(
    r"^[ \t]*-*[ \t]*(?:below\s+this\s+line\s+is\s+a\s+copy|this\s+is\s+a\s+copy\s+of\s+the\s+"
    r"message|original\s+message\s+follows|-+\s*original\s+message\s*-+|unsent\s+message\s+below|"
    r"copy\s+of\s+(?:the\s+)?(?:original|returned)\s+message|returned\s+message\s+follows|"
    r"undelivered\s+message\s+headers?\s+follows?|the\s+original\s+message\s+(?:headers\s+)?"
    r"(?:is|are|was|were)\s+(?:attached|included|as\s+follows))",
    re.IGNORECASE | re.MULTILINE,
)
_HEADER_BLOCK_RE = re.compile(
    r"^(?:Return-Path|Received|Message-ID|From|Date):[ \t]", re.IGNORECASE | re.MULTILINE
)

# Lines in a notice that name a failed recipient, most specific first.
_RECIPIENT_LINE_RES = (
    # qmail and Postfix: "<user@host>:" opening a line.
    re.compile(rf"^[ \t]*<({_ADDRESS})>[ \t]*:", re.MULTILINE),
    # Old Exchange X.400 notices: "…dda:SMTP=user@host;".
    re.compile(rf"\bSMTP=({_ADDRESS})", re.IGNORECASE),
    # An address alone on its line (Exim, Exchange, Sendmail's "… User unknown").
    re.compile(rf"^[ \t]*<?({_ADDRESS})>?[ \t]*(?::|\.\.\.[^\n]*)?[ \t]*$", re.MULTILINE),
    # "could not be delivered to user@host", "Your message to user@host couldn't …".
    re.compile(
        rf"\b(?:deliver(?:ed|y)?|message|mail)\s+to\s+<?({_ADDRESS})>?(?!\s*\(?(?:with|from))",
        re.IGNORECASE,
    ),
    re.compile(rf"\bRCPT\s+TO:?\s*<({_ADDRESS})>", re.IGNORECASE),
    re.compile(rf"\brecipients?(?:\s+address)?:?\s*<({_ADDRESS})>", re.IGNORECASE),
    # "User mailbox exceeds allowed size: user@host" (the reason, then the address).
    re.compile(
        rf"^(?![ \t]*(?:to|from|cc|sender|reply-to|return-path)[ \t]*:)[^\n:]{{3,80}}:[ \t]*"
        rf"<?({_ADDRESS})>?[ \t]*$",
        re.IGNORECASE | re.MULTILINE,
    ),
)
# How a notice without a DSN part says whether the server gave up or goes on.
_GAVE_UP_RE = re.compile(
    r"permanent\s+(?:error|failure)|(?:i'?ve|have)\s+given\s+up|not\s+going\s+to\s+try\s+again|"
    r"delivery\s+(?:has\s+)?failed|could\s+not\s+be\s+delivered|did\s+not\s+reach|"
    r"undeliverable|failed\s+permanently",
    re.IGNORECASE,
)
_STILL_TRYING_RE = re.compile(
    r"has\s+not\s+yet\s+been\s+delivered|not\s+yet\s+been\s+delivered|will\s+(?:continue|keep)\s+"
    r"trying|delivery\s+attempts\s+will\s+continue|still\s+(?:trying|awaiting\s+delivery)|"
    r"\bdelayed\b|temporar(?:y|ily)\s+(?:failure|error|unable)",
    re.IGNORECASE,
)
_NOT_A_RECIPIENT_LOCALS = frozenset({"mailer-daemon", "postmaster", "mailer_daemon"})


@dataclass(frozen=True, slots=True, kw_only=True)
class FailedRecipient:
    """One address the report says could not be reached (yet)."""

    address: str  # lower-cased
    status: str = ""  # RFC 3463 code ("5.1.1"), or an SMTP reply code ("550"), or ""
    action: str = ""  # the DSN Action: failed, delayed, …; "" when the report has none
    diagnostic: str = ""  # the server's words, one line

    @property
    def temporary(self) -> bool:
        """Whether the server still tries: a delay or a 4.x.x / 4xx status."""
        return self.action == "delayed" or self.status.startswith("4")

    def describe(self) -> str:
        """Return "user@host (5.1.1, failed: …)" for notes and notices."""
        detail = ", ".join(
            part
            for part in (self.status, self.action or ("delayed" if self.temporary else ""))
            if part
        )
        if self.diagnostic:
            detail = f"{detail}: {self.diagnostic[:120]}" if detail else self.diagnostic[:120]
        return f"{self.address} ({detail})" if detail else self.address


@dataclass(frozen=True, slots=True, kw_only=True)
class BounceDetails:
    """What one delivery failure report says."""

    recipients: tuple[FailedRecipient, ...] = ()
    our_message_ids: tuple[str, ...] = ()  # lower-cased, in order of appearance
    source: str = ""  # "dsn", "x-failed-recipients", "text", or "" when nothing was found

    @property
    def addresses(self) -> tuple[str, ...]:
        """The failed addresses, lower-cased, in report order."""
        return tuple(r.address for r in self.recipients)

    @property
    def temporary(self) -> bool:
        """Whether every failure is only a delay (the server goes on trying)."""
        return bool(self.recipients) and all(r.temporary for r in self.recipients)

    def describe(self) -> str:
        """Return a one-line account for the audit trail."""
        if not self.recipients:
            return "no failed recipient named in the report"
        return "; ".join(r.describe() for r in self.recipients)


def read_bounce(raw: bytes, own_domains: Iterable[str] = ()) -> BounceDetails:
    """Read the delivery failure report in *raw*.

    :param own_domains: the domains of our Message-IDs; empty accepts any domain.
    """
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    text = raw.decode("utf-8", "replace")
    ours = _our_ids(text + "\n" + "\n".join(_decoded_parts(msg)), own_domains)
    recipients = _from_dsn(msg)
    source = "dsn" if recipients else ""
    if not recipients:
        recipients = _from_failed_header(msg)
        source = "x-failed-recipients" if recipients else ""
    if not recipients:
        recipients = _from_notice(msg)
        source = "text" if recipients else ""
    return BounceDetails(recipients=tuple(recipients), our_message_ids=ours, source=source)


def _our_ids(text: str, own_domains: Iterable[str]) -> tuple[str, ...]:
    domains = {d.lower() for d in own_domains if d}
    found: dict[str, None] = {}
    for match in _OUR_ID_RE.finditer(text):
        ident = match.group(0).lower()
        if not domains or ident.rpartition("@")[2] in domains:
            found.setdefault(ident, None)
    return tuple(found)


def _payload_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, "replace")
    except LookupError:
        return payload.decode("latin-1", "replace")


def _decoded_parts(msg: Message) -> Iterator[str]:
    """Yield the decoded text of every leaf part: encoded copies hide our Message-ID."""
    for part in msg.walk():
        if not part.is_multipart():
            yield _payload_text(part)


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _strip_type(value: str) -> str:
    """``rfc822; user@host`` → ``user@host`` (the address-type prefix of RFC 3464)."""
    _, semi, rest = value.partition(";")
    return (rest if semi else value).strip().strip("<>").strip()


# -- 1. RFC 3464 delivery status --------------------------------------------------------

_DSN_FIELD_RE = re.compile(
    r"^(final-recipient|original-recipient|action|status|diagnostic-code)[ \t]*:[ \t]*"
    r"((?:.*)(?:\n[ \t]+.*)*)",
    re.IGNORECASE | re.MULTILINE,
)


def _status_blocks(msg: Message) -> Iterator[str]:
    found = False
    for part in msg.walk():
        if part.get_content_type() not in (
            "message/delivery-status",
            "message/global-delivery-status",
        ):
            continue
        found = True
        payload = part.get_payload()
        if isinstance(payload, list):
            # The stdlib parses each block of fields as a header-only Message.
            for block in payload:
                if isinstance(block, Message):
                    yield "".join(f"{k}: {v}\n" for k, v in block.items())
        else:
            text = _payload_text(part) or str(payload)
            yield from re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n"))
    if not found and not msg.is_multipart():
        # A report whose MIME structure is broken (a multipart/report without a
        # boundary, say) still carries its fields as text, before the returned copy.
        body = str(msg.get_payload()).replace("\r\n", "\n")
        copy = _RETURNED_PART_RE.search(body)
        yield from re.split(r"\n[ \t]*\n", body[: copy.start()] if copy else body)


_RETURNED_PART_RE = re.compile(
    r"^content-type:[ \t]*(?:message/rfc822|text/rfc822-headers)", re.IGNORECASE | re.MULTILINE
)


def _from_dsn(msg: Message) -> list[FailedRecipient]:
    found: dict[str, FailedRecipient] = {}
    for block in _status_blocks(msg):
        fields: dict[str, str] = {}
        for name, value in _DSN_FIELD_RE.findall(block):
            fields.setdefault(name.lower(), _one_line(value))
        # "Final-Recipient: rfc822;user@local-daemon" (no dot) happens: then the original.
        address = next(
            (
                hit
                for name in ("final-recipient", "original-recipient")
                if (hit := _ADDRESS_RE.search(_strip_type(fields.get(name, "")))) is not None
            ),
            None,
        )
        if address is None:
            continue
        action = fields.get("action", "").lower().split()[0] if fields.get("action") else ""
        if action in ("delivered", "relayed", "expanded"):
            continue  # a success report names recipients that did get the mail
        status_match = _ENHANCED_RE.search(fields.get("status", ""))
        diagnostic = _strip_type(fields.get("diagnostic-code", ""))
        status = status_match.group(0) if status_match else _status_in(diagnostic)
        key = address.group(0).lower()
        found.setdefault(
            key, FailedRecipient(address=key, status=status, action=action, diagnostic=diagnostic)
        )
    return list(found.values())


# -- 2. X-Failed-Recipients (Exim) --------------------------------------------------------


def _from_failed_header(msg: Message) -> list[FailedRecipient]:
    values = msg.get_all("X-Failed-Recipients") or []
    addresses = dict.fromkeys(a.lower() for v in values for a in _ADDRESS_RE.findall(str(v)))
    if not addresses:
        return []
    return _described(_notice_text(msg), addresses)


# -- 3. plain-text notices ------------------------------------------------------------------


def _notice_text(msg: Message) -> str:
    """Return the report's own words: its text parts, cut where the returned copy starts."""
    texts = (_cut_copy(_payload_text(part).replace("\r\n", "\n")) for part in _notice_parts(msg))
    return "\n\n".join(texts)


def _notice_parts(msg: Message) -> Iterator[Message]:
    if not msg.is_multipart():
        if msg.get_content_maintype() == "text":
            yield msg
        return
    for part in msg.get_payload():
        if not isinstance(part, Message):
            continue
        kind = part.get_content_type()
        # A returned message or its headers is the reader's mail, not the report.
        if kind.startswith("message/") or kind == "text/rfc822-headers":
            continue
        if part.is_multipart():
            yield from _notice_parts(part)
        elif kind == "text/plain":
            yield part


def _cut_copy(text: str) -> str:
    found = _COPY_START_RE.search(text)
    if found:
        text = text[: found.start()]
    # A copy pasted without a separator starts with a block of headers.
    block = _HEADER_BLOCK_RE.search(text)
    return text[: block.start()] if block else text


def _from_notice(msg: Message) -> list[FailedRecipient]:
    notice = _notice_text(msg)
    if not notice.strip():
        return []
    ignore = _bounce_parties(msg)
    found: dict[str, int] = {}
    for pattern in _RECIPIENT_LINE_RES:
        for match in pattern.finditer(notice):
            address = match.group(1).lower().rstrip(".")
            if address in ignore or address.partition("@")[0] in _NOT_A_RECIPIENT_LOCALS:
                continue
            found.setdefault(address, match.start())
    return _described(notice, sorted(found, key=found.__getitem__))


def _described(notice: str, addresses: Iterable[str]) -> list[FailedRecipient]:
    """The failed *addresses* with the status and diagnostic the notice gives near each."""
    action = _notice_action(notice)
    return [
        FailedRecipient(
            address=a,
            status=_status_near(notice, a),
            action=action,
            diagnostic=_diagnostic_near(notice, a),
        )
        for a in addresses
    ]


def _notice_action(notice: str) -> str:
    """Return "failed" or "delayed" as the notice's wording says, or "" when it does not say."""
    if _GAVE_UP_RE.search(notice):
        return "failed"
    return "delayed" if _STILL_TRYING_RE.search(notice) else ""


def _bounce_parties(msg: Message) -> frozenset[str]:
    """The report's own sender and recipients: never the failed address."""
    values = [str(v) for name in ("From", "To", "Cc", "Sender") for v in msg.get_all(name) or []]
    return frozenset(a.lower() for v in values for a in _ADDRESS_RE.findall(v))


def _status_in(text: str) -> str:
    enhanced = _ENHANCED_RE.search(text)
    if enhanced:
        return enhanced.group(0)
    code = _SMTP_CODE_RE.search(text)
    return code.group(1) if code else ""


def _status_near(notice: str, address: str) -> str:
    """Return the status code after the first mention of *address*, else the notice's first."""
    at = notice.lower().find(address)
    if at >= 0:
        near = _status_in(notice[at : at + 400])
        if near:
            return near
    return _status_in(notice)


_DIAGNOSTIC_RE = re.compile(
    r"(?:user\s+unknown|unknown\s+user|no\s+such\s+(?:user|mailbox|recipient)|"
    r"mailbox\s+(?:is\s+)?(?:full|unavailable|disabled)|over\s+quota|quota\s+exceeded|"
    r"(?:recipient|address)\s+(?:name\s+is\s+)?(?:not\s+(?:found|recognized)|rejected)|"
    r"couldn'?t\s+be\s+found|relaying\s+denied|message\s+too\s+large|delayed|"
    r"retry\s+timeout\s+exceeded|unable\s+to\s+deliver|can'?t\s+connect|"
    r"illegal\s+user|not\s+(?:able\s+to\s+)?establish\s+an?\s+smtp\s+connection)[^\n]{0,80}",
    re.IGNORECASE,
)


def _diagnostic_near(notice: str, address: str) -> str:
    at = max(notice.lower().find(address), 0)
    found = _DIAGNOSTIC_RE.search(notice, at) or _DIAGNOSTIC_RE.search(notice)
    return _one_line(found.group(0)) if found else ""
