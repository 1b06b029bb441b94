"""The sorting processes answer as the poll's own process would, and never outlive it.

A message's answer is the one :func:`read_and_sort` gives here; a message over its time
budget comes back as such; a process that dies leaves its messages to the poll; a process
whose stdin closes (the poll closed the pool, or was killed) ends at once, even mid-batch.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

from intake.adapters.sortpool import SILENCE_SECONDS, SortPool, _send
from intake.sorting.articles import Catalogue
from intake.sorting.classify import DeskIdentity
from intake.sorting.readsort import SortRules, read_and_sort
from intake.sorting.relays import RelaySenders

MAIL = Path(__file__).resolve().parents[2] / "data" / "mail"
RULES = SortRules(desk=DeskIdentity(address="letters@news.test", own_domains=("news.test",)),
                  relays=RelaySenders(()), timezone="UTC", max_message_bytes=2**20)  # fmt: skip
CATALOGUE = Catalogue(())


def _messages(count: int) -> list[tuple[int, bytes]]:
    paths = sorted(MAIL.rglob("*.eml"))[:count]
    return [(n, path.read_bytes()) for n, path in enumerate(paths, start=1)]


def test_each_answer_is_the_one_the_poll_would_give_itself() -> None:
    messages = _messages(40)
    with SortPool(RULES, lambda: CATALOGUE, processes=1, budget_seconds=30) as pool:
        pool.submit(messages[:20])
        pool.submit(messages[20:])
        for raw_id, raw in messages:
            pool.wait(raw_id)
            answer = pool.take(raw_id)
            assert answer is not None and answer.catalogue is CATALOGUE
            assert answer.ready == read_and_sort(raw, RULES, CATALOGUE)
            assert pool.take(raw_id) is None  # once


def test_a_message_never_given_or_dropped_is_sorted_by_the_poll() -> None:
    messages = _messages(3)
    with SortPool(RULES, lambda: CATALOGUE, processes=1, budget_seconds=30) as pool:
        pool.wait(99)
        assert pool.take(99) is None
        pool.submit(messages)
        pool.drop([1])
        pool.wait(1)
        assert pool.take(1) is None
        pool.wait(2)
        assert pool.take(2) is not None


def test_it_has_room_while_no_process_holds_more_than_its_share_unanswered() -> None:
    messages = _messages(3)
    with SortPool(RULES, lambda: CATALOGUE, processes=1, budget_seconds=30) as pool:
        assert pool.has_room(0)  # nothing given: nothing waits
        process = pool._processes[0].proc
        os.kill(process.pid, signal.SIGSTOP)  # it answers nothing until it goes on
        try:
            pool.submit(messages)
            assert pool.has_room(3) and not pool.has_room(2)
        finally:
            os.kill(process.pid, signal.SIGCONT)
        for raw_id, _ in messages:
            pool.wait(raw_id)
        assert pool.has_room(0)  # all answered
        process.kill()
        process.wait()
        deadline = time.monotonic() + 10
        while pool._processes[0].alive and time.monotonic() < deadline:
            time.sleep(0.01)  # until its reading thread has seen it end
        assert not pool.has_room(100)  # a dead process takes nothing


def test_a_process_that_cannot_read_its_work_ends_and_leaves_it_to_the_poll() -> None:
    # as after an upgrade in place: the fresh interpreter cannot load what the poll sends
    messages = _messages(2)
    with SortPool(RULES, lambda: CATALOGUE, processes=1, budget_seconds=30) as pool:
        process = pool._processes[0]
        assert process.proc.stdin is not None
        _send(process.proc.stdin, b"not a pickle")
        pool.submit(messages)
        started = time.monotonic()
        for raw_id, _ in messages:
            pool.wait(raw_id)
            assert pool.take(raw_id) is None  # sorted in the poll
        assert time.monotonic() - started < 10
        assert process.proc.wait(10) != 0


def test_a_silent_process_is_ended_after_a_budget_and_its_grace() -> None:
    messages = _messages(2)
    with SortPool(RULES, lambda: CATALOGUE, processes=1, budget_seconds=0.5) as pool:
        process = pool._processes[0]
        os.kill(process.proc.pid, signal.SIGSTOP)  # alive, answering nothing
        try:
            pool.submit(messages)
            started = time.monotonic()
            pool.wait(1)
            waited = time.monotonic() - started
        finally:
            os.kill(process.proc.pid, signal.SIGCONT)
        assert 0.5 + SILENCE_SECONDS - 1 < waited < 0.5 + SILENCE_SECONDS + 5
        assert not process.alive and pool.take(1) is None and pool.take(2) is None
        assert process.proc.wait(10) == -signal.SIGKILL


def test_a_wait_ends_when_the_poll_is_asked_to_stop() -> None:
    stop = threading.Event()
    with SortPool(RULES, lambda: CATALOGUE, processes=1, budget_seconds=30) as pool:
        process = pool._processes[0]
        os.kill(process.proc.pid, signal.SIGSTOP)
        try:
            pool.submit(_messages(1))
            threading.Thread(target=lambda: (time.sleep(0.3), stop.set()), daemon=True).start()
            started = time.monotonic()
            pool.wait(1, stop)
            assert time.monotonic() - started < 3
        finally:
            os.kill(process.proc.pid, signal.SIGCONT)


def test_a_message_over_its_budget_comes_back_as_over_budget() -> None:
    letter = b"From: a@example.org\r\nSubject: hello\r\n\r\n" + b"A letter, word by word. " * 40_000
    with SortPool(RULES, lambda: CATALOGUE, processes=1, budget_seconds=0.001) as pool:
        pool.submit([(1, letter)])
        pool.wait(1)
        answer = pool.take(1)
    assert answer is not None and answer.ready.over_budget == 0.001 and answer.ready.read is None


def test_a_dead_process_leaves_its_messages_to_the_poll() -> None:
    messages = _messages(5)
    with SortPool(RULES, lambda: CATALOGUE, processes=1, budget_seconds=30) as pool:
        pool._processes[0].proc.kill()
        pool._processes[0].proc.wait()
        pool.submit(messages)  # to a dead process: nothing waits for it
        for raw_id, _ in messages:
            pool.wait(raw_id)
            assert pool.take(raw_id) is None


def test_a_process_ends_at_once_when_its_stdin_closes_even_mid_batch() -> None:
    pool = SortPool(RULES, lambda: CATALOGUE, processes=1, budget_seconds=30)
    proc = pool._processes[0].proc
    try:
        pool.submit(_messages(200) * 5)
        assert proc.stdin is not None
        proc.stdin.close()  # what the poll's death does to it
        assert proc.wait(timeout=5) == 0
    finally:
        pool.close()
    assert isinstance(proc, subprocess.Popen)
