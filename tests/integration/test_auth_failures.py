"""A wrong password on the real stack is an error, not a retry: one line, a non-zero exit,
the outgoing mail left queued and uncharged, and `intake run` saying so once and reporting
itself unhealthy (`intake status`, its /healthz and /metrics) after its first round."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from deskrun import DeskRun, desk_config, empty_mailboxes, reader_letter
from mailtools import MailStack, send, wait_for

BUS_URL = "https://www.news.test/city/2025/01/the-quiet-collapse-of-the-citys-bus-network/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def with_smtp_login(desk: DeskRun, password: str) -> DeskRun:
    text = desk.config.read_text(encoding="utf-8").replace(
        "[smtp]\n",
        '[smtp]\nusername = "letters@news.test"\npassword_env = "INTAKE_SMTP_PASSWORD"\n',
    )
    desk.config.write_text(text, encoding="utf-8")
    desk.env["INTAKE_SMTP_PASSWORD"] = password
    return desk


def outbox(desk: DeskRun) -> list[tuple[str, int, str]]:
    with sqlite3.connect(desk.workdir / "data" / "intake.db") as db:
        return list(db.execute("SELECT status, attempts, last_error FROM outbound ORDER BY id"))


def test_a_wrong_imap_password_ends_poll_with_one_line(
    mailstack: MailStack, tmp_path: Path
) -> None:
    desk = desk_config(mailstack, tmp_path / "desk")
    desk.env["INTAKE_IMAP_PASSWORD"] = "not-the-password"
    result = desk.intake("poll", "--once", check=False)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(
        f"intake: error: imap login refused: as letters@news.test at {mailstack.host}:"
        f"{mailstack.imap_port}: [AUTHENTICATIONFAILED] Authentication failed."
    ), result.stderr
    assert "imap.password_env" in result.stderr


def test_a_wrong_smtp_password_keeps_the_mail_queued_uncharged(
    mailstack: MailStack, tmp_path: Path
) -> None:
    empty_mailboxes(mailstack)
    desk = with_smtp_login(desk_config(mailstack, tmp_path / "desk"), "not-the-password")
    send(mailstack, "reader@news.test", "letters@news.test", reader_letter(BUS_URL))
    for _ in range(2):  # a second round changes nothing: no attempt, no backoff, no give-up
        result = desk.intake("poll", "--once", check=False)
        assert result.returncode == 1, result.stdout + result.stderr
        assert result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith("intake: error: smtp login refused: as letters@news.test")
        assert " 535 " in result.stderr
        ((status, attempts, error),) = outbox(desk)
        assert (status, attempts) == ("pending", 0)
        assert "535" in error
    desk.env["INTAKE_SMTP_PASSWORD"] = mailstack.password("letters@news.test")
    desk.intake("poll", "--once")
    wait_for(mailstack, "author1@news.test", lambda m: len(m) == 1, timeout=15)
    assert [(s, a) for s, a, _ in outbox(desk)] == [("sent", 1)]


def test_run_with_a_wrong_password_says_so_once(mailstack: MailStack, tmp_path: Path) -> None:
    port = free_port()
    desk = desk_config(
        mailstack,
        tmp_path / "desk",
        extra=f'[schedule]\npoll_seconds = 1\n[health]\nlisten = "127.0.0.1:{port}"\n',
    )
    desk.intake("init")
    desk.env["INTAKE_IMAP_PASSWORD"] = "not-the-password"
    log_path = tmp_path / "run.log"
    with log_path.open("w") as log:
        # --debug: the repeats are logged at DEBUG, and they tell how many rounds have run
        worker = subprocess.Popen(
            [sys.executable, "-m", "intake", "--debug", "--config", str(desk.config), "run"],
            cwd=desk.workdir, env=desk.env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while " ERROR " not in log_path.read_text():  # the first round's end
                assert time.monotonic() < deadline, log_path.read_text()
                assert worker.poll() is None, log_path.read_text()
                time.sleep(0.1)
            status = desk.intake("status", check=False)  # unhealthy within one round
            assert status.returncode == 1, status.stdout + status.stderr
            assert status.stdout.startswith("intake: UNHEALTHY\n  tick: imap login refused: ")
            assert "tick: FAILING since" in status.stdout
            # the worker's own server says the same
            with pytest.raises(urllib.error.HTTPError) as health:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
            assert health.value.code == 503
            assert "imap login refused" in json.loads(health.value.read())["problems"][0]
            health.value.close()
            url = f"http://127.0.0.1:{port}/metrics"
            with urllib.request.urlopen(url, timeout=5) as answer:
                text = answer.read().decode()
            assert 'intake_job_ok{job="tick"} 0.0' in text
            assert 'intake_job_errors_total{job="tick",kind="auth"}' in text
            while "tick: still failing (3 runs)" not in log_path.read_text():
                assert time.monotonic() < deadline, log_path.read_text()
                assert worker.poll() is None, log_path.read_text()
                time.sleep(0.2)
        finally:
            worker.kill()  # only the log matters here
            worker.wait(timeout=20)
    output = log_path.read_text()
    errors = [line for line in output.splitlines() if " ERROR " in line]
    assert len(errors) == 1, output
    assert "intake.worker: tick: imap login refused: as letters@news.test" in errors[0]
    assert "will retry next time" not in output
    assert "Traceback" not in output
