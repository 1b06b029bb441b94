"""One worker per SQLite database (issue 15, item 5): a second `intake run` refuses to start.

Real processes, as an operator starts them: the first `intake run` holds the lock; a second
`run` (and a `poll`) on the same database stop at once with one line naming the first; once
the first is gone, however it ended (SIGTERM or SIGKILL), the next one starts.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}


def intake(workdir: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "intake", *args], cwd=workdir, env=ENV, capture_output=True,
        text=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def start_worker(workdir: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "intake", "--log-level", "debug", "run"], cwd=workdir,
            env=ENV, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while "intake.worker: tick: " not in log.read_text():  # its first round is done
        assert worker.poll() is None, log.read_text()
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.1)
    return worker


def test_a_second_worker_on_one_sqlite_file_refuses_to_start(tmp_path: Path) -> None:
    first = start_worker(tmp_path, tmp_path / "first.log")
    try:
        started = time.monotonic()
        second = intake(tmp_path, "run")
        assert time.monotonic() - started < 30  # at once, not after a round
        assert second.returncode == 1
        (line,) = second.stderr.splitlines()
        assert line.startswith(f"intake: error: another intake worker (pid {first.pid} on ")
        assert "is already working on" in line and "intake-data/intake.db" in line
        assert "several workers need PostgreSQL" in line
        poll = intake(tmp_path, "poll", "--once")
        assert poll.returncode == 1 and "another intake worker" in poll.stderr
        # the editors' commands are no workers: they run beside it
        assert intake(tmp_path, "queue").returncode == 0
    finally:
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=45) == 0
    # the first is gone: the lock went with it
    assert intake(tmp_path, "poll", "--once").returncode == 0


def test_a_killed_worker_leaves_no_stale_lock(tmp_path: Path) -> None:
    first = start_worker(tmp_path, tmp_path / "first.log")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert (tmp_path / "intake-data" / "intake.db-worker.lock").exists()
    poll = intake(tmp_path, "poll", "--once")
    assert poll.returncode == 0, poll.stderr
