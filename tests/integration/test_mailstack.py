"""The test mail stack and the scratch database behave as the other integration tests assume."""

from __future__ import annotations

import smtplib
import ssl
import uuid
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
import sqlalchemy
from imapclient import IMAPClient
from mailtools import (
    MailStack,
    Message,
    append,
    fetch_all,
    make_message,
    send,
    wait_for,
    wait_for_queue_empty,
)

LETTERS = "letters@news.test"
READER = "reader@news.test"


def _parse(raw: bytes) -> EmailMessage:
    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _with_subject(messages: list[Message], subject: str) -> list[EmailMessage]:
    parsed = (_parse(raw) for _, raw, _ in messages)
    return [msg for msg in parsed if msg["Subject"] == subject]


def _unique_subject(what: str) -> str:
    # Mailboxes are shared by every test of the session: each test finds its own mail by subject.
    return f"{what} {uuid.uuid4().hex}"


def test_smtp_mail_to_letters_arrives_in_its_inbox_over_imap(mailstack: MailStack) -> None:
    subject = _unique_subject("Leserbrief")
    body = "Dear Editor,\nthe bridge article got the date wrong. Grüße\n"
    sent = make_message(READER, LETTERS, subject, body)

    send(mailstack, READER, LETTERS, sent)
    messages = wait_for(mailstack, LETTERS, lambda ms: bool(_with_subject(ms, subject)), 5.0)

    [got] = _with_subject(messages, subject)
    assert got["Message-ID"] == sent["Message-ID"]
    assert got["Return-Path"] == f"<{READER}>"
    # The parsed wire form keeps SMTP's CRLF line ends in the text (RFC 5321 §2.3.8).
    assert got.get_content().replace("\r\n", "\n") == body
    [flags] = [f for _, raw, f in messages if _parse(raw)["Subject"] == subject]
    assert b"\\Seen" not in flags, "BODY.PEEK[] must not mark the message read"


def test_plus_address_lands_in_the_same_inbox_with_delivered_to(mailstack: MailStack) -> None:
    subject = _unique_subject("reply")
    send(mailstack, READER, "letters+abc@news.test", make_message(READER, LETTERS, subject, "Hi"))

    messages = wait_for(mailstack, LETTERS, lambda ms: bool(_with_subject(ms, subject)), 5.0)

    [got] = _with_subject(messages, subject)
    assert got["Delivered-To"] == "letters+abc@news.test"


def test_queue_empty_means_delivered(mailstack: MailStack) -> None:
    subject = _unique_subject("queued")
    send(
        mailstack,
        READER,
        "editor@news.test",
        make_message(READER, "editor@news.test", subject, "x"),
    )

    wait_for_queue_empty(mailstack)

    assert _with_subject(fetch_all(mailstack, "editor@news.test"), subject)


@pytest.mark.parametrize("rcpt", ["someone@example.org", "nobody@news.test"])
def test_recipients_outside_the_stack_are_refused_at_rcpt(mailstack: MailStack, rcpt: str) -> None:
    msg = make_message(READER, rcpt, _unique_subject("outside"), "x")

    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        send(mailstack, READER, rcpt, msg)

    code, _text = refused.value.recipients[rcpt]
    assert code == 550


def test_starttls_login_works_with_the_ca_file(mailstack: MailStack) -> None:
    user = "author1@news.test"
    context = ssl.create_default_context(cafile=str(mailstack.ca_file))

    with IMAPClient(mailstack.host, port=mailstack.imap_port, ssl=False, timeout=10) as imap:
        imap.starttls(context)
        imap.login(user, mailstack.password(user))
        assert imap.folder_exists("INBOX")

    with smtplib.SMTP(mailstack.host, mailstack.smtp_port, timeout=10) as smtp:
        smtp.starttls(context=context)
        code, _text = smtp.login(user, mailstack.password(user))
        assert code == 235


def test_starttls_without_the_ca_file_is_not_trusted(mailstack: MailStack) -> None:
    with smtplib.SMTP(mailstack.host, mailstack.smtp_port, timeout=10) as smtp:
        with pytest.raises(ssl.SSLCertVerificationError):
            smtp.starttls(context=ssl.create_default_context())
        smtp.close()


def test_implicit_tls_ports_take_a_login(mailstack: MailStack) -> None:
    user = "author2@news.test"
    context = ssl.create_default_context(cafile=str(mailstack.ca_file))

    with IMAPClient(
        mailstack.host, port=mailstack.imaps_port, ssl=True, ssl_context=context, timeout=10
    ) as imap:
        imap.login(user, mailstack.password(user))
        assert imap.folder_exists("INBOX")

    with smtplib.SMTP_SSL(
        mailstack.host, mailstack.smtps_port, context=context, timeout=10
    ) as smtp:
        code, _text = smtp.login(user, mailstack.password(user))
        assert code == 235


def test_append_then_fetch_all_returns_the_same_bytes_and_flags(mailstack: MailStack) -> None:
    user = "author2@news.test"
    raw = (
        b"From: MAILER-DAEMON@example.org\r\nTo: letters@news.test\r\n"
        b"Subject: " + _unique_subject("Undelivered Mail").encode() + b"\r\n"
        b"Content-Type: text/plain\r\n\r\nThe mail system could not deliver it.\r\n"
    )

    uid = append(mailstack, user, raw, "Archive", flags=[b"\\Seen"])

    assert (uid, raw, {b"\\Seen"}) in fetch_all(mailstack, user, "Archive")


def test_postgres_url_gives_a_working_fresh_database(postgres_url: str) -> None:
    engine = sqlalchemy.create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sqlalchemy.text("SELECT 1")).scalar_one() == 1
            database = conn.execute(sqlalchemy.text("SELECT current_database()")).scalar_one()
            tables = conn.execute(
                sqlalchemy.text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            ).scalar_one()
    finally:
        engine.dispose()
    assert database == postgres_url.rsplit("/", 1)[1]
    assert database.startswith("intake_test_")
    assert tables == 0
