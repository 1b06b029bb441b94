"""The letters corpus: hand-written bodies and sign-offs, sent the ways mail clients send them.

``tests/data/letters/untouched.toml`` (written first, only measured on) and
``tuned.toml`` hold letter bodies and sign-off blocks with what must print;
``fresh.toml`` (written later by someone who had not read the print rules) is
measured and reported apart (:data:`REPORTED_PARTS`), never held to a floor.
:func:`letters` pairs each body with three sign-offs and three wire formats
(hard wraps at 72 to 100 columns, ``format=flowed`` with and without DelSp,
HTML only, one line per paragraph, CRLF, quoted-printable, base64, a quoted
trailer under the letter) and :func:`as_email` writes the message a reader's
client would send.  The expectations come from the data, never from intake.
"""

from __future__ import annotations

import base64
import email.utils
import html
import quopri
import textwrap
import tomllib
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "letters"
PARTS = ("untouched", "tuned")  # held by the tests: every letter prints as expected
REPORTED_PARTS = ("fresh",)  # measured and reported (bench/eval_letters.py), never held
FORMATS = (
    "wrap72", "wrap85", "flowed", "html", "wrap88", "wrap100", "flowed-delsp", "unwrapped",
    "crlf-qp76", "base64-78", "single-newlines", "quoted-tail80", "wrap66",
)  # fmt: skip
SIGN_OFFS_PER_BODY = 3
# The untouched part's failures, as measured, with what is wrong: reported, never tuned
# away.  None now: "u-heat-wave/3/html" (an HTML <blockquote> of the article's words
# printed as a paragraph) was fixed as a class from a tune case of its own
# (tests/unit/printing/test_html_quotation.py): HTML-only mail reads its blockquotes as
# "> " quotes, which never print.
UNTOUCHED_MISSES: dict[str, str] = {}


@dataclass(frozen=True)
class Letter:
    """One letter of the corpus and what must print for it."""

    key: str  # "<body id>/<sign-off number>/<format>"
    part: str  # one of PARTS or REPORTED_PARTS
    subject: str
    from_name: str
    from_address: str
    salutation: str
    blocks: tuple[str, ...]  # as written: paragraphs, "\n"-joined short lines, "> " quotes
    sign_off: tuple[str, ...]  # the lines under the letter, as written
    glued: bool  # the sign-off follows the last line without a blank line
    wire: str  # one of FORMATS
    paragraphs: tuple[str, ...]  # expected in print
    signature: tuple[str, ...]
    name: str
    town: str
    private: tuple[str, ...]

    @property
    def words(self) -> list[str]:
        """Every word the writer wrote, in order (sign-off included)."""
        text = "\n".join((self.salutation, *self.blocks, *self.sign_off))
        return text.replace(">", " ").split()


def letters(part: str) -> list[Letter]:
    """Every letter of one part of the corpus, in a fixed order."""
    data = tomllib.loads((DATA / f"{part}.toml").read_text(encoding="utf-8"))
    bodies, sign_offs = data["body"], data["signoff"]
    result: list[Letter] = []
    for index in range(len(bodies) * SIGN_OFFS_PER_BODY):
        body = bodies[index % len(bodies)]
        round_ = index // len(bodies)
        number = (index * 5 + round_ * 7) % len(sign_offs)
        sign = sign_offs[number]
        wire = FORMATS[(index + round_ * 4) % len(FORMATS)]
        blocks = tuple(body["paragraphs"])
        printed = tuple(
            line for block in blocks if not block.startswith("> ") for line in block.split("\n")
        )
        from_name = sign["from_name"]
        local = "".join(c for c in (sign["name"] or "reader").lower() if "a" <= c <= "z")[:12]
        result.append(
            Letter(
                key=f"{body['id']}/{number}/{wire}",
                part=part,
                subject=body["subject"],
                from_name=from_name,
                from_address=f"{local}{index}@{part}.example.org",
                salutation=body.get("salutation", ""),
                blocks=blocks,
                sign_off=tuple(sign["lines"]),
                glued=bool(sign["lines"]) and index % 4 == 3 and not wire.startswith("html"),
                wire=wire,
                paragraphs=tuple(body.get("printed", printed)),
                signature=tuple(sign["signature"]),
                name=sign["name"],
                town=sign["town"],
                private=tuple(sign.get("private", ())),
            )
        )
    return result


def _wrap(block: str, width: int) -> list[str]:
    if block.startswith("> ") or "\n" in block:
        return block.split("\n")
    return textwrap.wrap(block, width, break_long_words=False, break_on_hyphens=False)


def plain_text(letter: Letter, width: int) -> str:
    """The letter as a client that hard-wraps at *width* writes it (0: no wrapping)."""
    parts: list[list[str]] = []
    if letter.salutation:
        parts.append([letter.salutation])
    parts.extend(_wrap(b, width) if width else b.split("\n") for b in letter.blocks)
    if letter.sign_off:
        if letter.glued:
            parts[-1] = parts[-1] + list(letter.sign_off)
        else:
            parts.append(list(letter.sign_off))
    return "\n\n".join("\n".join(lines) for lines in parts) + "\n"


def flowed_text(letter: Letter, width: int, *, delsp: bool) -> str:
    """RFC 3676: soft breaks end in a space; with DelSp the space is stuffed in, not the text's."""
    out: list[str] = []
    paragraphs: list[list[str]] = []
    if letter.salutation:
        paragraphs.append([letter.salutation])
    for block in letter.blocks:
        if block.startswith("> ") or "\n" in block:
            paragraphs.append(block.split("\n"))
            continue
        words = block.split(" ")
        lines: list[str] = []
        current = ""
        for word in words:
            if current and len(current) + 1 + len(word) > width:
                # the soft break is the space between the words; with DelSp one
                # more space goes before it, which the reader deletes (RFC 3676 §4.2)
                lines.append(current + (" " if not delsp else "  "))
                current = word
            else:
                current = f"{current} {word}" if current else word
        lines.append(current)
        # space-stuffing (RFC 3676 §4.4): a line that could be read as quoted or "From "
        paragraphs.append([" " + x if x.startswith(("From ", " ", ">")) else x for x in lines])
    if letter.sign_off:
        if letter.glued:
            paragraphs[-1] = paragraphs[-1] + list(letter.sign_off)
        else:
            paragraphs.append(list(letter.sign_off))
    for lines in paragraphs:
        out.extend(lines)
        out.append("")
    return "\n".join(out)


def html_text(letter: Letter) -> str:
    """An HTML-only letter, as webmail sends it: one ``<div>`` or ``<p>`` per paragraph."""
    parts = ["<html><body>"]
    if letter.salutation:
        parts.append(f"<div>{html.escape(letter.salutation)}</div><div><br></div>")
    for block in letter.blocks:
        if block.startswith("> "):
            quoted = "<br>".join(html.escape(line[2:]) for line in block.split("\n"))
            parts.append(f"<blockquote>{quoted}</blockquote>")
        elif "\n" in block:
            parts.append("<p>" + "<br>\n".join(html.escape(x) for x in block.split("\n")) + "</p>")
        else:
            parts.append(f"<p>{html.escape(block)}</p>")
    if letter.sign_off:
        parts.append("<p>" + "<br>".join(html.escape(x) for x in letter.sign_off) + "</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def as_email(letter: Letter, index: int) -> bytes:
    """The message the reader's client sends, headers and body, as bytes."""
    sender = letter.from_address
    if letter.from_name:
        sender = email.utils.formataddr((letter.from_name, letter.from_address), "utf-8")
    headers = [
        f"From: {sender}",
        "To: letters@news.test",
        f"Subject: {_encode_header(letter.subject)}",
        "Date: Fri, 27 Nov 2026 18:30:00 +0000",
        f"Message-ID: <corpus.{letter.part}.{index}@example.org>",
        "MIME-Version: 1.0",
    ]
    wire = letter.wire
    if wire.startswith(("wrap", "quoted-tail")):
        width = int(wire.removeprefix("wrap").removeprefix("quoted-tail"))
        text = plain_text(letter, width)
        if wire.startswith("quoted-tail"):
            text += (
                "\nOn Thu, Nov 26, 2026 at 7:02 AM The Daily Briefing <news@news.test> wrote:\n"
                "> Today's top stories, chosen by our editors.\n> Read more on our site.\n"
            )
        return _message(headers, "text/plain; charset=utf-8", "8bit", text.encode())
    if wire in ("flowed", "flowed-delsp"):
        delsp = wire == "flowed-delsp"
        text = flowed_text(letter, 72 if delsp else 66, delsp=delsp)
        params = "; format=flowed" + ("; delsp=yes" if delsp else "")
        return _message(headers, f"text/plain; charset=utf-8{params}", "8bit", text.encode())
    if wire == "html":
        return _message(headers, "text/html; charset=utf-8", "8bit", html_text(letter).encode())
    if wire == "unwrapped":
        return _message(
            headers, "text/plain; charset=utf-8", "8bit", plain_text(letter, 0).encode()
        )
    if wire == "single-newlines":
        text = plain_text(letter, 0).replace("\n\n", "\n")
        return _message(headers, "text/plain; charset=utf-8", "8bit", text.encode())
    if wire == "crlf-qp76":
        body = quopri.encodestring(plain_text(letter, 76).encode())
        return _message(headers, "text/plain; charset=utf-8", "quoted-printable", body)
    if wire == "base64-78":
        # inside base64 the line ends are the writer's client's own: CRLF, as Windows writes
        encoded = base64.encodebytes(plain_text(letter, 78).replace("\n", "\r\n").encode())
        return _message(headers, "text/plain; charset=utf-8", "base64", encoded)
    raise ValueError(f"unknown wire format {wire!r}")


def _encode_header(value: str) -> str:
    if value.isascii():
        return value
    from email.header import Header

    return Header(value, "utf-8").encode()


def _message(headers: list[str], content_type: str, encoding: str, body: bytes) -> bytes:
    head = "\r\n".join([*headers, f"Content-Type: {content_type}",
                        f"Content-Transfer-Encoding: {encoding}"])  # fmt: skip
    return head.encode() + b"\r\n\r\n" + body.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
