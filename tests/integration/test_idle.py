"""`intake run` on the real stack: IMAP IDLE wakes the worker as soon as a letter arrives."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from deskrun import desk_config, empty_mailboxes, reader_letter
from mailtools import MailStack, send, wait_for

from intake.adapters.imap import ImapIdleWatcher
from intake.config import load_settings

BUS_URL = "https://www.news.test/city/2025/01/the-quiet-collapse-of-the-citys-bus-network/"


def test_idle_watcher_wakes_on_delivery(mailstack: MailStack, tmp_path: Path) -> None:
    empty_mailboxes(mailstack)
    config = f"""
[imap]
host = "{mailstack.host}"
port = {mailstack.imap_port}
security = "starttls"
username = "letters@news.test"
password_env = "PW"
ca_file = "{mailstack.ca_file}"
"""
    settings = load_settings(config, {"PW": mailstack.password("letters@news.test")}, cwd=tmp_path)
    assert settings.imap is not None
    woke = threading.Event()
    watcher = ImapIdleWatcher(settings.imap, woke.set, retry_seconds=1)
    watcher.start()
    try:
        deadline = time.monotonic() + 5
        while watcher.supported is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert watcher.supported is True
        time.sleep(0.3)  # let IDLE begin
        started = time.monotonic()
        send(mailstack, "reader@news.test", "letters@news.test", reader_letter(BUS_URL))
        assert woke.wait(5), "IDLE did not report the new message"
        # Dovecot batches IDLE notifications (~0.5 s, shared/research/PERF.md)
        assert time.monotonic() - started < 3
    finally:
        watcher.stop()


def test_run_polls_at_once_when_idle_reports_mail(mailstack: MailStack, tmp_path: Path) -> None:
    empty_mailboxes(mailstack)
    # an hour between timed polls: only IDLE can explain a second poll within seconds
    desk = desk_config(mailstack, tmp_path / "desk", extra="[schedule]\npoll_seconds = 3600\n")
    desk.intake("init")
    log = (tmp_path / "run.log").open("w")
    worker = subprocess.Popen(
        # at DEBUG: the first round finds nothing, and an idle round is a DEBUG line
        [sys.executable, "-m", "intake", "--config", str(desk.config), "--log-level", "debug",
         "run"],
        cwd=desk.workdir, env=desk.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        # the first (immediate) tick runs on an empty inbox: wait until it has finished, so the
        # letter below can only be found by IDLE (a fixed sleep raced with a loaded machine)
        deadline = time.monotonic() + 60
        while "intake.worker: tick: " not in (tmp_path / "run.log").read_text():
            assert time.monotonic() < deadline, "the first tick never finished"
            assert worker.poll() is None, (tmp_path / "run.log").read_text()
            time.sleep(0.1)
        time.sleep(1)  # let the watcher enter IDLE
        send(mailstack, "reader@news.test", "letters@news.test", reader_letter(BUS_URL))
        wait_for(mailstack, "author1@news.test", lambda m: len(m) == 1, timeout=15)
    finally:
        worker.send_signal(signal.SIGTERM)
        code = worker.wait(timeout=20)
        log.close()
    output = (tmp_path / "run.log").read_text()
    assert code == 0, output
    assert "new mail, polling now" in output
    assert "Traceback" not in output
