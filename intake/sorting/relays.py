"""Mail the paper relays for a reader: its web form, a shared inbox that forwards.

A relay sends from its own address (often a no-reply one) and names the real
writer in Reply-To or in labelled fields of the body ("Name:", "Email:",
"Town:", "Message:").  Owns :class:`RelaySenders` (which senders are relays)
and :func:`relayed`: the message as its writer sent it — From the writer,
the text the writer typed, signed with the name and town the form gave — so
that the letter, its acknowledgement and any question go to the writer, never
to the relay.

Which senders are relays: those configured (``[desk] relays``: addresses, or
``@domain`` for every address of a domain), and, without configuration, the
paper's own web form: a no-reply address on the desk's domain (or a
subdomain of it), not list mail, naming the writer in Reply-To or a field.

Pure: no I/O.  Field lines are read with anchored patterns over bounded
labels, at most the first 200 lines of a body: linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from intake.domain.model import Address, ParsedMail

_MAX_LINES = 200
_NOREPLY_RE = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|dont[-_.]?reply)\b", re.IGNORECASE
)
_ADDRESS_RE = re.compile(r"[\w.+'-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
# "Label: value" on one line; the label is a few words, at most 40 characters.
_FIELD_RE = re.compile(r"^[^\S\n]*([A-Za-zÀ-ÿ][\w /’'?()-]{0,39}?)[^\S\n]*[:：][^\S\n]*(.*)$")
_NAME_LABELS = frozenset(
    ["name", "full name", "your name", "sender", "from", "writer", "nombre", "nom", "nome"]
)
_EMAIL_LABELS = frozenset(
    ["email", "e-mail", "email address", "e-mail address", "your email", "your email address",
     "reply to", "correo", "courriel"]
)  # fmt: skip
_TOWN_LABELS = frozenset(
    ["town", "city", "city/town", "town/city", "place", "location", "neighbourhood",
     "neighborhood", "where do you live", "ciudad", "ville"]
)  # fmt: skip
_ARTICLE_LABELS = frozenset(
    ["article", "article title", "headline", "story", "responding to", "in response to",
     "which article are you responding to", "which article", "re"]
)  # fmt: skip
_MESSAGE_LABELS = frozenset(
    ["message", "your message", "letter", "your letter", "letter text", "comments",
     "comment", "body", "text", "mensaje", "carta", "lettre"]
)  # fmt: skip
# headers by which the relay marks its own mail as automatic: the writer's letter is not
_RELAY_MARKS = ("auto-submitted", "precedence", "x-auto-response-suppress", "list-")


_KNOWN_LABELS = _NAME_LABELS | _EMAIL_LABELS | _TOWN_LABELS | _ARTICLE_LABELS


@dataclass(frozen=True, slots=True)
class RelaySenders:
    """The senders that relay readers' mail: addresses, and ``@domain`` entries."""

    entries: tuple[str, ...] = ()

    def configured(self, sender: str) -> bool:
        """Whether *sender* (an address) is a configured relay."""
        sender = sender.lower()
        domain = sender.rpartition("@")[2]
        for entry in self.entries:
            entry = entry.lower()
            if entry == sender or (entry.startswith("@") and entry[1:] == domain):
                return True
        return False


@dataclass(frozen=True, slots=True, kw_only=True)
class Relayed:
    """A relayed message: as its writer sent it, and a sentence saying how it came."""

    mail: ParsedMail
    relay: str  # the relay's address
    note: str


@dataclass(frozen=True, slots=True)
class _Form:
    name: str
    email: str
    town: str
    article: str  # what the form says the letter answers
    message: str


def _label(raw: str) -> str:
    return " ".join(raw.lower().replace("?", " ").replace("(", " ").replace(")", " ").split())


def read_form(text: str) -> _Form:
    """The writer's name, address, town and message from a form's labelled fields.

    The message field runs from its label to the end of the body (its value
    may start on the label's line); without one, the message is what is not
    a field.  Empty fields are empty strings.
    """
    lines = text.splitlines()[:_MAX_LINES]
    fields: dict[str, str] = {}
    message: list[str] | None = None
    rest: list[str] = []
    for index, line in enumerate(lines):
        found = _FIELD_RE.match(line)
        label = _label(found.group(1)) if found else ""
        if found and label in _MESSAGE_LABELS:
            message = [found.group(2), *lines[index + 1 :]]
            break
        if found and label in _KNOWN_LABELS:
            fields.setdefault(label, found.group(2).strip())
        elif not found or not found.group(2).strip() or len(found.group(1).split()) > 6:
            rest.append(line)
    body = "\n".join(message if message is not None else rest).strip()

    def first(labels: frozenset[str]) -> str:
        return next((fields[label] for label in fields if label in labels and fields[label]), "")

    email = _ADDRESS_RE.search(first(_EMAIL_LABELS))
    return _Form(
        name=first(_NAME_LABELS)[:120],
        email=email.group(0).lower() if email else "",
        town=first(_TOWN_LABELS)[:80],
        article=first(_ARTICLE_LABELS)[:300],
        message=body,
    )


def _own_form(mail: ParsedMail, desk_address: str) -> bool:
    """The paper's own web form: a no-reply sender on the desk's domain or a subdomain,
    and no list mail (the paper's own newsletter comes from there too)."""
    sender = mail.sender.email if mail.sender else ""
    local, _, domain = sender.rpartition("@")
    desk_domain = desk_address.rpartition("@")[2].lower()
    on_desk = bool(desk_domain) and (domain == desk_domain or domain.endswith("." + desk_domain))
    listed = any(name.startswith("list-") for name in mail.headers)
    bulk = mail.header("precedence").strip().lower() in ("bulk", "list", "junk")
    return on_desk and bool(_NOREPLY_RE.match(local)) and not (listed or bulk)


def _writer(mail: ParsedMail, form: _Form, relay: str, desk_address: str) -> Address | None:
    """The real writer: Reply-To when it is a person's address, else the form's Email field."""
    ours = {relay, desk_address.lower()}
    for address in mail.reply_to:
        local = address.email.partition("@")[0]
        if address.email not in ours and not _NOREPLY_RE.match(local):
            return Address(name=address.name or form.name, email=address.email)
    if form.email and form.email not in ours:
        return Address(name=form.name, email=form.email)
    return None


def _signed(form: _Form, writer: Address) -> str:
    """The form's message, signed with its name and town as a letter is signed."""
    name = form.name or writer.name
    tail = form.message.rstrip().splitlines()[-3:]
    if not name or any(name.lower() in line.lower() for line in tail):
        return form.message
    return "\n".join([form.message.rstrip(), "", name, *([form.town] if form.town else [])])


def relayed(mail: ParsedMail, relays: RelaySenders, desk_address: str) -> Relayed | None:
    """Return *mail* as its writer sent it when a relay sent it for them, else ``None``."""
    if mail.sender is None:
        return None
    relay = mail.sender.email
    form = read_form(mail.text)
    configured = relays.configured(relay)
    if not configured and not _own_form(mail, desk_address):
        return None
    writer = _writer(mail, form, relay, desk_address)
    if writer is None:
        return None
    text = _signed(form, writer) if form.message else mail.text
    headers = {
        name: values
        for name, values in mail.headers.items()
        if not name.startswith(_RELAY_MARKS) and name not in ("from", "reply-to")
    }
    as_sent = replace(
        mail,
        sender=writer,
        reply_to=(),
        headers={**headers, "from": (str(writer),)},
        subject=f"{mail.subject} ({form.article})" if form.article else mail.subject,
        text=text,
        html="" if form.message else mail.html,
        text_from_html=False if form.message else mail.text_from_html,
    )
    how = "a configured relay" if configured else "the paper's web form"
    note = f"relayed by {how} ({relay}) for {writer}"
    return Relayed(mail=as_sent, relay=relay, note=note)
