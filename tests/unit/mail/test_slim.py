"""A large attachment is named and sized without being read: the parse is the full one's."""

from __future__ import annotations

import base64
import email
import random
import tracemalloc
from email.mime.application import MIMEApplication
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest

from intake.domain.model import ParsedMail
from intake.mail import parse, slim
from intake.mail.parse import parse_message
from intake.mail.slim import PART_BYTES, Slimmed


def _blob(size: int, seed: int = 1) -> bytes:
    return random.Random(seed).randbytes(size)


def _letter(*parts: MIMEBase) -> bytes:
    msg = MIMEMultipart("mixed")
    msg["From"] = "Ana Reader <ana@example.org>"
    msg["To"] = "letters@news.test"
    msg["Subject"] = "The bus depot, with the council's plan attached"
    msg["Message-ID"] = "<plan-1@example.org>"
    msg.attach(MIMEText("Dear editor,\n\nThe plan is attached.\n\nAna Reader\n", "plain"))
    for part in parts:
        msg.attach(part)
    return msg.as_bytes().replace(b"\n", b"\r\n")


def _pdf(size: int, name: str = "plan.pdf", seed: int = 1) -> MIMEApplication:
    return MIMEApplication(_blob(size, seed), "pdf", Name=name)


def _full(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> ParsedMail:
    """*raw* parsed with every payload read, as before slimming."""
    with monkeypatch.context() as patch:
        patch.setattr(parse, "slim", Slimmed)
        return parse_message(raw)


def test_a_large_attachment_is_named_and_sized_as_a_full_parse_names_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = _letter(_pdf(3 * 2**20), _pdf(40_000, "small.pdf", seed=2))
    slimmed = slim.slim(raw)
    assert len(slimmed.runs) == 1 and len(slimmed.data) < 100_000
    mail = parse_message(raw)
    assert mail == _full(raw, monkeypatch)
    assert [(a.filename, a.content_type) for a in mail.attachments] == [
        ("plan.pdf", "application/pdf"),
        ("small.pdf", "application/pdf"),
    ]
    assert 3 * 2**20 <= mail.attachments[0].size < 3.1 * 2**20
    assert "The plan is attached." in mail.text


def test_a_large_base64_text_body_is_read_in_full(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3)
    words = " ".join(rng.choice(("bus", "depot", "plan")) for _ in range(200_000))
    html = MIMEText(f"<p>{words}</p>", "html", "utf-8")  # base64: utf-8 text is encoded so
    assert html["Content-Transfer-Encoding"] == "base64"
    raw = _letter(html, _pdf(PART_BYTES * 2))
    assert len(slim.slim(raw).runs) == 2  # the HTML run is put back after the first read
    mail = parse_message(raw)
    assert mail == _full(raw, monkeypatch)
    assert mail.html.count("depot") > 1000


def test_an_attached_message_keeps_its_attachment_in_its_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inner = _letter(_pdf(PART_BYTES * 3))
    forwarded = MIMEBase("message", "rfc822")
    forwarded.set_payload([email.message_from_bytes(inner)])
    forwarded["Content-Disposition"] = 'attachment; filename="depot.eml"'
    raw = _letter(forwarded)
    mail = parse_message(raw)
    assert mail == _full(raw, monkeypatch)
    assert mail.attachments and mail.attachments[0].size > PART_BYTES * 3


def test_many_attachments_past_the_budget_are_left_out_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    small = PART_BYTES // 2  # each below the part limit, together over the budget
    count = slim.BUDGET_BYTES // small + 4
    raw = _letter(*(_pdf(small, f"page{n}.pdf", seed=n) for n in range(count)))
    assert len(slim.slim(raw).runs) >= 3
    mail = parse_message(raw)
    assert mail == _full(raw, monkeypatch)
    assert len(mail.attachments) == count


def test_an_unnamed_binary_part_and_a_non_base64_one_parse_as_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    unnamed = MIMEApplication(_blob(PART_BYTES * 2), "octet-stream")
    quoted = MIMEBase("application", "x-data")
    quoted.set_payload(base64.b64encode(_blob(PART_BYTES * 2, seed=4)).decode() + "\n")
    quoted["Content-Transfer-Encoding"] = "7bit"
    quoted["Content-Disposition"] = 'attachment; filename="data.b64"'
    raw = _letter(unnamed, quoted)
    assert parse_message(raw) == _full(raw, monkeypatch)


def test_mail_that_carries_the_placeholder_word_is_not_slimmed() -> None:
    raw = _letter(_pdf(PART_BYTES * 2)).replace(
        b"The plan is attached.", b"intakeomittedpart0000000"
    )
    assert slim.slim(raw).data is raw


def test_parsing_a_large_attachment_never_copies_the_message() -> None:
    raw = _letter(_pdf(8 * 2**20))
    tracemalloc.start()
    try:
        parse_message(raw)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # a full read of its lines costs about seven times the message; one copy of it (as the
    # emptiness check made, with bytes.strip) once and for all
    assert peak < len(raw) // 10
