"""Outgoing mail: loop-safe headers, a Reply-To with the key, no header injection."""

from __future__ import annotations

import dataclasses
import email
import email.policy
from datetime import UTC, datetime

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


def test_header_injection_from_a_subject_adds_no_header() -> None:
    raw = to_wire(compose(outgoing(subject="Hello\r\nBcc: victim@example.org"), now=NOW))
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["Bcc"] is None and b"\r\nBcc:" not in raw
    assert msg["Subject"] == "Hello Bcc: victim@example.org"


def test_no_header_and_no_body_carries_a_control_character() -> None:
    nasty = "\x1b[2J\x1b]0;owned\x07\x00\x7f\x9b31m\u202e"
    out = outgoing(
        to_name=f"Dana{nasty} Whitfield",
        to_address="author1\x1b\x07\x7f@news.test\u202e",
        subject=f"A letter on ‘Buses{nasty}’",
        text=f"Dear Dana,\n\tthe letter:{nasty}\r\n",
        html=f"<p>the letter:{nasty}</p>",
        letter_ref=f"L-12{nasty}",
    )
    out = dataclasses.replace(
        out, references=(f"<reader{nasty}@example.org>",), in_reply_to=f"reader{nasty}@example.org"
    )
    raw = to_wire(compose(out, now=NOW))
    assert [b for b in raw if (b < 0x20 and b not in b"\r\n\t") or b == 0x7F] == []
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["To"].addresses[0].display_name == "Dana[2J]0;owned31m Whitfield"
    assert msg["To"].addresses[0].addr_spec == "author1@news.test"
    assert msg["Subject"] == "A letter on ‘Buses[2J]0;owned31m’"
    assert msg["References"] == "<reader[2J]0;owned31m@example.org>"
    assert msg["In-Reply-To"] == "<reader[2J]0;owned31m@example.org>"
    assert msg["X-Intake-Letter"] == "L-12[2J]0;owned31m"
    plain = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert plain.replace("\r\n", "\n") == "Dear Dana,\n\tthe letter:[2J]0;owned31m\n"
    assert "<p>the letter:[2J]0;owned31m</p>" in msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
