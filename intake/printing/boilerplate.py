"""What in a letter is not the writer's words, and its removal.

Before a letter is split into paragraphs and signature, this takes out what
mail clients, mail servers and web pages add around the writer's text:

- quoted mail (``>`` lines, "On … wrote:", "-----Original Message-----",
  Outlook header blocks), found by :mod:`intake.mail.replytext`;
- disclaimers under the letter ("This email and any attachments are
  confidential…", "If you are not the intended recipient…");
- tracking junk: ``[cid:…]`` and ``[image: …]`` placeholders, antivirus and
  read-receipt footers, ``utm_*``-style parameters in links;
- web-page furniture pasted with an article or a published letter: share
  buttons ("Facebook / Twitter / Email / Flipboard / Pocket"), "Ad Policy",
  "Advertisement", headlines repeated by the page, donation appeals ("Thank
  you for reading The Nation!" and the paragraphs asking for money after it).

It only ever removes: what remains is the writer's own lines, in order.
Pure: text in, text out.
"""

from __future__ import annotations

import re

from intake.mail.replytext import extract_reply_from_text

# Buttons a news page puts beside an article, each on its own line once the
# page is copied as text.  A run of two or more of them is furniture.
_SHARE_BUTTONS = frozenset({
    "facebook", "twitter", "x", "email", "e-mail", "mail", "flipboard", "pocket", "linkedin",
    "reddit", "whatsapp", "telegram", "bluesky", "threads", "mastodon", "tumblr", "pinterest",
    "print", "share", "sms", "messenger", "comment", "comments", "copy link", "share this",
    "share this:", "share on facebook", "share on twitter"
})  # fmt: skip
# Lines a page prints that no writer types alone on a line.
_PAGE_FURNITURE = frozenset(
    {
        "ad policy",
        "advertisement",
        "skip to content",
        "skip to main content",
        "share this article",
        "subscribe now",
        "donate now",
        "read more",
        "continue reading",
        "most popular",
        "related articles",
        "sign up for our newsletter",
        "email this",
        "print this",
        "back to top",
    }
)
_TRACKING_LINE = re.compile(
    r"""^\W*(?:virus-free\.?\s*(?:www\.)?\S*
      | this\s+(?:e-?mail|message)\s+has\s+been\s+(?:checked|scanned)\s+for\s+viruses\b.*
      | (?:sender\s+notified\s+by|sent\s+with)\s+mailtrack\b.*
      | \[?(?:tracking\s+pixel|beacon)\]?
    )\W*$""",
    re.IGNORECASE | re.VERBOSE,
)
_INLINE_JUNK = re.compile(r"\[(?:cid|image):[^\]\n]{0,200}\]", re.IGNORECASE)
_TRACKING_PARAM = re.compile(
    r"(?<=[?&])(?:utm_\w+|fbclid|gclid|dclid|msclkid|mc_[ce]id|_hs(?:enc|mi)|mkt_tok|igshid"
    r"|ref_src|s_cid|cmpid)=[^&\s<>()\"']*&?",
    re.IGNORECASE,
)
# Only at the start of a line: a disclaimer opens its own paragraph, while a
# writer who mentions one does so mid-sentence.
_DISCLAIMER = re.compile(
    r"""^[^\w\n]*(?:
        (?:confidentiality\s+(?:notice|note|statement|warning)|disclaimer|legal\s+notice
            |privileged\s+(?:and|&)\s+confidential)\b
      | (?:this|the)\s+(?:e-?mail|message|communication|transmission)\b[^.]{0,120}
        \b(?:is|are|may\s+be|contains?)\s+(?:strictly\s+)?(?:confidential|privileged|intended\s+(?:solely|only))
      | if\s+you\s+(?:are\s+not\s+the\s+intended\s+recipient|have\s+received\s+this\s+(?:e-?mail|message)?\s*in\s+error)
      | please\s+consider\s+the\s+environment\s+before\s+printing
    )""",
    re.IGNORECASE | re.VERBOSE | re.MULTILINE,
)
# "Thank you for reading The Nation!": the publication's name, capitalised.
_APPEAL_OPENER = re.compile(
    r"""^(?:(?i:thank(?:s|\s+you)\s+for\s+reading)\s+[A-Z][\w’'.&-]*(?:\s+[A-Z&][\w’'.&-]*){0,4}\s*[!.]?
      | (?i:support\s+(?:independent|nonprofit|quality|our)\s+journalism\b.{0,60})
      | (?i:(?:donate|subscribe|give)\s+(?:today|now)\b.{0,60})
    )$""",
    re.VERBOSE,
)
_APPEAL_WORDS = re.compile(
    r"\b(?:donat\w*|contribut\w*|support\w*|subscri\w*|sustain\w*|journalism|generosity"
    r"|readers\s+like\s+you|members?hip|recurring|fundrais\w*|paywall)\b",
    re.IGNORECASE,
)
_SHORT_BLOCK_LINES = 8
_SHORT_LINE = 60


def clean_letter_text(text: str) -> str:
    """Return *text* without quoted mail, disclaimers, tracking junk and page furniture."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.strip():
        text = extract_reply_from_text(text, strip_signature=False).text
    lines = [_INLINE_JUNK.sub("", _strip_tracking(line)).rstrip() for line in text.split("\n")]
    lines = [line for line in lines if not _TRACKING_LINE.match(line)]
    lines = _drop_furniture(lines)
    blocks = _drop_appeals(_blocks(lines))
    blocks = _drop_trailing_disclaimers(blocks)
    return "\n\n".join("\n".join(block) for block in blocks)


def _strip_tracking(line: str) -> str:
    if "=" not in line:
        return line
    cleaned = _TRACKING_PARAM.sub("", line)
    # "…/page?utm_source=x" leaves "…/page?" behind: a bare "?" or "&" ends nothing.
    return re.sub(r"[?&]+(?=[\s<>()\"']|$)", "", cleaned)


def _key(line: str) -> str:
    # "- Facebook" or "• Twitter": share buttons come as a list once HTML turns to text.
    return " ".join(re.sub(r"^\s*[-*\u2022\u00b7|]\s+", "", line).split()).casefold()


def _drop_furniture(lines: list[str]) -> list[str]:
    """Drop page furniture, share-button runs and lines a page repeats."""
    kept: list[str] = []
    index = 0
    previous = ""
    while index < len(lines):
        line = lines[index]
        key = _key(line)
        if key in _SHARE_BUTTONS:
            end = index
            run = 0
            while end < len(lines) and (
                not lines[end].strip() or _key(lines[end]) in _SHARE_BUTTONS
            ):
                run += bool(lines[end].strip())
                end += 1
            if run >= 2:
                index = end
                continue
        if key in _PAGE_FURNITURE or (key and key == previous and len(key) > 20):
            index += 1
            continue
        kept.append(line)
        previous = key or previous
        index += 1
    return kept


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _drop_appeals(blocks: list[list[str]]) -> list[list[str]]:
    """Drop a donation appeal: its opener and every following block that asks for support."""
    kept: list[list[str]] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if len(block) == 1 and _APPEAL_OPENER.match(block[0].strip()):
            index += 1
            while index < len(blocks) and _APPEAL_WORDS.search(" ".join(blocks[index])):
                index += 1
            continue
        kept.append(block)
        index += 1
    return kept


def _drop_trailing_disclaimers(blocks: list[list[str]]) -> list[list[str]]:
    """Drop disclaimer blocks from the end, looking past a signature-sized block or two."""
    kept = list(blocks)
    index = len(kept) - 1
    while index > 0:  # the first block is the letter, whatever it says
        block = kept[index]
        found = _DISCLAIMER.search("\n".join(block))
        if found:
            # A disclaimer often runs on under the name lines without a blank
            # line: keep what is above the line it starts on.
            starts_on = "\n".join(block)[: found.start()].count("\n")
            if starts_on:
                kept[index] = block[:starts_on]
            else:
                del kept[index]
        elif not _is_short_block(block):
            break
        index -= 1
    return kept


def _is_short_block(block: list[str]) -> bool:
    return len(block) <= _SHORT_BLOCK_LINES and all(len(line) <= _SHORT_LINE for line in block)
