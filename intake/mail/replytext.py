"""The new text of a reply: quotes, forwarded headers and signatures cut away.

Pure: no I/O.  :func:`extract_reply_from_text` classifies plain-text lines
(in the spirit of Discourse's email_reply_trimmer and GitHub's
email_reply_parser, written afresh): ``>`` quotes, "On … wrote:" lines in
many languages and wrapped over up to three lines, "-----Original
Message-----" style separators, Outlook's "From:/Sent:/To:/Subject:" blocks,
signature delimiters and "Sent from my …" footers.  Quoted lines between new
ones (interleaved answers) are cut one block at a time; a separator, a
header block, an attribution not followed by a quote, or a signature cuts
everything after it.  :func:`extract_reply` reads a message's HTML markers
first (:func:`intake.mail.htmltext.split_html_reply`), then applies the text rules.
"""

from __future__ import annotations

import re
from typing import Final

from intake.domain.model import ParsedMail, ReplyText
from intake.mail.closings import is_closing
from intake.mail.htmltext import html_to_text, split_html_reply


def _words(*chunks: str) -> frozenset[str]:
    return frozenset(" ".join(chunks).split())


_QUOTE_RE: Final = re.compile(r"^\s*>")
# A line only the HTML splitter writes, standing for a removed quote container.
_HTML_QUOTE_MARKER: Final = "> \ue000"

# --- "On … wrote:" -----------------------------------------------------------
_VERBS: Final = (
    r"wrote|writes|schrieb|a\s+écrit|escribió|escreveu|ha\s+scritto|scrisse|schreef"
    r"|het\s+volgende\s+geschreven|pisze|napisał(?:\(a\)|a)?|skrev|kirjoitti|írta|yazdı"
    r"|написал(?:\(а\)|а)?|пише|napsal(?:\(a\)|a)?|a\s+scris|έγραψε"
)
_VERB_RE: Final = re.compile(rf"(?<!\w)(?:{_VERBS})(?!\w)|写道|寫道|が書きました", re.IGNORECASE)
ENDS_WITH_VERB_RE: Final = re.compile(rf"(?:{_VERBS}|写道|寫道)\s*[:：]?$", re.IGNORECASE)
# "On 3 June I wrote:" introduces the author's own words, not a quote header.
_PRONOUN_VERB_RE: Final = re.compile(
    rf"(?<!\w)(?:i|we|you|he|she|they|ich|wir|er|sie|je|j'ai|nous|vous|yo|io|noi|ik|wij|jag|vi"
    rf"|jeg)\s+(?:have\s+|had\s+|hab(?:e)?\s+|ai\s+)?(?:{_VERBS})(?!\w)",
    re.IGNORECASE,
)
_OPENER_RE: Final = re.compile(
    r"^(?:on|am|le|el|il|op|em|den|dne|på|w\s+dniu|dana|στις|il\s+giorno|在|於)\s",
    re.IGNORECASE,
)
_WEEKDAY_RE: Final = re.compile(
    r"^(?:mon|tue|wed|thu|fri|sat|sun|понедельник|вторник|среда|четверг|пятница|суббота"
    r"|воскресенье|lun|mar|mer|jeu|ven|sam|dim|montag|dienstag|mittwoch|donnerstag|freitag"
    r"|samstag|sonntag)",
    re.IGNORECASE,
)
# The lookbehind starts a match only where an address can start: linear on hostile text.
_EMAIL_RE: Final = re.compile(r"(?<![\w.+'-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# "Jane Doe <jane@example.org> schrieb am …": a short name, then the address.
_NAME_THEN_EMAIL_RE: Final = re.compile(
    r"^[\"']?[^\s<>@,;:\"]+(?:[ .'-]+[^\s<>@,;:\"]+){0,4}[\"']?\s*[<(\[]?[\w.+'-]+@"
)
_ADDRESS_LAST_RE: Final = re.compile(
    r"@[\w-]+(?:\.[\w-]+)+[>)\]]*\s*(?:[^\W\d_]+(?:\([^\W\d_]{1,3}\))?\s*)?[:：]$"
)
_TIME_RE: Final = re.compile(r"\d{1,2}[:.h]\d{2}")
_YEAR_RE: Final = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# Gmail in some locales writes "2016-10-24 15:36 GMT+02:00 Jane <jane@x.org>:".
_NUMERIC_DATE_START_RE: Final = re.compile(
    r"^(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})"
)

# --- separators and header blocks ---------------------------------------------
_SEPARATOR_RES: Final = (
    re.compile(
        r"^\s*[-=_*]{2,}\s*(?:original\s+message|ursprüngliche\s+nachricht|message\s+d'origine"
        r"|messaggio\s+originale|mensaje\s+original|mensagem\s+original|oorspronkelijk\s+bericht"
        r"|originalmeddelande|oprindelig\s+meddelelse|opprinnelig\s+melding|alkuperäinen\s+viesti"
        r"|wiadomość\s+oryginalna|исходное\s+сообщение|původní\s+zpráva|eredeti\s+üzenet"
        r"|forwarded\s+message|weitergeleitete\s+nachricht|message\s+transféré"
        r"|mensaje\s+reenviado|messaggio\s+inoltrato|doorgestuurd\s+bericht|reply\s+message"
        r"|original)\s*[-=_*]{2,}\s*$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^\s*(?:begin\s+forwarded\s+message|anfang\s+der\s+weitergeleiteten\s+nachricht"
        r"|début\s+du\s+message\s+(?:réexpédié|transféré)|inicio\s+del\s+mensaje\s+reenviado"
        r"|início\s+da\s+mensagem\s+reencaminhada|inizio\s+messaggio\s+inoltrato"
        r"|begin\s+doorgestuurd\s+bericht)\s*:?\s*$",
        re.IGNORECASE,
    ),
    # Outlook's plain-text divider, and the one mailing lists put above footers.
    re.compile(r"^\s*_{20,}\s*$"),
    # Help desks' and notifiers' "##- Please type your reply above this line -##"
    re.compile(
        r"^\W{0,6}(?:[\w ,'-]{0,40}\b(?:reply|write|type|respond|answer)\w*\b[\w ,'-]{0,30}\b"
        r"above\s+this\s+line|[\w ,'-]{0,40}(?:über\s+dieser\s+zeile|au-dessus\s+de\s+cette\s+ligne"
        r"|encima\s+de\s+esta\s+l[ií]nea|sopra\s+questa\s+(?:riga|linea)|acima\s+desta\s+linha"
        r"|boven\s+deze\s+(?:regel|lijn)|ovanför\s+denna\s+rad|powyżej\s+tej\s+linii))\W{0,30}$",
        re.IGNORECASE,
    ),
)
_RULE_LINE_RE: Final = re.compile(r"^\s*+[-_=*—–]*+\s*+$")  # possessive: linear
_HEADER_LINE_RE: Final = re.compile(r"^\s*\*{0,2}([^\W\d_][\w .'-]{0,24}?)\*{0,2}\s*[:：]")
_FROM_KEYS: Final = _words(
    "from von de da van från fra od от lähettäjä feladó kimden afsender avsändare",
    "odesílatel 发件人 寄件者 差出人",
)
_OTHER_KEYS: Final = _words(
    # sent / date
    "sent date gesendet datum envoyé enviado fecha data inviato verzonden skickat sendt",
    "wysłano отправлено дата lähetetty päivämäärä elküldve dátum gönderildi tarih odesláno",
    "发送时间 日期 送信日時 日付",
    # to / cc
    "to an à a para aan till til do кому vastaanottaja címzett kime komu 收件人 宛先",
    "cc kopie copie kopia копия bcc",
    # subject / reply-to
    "subject betreff objet asunto assunto oggetto onderwerp ämne emne temat тема aihe tárgy",
    "konu předmět 主题 件名 reply-to risposta svara",
) | {"antwort an", "répondre à", "responder a", "beantwoorden aan", "svara till", "copie à"}

# --- signatures ---------------------------------------------------------------
# RFC 3676 §4.3 delimits a signature with "-- "; many clients strip the space.
SIG_DELIMITER_RE: Final = re.compile(r"^--[ \t]*$")
# "-Jane Doe" or "-- Jane": a name signed under the text (GitHub's "-\w" rule).
_DASH_NAME_RE: Final = re.compile(r"^(?:-|--\s?)(\w[\w'.]*(?:\s\w[\w'.]*){0,2})\s*$")
_DEVICE_FOOTER_RES: Final = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^sent\s+(?:from|with|via|using|by|on)\s+(?:my\s+|an?\s+|the\s+)?(?P<rest>.+)$",
        r"^from\s+my\s+(?P<rest>.+)$",
        r"^get\s+outlook\s+for\s+(?P<rest>.+)$",
        r"^envoy[ée]\s+(?:depuis|de|avec|par)\s+(?:mon\s+|ma\s+)?(?P<rest>.+)$",
        r"^von\s+meinem\s+(?P<rest>.+)\s+gesendet$",
        r"^gesendet\s+(?:von|mit)\s+(?:meinem\s+)?(?P<rest>.+)$",
        r"^diese\s+nachricht\s+wurde\s+von\s+(?P<rest>.+)\s+gesendet\.?$",
        r"^enviado\s+(?:desde|do|da|de)\s+(?:mi\s+|meu\s+|minha\s+)?(?P<rest>.+)$",
        r"^inviato\s+da\s+(?:il\s+mio\s+)?(?P<rest>.+)$",
        r"^(?:verzonden|verstuurd)\s+(?:met|vanaf|van)\s+(?:mijn\s+)?(?P<rest>.+)$",
        r"^(?:skickat\s+från|sendt\s+fra)\s+(?:min\s+)?(?P<rest>.+)$",
        r"^wysłane\s+z\s+(?P<rest>.+)$",
        r"^отправлено\s+(?:с|из)\s+(?P<rest>.+)$",
        r"^從我的\s?(?P<rest>.+?)\s?傳送$",
        r"^发自我的(?P<rest>.+)$",
        r"^(?P<rest>.+)から送信$",
    )
)
_DEVICE_WORDS: Final = _words(
    "iphone ipad ipod android blackberry mobile phone cell smartphone tablet galaxy samsung",
    "htc nokia pixel huawei xiaomi motorola windows outlook gmail yahoo aol mail airmail",
    "mailbox spark k-9 device handy mobilgerät móvil celular telefono telefone ios",
)
_CONTACT_RE: Final = re.compile(
    r"[\w.+-]+@[\w-]+\.\w|https?://|www\.|\+?\d[\d ().-]{6,}\d"
    r"|\b(?:tel|phone|mobile|mobil|fax|cell)\b",
    re.IGNORECASE,
)


def is_quote_line(line: str) -> bool:
    """Return whether *line* is quoted with ``>`` (RFC 3676 §4.5 quote depth)."""
    return bool(_QUOTE_RE.match(line))


def _quoted_lines(lines: list[str]) -> list[bool]:
    quoted: list[bool] = []
    for index, line in enumerate(lines):
        previous = lines[index - 1] if index else ""
        # "… <jane@example.org\n>:" is an address wrapped by the sender's client,
        # not a quote: the ">" closes a "<" left open on the line above.
        wrapped = bool(quoted) and not quoted[-1] and previous.count("<") > previous.count(">")
        quoted.append(is_quote_line(line) and not wrapped)
    return quoted


def is_separator(line: str) -> bool:
    return any(pattern.match(line) for pattern in _SEPARATOR_RES)


def header_key(line: str) -> str | None:
    found = _HEADER_LINE_RE.match(line)
    return re.sub(r"\s+", " ", found.group(1)).lower() if found else None


def _is_header_block(lines: list[str], index: int) -> bool:
    """Return whether an Outlook-style "From: / Sent: / To: / Subject:" block starts here."""
    if header_key(lines[index]) not in _FROM_KEYS:
        return False
    keys: set[str] = set()
    loose = 0
    for line in lines[index + 1 : index + 12]:
        if not line.strip():
            break
        key = header_key(line)
        if key in _OTHER_KEYS:
            keys.add(key)
            loose = 0
        else:
            loose += 1  # a long value folded onto the next line
            if loose > 2:
                break
    return len(keys) >= 2


def _is_attribution(block: str) -> bool:
    text = re.sub(r"\s+", " ", block).strip().strip("-").strip()
    if not text or len(text) > 300:
        return False
    # In any language: a year, a time, and the sender's address last before the colon
    # (or one word, the verb): "ср, 30 апр. 2025 г. в 15:19, Jo <jo@x.org>:".
    stamped = bool(
        _ADDRESS_LAST_RE.search(text) and _TIME_RE.search(text) and _YEAR_RE.search(text)
    )
    has_verb = bool(_VERB_RE.search(text)) and not _PRONOUN_VERB_RE.search(text)
    if has_verb:
        if not (text.endswith((":", "：")) or ENDS_WITH_VERB_RE.search(text)):
            return False
        opens = (
            _OPENER_RE.match(text)
            or text[0].isdigit()
            or _WEEKDAY_RE.match(text)
            or _NAME_THEN_EMAIL_RE.match(text)
        )
        dated = _EMAIL_RE.search(text) or _TIME_RE.search(text) or _YEAR_RE.search(text)
        return bool(opens and dated) or stamped
    return stamped or bool(
        text.endswith(":")
        and _NUMERIC_DATE_START_RE.match(text)
        and _TIME_RE.search(text)
        and _EMAIL_RE.search(text)
    )


def _may_continue(line: str) -> bool:
    """Return whether *line* could be a wrapped piece of an attribution, not a sentence."""
    stripped = line.strip()
    if not stripped or is_quote_line(line) or stripped.endswith(("!", "?")):
        return False
    if stripped.endswith("."):
        last = stripped.split()[-1].rstrip(".")
        return last.isdigit() or len(last) <= 4
    return True


def attribution_start(lines: list[str], end: int) -> int | None:
    """Return where an attribution ending on line *end* starts (up to 3 lines), if one does."""
    last = lines[end].strip().rstrip("-").strip()
    if not last.endswith((":", "：")) and not ENDS_WITH_VERB_RE.search(last):
        return None
    for start in (end - 2, end - 1, end):
        if start < 0 or not all(_may_continue(line) for line in lines[start:end]):
            continue
        if _is_attribution(" ".join(lines[start : end + 1])):
            return start
    return None


def is_device_footer(line: str) -> bool:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)  # markdown links
    text = re.sub(r"<[^<>]*(?:://|@)[^<>]*>|https?://\S+", " ", text)
    text = re.sub(r"\s+", " ", text).strip().strip("()<>").strip()
    if not text or len(text) > 80:
        return False
    for pattern in _DEVICE_FOOTER_RES:
        found = pattern.match(text)
        if found:
            words = found.group("rest").rstrip(".!").split()
            head = {word.strip(",.;").lower() for word in words[:4]}
            return len(words) <= 5 or bool(head & _DEVICE_WORDS)
    return False


def _signature_starts(lines: list[str], index: int) -> bool:
    line = lines[index].rstrip("\n")
    if SIG_DELIMITER_RE.match(line) or is_device_footer(line):
        return True
    named = _DASH_NAME_RE.match(line)
    if not named or not named.group(1)[0].isupper():
        return False
    after_blank = index == 0 or not lines[index - 1].strip()
    following = next((x for x in lines[index + 1 :] if x.strip()), "")
    return after_blank and not following.lstrip().startswith("-")


def _trim_blank(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and _RULE_LINE_RE.match(lines[end - 1]):
        end -= 1
    return lines[start:end]


def _join(blocks: list[list[str]]) -> str:
    texts = ["\n".join(line.rstrip() for line in block) for block in blocks]
    return "\n\n".join(text.strip("\n") for text in texts if text.strip())


def _contact_block(lines: list[str]) -> int | None:
    """Return where a contact-details signature under "Best,\\nName" starts, if safely found."""
    for index in range(len(lines) - 1, max(-1, len(lines) - 12), -1):
        if not is_closing(lines[index]):
            continue
        rest = [i for i in range(index + 1, len(lines)) if lines[i].strip()]
        if len(rest) < 2 or len(rest) > 9 or len(lines[rest[0]].strip()) > 40:
            return None
        tail = [lines[i] for i in rest[1:]]
        if all(len(line.strip()) <= 80 for line in tail) and any(
            _CONTACT_RE.search(line) for line in tail
        ):
            return rest[1]
        return None
    return None


def extract_reply_from_text(text: str, *, strip_signature: bool = True) -> ReplyText:
    """Return the new text of a plain-text reply, with what was cut.

    With ``strip_signature=False`` only quotations (and what follows a
    separator or header block) are removed; signatures and "Sent from my …"
    footers stay in the text.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    quoted = _quoted_lines(lines)
    attribution = [False] * len(lines)
    end, signature_at = len(lines), None
    for index, line in enumerate(lines):
        if quoted[index]:
            continue
        if is_separator(line) or _is_header_block(lines, index):
            end = index
            break
        if strip_signature and _signature_starts(lines, index):
            end = signature_at = index
            break
        start = attribution_start(lines, index)
        if start is None:
            continue
        attribution[start : index + 1] = [True] * (index + 1 - start)
        after = next((i for i in range(index + 1, len(lines)) if lines[i].strip()), None)
        if after is None or not quoted[after]:
            end = start
            break

    kept: list[list[str]] = [[]]
    cut: list[list[str]] = [[]]
    for index in range(end):
        removed = quoted[index] or attribution[index]
        if removed:
            if kept[-1]:
                kept.append([])
            cut[-1].append(lines[index])
        else:
            if cut[-1]:
                cut.append([])
            kept[-1].append(lines[index])
    kept = [_trim_blank(block) for block in kept]
    kept = [block for block in kept if block]
    signature = ""
    if signature_at is not None:
        stop = next(
            (
                i
                for i in range(signature_at + 1, len(lines))
                if quoted[i] or is_separator(lines[i]) or attribution_start(lines, i) is not None
            ),
            len(lines),
        )
        signature = _join([lines[signature_at:stop]])
    elif strip_signature and kept:
        contact_at = _contact_block(kept[-1])
        if contact_at is not None:
            signature = _join([kept[-1][contact_at:]])
            cut.append(kept[-1][contact_at:])
            kept[-1] = _trim_blank(kept[-1][:contact_at])
    cut.append(lines[end:])
    new_text = _join(kept)
    if not new_text:
        # Nothing new was found: better to show the editors everything than nothing.
        return ReplyText(text=_join([lines]), cut="", signature="")
    cut_text = "\n".join(
        line for line in _join(cut).split("\n") if line.rstrip() != _HTML_QUOTE_MARKER
    )
    return ReplyText(text=new_text, cut=cut_text.strip("\n"), signature=signature)


def extract_reply(mail: ParsedMail, *, strip_signature: bool = True) -> ReplyText:
    """Return the new text of *mail*, reading HTML quote markup first when there is any."""
    if mail.html.strip():
        parts = split_html_reply(
            mail.html, quote_marker=_HTML_QUOTE_MARKER, keep_signature=not strip_signature
        )
        if parts.quoted or parts.signature or _HTML_QUOTE_MARKER in parts.text:
            reply = extract_reply_from_text(parts.text, strip_signature=strip_signature)
            if reply.text and _HTML_QUOTE_MARKER not in reply.text:
                cut = "\n\n".join(piece for piece in (reply.cut, parts.quoted) if piece)
                signature = "\n\n".join(s for s in (parts.signature, reply.signature) if s)
                if parts.signature and strip_signature:
                    cut = "\n\n".join(piece for piece in (cut, parts.signature) if piece)
                return ReplyText(text=reply.text, cut=cut, signature=signature)
    text = mail.text if mail.text.strip() else html_to_text(mail.html)
    return extract_reply_from_text(text, strip_signature=strip_signature)
