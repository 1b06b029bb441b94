"""A message's content digest: the same for every delivery, different for different content."""

from __future__ import annotations

from intake.mail.parse import content_digest, parse_message

LETTER = (
    b"From: Jane Reader <jane@example.org>\nTo: letters@news.test\nSubject: Bus lanes\n"
    b"Date: Fri, 27 Nov 2026 10:00:00 +0000\nMessage-ID: <one@example.org>\n\n"
    b"Dear Editor,\n\nThe bus lanes help nobody on my street.\n\nJane Reader\n"
)


def digest(raw: bytes) -> str:
    return content_digest(parse_message(raw))


def test_trace_headers_of_another_delivery_leave_it_alone() -> None:
    traced = (
        b"Received: from mx.example by mail.news.test; Fri, 27 Nov 2026 10:00:09 +0000\n"
        b"Delivered-To: letters+x@news.test\nReturn-Path: <bounce@example.org>\n"
        b"Authentication-Results: mail.news.test; dkim=pass\n" + LETTER
    )
    assert digest(traced) == digest(LETTER)


def test_another_body_sender_or_subject_changes_it() -> None:
    base = digest(LETTER)
    assert digest(LETTER.replace(b"nobody", b"everybody")) != base
    assert digest(LETTER.replace(b"jane@example.org", b"mallory@example.org")) != base
    assert digest(LETTER.replace(b"Subject: Bus lanes", b"Subject: Trams")) != base
