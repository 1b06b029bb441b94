"""Session fixtures for the integration tests: the real Postfix + Dovecot and a scratch database.

`mailstack` starts deploy/mailstack with its own state dir and ports (so a developer's stack on
the default ports is never touched), fresh mailboxes and TLS, and stops it at the end.
`postgres_url` creates a throwaway PostgreSQL database and drops it afterwards. Every test in
this directory is marked `integration`.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, NoReturn

import psycopg
import pytest
from deskrun import DeskRun, desk_config, empty_mailboxes
from mailtools import STRIPPED_AUTHSERV_ID, MailStack
from psycopg import sql

HERE = Path(__file__).resolve().parent
MAILSTACK_SCRIPTS = HERE.parents[1] / "deploy" / "mailstack"
STATE_DIR = Path("/tmp/intake-test-mailstack")
LOCK_FILE = Path("/tmp/intake-test-mailstack.lock")
LOCK_WAIT_SECONDS = 600.0
START_TIMEOUT_SECONDS = 300  # the first start may apt-get install postfix and dovecot (~20 s)
STOP_TIMEOUT_SECONDS = 60
TEST_USERS = (
    "letters@news.test",
    "editor@news.test",
    "author1@news.test",
    "author2@news.test",
    "reader@news.test",
    "reader2@news.test",
)
PG_HOST = "127.0.0.1"
PG_PORT = 5432


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # This hook sees the whole session's items, not only this directory's.
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def mailstack() -> Iterator[MailStack]:
    stack = MailStack(
        host="127.0.0.1",
        imap_port=11143,
        smtp_port=11025,
        imaps_port=11993,
        smtps_port=11465,
        ca_file=STATE_DIR / "tls" / "cert.pem",
        state_dir=STATE_DIR,
    )
    # Ignore MAILSTACK_* from a developer's shell (e.g. a sourced mailstack.env): this stack's
    # settings must come from here alone.
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILSTACK_")}
    env |= {
        "MAILSTACK_DIR": str(stack.state_dir),
        "MAILSTACK_HOST": stack.host,
        "MAILSTACK_IMAP_PORT": str(stack.imap_port),
        "MAILSTACK_SMTP_PORT": str(stack.smtp_port),
        "MAILSTACK_IMAPS_PORT": str(stack.imaps_port),
        "MAILSTACK_SMTPS_PORT": str(stack.smtps_port),
        "MAILSTACK_TLS": "1",
        "MAILSTACK_RESET": "1",
        # the border MTA's duty (RFC 8601 §5), shown on an id no other test stamps with
        "MAILSTACK_STRIP_AUTHSERV_ID": STRIPPED_AUTHSERV_ID,
        "MAILSTACK_USERS": " ".join(f"{user}:{stack.password(user)}" for user in TEST_USERS),
    }
    with LOCK_FILE.open("a") as lock:
        # One machine, several engineers: a second test session would reset this stack under the
        # first one's feet, so sessions take turns.
        _lock_or_fail(lock)
        stack.state_dir.mkdir(parents=True, exist_ok=True)
        log_path = stack.state_dir / "fixture.log"
        log_path.write_text("")
        problem = _run_script("start-mailstack.sh", env, log_path, START_TIMEOUT_SECONDS)
        if problem:
            # A half-started stack (say dovecot up, postfix not) must not outlive the session.
            _run_script("stop-mailstack.sh", env, log_path, STOP_TIMEOUT_SECONDS)
            _fail_with_log(f"start-mailstack.sh {problem}", log_path)
        try:
            yield stack
        finally:
            problem = _run_script("stop-mailstack.sh", env, log_path, STOP_TIMEOUT_SECONDS)
            if problem:
                _fail_with_log(f"stop-mailstack.sh {problem}", log_path)


@contextlib.contextmanager
def _database(prefix: str) -> Iterator[str]:
    """Create a database of our own on the local PostgreSQL; drop it afterwards."""
    try:
        socket.create_connection((PG_HOST, PG_PORT), timeout=3).close()
    except OSError as exc:
        pytest.fail(
            f"nothing answers on {PG_HOST}:{PG_PORT} ({exc}); `./run test` starts PostgreSQL"
        )
    name = f"{prefix}_{secrets.token_hex(6)}"
    admin = f"host={PG_HOST} port={PG_PORT} user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            # FORCE (PostgreSQL 13+): a pool a test forgot to dispose must not keep the database.
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """One empty database for the session (tests that only need a working server)."""
    with _database("intake_test") as url:
        yield url


@pytest.fixture
def fresh_postgres_url() -> Iterator[str]:
    """A database of this test's own: no rows left by other tests."""
    with _database("intake_fresh") as url:
        yield url


def _lock_or_fail(lock: IO[str]) -> None:
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                pytest.fail(
                    f"another test session has held {LOCK_FILE} for {LOCK_WAIT_SECONDS:.0f} s"
                )
            time.sleep(0.5)


def _run_script(name: str, env: dict[str, str], log_path: Path, timeout: int) -> str:
    """Run one deploy/mailstack script; return what went wrong, or "" if nothing did."""
    # Output goes to a file, never to a pipe: the daemons are started from inside the script, and
    # a capturing pipe would wait for them to close it too (shared/mailstack NOTES.md, pitfall 3).
    with log_path.open("a") as log:
        log.write(f"\n=== {name} ===\n")
        log.flush()
        started = time.monotonic()
        try:
            done = subprocess.run(
                ["bash", str(MAILSTACK_SCRIPTS / name)],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                check=False,
            )
            problem = f"exited {done.returncode}" if done.returncode else ""
        except subprocess.TimeoutExpired:
            problem = f"timed out after {timeout} s"
        log.write(f"=== {name}: {problem or 'ok'} in {time.monotonic() - started:.2f} s ===\n")
    return problem


def _fail_with_log(what: str, log_path: Path) -> NoReturn:
    tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-30:])
    pytest.fail(f"{what}; last lines of {log_path}:\n{tail}", pytrace=False)


@pytest.fixture
def stack(mailstack: MailStack) -> Iterator[MailStack]:
    """The session's mail stack with every test user's mailbox emptied."""
    empty_mailboxes(mailstack)
    yield mailstack


@pytest.fixture(params=["sqlite", "postgresql"])
def desk(request: pytest.FixtureRequest, stack: MailStack, tmp_path: Path) -> DeskRun:
    """An initialised desk on the stack, once on SQLite and once on a fresh PostgreSQL."""
    url = request.getfixturevalue("fresh_postgres_url") if request.param == "postgresql" else ""
    run = desk_config(stack, tmp_path / "desk", database_url=url)
    run.intake("init")
    return run
