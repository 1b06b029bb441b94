"""Stored mail is handled in batches, one transaction each, with the outcome of one at a time.

A batch commits once for all its messages; a message that raises rolls its batch back and
the batch's messages are handled again one at a time, so a bad message costs the others
nothing but time; a message tried before (its try ended the process) goes alone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from deskkit import SAMPLES, Desk, make_desk
from sqlalchemy import event
from sqlmodel import select

from intake.adapters.store import LetterRow, OutboundRow, RawMessageRow
from intake.app import batches, inbound
from intake.app.inbound import poll
from intake.domain.model import ParsedMail
from intake.sorting import readsort
from intake.sorting.classify import DeskIdentity
from intake.sorting.sortmail import Sorted

INBOX = sorted((SAMPLES / "inbox").glob("*.eml"))
SEED_LETTER = (SAMPLES / "inbox" / "01-letter-seed-nyc-ice.eml").read_bytes()


def _fill(desk: Desk) -> None:
    for path in INBOX:
        desk.deliver(path.read_bytes())
        desk.clock.advance(seconds=1)
    for n in range(6):  # the seed letter again, from six other readers: a campaign
        copy = SEED_LETTER.replace(b"\nMessage-ID: <", f"\nMessage-ID: <copy{n}-".encode())
        copy = copy.replace(b"<maibe.ponet@", f"<reader{n}@".encode())
        desk.deliver(copy)
        desk.clock.advance(seconds=1)


def _outcome(desk: Desk) -> tuple[list[tuple[str, str, int]], list[tuple[str, str]], list[str]]:
    """Each message's status, category and tries; each letter's state; each request's
    recipient."""
    with desk.deps.store.session() as s:
        raws = s.exec(select(RawMessageRow).order_by(RawMessageRow.id)).all()  # type: ignore[arg-type]
        letters = s.exec(select(LetterRow).order_by(LetterRow.id)).all()  # type: ignore[arg-type]
        out = s.exec(select(OutboundRow).order_by(OutboundRow.id)).all()  # type: ignore[arg-type]
        return (
            [(r.status, r.category, r.attempts) for r in raws],
            [(letter.state, letter.findings) for letter in letters],
            [f"{o.purpose} {o.recipients}" for o in out],
        )


def _commits(desk: Desk) -> list[int]:
    counted = [0]

    @event.listens_for(desk.deps.store.engine, "commit")
    def _count(_conn: Any) -> None:
        counted[0] += 1

    return counted


def test_a_batch_commits_once_and_does_what_one_at_a_time_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batched = make_desk(tmp_path / "batched")
    _fill(batched)
    commits = _commits(batched)
    report = poll(batched.deps)
    messages = len(INBOX) + 6
    assert report.fetched == messages
    # the fetch, the tries counted, the batch, the inbox marks and a few reads: not two
    # transactions a message, as one at a time takes
    assert commits[0] < messages

    monkeypatch.setattr(batches, "HANDLE_BATCH", 1)
    alone = make_desk(tmp_path / "alone")
    _fill(alone)
    commits = _commits(alone)
    poll(alone.deps)
    assert commits[0] > 2 * messages
    assert _outcome(batched) == _outcome(alone)
    raws, letters, requests = _outcome(batched)
    assert len(letters) >= 7 and any("campaign" in findings for _, findings in letters)
    assert requests and all(tries == 1 for _, _, tries in raws)


def test_a_message_that_raises_rolls_its_batch_back_and_the_others_are_handled_alone(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = readsort.sort_mail

    def fails_on_poison(mail: ParsedMail, identity: DeskIdentity, **options: Any) -> Sorted:
        if "poison" in mail.subject:
            raise RuntimeError("a bug")
        return real(mail, identity, **options)

    monkeypatch.setattr(readsort, "sort_mail", fails_on_poison)
    desk.deliver(SEED_LETTER.replace(b"\nMessage-ID: <", b"\nMessage-ID: <first-", 1))
    desk.deliver(SEED_LETTER.replace(b"\nSubject: ", b"\nSubject: poison ", 1))
    desk.deliver(SEED_LETTER.replace(b"\nMessage-ID: <", b"\nMessage-ID: <third-", 1))
    report = poll(desk.deps)
    assert report.quarantined == 1 and report.letters == 2 and report.duplicates == 0
    raws, letters, _ = _outcome(desk)
    assert [status for status, _, _ in raws] == ["processed", "quarantined", "processed"]
    assert [tries for _, _, tries in raws] == [1, 1, 1]  # the batch's try is the one counted
    assert len(letters) == 2  # the first letter's rolled-back copy left nothing behind
    with desk.deps.store.session() as s:
        note = s.exec(select(RawMessageRow.note).where(RawMessageRow.id == 2)).one()
    assert note == "internal error: RuntimeError: a bug"


def test_a_message_tried_before_is_handled_alone(desk: Desk) -> None:
    for n in range(3):
        desk.deliver(SEED_LETTER.replace(b"\nMessage-ID: <", f"\nMessage-ID: <m{n}-".encode()))
    inbound.fetch_new(desk.deps, desk.deps.open_mailbox(), batches.PollReport())
    with desk.deps.store.session() as s:
        second = s.exec(select(RawMessageRow).where(RawMessageRow.id == 2)).one()
        second.attempts = 1  # its try ended the process
        s.add(second)
    waiting = desk.deps.store.raws_to_process()
    assert [[raw.id for raw in batch] for batch in batches._batches(waiting)] == [[1], [2], [3]]
    report = poll(desk.deps)
    assert report.letters == 3
    raws, _, _ = _outcome(desk)
    assert [tries for _, _, tries in raws] == [1, 2, 1]


def _backlog(desk: Desk, copies: int) -> None:
    """*copies* letters from as many readers, the samples among them: more than a batch."""
    _fill(desk)
    for n in range(copies):
        copy = SEED_LETTER.replace(b"\nMessage-ID: <", f"\nMessage-ID: <b{n}-".encode())
        desk.deliver(copy.replace(b"<maibe.ponet@", f"<writer{n}@".encode()))
        desk.clock.advance(seconds=1)


def test_a_backlog_sorted_by_a_sorting_process_is_handled_as_in_the_poll(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pooled = make_desk(tmp_path / "pooled")
    assert pooled.deps.sort_pool is not None  # the default: one sorting process
    used: list[int] = []
    start = pooled.deps.sort_pool

    def counted(*args: Any) -> Any:
        pool = start(*args)
        real_take = pool.take

        def take(raw_id: int) -> Any:
            answer = real_take(raw_id)
            used.append(answer is not None)
            return answer

        monkeypatch.setattr(pool, "take", take)
        return pool

    _backlog(pooled, 2 * batches.HANDLE_BATCH)
    assert (
        poll(replace(pooled.deps, sort_pool=counted)).fetched
        == len(INBOX) + 6 + 2 * batches.HANDLE_BATCH
    )
    here = make_desk(tmp_path / "here", extra="[classify]\nsort_processes = 0\n")
    assert here.deps.sort_pool is None
    _backlog(here, 2 * batches.HANDLE_BATCH)
    poll(here.deps)
    assert _outcome(pooled) == _outcome(here)
    assert sum(used) > batches.HANDLE_BATCH  # the sorting process answered for most


def test_a_sorting_process_that_dies_leaves_its_messages_to_the_poll(tmp_path: Path) -> None:
    pooled = make_desk(tmp_path / "pooled")
    start = pooled.deps.sort_pool
    assert start is not None

    def dying(*args: Any) -> Any:
        pool = start(*args)
        for process in pool._processes:
            process.proc.kill()  # as if a message crashed it (or the OOM killer came)
        return pool

    _backlog(pooled, batches.HANDLE_BATCH)
    poll(replace(pooled.deps, sort_pool=dying))
    here = make_desk(tmp_path / "here", extra="[classify]\nsort_processes = 0\n")
    _backlog(here, batches.HANDLE_BATCH)
    poll(here.deps)
    assert _outcome(pooled) == _outcome(here)


def _sorting_processes(mark: str) -> list[int]:
    """The sorting processes (alive, not yet reaped zombies) started with *mark* in their
    environment."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if (
                proc.name.isdigit()
                and mark.encode() in (proc / "environ").read_bytes()
                and b"intake.adapters.sortpool" in (proc / "cmdline").read_bytes()
            ):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads /proc")
def test_a_killed_poll_leaves_no_sorting_process_behind(tmp_path: Path) -> None:
    desk = make_desk(tmp_path, cli=True)
    _backlog(desk, batches.HANDLE_BATCH)
    mark = f"INTAKE_TEST_MARK=pool-{os.getpid()}-{time.monotonic_ns()}"
    # SIGKILL inside the first batch: the sorting process has the next two batches in hand
    env = {**os.environ, "INTAKE_FAULT": "handling:20", mark.split("=")[0]: mark.split("=")[1]}
    command = [sys.executable, "-m", "intake", "--config", str(tmp_path / "intake.toml"),
               "poll", "--once"]  # fmt: skip
    killed = subprocess.run(command, check=False, env=env, cwd=tmp_path, capture_output=True,
                            timeout=120)  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    deadline = time.monotonic() + 10
    while _sorting_processes(mark) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _sorting_processes(mark) == []
