"""The quick read sees what the full read sees of headers, structure and text, without
decoding an attachment."""

from __future__ import annotations

import base64
import email.parser
import email.policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from intake.domain.errors import UnparseableMessage
from intake.domain.model import ParsedMail
from intake.mail import headers
from intake.mail.parse import LEADING_BLANK_RE, parse_message
from intake.mail.quickread import QUICK_BYTES, header_block, read_head, read_quickly

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = sorted((ROOT / "tests" / "data").rglob("*.eml")) + sorted(
    (ROOT / "samples" / "inbox").glob("*.eml")
)
SAME = ("message_id", "sender", "to", "cc", "reply_to", "subject", "date", "references",
        "in_reply_to", "headers", "trace", "content_type", "part_types", "text", "html",
        "text_from_html", "sha256", "size")  # fmt: skip


def _full(raw: bytes) -> ParsedMail | None:
    try:
        return parse_message(raw)
    except UnparseableMessage:
        return None


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_fixture_reads_the_same_quickly(path: Path) -> None:
    raw = path.read_bytes()
    full = _full(raw)
    if full is None or len(raw) > QUICK_BYTES:
        return
    quick = read_quickly(raw)
    for name in SAME:
        assert getattr(quick, name) == getattr(full, name), name
    assert [(a.filename, a.content_type) for a in quick.attachments] == [
        (a.filename, a.content_type) for a in full.attachments
    ]


def _with_attachment(payload: bytes) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Press Office <press@example.org>"
    msg["To"] = "letters@news.test"
    msg["Subject"] = "Our annual report"
    msg["Message-ID"] = "<report@example.org>"
    msg.set_content("Please find our report attached.\n")
    msg.add_attachment(payload, maintype="application", subtype="pdf", filename="report.pdf")
    return msg.as_bytes()


def test_an_attachment_is_named_and_sized_never_decoded() -> None:
    raw = _with_attachment(bytes(range(256)) * 1000)
    # a payload that cannot be decoded shows it is never read: the quick read only counts it
    broken = raw.replace(base64.b64encode(bytes(range(256)) * 3)[:40], b"!" * 40, 1)
    quick = read_quickly(broken)
    assert quick.text.strip() == "Please find our report attached."
    assert [(a.filename, a.content_type) for a in quick.attachments] == [
        ("report.pdf", "application/pdf")
    ]
    assert abs(quick.attachments[0].size - 256_000) < 4_000  # from the encoded length


def test_a_large_message_gets_the_full_read_only() -> None:
    with pytest.raises(UnparseableMessage, match="quick read"):
        read_quickly(_with_attachment(b"x" * QUICK_BYTES))


def test_no_headers_is_unparseable_as_in_the_full_read() -> None:
    with pytest.raises(UnparseableMessage):
        read_quickly(b"\n\njust a body\n")
    with pytest.raises(UnparseableMessage):
        read_quickly(b"   ")


def _whole_head(raw: bytes) -> list[tuple[str, str]]:
    """The headers the standard library's parser reads from the whole message."""
    whole = LEADING_BLANK_RE.sub(b"", raw, count=1)
    msg = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(whole)
    return list(msg.raw_items())


@pytest.mark.parametrize(
    "raw",
    [
        b"Subject: a\r\n\r\nbody\r\n",
        b"Subject: a\n\nbody\nX-Not: a header\n",
        b"Subject: a\r\rX-Body: b\r",
        b"Subject: a\n\rX-Body: b\n",
        b"Subject: a\r\n\nX-Body: b\n",
        b"Subject: a\r\n folded\r\n\tagain\r\nTo: b@example.org\r\n\r\nX-Body: c\r\n",
        b"Subject: a\r\nnot a header\r\nX-Body: b\r\n\r\n",
        b"Subject: a\r\n \r\nX-Still: a header\r\n\r\nX-Body: b\r\n",
        b"From someone Mon Nov 30\nSubject: a\n\nX-Body: b\n",
        b"\r\n\n  \nSubject: a\n\nX-Body: b\n",
        b"\n\rSubject: a\n\nX-Body: b\n",
        b"\r\rSubject: a\n\nX-Body: b\n",
        b"Subject: =?utf-8?q?caf=C3=A9?=\n\tmore\nX-Bytes: \xc3\xa9\xff\n\nX-Body: b\n",
        b"Subject: no body at all\r\n",
        b"Subject: no line end",
        b"a line and no header\n\nSubject: a\n",
    ],
)
def test_the_header_block_holds_every_header_the_whole_message_does(raw: bytes) -> None:
    msg = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(header_block(raw))
    assert list(msg.raw_items()) == _whole_head(raw)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_fixture_reads_the_same_head_as_before(path: Path) -> None:
    raw = path.read_bytes()
    assert header_block(raw) in raw
    msg = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(header_block(raw))
    assert list(msg.raw_items()) == _whole_head(raw)


def test_headers_read_before_read_the_same_in_the_next_read() -> None:
    # the header-only read keeps what the headers say for the quick or full read after it
    raw = (
        b"From: =?utf-8?q?Jos=C3=A9?= <jose@example.org>\r\nTo: letters@news.test\r\n"
        b"Subject: On the budget\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\nDear Editor,\r\n"
    )
    headers._heads.clear()
    fresh = parse_message(raw)
    assert read_head(raw).sender == fresh.sender
    assert len(headers._heads) == 1
    again = parse_message(raw)
    assert again == fresh
    # no Message-ID: each read makes its own from the digest it has, never a kept one
    assert read_head(raw).message_id == "sha256-@intake.invalid"
    assert again.message_id == f"sha256-{fresh.sha256[:32]}@intake.invalid"


def test_large_header_blocks_are_not_kept() -> None:
    raw = b"Subject: a\r\nX-Long: " + b"y" * (headers._KEPT_HEAD_CHARS + 1) + b"\r\n\r\nbody\r\n"
    headers._heads.clear()
    assert read_head(raw).subject == "a"
    assert not headers._heads
