"""The new text of a reply: quotes, forwarded headers and signatures cut away.

Pure: no I/O.  :func:`extract_reply_from_text` classifies plain-text lines
(in the spirit of Discourse's email_reply_trimmer and GitHub's
email_reply_parser, written afresh): the marks of quoted mail that
:mod:`intake.mail.quotemarks` finds (``>`` quotes, "On … wrote:" lines,
separators, header blocks), signature delimiters and "Sent from my …"
footers.  Quoted lines between new
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
from intake.mail.htmltext import html_to_quoted_text, split_html_reply
from intake.mail.quotemarks import (
    RULE_LINE_RE,
    attribution_start,
    is_header_block,
    is_quote_line,
    is_separator,
    quoted_lines,
    rule_above_headers,
    split_inline_attribution,
)


def _words(*chunks: str) -> frozenset[str]:
    return frozenset(" ".join(chunks).split())


# A line only the HTML splitter writes, standing for a removed quote container.
_HTML_QUOTE_MARKER: Final = "> \ue000"

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
    while end > start and RULE_LINE_RE.match(lines[end - 1]):
        end -= 1
    return lines[start:end]


def _join(blocks: list[list[str]]) -> str:
    texts = ["\n".join(line.rstrip() for line in block) for block in blocks]
    return "\n\n".join(text.strip("\n") for text in texts if text.strip())


def _contact_block(lines: list[str]) -> int | None:
    """Return where the contact details of a signature block start, if safely found.

    The block is "Best, / Name / details…" or, with no quote or delimiter
    below the reply, the writer's own last paragraph "Name / title / phone,
    email": a name-like line, then short lines of which one at least holds an
    address, a phone number or a link.  The name stays with the text.
    """
    for index in range(len(lines) - 1, max(-1, len(lines) - 12), -1):
        named = (
            _name_like(lines[index])
            and index > 0
            and not lines[index - 1].strip()
            and len(lines) - index <= 7
        )
        if not is_closing(lines[index]) and not named:
            continue
        rest = [i for i in range(index + 1, len(lines)) if lines[i].strip()]
        if named:
            rest = [index, *rest]
        if len(rest) < 2 or len(rest) > 9 or len(lines[rest[0]].strip()) > 40:
            return None
        tail = [lines[i] for i in rest[1:]]
        if all(len(line.strip()) <= 80 for line in tail) and any(
            _CONTACT_RE.search(line) for line in tail
        ):
            return rest[1]
        if is_closing(lines[index]):
            return None
    return None


def _name_like(line: str) -> bool:
    """A person's name alone on a line: one to four capitalised words, no digits."""
    text = line.strip()
    words = text.split()
    return (
        1 <= len(words) <= 4
        and len(text) <= 40
        and not any(ch.isdigit() for ch in text)
        and all(word[0].isupper() for word in words)
        and not text.endswith((".", "!", "?", ":", ","))
        and not _CONTACT_RE.search(text)
    )


def _unjoin(lines: list[str]) -> list[str]:
    """Put an attribution a client joined to the reply's last line on a line of its own."""
    out: list[str] = []
    for line in lines:
        split = None if is_quote_line(line) else split_inline_attribution(line)
        out.extend(split or (line,))
    return out


def extract_reply_from_text(text: str, *, strip_signature: bool = True) -> ReplyText:
    """Return the new text of a plain-text reply, with what was cut.

    With ``strip_signature=False`` only quotations (and what follows a
    separator or header block) are removed; signatures and "Sent from my …"
    footers stay in the text.
    """
    lines = _unjoin(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    quoted = quoted_lines(lines)
    attribution = [False] * len(lines)
    end, signature_at = len(lines), None
    for index, line in enumerate(lines):
        if quoted[index]:
            continue
        if is_separator(line) or is_header_block(lines, index) or rule_above_headers(lines, index):
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
    # HTML only: its blockquotes read as ">" quotes, so an answer between them is kept
    # and what they quote is cut, as in a text part.
    html_only = bool(mail.html.strip()) and (mail.text_from_html or not mail.text.strip())
    text = html_to_quoted_text(mail.html) if html_only else mail.text
    return extract_reply_from_text(text, strip_signature=strip_signature)
