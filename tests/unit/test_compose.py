"""Outgoing mail: loop-safe headers, a Reply-To with the key, no header injection."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime

import pytest

from intake.mail.compose import Outgoing, compose, make_message_id, to_wire

NOW = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)


def outgoing(**changes: str) -> Outgoing:
    values = {
        "from_name": "The Nation Letters",
        "from_address": "letters@news.test",
        "to_name": "Michelle Chen",
        "to_address": "michelle.chen@news.test",
        "reply_to": "letters+abcdefghijklmnopqrstuvwxyz@news.test",
        "subject": "A reader’s letter on ‘Title’",
        "text": "Plain body\n",
        "html": "<p>HTML body</p>\n",
        "message_id": make_message_id("req", 12, "k3y", "news.test"),
        "letter_ref": "L-12",
    }
    values.update(changes)
    return Outgoing(**values, references=("reader-msg@example.org",))  # type: ignore[arg-type]


def test_headers_and_alternatives() -> None:
    raw = to_wire(compose(outgoing(), now=NOW))
    assert b"\r\n" in raw
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["Message-ID"] == "<intake.req.12.k3y@news.test>"
    assert msg["Reply-To"] == "letters+abcdefghijklmnopqrstuvwxyz@news.test"
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["X-Auto-Response-Suppress"] == "All"
    assert msg["References"] == "<reader-msg@example.org>"
    assert msg["Subject"] == "A reader’s letter on ‘Title’"
    assert msg.get_content_type() == "multipart/alternative"
    assert msg.get_body(("plain",)).get_content().replace("\r\n", "\n") == "Plain body\n"  # type: ignore[union-attr]
    assert "HTML body" in msg.get_body(("html",)).get_content()  # type: ignore[union-attr]


def test_header_injection_from_a_subject_is_refused() -> None:
    with pytest.raises(ValueError, match=r"linefeed|carriage"):
        compose(outgoing(subject="Hello\r\nBcc: victim@example.org"), now=NOW)
