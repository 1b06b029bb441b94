"""Where quoted mail starts in plain text: ``>`` lines, "On … wrote:" lines, separators, header blocks.

Pure: no I/O.  The marks a mail client leaves above the message it answers,
in many languages: ``>`` quote lines (RFC 3676 §4.5), attribution lines
("On … wrote:", "Am … schrieb …:", a date, a time and the sender's address
before a colon in any language) wrapped over up to three lines,
"-----Original Message-----" style separators and notifiers' "reply above
this line" markers, and Outlook's "From:/Sent:/To:/Subject:" header blocks.
:mod:`intake.mail.replytext` (the generic extractor) and
:mod:`intake.mail.ourquote` (cutting at our own request) read them.  Every
pattern is linear in its input.
"""

from __future__ import annotations

import re
from typing import Final


def _words(*chunks: str) -> frozenset[str]:
    return frozenset(" ".join(chunks).split())


_QUOTE_RE: Final = re.compile(r"^\s*>")

# --- "On … wrote:" -----------------------------------------------------------
_VERBS: Final = (
    r"wrote|writes|schrieb|a\s+écrit|escribió|escreveu|ha\s+scritto|scrisse|schreef"
    r"|het\s+volgende\s+geschreven|pisze|napisał(?:\(a\)|a)?|skrev|kirjoitti|írta|yazdı"
    r"|написал(?:\(а\)|а)?|пише|napsal(?:\(a\)|a)?|a\s+scris|έγραψε"
)
_VERB_RE: Final = re.compile(rf"(?<!\w)(?:{_VERBS})(?!\w)|写道|寫道|が書きました", re.IGNORECASE)
ENDS_WITH_VERB_RE: Final = re.compile(rf"(?:{_VERBS}|写道|寫道)\s*[:：]?$", re.IGNORECASE)
# the most words a verb has ("het volgende geschreven"): with a colon, all a match of
# ENDS_WITH_VERB_RE spans
_VERB_WORDS: Final = 1 + max(verb.count(r"\s+") for verb in _VERBS.split("|"))


def ends_with_verb(text: str) -> bool:
    """Whether *text* ends with an attribution's verb ("… wrote", "… schrieb:"), as
    :data:`ENDS_WITH_VERB_RE` finds it: searched from *text*'s last words only (a match
    spans a verb's words and a colon), so a long line costs what a short one does."""
    words = text.rsplit(None, _VERB_WORDS + 1)
    start = len(words[0]) if len(words) > _VERB_WORDS + 1 else 0
    return ENDS_WITH_VERB_RE.search(text, start) is not None


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
# The sender's address, then the verb (up to three words, any language) and a colon:
# "<jo@x.org> schrieb:", "(<jo@x.org>) va escriure:", "<jo@x.org> het volgende geschreven:".
_ADDRESS_LAST_RE: Final = re.compile(
    r"@[\w-]+(?:\.[\w-]+)+[>)\]]*+(?:\s*+[^\W\d_]++(?:\([^\W\d_]{1,3}\)|/[^\W\d_]{1,3})?){0,3}"
    r"\s*+[:：]$"
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
        r"|boven\s+deze\s+(?:regel|lijn)|ovanför\s+denna\s+rad|powyżej\s+tej\s+linii"
        r"|over\s+denne\s+linje[n]?|tämän\s+rivin\s+yläpuolel\w*|выше\s+этой\s+строки))"
        r"\W{0,30}$",
        re.IGNORECASE,
    ),
    # Notifiers' and help desks' "--- Previous replies ---" above the thread, in a line
    # of its own (decoration and a colon aside).
    re.compile(
        r"^\W{0,10}(?:(?:previous|earlier|prior|older)\s+(?:replies|messages|comments|responses"
        r"|conversation|emails|correspondence)|(?:vorherige|frühere)n?\s+(?:antworten|nachrichten"
        r"|kommentare)|(?:réponses|messages|échanges)\s+précédent(?:e)?s|(?:respuestas|mensajes"
        r"|respostas|mensagens)\s+anteriores|(?:risposte|messaggi)\s+precedenti|(?:eerdere"
        r"|vorige)\s+(?:reacties|berichten|antwoorden)|(?:tidigare|tidligere)\s+(?:svar"
        r"|meddelanden|meldinger|beskeder)|poprzednie\s+(?:odpowiedzi|wiadomości)"
        r"|предыдущие\s+(?:ответы|сообщения))\W{0,10}$",
        re.IGNORECASE,
    ),
)
RULE_LINE_RE: Final = re.compile(r"^\s*+[-_=*—–]*+\s*+$")  # possessive: linear
# ">>> >>>  http://www.example.com <<<": arrows pointing at a link, not a quotation.
_ARROWS_RE: Final = re.compile(r"^\s*+>{2,}.*<{2,}\s*$")
_HEADER_LINE_RE: Final = re.compile(r"^\s*\*{0,2}([^\W\d_][\w .'-]{0,24}?)\*{0,2}\s*[:：]")
_FROM_KEYS: Final = _words(
    "from von de da van från fra od от lähettäjä feladó kimden afsender avsändare",
    "odesílatel 发件人 寄件者 差出人",
)
_DATE_KEYS: Final = _words("date datum fecha data päivämäärä dátum tarih дата 日期 日付")
# A header's value that is only an address: "bob@x.org", "Bob <bob@x.org>", "x@y [mailto:x@y]".
_SENDER_ONLY_RE: Final = re.compile(
    r"^\s*+(?:[^<>@\n]{0,60}<)?[\w.+'-]+@[\w-]+(?:\.[\w-]+)+>?(?:\s*\[mailto:[^\]\s]+\])?\s*$"
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


def is_quote_line(line: str) -> bool:
    """Return whether *line* is quoted with ``>`` (RFC 3676 §4.5 quote depth)."""
    return bool(_QUOTE_RE.match(line))


def quoted_lines(lines: list[str]) -> list[bool]:
    """Return, for each line, whether it belongs to a ``>`` quotation."""
    quoted: list[bool] = []
    for index, line in enumerate(lines):
        previous = lines[index - 1] if index else ""
        after_quote = bool(quoted) and quoted[-1]
        # "… <jane@example.org\n>:" is an address wrapped by the sender's client,
        # not a quote: the ">" closes a "<" left open on the line above.
        wrapped = bool(quoted) and not after_quote and previous.count("<") > previous.count(">")
        if is_quote_line(line):
            quoted.append(not wrapped and not _ARROWS_RE.match(line))
        else:
            # "> View ticket (http://x/action\n_nonce=3dd518)": the rest of a link the
            # quoted line above left open, wrapped without its ">".
            quoted.append(after_quote and _closes_bracket(previous, line))
    return quoted


def _closes_bracket(previous: str, line: str) -> bool:
    piece = line.strip()
    return (
        bool(piece)
        and " " not in piece
        and len(piece) <= 80
        and any(
            previous.count(o) > previous.count(c) and piece.count(c) > piece.count(o)
            for o, c in ("()", "<>", "[]")
        )
    )


def is_separator(line: str) -> bool:
    return any(pattern.match(line) for pattern in _SEPARATOR_RES)


def header_key(line: str) -> str | None:
    found = _HEADER_LINE_RE.match(line)
    return re.sub(r"\s+", " ", found.group(1)).lower() if found else None


def is_header_block(lines: list[str], index: int) -> bool:
    """Return whether the headers of a quoted or forwarded message start here.

    Outlook's "From: / Sent: / To: / Subject:" block in any language (a
    From line and two more header lines); a block that opens with the
    message's date and time and names an address ("Date: Wed, 16 May 2012
    00:15 / To: bob@example.com"); or a lone "From: bob@example.com" line
    standing apart, as clients that quote only the sender leave it.
    """
    key = header_key(lines[index])
    if key in _DATE_KEYS:
        return _dated_block(lines, index)
    if key not in _FROM_KEYS:
        return False
    if _lone_sender(lines, index):
        return True
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


def rule_above_headers(lines: list[str], index: int) -> bool:
    """Return whether *index* is a horizontal rule ("-----", "_____", "=====") whose next
    non-blank line names the quoted message's sender or date ("From: …", "Date: …")."""
    line = lines[index]
    if len(line.strip()) < 4 or not RULE_LINE_RE.match(line):
        return False
    below = next((x for x in lines[index + 1 : index + 4] if x.strip()), "")
    return is_sender_or_date_key(header_key(below))


def is_sender_or_date_key(key: str | None) -> bool:
    """Whether a header line's name is a sender's ("From", "Von", "De", …) or a date's."""
    return key in _FROM_KEYS or key in _DATE_KEYS


def _dated_block(lines: list[str], index: int) -> bool:
    first = lines[index]
    if not (_TIME_RE.search(first) and _YEAR_RE.search(first)):
        return False
    block = [first]
    for line in lines[index + 1 : index + 6]:
        if header_key(line) not in _OTHER_KEYS and header_key(line) not in _FROM_KEYS:
            break
        block.append(line)
    return len(block) >= 2 and any(_EMAIL_RE.search(line) for line in block)


def _lone_sender(lines: list[str], index: int) -> bool:
    above = lines[index - 1] if index else ""
    below = lines[index + 1] if index + 1 < len(lines) else ""
    value = lines[index].split(":", 1)[1] if ":" in lines[index] else ""
    return (
        not above.strip()
        and (not below.strip() or header_key(below) is not None)
        and bool(_SENDER_ONLY_RE.match(value))
    )


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
    # "Jo Obi <jo@x.org> je napisao/la 3. lip 2024. u 10:15:": the sender first, then
    # the date and time, in a language whose verb no list holds.
    return stamped or bool(
        text.endswith((":", "："))
        and (_NUMERIC_DATE_START_RE.match(text) or _NAME_THEN_EMAIL_RE.match(text))
        and _TIME_RE.search(text)
        and _EMAIL_RE.search(text)
        and (_YEAR_RE.search(text) or _NUMERIC_DATE_START_RE.match(text))
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
    if not last.endswith((":", "：")) and not ends_with_verb(last):
        return None
    found = [
        start
        for start in (end - 2, end - 1, end)
        if start >= 0
        and all(_may_continue(line) for line in lines[start:end])
        and _is_attribution(" ".join(lines[start : end + 1]))
    ]
    if not found:
        return None
    # The longest reading joins wrapped pieces; but an attribution starts where its
    # opener is ("On …", "Den …", a date), so a line of the reply above it stays.
    opening = [start for start in found if _opens(lines[start])]
    return found[0] if not opening or _opens(lines[found[0]]) else opening[0]


def _opens(line: str) -> bool:
    text = line.strip().lstrip("-").strip()
    return bool(text and (_OPENER_RE.match(text) or _WEEKDAY_RE.match(text) or text[0].isdigit()))


# Where an attribution may start inside a line: "reply On Wed, …", "bla--- On …".
_INLINE_OPENER_RE: Final = re.compile(
    r"(?:-{2,}\s*+|\s+)(?=(?:on|am|le|el|il|op|em|den|på)\s)", re.IGNORECASE
)
_INLINE_WINDOW: Final = 300  # an attribution is at most this long


def split_inline_attribution(line: str) -> tuple[str, str] | None:
    """Split "reply On Wed, Apr 4, 2012 at 3:59 PM, bob@example.com wrote:" into the reply
    and the attribution a client joined to it; None when the line holds no such tail."""
    text = line.rstrip()
    if not text.endswith((":", "：")) or len(text) > 4 * _INLINE_WINDOW:
        return None
    for found in _INLINE_OPENER_RE.finditer(text, max(0, len(text) - _INLINE_WINDOW)):
        head, tail = text[: found.start()].rstrip(), text[found.end() :]
        # clients write their attribution capitalised: "… on Friday. On Mon, …" splits at "On"
        if head.strip() and tail[:1].isupper() and _OPENER_RE.match(tail) and _is_attribution(tail):
            return head, tail
    return None
