"""SIGTERM during a first poll of 2,000 messages (issue 15): the poll finishes the message in
hand and exits within 5 s; the next run loses and repeats nothing.

Stopped once while fetching and once while handling, on the real Dovecot with SQLite; then
one poll to the end, and every message must be stored once, handled once (one try, no
quarantine, no duplicate), marked in the inbox, and each letter's author asked once.
"""

from __future__ import annotations

import contextlib
import signal
import sqlite3
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

from deskrun import DeskRun, desk_config, empty_mailboxes, reader_letter
from mailtools import MailStack, fetch_all, imap_session

MESSAGES = 2000
LETTERS = 30
STOP_WITHIN_SECONDS = 5.0
URLS = (
    "https://www.news.test/city/2025/01/the-quiet-collapse-of-the-citys-bus-network/",
    "https://www.news.test/housing/2025/02/why-rent-stabilization-still-matters-in-2025/",
)


def _machine_mail(n: int) -> bytes:
    msg = EmailMessage()
    if n % 2:
        msg["From"] = f"Traveller {n} <away{n}@example.org>"
        msg["Subject"] = f"Out of office: back on Monday ({n})"
        msg["Auto-Submitted"] = "auto-replied"
        body = "I am out of the office until Monday and will read your message then.\n"
    else:
        msg["From"] = "The Weekly <news@list.example.org>"
        msg["Subject"] = f"This week's digest, number {n}"
        msg["List-Unsubscribe"] = "<mailto:leave@list.example.org>"
        body = "Stories of the week.\n\nTo unsubscribe, click the link in your preferences.\n"
    msg["To"] = "letters@news.test"
    msg["Message-ID"] = f"<machine{n}@example.org>"
    msg["Date"] = "Mon, 24 Nov 2025 09:00:00 +0000"
    msg.set_content(body * 3)
    return msg.as_bytes()


def _fill(stack: MailStack) -> int:
    letters = [reader_letter(URLS[n % 2], sender=f"reader+{n}@news.test", n=n).as_bytes()
               for n in range(1, LETTERS + 1)]  # fmt: skip
    every = MESSAGES // LETTERS
    raws = [letters[n // every] if n % every == 0 and n // every < LETTERS else _machine_mail(n)
            for n in range(MESSAGES)]  # fmt: skip
    with imap_session(stack, "letters@news.test") as client:
        for start in range(0, len(raws), 250):
            client.multiappend("INBOX", raws[start : start + 250])
    return sum(1 for raw in raws if raw in letters)


def _count(db: Path, where: str) -> int:
    try:
        with contextlib.closing(sqlite3.connect(db, timeout=5)) as conn:
            return int(
                conn.execute(f"SELECT count(*) FROM raw_message WHERE {where}").fetchone()[0]
            )
    except sqlite3.OperationalError:  # not created yet
        return 0


def _poll_stopped_when(desk: DeskRun, db: Path, where: str, at_least: int) -> float:
    """Start a poll, SIGTERM it once *at_least* rows match *where*; return the seconds it took
    to exit after the signal."""
    poll = subprocess.Popen(
        [sys.executable, "-m", "intake", "--config", str(desk.config), "poll", "--once"],
        cwd=desk.workdir, env=desk.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 300
    while _count(db, where) < at_least:
        assert poll.poll() is None, poll.communicate()
        assert time.monotonic() < deadline, f"never reached {at_least} rows where {where}"
        time.sleep(0.05)
    poll.send_signal(signal.SIGTERM)
    signalled = time.monotonic()
    out, err = poll.communicate(timeout=60)
    took = time.monotonic() - signalled
    assert poll.returncode == 143, (out, err)
    assert "stopped=yes" in out and "stopped (SIGTERM)" in err and "Traceback" not in err
    return took


def test_sigterm_mid_poll_exits_within_seconds_and_the_next_run_repeats_nothing(
    mailstack: MailStack, tmp_path: Path
) -> None:
    empty_mailboxes(mailstack)
    letters = _fill(mailstack)
    desk = desk_config(mailstack, tmp_path / "desk",
                       extra="[authors]\nmax_requests_per_author_day = 1000\n")  # fmt: skip
    desk.intake("init")
    db = desk.workdir / "data" / "intake.db"

    while_fetching = _poll_stopped_when(desk, db, "1 = 1", 300)
    stored = _count(db, "1 = 1")
    assert stored < MESSAGES, "the fetch ended before the signal: nothing was tested"
    while_handling = _poll_stopped_when(desk, db, "status != 'stored'", 300)
    handled = _count(db, "status != 'stored'")
    assert handled < MESSAGES, "the poll ended before the signal: nothing was tested"
    assert while_fetching < STOP_WITHIN_SECONDS, while_fetching
    assert while_handling < STOP_WITHIN_SECONDS, while_handling

    desk.intake("poll", "--once")
    with contextlib.closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT uid, status, attempts FROM raw_message").fetchall()
        keys = conn.execute("SELECT count(*) FROM message_key").fetchone()[0]
        requests = conn.execute(
            "SELECT letter_id FROM outbound WHERE purpose = 'author_request'"
        ).fetchall()
        letter_rows = conn.execute("SELECT count(*) FROM letter").fetchone()[0]
    assert len(rows) == MESSAGES and len({uid for uid, _, _ in rows}) == MESSAGES
    assert {status for _, status, _ in rows} == {"processed"}  # none quarantined or doubled
    assert {attempts for _, _, attempts in rows} == {1}  # each handled in one try
    assert keys == MESSAGES
    assert letter_rows == letters
    assert len(requests) == letters and len(set(requests)) == letters
    flags = [f for _, _, f in fetch_all(mailstack, "letters@news.test")]
    assert len(flags) == MESSAGES and all(b"$IntakeProcessed" in f for f in flags)
