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


UNNAMED_ATTACHMENT = (
    b"From: Jane Reader <jane@example.org>\nTo: letters@news.test\nSubject: Bus lanes\n"
    b"Date: Fri, 27 Nov 2026 10:00:00 +0000\nMessage-ID: <two@example.org>\nMIME-Version: 1.0\n"
    b'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\n'
    b"Dear Editor,\n\nMy photo of the bus lane is attached.\n\nJane Reader\n"
    b"--b\nContent-Type: image/png\nContent-Disposition: attachment\n"
    b"Content-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--b--\n"
)


def test_an_attachment_without_a_name_reads_the_same_every_time() -> None:
    # mail-parser makes up a random name for it; the digest must not follow
    first, second = parse_message(UNNAMED_ATTACHMENT), parse_message(UNNAMED_ATTACHMENT)
    assert [a.filename for a in first.attachments] == [""]
    assert content_digest(first) == content_digest(second)


def test_a_name_the_sender_gave_is_kept_even_if_it_looks_made_up() -> None:
    named = UNNAMED_ATTACHMENT.replace(
        b"Content-Disposition: attachment\n",
        b'Content-Disposition: attachment; filename="qwertyuiop.txt"\n',
    )
    assert [a.filename for a in parse_message(named).attachments] == ["qwertyuiop.txt"]
