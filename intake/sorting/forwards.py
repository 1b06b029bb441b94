"""Forwarded mail: the message inside a forward, and who forwarded it.

A reader forwards a letter they sent elsewhere by mistake; a friend forwards
the letter of someone without email.  Owns :func:`forwarded`, which finds the
first forward in a body as the common clients write it — Gmail's
"---------- Forwarded message ---------", Thunderbird's "-------- Forwarded
Message --------", Apple Mail's "Begin forwarded message:", Outlook's rule and
"From:/Sent:/To:/Subject:" block, "-----Original Message-----", in English,
Spanish, French, German and Portuguese — and returns the forwarder's note,
the forwarded message's From and Subject, and its text; and
:func:`attached`, the same for a message attached whole (``message/rfc822``).

Pure: no I/O.  Every pattern is anchored to a line and bounded; a body is
read line by line, at most its first 2,000 lines: linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from intake.domain.model import Address, ParsedMail
from intake.mail.parse import parse_addresses

_MAX_LINES = 2000
_HEADER_LINES = 12  # a forward's header block is a few lines
_I = re.IGNORECASE

_MARKER_RE = re.compile(
    r"^[^\S\n]*(?:-{2,}[^\S\n]*(?:forwarded[^\S\n]+message|original[^\S\n]+message|"
    r"mensaje[^\S\n]+(?:reenviado|original)|message[^\S\n]+(?:transf[ée]r[ée]|d'origine)|"
    r"weitergeleitete[^\S\n]+nachricht|urspr[üu]ngliche[^\S\n]+nachricht|"
    r"mensagem[^\S\n]+(?:encaminhada|original))[^\S\n]*-{2,}|"
    r"begin[^\S\n]+forwarded[^\S\n]+message[^\S\n]*:|inicio[^\S\n]+del[^\S\n]+mensaje[^\S\n]+"
    r"reenviado[^\S\n]*:|d[ée]but[^\S\n]+du[^\S\n]+message[^\S\n]+r[ée]exp[ée]di[ée][^\S\n]*:|"
    r"anfang[^\S\n]+der[^\S\n]+weitergeleiteten[^\S\n]+nachricht[^\S\n]*:|"
    r"in[íi]cio[^\S\n]+da[^\S\n]+mensagem[^\S\n]+reencaminhada[^\S\n]*:|_{10,})[^\S\n]*$",
    _I,
)
# the markers that say "forwarded" in so many words (a rule or "Original Message" may be a reply)
_FORWARD_WORDS_RE = re.compile(
    r"forward|reenviado|transf[ée]r[ée]|weitergeleitet|encaminhada|r[ée]exp[ée]di|reencaminhada", _I
)
_FROM_NAMES = frozenset(["from", "de", "von", "van", "da"])
_SUBJECT_NAMES = frozenset(["subject", "asunto", "objet", "betreff", "assunto", "onderwerp"])
_HEADER_NAMES = _FROM_NAMES | _SUBJECT_NAMES | frozenset(
    ["date", "sent", "to", "cc", "bcc", "reply-to", "fecha", "enviado", "para", "envoyé",
     "envoye", "à", "a", "datum", "gesendet", "an", "data", "enviada", "importance"]
)  # fmt: skip
_HEADER_RE = re.compile(r"^[^\S\n]*\**([A-Za-zÀ-ÿ-]{1,12})\**[^\S\n]*:[^\S\n]*(.*)$")
_MAILTO_RE = re.compile(r"\[mailto:([^\]\s]{1,200})\]", _I)


@dataclass(frozen=True, slots=True, kw_only=True)
class Forwarded:
    """A forward found in a body: the forwarder's own note and the message forwarded."""

    note: str  # what the forwarder wrote above the forward
    sender: Address | None  # the forwarded message's From, when it names an address
    sender_name: str  # its From as written (a name without an address, too)
    subject: str
    text: str  # the forwarded message's text
    says_forwarded: (
        bool  # the marker says "forwarded" (a rule or "Original Message" may be a reply)
    )


def _header(line: str) -> tuple[str, str] | None:
    found = _HEADER_RE.match(line)
    if found is None or found.group(1).lower() not in _HEADER_NAMES:
        return None
    return found.group(1).lower(), found.group(2).strip()


def _unquote(lines: list[str]) -> list[str]:
    """Forwarded lines without the ``>`` a client put before every one of them."""
    filled = [line for line in lines if line.strip()]
    if filled and all(line.lstrip().startswith(">") for line in filled):
        return [line.lstrip()[1:].removeprefix(" ") for line in lines]
    return lines


def _read_headers(lines: list[str], start: int) -> tuple[dict[str, str], int] | None:
    """The header block at *start* (blank lines before it skipped) and where its body starts."""
    index = start
    while index < len(lines) and not lines[index].strip() and index - start < 3:
        index += 1
    headers: dict[str, str] = {}
    while index < len(lines) and len(headers) < _HEADER_LINES:
        found = _header(lines[index])
        if found is None:
            break
        headers.setdefault(*found)
        index += 1
    if not (_FROM_NAMES & headers.keys()):
        return None
    return headers, index


def _sender(value: str) -> Address | None:
    found = parse_addresses([_MAILTO_RE.sub(r"<\1>", value)])
    return found[0] if found else None


def attached(mail: ParsedMail) -> Forwarded | None:
    """The first message attached whole (``message/rfc822``) as a forward, or ``None``.

    The parser puts its text in the body too, after the sender's note: the
    note is what precedes it.
    """
    if not mail.enclosed:
        return None
    inner = mail.enclosed[0]
    at = mail.text.find(inner.text[:200].strip()) if inner.text.strip() else -1
    note = mail.text[:at] if at >= 0 else mail.text
    return Forwarded(
        note=note.strip(),
        sender=inner.sender,
        sender_name=inner.sender.name if inner.sender else "",
        subject=inner.subject,
        text=inner.text.strip(),
        says_forwarded=True,
    )


def forwarded(text: str) -> Forwarded | None:
    """Return the first forward in *text*, or ``None`` when it forwards nothing.

    A forward is a marker line followed by a header block naming a From, or
    (Outlook without a rule) a From line followed within the block by a
    Sent or Date line and a Subject line.
    """
    lines = text.splitlines()[:_MAX_LINES]
    for index, line in enumerate(lines):
        if _MARKER_RE.match(line):
            read = _read_headers(_unquote(lines[index + 1 : index + 1 + _HEADER_LINES + 3]), 0)
            start = index + 1
            explicit = bool(_FORWARD_WORDS_RE.search(line))
        elif (found := _header(line)) is not None and found[0] in _FROM_NAMES:
            read = _read_headers(lines[index : index + _HEADER_LINES], 0)
            names = read[0].keys() if read else set()
            if not (names & {"sent", "date", "enviado", "gesendet", "envoyé", "envoye", "fecha"}):
                continue
            if not (names & _SUBJECT_NAMES):
                continue
            start, explicit = index, False
        else:
            continue
        if read is None:
            continue
        headers, offset = read
        body = _unquote(lines[start:])[offset:]
        sender_value = next((headers[n] for n in headers if n in _FROM_NAMES), "")
        return Forwarded(
            note="\n".join(lines[:index]).strip(),
            sender=_sender(sender_value),
            sender_name=_MAILTO_RE.sub("", sender_value).split("<")[0].strip().strip('"'),
            subject=next((headers[n] for n in headers if n in _SUBJECT_NAMES), ""),
            text="\n".join(body).strip(),
            says_forwarded=explicit,
        )
    return None
