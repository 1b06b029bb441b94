"""`intake check` on the real stack: every part ok, and a wrong password, a closed port or a
wrong folder each fail with one line naming it."""

from __future__ import annotations

import socket
from pathlib import Path

from deskrun import DeskRun, desk_config, empty_mailboxes
from mailtools import MailStack, wait_for


def closed_port() -> int:
    with socket.socket() as s:  # a port nothing listens on (bound, then let go)
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def lines_of(desk: DeskRun, *args: str) -> tuple[int, list[str]]:
    result = desk.intake("check", *args, check=False)
    assert result.stderr == "", result.stderr
    return result.returncode, result.stdout.splitlines()


def verdict(lines: list[str], name: str) -> str:
    (line,) = [line for line in lines if line.startswith(f"{name}: ")]
    return line


def test_a_working_desk_passes_and_sends_a_test(mailstack: MailStack, tmp_path: Path) -> None:
    empty_mailboxes(mailstack)
    desk = desk_config(mailstack, tmp_path / "desk")
    text = desk.config.read_text(encoding="utf-8").replace(
        "[smtp]\n", '[smtp]\nusername = "letters@news.test"\npassword_env = "SMTP_PW"\n'
    )
    desk.config.write_text(text, encoding="utf-8")
    desk.env["SMTP_PW"] = mailstack.password("letters@news.test")
    desk.intake("init")
    code, lines = lines_of(desk, "--send-test", "author2@news.test")
    assert code == 0, lines
    assert [line.split(": ")[1].split()[0] for line in lines] == ["ok"] * 6, lines
    assert verdict(lines, "imap") == (
        f"imap: ok logged in as letters@news.test at {mailstack.host}:{mailstack.imap_port}, "
        "folder 'INBOX' selected"
    )
    assert verdict(lines, "smtp").startswith("smtp: ok logged in as letters@news.test at ")
    ((_, raw, _),) = wait_for(mailstack, "author2@news.test", lambda m: len(m) == 1, timeout=15)
    assert b"Subject: intake check: a test message" in raw


def test_a_wrong_password_fails_on_one_line(mailstack: MailStack, tmp_path: Path) -> None:
    desk = desk_config(mailstack, tmp_path / "desk")
    text = desk.config.read_text(encoding="utf-8").replace(
        "[smtp]\n", '[smtp]\nusername = "letters@news.test"\npassword_env = "SMTP_PW"\n'
    )
    desk.config.write_text(text, encoding="utf-8")
    desk.env["INTAKE_IMAP_PASSWORD"] = desk.env["SMTP_PW"] = "not-the-password"
    desk.intake("init")
    code, lines = lines_of(desk)
    assert code == 1
    assert verdict(lines, "imap").startswith(
        "imap: FAIL imap login refused: as letters@news.test at "
    )
    assert "[AUTHENTICATIONFAILED]" in verdict(lines, "imap")
    assert verdict(lines, "smtp").startswith("smtp: FAIL smtp login refused: ")
    assert " 535 " in verdict(lines, "smtp")
    assert verdict(lines, "database").startswith("database: ok ")
    assert len(lines) == 5


def test_a_closed_port_fails_on_one_line(mailstack: MailStack, tmp_path: Path) -> None:
    port = closed_port()
    desk = desk_config(mailstack, tmp_path / "desk", smtp_port=port)
    text = desk.config.read_text(encoding="utf-8").replace(
        f"port = {mailstack.imap_port}\n", f"port = {port}\n"
    )
    desk.config.write_text(text, encoding="utf-8")
    desk.intake("init")
    code, lines = lines_of(desk)
    assert code == 1
    assert verdict(lines, "imap") == (
        f"imap: FAIL imap {mailstack.host}:{port}: [Errno 111] Connection refused"
    )
    assert verdict(lines, "smtp") == (
        f"smtp: FAIL smtp {mailstack.host}:{port}: [Errno 111] Connection refused"
    )


def test_a_wrong_folder_fails_on_one_line(mailstack: MailStack, tmp_path: Path) -> None:
    desk = desk_config(mailstack, tmp_path / "desk", folder="Letters")
    desk.intake("init")
    code, lines = lines_of(desk)
    assert code == 1
    line = verdict(lines, "imap")
    assert line.startswith("imap: FAIL imap folder 'Letters': "), line
    assert "exist" in line.lower()  # Dovecot: "Mailbox doesn't exist: Letters"
    assert verdict(lines, "smtp").startswith("smtp: ok ")
