"""Two workers on one PostgreSQL database and one inbox: every letter handled and asked once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from deskrun import desk_config, empty_mailboxes, parse, reader_letter
from mailtools import MailStack, fetch_all, send, wait_for, wait_for_queue_empty

BUS_URL = "https://www.news.test/city/2025/01/the-quiet-collapse-of-the-citys-bus-network/"
RENT_URL = "https://www.news.test/housing/2025/02/why-rent-stabilization-still-matters-in-2025/"
NEW_URL = "https://www.news.test/climate/2024/08/a-heat-wave-is-a-housing-problem/"


def test_two_concurrent_workers_share_the_work_without_doubles(
    mailstack: MailStack, fresh_postgres_url: str, tmp_path: Path
) -> None:
    empty_mailboxes(mailstack)
    desk = desk_config(mailstack, tmp_path / "desk", database_url=fresh_postgres_url)
    desk.intake("init")
    letters = [reader_letter(url, n=n) for n, url in enumerate([BUS_URL, RENT_URL, NEW_URL] * 4, 1)]
    for letter in letters:
        send(mailstack, "reader@news.test", "letters@news.test", letter)
    # the same letter delivered twice (same Message-ID): one letter, one request
    send(mailstack, "reader@news.test", "letters@news.test", letters[0])
    # another reader's letter reusing a Message-ID: a letter of its own, never a duplicate
    reused = reader_letter(RENT_URL, writer="Sam Okafor", sender="other@news.test", n=99)
    reused.replace_header("Message-ID", str(letters[1]["Message-ID"]))
    send(mailstack, "other@news.test", "letters@news.test", reused)
    letters.append(reused)
    wait_for(mailstack, "letters@news.test", lambda m: len(m) == len(letters) + 1)

    command = [sys.executable, "-m", "intake", "--config", str(desk.config), "poll", "--once"]
    outputs = []
    for _round in range(2):
        workers = [
            subprocess.Popen(
                command,
                cwd=desk.workdir,
                env=desk.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                stdin=subprocess.DEVNULL,
            )
            for _ in range(2)
        ]
        for worker in workers:
            out, err = worker.communicate(timeout=120)
            outputs.append(out)
            assert worker.returncode == 0, (out, err)
            assert "Traceback" not in err

    wait_for_queue_empty(mailstack)
    queue = json.loads(desk.intake("queue", "--json").stdout)
    assert len(queue) == len(letters), outputs
    assert {item["state"] for item in queue} == {"awaiting_author"}
    held = json.loads(desk.intake("queue", "--held", "--json").stdout)
    assert held == [], held  # nothing quarantined by a race
    refs = [parse(raw)["X-Intake-Letter"] for user in ("author1@news.test", "author2@news.test")
            for _, raw, _ in fetch_all(mailstack, user)]  # fmt: skip
    assert len(refs) == len(letters) and len(set(refs)) == len(letters), sorted(refs)


def test_insert_ignore_claims_once_on_postgresql_and_sqlite(
    fresh_postgres_url: str, tmp_path: Path
) -> None:
    from sqlmodel import Session

    from intake.adapters.store import MessageKeyRow, insert_ignore, make_engine, migrate

    for url in (fresh_postgres_url, f"sqlite:///{tmp_path / 'claims.db'}"):
        engine = make_engine(url)
        migrate(engine)
        with Session(engine) as s:
            assert insert_ignore(s, MessageKeyRow, key="msg@example.org", raw_id=1) is True
            assert insert_ignore(s, MessageKeyRow, key="msg@example.org", raw_id=2) is False
            s.commit()
            first = s.get(MessageKeyRow, "msg@example.org")
            assert first is not None and first.raw_id == 1
        engine.dispose()
