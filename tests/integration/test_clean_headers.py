"""On the real Postfix + Dovecot: a reader's control characters never reach the request's headers.

The finding (issue 13, 7) was made on this stack: ESC and DEL in a reader's
Message-ID were delivered to the author inside the request's References.
Here the letter goes in over SMTP as raw bytes, intake polls over IMAP and
sends over SMTP, and the request is read back from the author's mailbox.
"""

from __future__ import annotations

import email.utils
import smtplib
from pathlib import Path

from deskrun import DeskRun, desk_config, parse, reader_letter
from hostile import controls_in
from mailtools import MailStack, wait_for

BUS_URL = "https://www.news.test/city/2025/01/the-quiet-collapse-of-the-citys-bus-network/"
NASTY = "\x1b[2J\x1b]0;owned\x07\x7f"


def test_the_request_carries_no_control_character(stack: MailStack, tmp_path: Path) -> None:
    desk: DeskRun = desk_config(stack, tmp_path / "desk")
    desk.intake("init")
    letter = reader_letter(BUS_URL)
    raw = letter.as_bytes()
    # written as bytes: Python's email package would not write these headers itself
    raw = raw.replace(
        str(letter["Message-ID"]).encode(), f"<evil{NASTY}.1@example.net>".encode()
    ).replace(
        str(letter["Subject"]).encode(), f"Buses{NASTY} again".encode()
    )  # fmt: skip
    with smtplib.SMTP(stack.host, stack.smtp_port, timeout=10) as smtp:
        smtp.sendmail("reader@news.test", ["letters@news.test"], raw)
    wait_for(stack, "letters@news.test", lambda m: len(m) == 1)

    out = desk.intake("poll", "--once")
    assert "letters=1" in out.stdout and "sent=1" in out.stdout

    ((_uid, delivered, _flags),) = wait_for(stack, "author1@news.test", lambda m: len(m) == 1)
    head = delivered.split(b"\r\n\r\n", 1)[0]
    assert [b for b in head if (b < 0x20 and b not in b"\r\n\t") or b == 0x7F] == []
    request = parse(delivered)
    assert request["References"] == "<evil[2J]0;owned.1@example.net>"
    for name, value in request.items():
        assert controls_in(str(value)) == [], name
    assert email.utils.parseaddr(str(request["To"]))[1] == "author1@news.test"
