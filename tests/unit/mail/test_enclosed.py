"""A message attached whole (message/rfc822) is read as enclosed: its From, Subject and text;
a delivery report's returned message is not."""

from __future__ import annotations

from intake.domain.model import Address
from intake.mail.parse import parse_message

INNER = (
    "From: Abena Mensah <abena@example.net>\r\nTo: kofi@example.org\r\n"
    "Subject: My letter\r\nDate: Sat, 22 Nov 2025 10:40:00 -0500\r\n\r\n"
    "Dear Editor,\r\n\r\nThe depot plan ignores the school.\r\n\r\nAbena Mensah\r\n"
)


def _with(content_type: str, second: str) -> bytes:
    return (
        "From: Kofi <kofi@example.org>\r\nTo: letters@news.test\r\nSubject: Fwd: letter\r\n"
        f"Message-ID: <enc@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: {content_type};"
        ' boundary="BB"\r\n\r\n--BB\r\nContent-Type: text/plain\r\n\r\nFrom my aunt.\r\n'
        f"--BB\r\n{second}\r\n\r\n{INNER}--BB--\r\n"
    ).encode()


def test_an_attached_message_is_enclosed_with_its_sender_subject_and_text() -> None:
    mail = parse_message(
        _with("multipart/mixed", "Content-Type: message/rfc822\r\nContent-Disposition: attachment")
    )
    (enclosed,) = mail.enclosed
    assert enclosed.sender == Address(name="Abena Mensah", email="abena@example.net")
    assert enclosed.subject == "My letter"
    assert enclosed.text.startswith("Dear Editor,") and "Abena Mensah" in enclosed.text


def test_a_delivery_reports_returned_message_is_not_enclosed() -> None:
    report = 'multipart/report; report-type="delivery-status"'
    mail = parse_message(_with(report, "Content-Type: message/rfc822"))
    assert mail.enclosed == ()
