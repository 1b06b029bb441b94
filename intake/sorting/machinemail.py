"""Signs that a message was sent by a machine: delivery reports, autoresponders, lists, spam.

Owns the header checklist of ``ANCHORS.md`` §8 and the few body cues that go with it.  Each
``*_hits`` function returns ``(confidence, reason)`` pairs, one per sign found, and an empty
list when there is none; the order in which they are consulted, and what wins, is
:mod:`intake.sorting.classify`'s business.  Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from intake.domain.model import ParsedMail
from intake.mail.replytext import extract_reply, extract_reply_from_text
from intake.sorting.letterscore import word_count
from intake.sorting.owntext import own_text

Hit = tuple[float, str]
"""A sign found: how sure it makes us (0..1) and a sentence for the editors."""


class _Marks(dict[int, int | None]):
    """A :meth:`str.translate` table dropping combining marks (what NFKD splits off)."""

    def __missing__(self, code: int) -> int | None:  # each character looked up once
        self[code] = None if unicodedata.combining(chr(code)) else code
        return self[code]


_MARKS = _Marks()


def fold(text: str) -> str:
    """Lower-case *text* and drop accents, so "Réponse" matches "reponse"."""
    if text.isascii():  # the common case
        return text.lower()
    return unicodedata.normalize("NFKD", text).translate(_MARKS).lower()


@dataclass(frozen=True, slots=True, kw_only=True)
class MailFacts:
    """What several checks look at, worked out once per message."""

    mail: ParsedMail
    sender: str  # lower-cased address, or "" when there is no From
    sender_local: str
    subject: str  # accent-folded, lower-cased
    head_text: str  # the start of the body: where notices say what they are
    mine: str  # the body without quoted lines or a forwarded tail (a quick cut; see own_words)

    @classmethod
    def of(cls, mail: ParsedMail) -> MailFacts:
        """Return the facts of *mail*."""
        sender = mail.sender.email if mail.sender else ""
        return cls(
            mail=mail,
            sender=sender,
            sender_local=sender.partition("@")[0],
            subject=fold(mail.subject),
            head_text=mail.text[:4000],
            mine=own_text(mail.text),
        )

    def header(self, name: str) -> str:
        """Return the first value of header *name*, stripped."""
        return self.mail.header(name).strip()

    def has(self, name: str) -> bool:
        """Return whether the message carries header *name* (lower-case)."""
        return name in self.mail.headers


def own_words(mail: ParsedMail) -> str:
    """Return what the sender of *mail* wrote: quotes and forwarded mail cut, in text or HTML.

    Bulk signs (a newsletter's unsubscribe footer) count only here: a reader
    answering or forwarding a newsletter quotes its footer, and stays a person.
    The reply extractor finds the quote (``>`` lines, attributions, header
    blocks, forward separators); the HTML is read for its quote containers
    only when there is no text part and it has one (parsing a large
    newsletter's HTML twice costs more than the rest of sorting it).  A
    message in which nothing new is found is read whole.
    """
    text = own_text(mail.text)
    if mail.text_from_html and _HTML_QUOTE_HINT_RE.search(mail.html):
        new = extract_reply(mail, strip_signature=False).text
    else:
        new = extract_reply_from_text(mail.text, strip_signature=False).text
    return new if len(new) < len(text) else text


# the containers intake.mail.htmltext reads as a quoted message
_HTML_QUOTE_HINT_RE = re.compile(
    r"<blockquote|gmail_quote|divrplyfwdmsg|appendonsend|moz-cite-prefix|yahoo_quoted"
    r"|protonmail_quote|zwchr|border-top:\s*solid",
    re.IGNORECASE,
)


def _null_return_path(facts: MailFacts) -> bool:
    # RFC 5321 §4.5.5: notifications go out with a null reverse-path, which the
    # delivering server records as "Return-Path: <>".  People's mail never does.
    return facts.has("return-path") and facts.header("return-path") in ("<>", "")


# -- challenge-response ------------------------------------------------------------

# A challenge asks the sender to prove they are a person before the mail is let through.  It
# often comes dressed as a delivery report (Boxbe, hosted whitelists), but the mailbox exists.
_CHALLENGE_RE = re.compile(
    r"\b(?:yourself|your\s+(?:e-?mail\s+)?address)\b.{0,40}?\bto\s+(?:my|the\s+recipient'?s|our|the)"
    r"(?:\s+\w+)?\s+(?:allowed|approved|guest|safe|white)[\s-]?(?:list|senders)\b|"
    r"\b(?:listed|added)\s+(?:on|to)\s+(?:my|the|our)(?:\s+\w+)?\s+(?:allowed|approved|guest|safe|white)"
    r"[\s-]?list\b|\bnot\s+pre-?approved\b|\bhas\s+been\s+wait-?listed\b|"
    r"\brequires?\s+confirmation\b.{0,120}?\bwhite-?list|"
    r"\bverify\s+(?:that\s+)?you\s+are\s+(?:a\s+)?(?:human|real\s+person|not\s+a\s+(?:robot|spammer))\b|"
    r"\b(?:account|mailbox|inbox)\s+is\s+protected\s+by\b.{0,200}?\b(?:click|verif|confirm)",
    re.IGNORECASE | re.DOTALL,
)


def challenge_hits(facts: MailFacts) -> list[Hit]:
    """Find a challenge-response request (a mail filter asking us to confirm)."""
    if _CHALLENGE_RE.search(facts.head_text) or _CHALLENGE_RE.search(facts.subject):
        return [
            (0.8, "challenge-response: the recipient's mail filter asks us to confirm the sender")
        ]
    return []


# -- bounces -----------------------------------------------------------------------

_DAEMON_LOCALS = frozenset(
    {"mailer-daemon", "mailer_daemon", "mailerdaemon", "postmaster", "mdaemon"}
)
_FAILURE_SUBJECT_RE = re.compile(
    r"undeliver|delivery\s+(?:status\s+notification|failure|notification|has\s+failed|problem|"
    r"report|error)|delivery\s+failed|returned\s+(?:mail|to\s+sender)|failure\s+(?:notice|"
    r"delivery)|could\s+not\s+(?:be\s+delivered|send)|non-?delivery|not\s+delivered|"
    r"\bdelayed\b|mail\s+system\s+error|unzustellbar|nicht\s+zustellbar|non\s+remis|"
    r"non\s+recapitabile|no\s+se\s+puede\s+entregar|onbestelbaar|niedostarczon"
)
_FAILURE_BODY_RE = re.compile(
    r"could\s*n[o']?t\s+be\s+delivered|was\s+not\s+delivered|undeliverable|"
    r"delivery\s+(?:to\s+the\s+following\s+recipients?\s+)?(?:has\s+)?failed|"
    r"permanent(?:ly)?\s+(?:error|fatal)|user\s+unknown|unknown\s+user|"
    r"no\s+such\s+(?:user|mailbox|recipient)|mailbox\s+(?:is\s+)?(?:full|unavailable)|"
    r"over\s+quota|exceed\w*\s+(?:its\s+|the\s+|their\s+)?(?:mailbox\s+)?(?:storage\s+)?quota|"
    r"was\s+rejected|returned\s+to\s+sender"
)


def is_delivery_report(mail: ParsedMail) -> bool:
    """Return whether *mail* is an RFC 3464 (or RFC 6533) delivery status notification."""
    if {"message/delivery-status", "message/global-delivery-status"} & set(mail.part_types):
        return True
    content_type = mail.header("content-type").lower()
    return mail.content_type == "multipart/report" and "delivery-status" in content_type


def machine_headers(mail: ParsedMail) -> bool:
    """Whether *mail*'s headers name a machine sender the body may confirm: a mailer
    daemon, a null Return-Path or a report (read on headers alone, to choose a cheap read)."""
    local = mail.sender.email.partition("@")[0] if mail.sender else ""
    return (
        local in _DAEMON_LOCALS
        or mail.content_type == "multipart/report"
        or ("return-path" in mail.headers and mail.header("return-path").strip() in ("<>", ""))
    )


def bounce_hits(facts: MailFacts) -> list[Hit]:
    """Find the signs of a delivery failure report."""
    hits: list[Hit] = []
    if is_delivery_report(facts.mail):
        hits.append((0.99, "delivery status notification (multipart/report, RFC 3464)"))
    if facts.has("x-failed-recipients"):
        hits.append((0.97, f"X-Failed-Recipients: {facts.header('x-failed-recipients')[:60]}"))
    failed_subject = bool(_FAILURE_SUBJECT_RE.search(facts.subject))
    failed_body = bool(_FAILURE_BODY_RE.search(fold(facts.head_text)))
    if facts.sender_local in _DAEMON_LOCALS:
        if failed_subject:
            hits.append((0.95, f"sent by {facts.sender_local} with a delivery-failure subject"))
        elif failed_body:
            hits.append((0.9, f"sent by {facts.sender_local} and says delivery failed"))
    if _null_return_path(facts) and (failed_subject or failed_body):
        hits.append((0.9, "null Return-Path (<>) and delivery-failure wording"))
    return hits


# -- auto-replies --------------------------------------------------------------------

_AUTO_HEADERS = (
    "x-autoreply",
    "x-autorespond",
    "x-autoresponse",
    "x-autoreply-from",
    "x-mail-autoreply",
    "x-auto-reply",
)
# Out-of-office subjects as the common clients write them, accents folded
# (Discourse's list, widened).  "Auto:" is Lotus Notes' prefix.
_OOO_SUBJECT_RE = re.compile(
    r"\bout\s+of\s+(?:the\s+)?office\b|\bautomatic\s+(?:reply|response)\b|\bauto[\s-]?reply\b|"
    r"\bauto[\s-]?respon(?:se|der)\b|^\W*auto\s*:|^\W*(?:vacation|absence|away)\s*:|"
    r"^\W*(?:i\s+am\s+|i'm\s+)?(?:currently\s+)?on\s+(?:vacation|holiday|annual\s+leave|leave)\b|"
    r"\bon\s+(?:vacation|holiday|leave)\s+(?:until|till)\b|"
    r"\bvacation\s+(?:reply|notice|message)\b|"
    r"\baway\s+from\s+(?:the|my)\s+(?:office|desk)\b|"
    r"\babwesenheitsnotiz\b|\bautomatische\s+antwort\b|\bau(?:ss|ß)er\s+(?:haus|dienst|buro)\b|"
    r"\breponse\s+automatique\b|\babsente?\s+du\s+bureau\b|\bmessage\s+d'absence\b|"
    r"\brespuesta\s+automatica\b|\bfuera\s+de\s+(?:la\s+)?oficina\b|"
    r"\brisposta\s+automatica\b|\bfuori\s+(?:sede|ufficio)\b|\brisposta\s+non\s+al\s+computer\b|"
    r"\bautomatisch\s+antwoord\b|^\W*afwezig(?:heid)?\b|"
    r"\bodpowiedz\s+automatyczna\b|\bautomatyczna\s+odpowiedz\b|"
    r"\bresposta\s+automatica\b|\bautosvar\b|\bautomatisk\s+svar\b|^\W*franvaro\b|"
    r"\bautomaattinen\s+vastaus\b"
)
_ACK_SUBJECT_RE = re.compile(
    r"^\W*(?:thank\s+you|thanks)\s+for\s+(?:your\s+)?(?:e-?mail|message|enquiry|inquiry|"
    r"contacting|writing)|\b(?:we|i)\s+(?:have\s+)?received\s+your\b|^\W*message\s+received\b|"
    r"\bauto(?:matic)?[\s-]?acknowledge?ment\b"
)


def auto_reply_hits(facts: MailFacts) -> list[Hit]:
    """Find the signs of an autoresponder (RFC 3834) or an out-of-office reply."""
    hits: list[Hit] = []
    auto_submitted = facts.header("auto-submitted")
    if auto_submitted and auto_submitted.lower().split("(")[0].strip() != "no":
        hits.append((0.98, f"Auto-Submitted: {auto_submitted[:40]} (RFC 3834)"))
    hits.extend(
        (0.95, f"{name.title()} header (autoresponder)")
        for name in _AUTO_HEADERS
        if facts.has(name) and facts.header(name).lower() not in ("no", "false", "0")
    )
    precedence = facts.header("precedence").lower()
    if precedence == "auto_reply":
        hits.append((0.95, "Precedence: auto_reply"))
    if facts.header("x-autogenerated").lower() == "reply":
        hits.append((0.95, "X-Autogenerated: Reply"))
    # Exchange sets X-Auto-Response-Suppress on ordinary mail too; only with the
    # inbox-rules loop header is it the mark of an out-of-office rule.
    if facts.has("x-ms-exchange-inbox-rules-loop") and facts.has("x-auto-response-suppress"):
        hits.append((0.93, "Exchange inbox-rule reply (X-MS-Exchange-Inbox-Rules-Loop)"))
    if facts.header("x-fc-machinegenerated").lower() == "true":
        hits.append((0.93, "X-FC-MachineGenerated: true"))
    if _OOO_SUBJECT_RE.search(facts.subject):
        hits.append((0.85, f"out-of-office subject: '{facts.mail.subject[:60]}'"))
    if "message/disposition-notification" in facts.mail.part_types:
        hits.append((0.9, "read receipt (disposition notification, RFC 8098)"))
    if not hits and _null_return_path(facts):
        if _ACK_SUBJECT_RE.search(facts.subject) or precedence in ("bulk", "junk", "list"):
            hits.append((0.8, "null Return-Path (<>) on an acknowledgement"))
        else:
            hits.append((0.7, "null Return-Path (<>): sent by a machine, not a delivery failure"))
    return hits


# -- spam verdicts of the servers on the way --------------------------------------------

_GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X"


def spam_verdict_hits(facts: MailFacts) -> list[Hit]:
    """Find a spam verdict left by a filter on the way (SpamAssassin, SES) or GTUBE."""
    hits: list[Hit] = []
    if facts.header("x-spam-flag").lower().startswith("yes"):
        hits.append((0.95, "X-Spam-Flag: YES"))
    if facts.header("x-spam-status").lower().startswith("yes"):
        hits.append((0.95, "X-Spam-Status: Yes"))
    if facts.header("x-spam").lower() in ("yes", "true"):
        hits.append((0.9, "X-Spam: yes"))
    if facts.header("x-ses-spam-verdict").upper() == "FAIL":
        hits.append((0.93, "X-SES-Spam-Verdict: FAIL"))
    if _GTUBE in facts.mail.text or _GTUBE in facts.mail.html:
        hits.append((0.99, "contains the GTUBE spam test string"))
    return hits


# -- bulk mail -------------------------------------------------------------------------

_LIST_HEADERS = ("list-id", "list-unsubscribe", "list-post", "x-beenthere", "x-mailman-version")
_ESP_HEADER_PREFIXES = (
    "x-campaign",
    "x-mailchimp",
    "x-mc-user",
    "x-mandrill",
    "x-sg-eid",
    "x-msys-api",
    "x-csa-complaints",
    "x-report-abuse",
)
_NOREPLY_RE = re.compile(r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|dont[-_.]?reply)\b")
_NEWSLETTER_LOCAL_RE = re.compile(
    r"^(?:e?news(?:letters?)?|announce(?:ments?)?|marketing|promo(?:tions?)?|offers|deals|"
    r"notifications?|notify|alerts?|digest|bulletin|mailer|mailings?|campaigns?|updates)$"
)
# The envelope sender of list servers: Majordomo and LISTSERV "owner-list",
# Mailman "list-bounces" (and "list-admin" before Mailman 2.1).
_LIST_ENVELOPE_RE = re.compile(r"^(?:owner-.+|.+-(?:owner|bounces|request|admin))@")
# VERP-style envelopes ("bounces@", "bounce-1234@", "x+bounces@"): mailing services use them,
# but so do some providers for their own users' mail: they count on another domain than the From.
_VERP_ENVELOPE_RE = re.compile(r"^(?:bounces?(?:[-+.=_].+)?|.+[+=-]bounces?(?:[-+=.].*)?)@")
# The footers bulk senders must carry, in a few languages, accents folded.
# Only conditional or second-person forms: "please remove me" is a reader.
_FOOTER_RE = re.compile(
    r"\b(?:click\s+here\s+to|to|or)\s+unsubscribe\b|\bunsubscribe\s+(?:here|from\s+(?:this|our|the))\b|"
    r"\byou\s+(?:are\s+receiving|received|have\s+received|receive)\s+this\s+(?:e-?mail|message|"
    r"newsletter)\s+because\b|\bif\s+you\s+(?:no\s+longer\s+)?wish\s+to\s+(?:be\s+removed|"
    r"unsubscribe|stop\s+receiving|receive)|\bif\s+you\s+(?:would\s+)?(?:prefer\s+)?not\s+to\s+"
    r"receive\b|\bmanage\s+(?:your\s+)?(?:e-?mail\s+)?(?:preferences|subscriptions?)\b|"
    r"\bview\s+(?:it|this\s+(?:e-?mail|message|newsletter))\s+(?:in|on)\s+(?:your|a)\s+(?:web\s+)?browser\b|"
    r"\bcan'?t\s+(?:read|see|view)\s+this\s+e-?mail\b|\b(?:please\s+)?do\s+not\s+reply\s+to\s+"
    r"this\s+(?:e-?mail|message)\b|"
    r"\bnon\s+desideri\s+piu\s+ricevere\b|\bdisiscriviti\b|\bper\s+cancellarti\b|"
    r"\bse\s+desabonner\b|\bse\s+desinscrire\b|\bne\s+plus\s+recevoir\b|"
    r"\bnewsletter\s+abbestellen\b|\bnicht\s+mehr\s+erhalten\b|\babmelden\b|"
    r"\bdar(?:se|te)\s+de\s+baja\b|\bno\s+desea\s+recibir\b|\bdescadastr|\bnao\s+deseja\s+receber\b|"
    r"\bafmelden\b|\buitschrijven\b"
)


def machine_sender(address: str) -> bool:
    """Whether *address* is a robot's by its name: no-reply, a newsletter or notice sender."""
    local = address.partition("@")[0].lower()
    return bool(_NOREPLY_RE.match(local) or _NEWSLETTER_LOCAL_RE.match(local))


def _same_site(address: str, other: str) -> bool:
    """Return whether two addresses share a domain (one may be a subdomain of the other)."""
    one, two = address.rpartition("@")[2], other.rpartition("@")[2]
    return bool(one and two) and (one == two or one.endswith("." + two) or two.endswith("." + one))


def bulk_hits(facts: MailFacts) -> list[Hit]:
    """Find the signs of list mail, newsletters and no-reply notifications."""
    mail = facts.mail
    hits = [
        (0.95, f"{name.title()} header (mailing list)") for name in _LIST_HEADERS if facts.has(name)
    ]
    precedence = facts.header("precedence").lower()
    if precedence in ("bulk", "list", "junk"):
        hits.append((0.93, f"Precedence: {precedence}"))
    esp = sorted({n for n in mail.headers for p in _ESP_HEADER_PREFIXES if n.startswith(p)})
    if esp:
        hits.append((0.9, f"bulk-mailing service headers ({', '.join(esp)[:60]})"))
    # A web form may send from no-reply and put the reader in Reply-To.
    replies_elsewhere = any(not _NOREPLY_RE.match(a.email) for a in mail.reply_to)
    if _NOREPLY_RE.match(facts.sender_local) and not replies_elsewhere:
        hits.append((0.9, f"sent from a no-reply address ({facts.sender_local})"))
    envelope = facts.header("return-path").strip("<> ").lower()
    if _LIST_ENVELOPE_RE.match(envelope):
        hits.append((0.85, f"Return-Path of a list server ({envelope[:50]})"))
    elif _VERP_ENVELOPE_RE.match(envelope) and not _same_site(envelope, facts.sender):
        hits.append((0.85, f"Return-Path of a mailing service ({envelope[:50]})"))
    # A footer counts only in the sender's own words; the closer reading is done
    # only when a footer is there and nothing else says bulk (newsletters are large).
    footer = bool(_FOOTER_RE.search(fold(facts.mine)))
    if footer and not hits:
        footer = bool(_FOOTER_RE.search(fold(own_words(mail))))
    if footer:
        hits.append((0.85, "carries a newsletter footer (unsubscribe wording)"))
    if facts.mine.lstrip().startswith("<?xml"):
        hits.append((0.85, "the body is an XML document: a machine-made notification"))
    return hits


def weak_bulk_hits(facts: MailFacts) -> list[Hit]:
    """Find signs of mass mail that a letter can carry too: the content decides first."""
    hits: list[Hit] = []
    if _NOREPLY_RE.match(facts.sender_local):
        hits.append((0.7, f"sent from a no-reply address ({facts.sender_local})"))
    if _NEWSLETTER_LOCAL_RE.match(facts.sender_local):
        hits.append((0.7, f"sent from a newsletter-style address ({facts.sender_local}@…)"))
    # Amazon SES stamps these on every message, including WorkMail users' own.
    if any(n.startswith("x-ses-") or n == "feedback-id" for n in facts.mail.headers):
        hits.append((0.65, "sent through a bulk-mailing service (Feedback-ID / X-SES headers)"))
    if "undisclosed" in facts.header("to").lower():
        hits.append((0.65, "addressed to undisclosed recipients"))
    return hits


# -- spam heuristics ---------------------------------------------------------------------

_EXECUTABLE_RE = re.compile(
    r"\.(?:exe|scr|pif|com|bat|cmd|js|jse|vbs|vbe|wsf|hta|jar|msi|lnk|cpl|ps1)$"
    r"|\.(?:pdf|docx?|xlsx?|jpe?g|png|gif|txt)[_.\s]*\.(?:zip|rar|7z|gz|ace|exe|scr)$",
    re.IGNORECASE,
)
_ADDRESS_RE = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")


def spam_signal_hits(facts: MailFacts) -> list[Hit]:
    """Find cheap signs of spam: disguised executables, link-only bodies, spoofed names."""
    hits: list[Hit] = []
    for attachment in facts.mail.attachments:
        if _EXECUTABLE_RE.search(attachment.filename.strip()):
            hits.append((0.85, f"executable or disguised attachment '{attachment.filename[:40]}'"))
            break
    text = facts.mine.strip()
    if re.match(r"(?:https?://|www\.)", text) and word_count(text) <= 3:
        hits.append((0.75, "the body is only a link"))
    return hits


def weak_spam_hits(facts: MailFacts) -> list[Hit]:
    """Find signs of spoofing that a person's mail can carry too: the content decides first.

    "bank@example.com" <x@elsewhere.example>: the display name claims an address
    the message does not come from (same-domain variants are sloppy clients, not
    spoofing).  A reader whose client shows an old or forwarding address as their
    name writes that way too, so a letter's signs win over it.
    """
    domains = {d.lower() for d in _ADDRESS_RE.findall(facts.header("from"))}
    if len(domains) > 1:
        return [(0.8, "the From display name holds an address on another domain")]
    return []
