"""Sorting processes: stored mail read and sorted on the other cores, ahead of its handling.

Owns the processes ``[classify] sort_processes`` asks for and the pipes to them.  A poll
with a backlog starts them (:class:`SortPool`), gives them the next batches' bytes
(:meth:`SortPool.submit`) while it handles the batch in hand, and takes each message's
:class:`intake.sorting.readsort.Ready` when it comes to it (:meth:`SortPool.wait`, then
:meth:`SortPool.take`).  A message the pool has no answer for (never given to it, its process
ended, it raised there) is read and sorted in the poll's own process, as without a pool.

Each process is ``python -m intake.adapters.sortpool``: a fresh interpreter that imports
the pure core and this module, never the database, the web desk or the scheduler (nor a
copy of the poll's threads, as ``fork`` would).  It reads its work from its stdin and
writes each message's answer, pickled, on its stdout; each message gets the time budget
(``classify.budget_seconds``) there, and one that runs over it comes back as
``Ready(over_budget=...)``.  Its stdin closing (the poll closed the pool, or was killed)
ends it at once: a sorting process never outlives its poll.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import struct
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any, NamedTuple, Self

from intake.adapters.memory import return_large_buffers
from intake.adapters.timelimit import AlarmTimeLimit
from intake.domain.errors import OverBudget
from intake.sorting.articles import Catalogue
from intake.sorting.readsort import Ready, SortRules, read_and_sort

log = logging.getLogger(__name__)

_LENGTH = struct.Struct("!Q")
CLOSE_SECONDS = 5.0  # how long a closed process may take to end before it is killed
SILENCE_SECONDS = 10.0  # past one message's budget: a process silent this long is stuck
WAKE_SECONDS = 0.5  # how often a wait looks at the clock and at the stop signal


def _send(out: IO[bytes], data: bytes) -> None:
    out.write(_LENGTH.pack(len(data)))
    out.write(data)
    out.flush()


def _receive(into: IO[bytes]) -> bytes | None:
    """The next frame, or ``None`` at the end of the stream."""
    head = into.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(head)
    data = into.read(size)
    return data if len(data) == size else None


class Answer(NamedTuple):
    """A message read and sorted by a sorting process, and the catalogue it was given."""

    ready: Ready
    catalogue: Catalogue


class _Process:
    """One sorting process, the catalogue it holds, and the thread reading its answers."""

    def __init__(self, pool: SortPool, number: int) -> None:
        package_root = str(Path(__file__).resolve().parents[2])
        path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            # one malloc arena: the reading thread's own would hold memory for nothing
            env={"MALLOC_ARENA_MAX": "1", **os.environ, "PYTHONPATH": path},
        )
        self.alive = True
        self.heard = time.monotonic()  # its last answer, or the work given it while idle
        self.catalogue: Catalogue | None = None
        self.reader = threading.Thread(
            target=pool._read_answers, args=(self,), name=f"sortpool-{number}", daemon=True
        )
        self.reader.start()

    def send(self, message: tuple[Any, ...]) -> bool:
        """Send *message*; ``False`` when the process has ended."""
        if not self.alive or self.proc.stdin is None:
            return False
        try:
            _send(self.proc.stdin, pickle.dumps(message, pickle.HIGHEST_PROTOCOL))
        except OSError:
            return False
        return True


class SortPool:
    """Processes reading and sorting stored mail for this poll (see the module's text)."""

    def __init__(self, rules: SortRules, catalogue: Callable[[], Catalogue], *, processes: int,
                 budget_seconds: float) -> None:  # fmt: skip
        self._catalogue = catalogue
        self._budget_seconds = budget_seconds
        self._ready = threading.Condition()
        self._owner: dict[int, _Process] = {}  # message → the process sorting it
        self._catalogue_of: dict[int, Catalogue] = {}  # message → the catalogue it was sent
        self._answers: dict[int, bytes] = {}  # message → its Ready, pickled (b"": sort here)
        self._processes = [_Process(self, n) for n in range(processes)]
        self._closed = threading.Event()
        # wakes the waits every WAKE_SECONDS, to look at the clock and the stop signal: a
        # sleeping thread, not a timed wait (which libfaketime's shifted clocks never end)
        threading.Thread(target=self._tick, name="sortpool-watch", daemon=True).start()
        self._next = 0
        for process in self._processes:
            process.send(("rules", rules, budget_seconds))

    def submit(self, messages: list[tuple[int, bytes]]) -> None:
        """Have *messages* (raw id, bytes) read and sorted, all by one process."""
        alive = [p for p in self._processes if p.alive]
        if not messages or not alive:
            return
        process = alive[self._next % len(alive)]
        self._next += 1
        catalogue = self._catalogue()
        if catalogue is not process.catalogue:
            process.catalogue = catalogue
            if not process.send(("catalogue", catalogue)):
                return
        with self._ready:
            if not any(p is process for r, p in self._owner.items() if r not in self._answers):
                process.heard = time.monotonic()  # idle until now: its silence starts here
            self._owner.update((raw_id, process) for raw_id, _ in messages)
            self._catalogue_of.update((raw_id, catalogue) for raw_id, _ in messages)
        if not process.send(("sort", messages)):
            self.drop(raw_id for raw_id, _ in messages)

    def has_room(self, messages: int) -> bool:
        """Whether the live processes have no more than *messages* each still to answer:
        whether more given to them would be sorted before the poll could sort it itself."""
        with self._ready:
            alive = sum(1 for process in self._processes if process.alive)
            waiting = sum(
                1
                for raw_id, process in self._owner.items()
                if process.alive and raw_id not in self._answers
            )
        return alive > 0 and waiting <= messages * alive

    def wait(self, raw_id: int, stop: threading.Event | None = None) -> None:
        """Wait until the answer for *raw_id* is in, or will never be (outside any budget).

        It will never be when its process ended, or has answered nothing for longer than
        one message's budget allows (:data:`SILENCE_SECONDS` past it: each message there
        answers within its budget, over it or not): that process is ended, and what it
        held is sorted in the poll.  *stop* set ends the wait too (the poll sorts it).
        """
        with self._ready:
            while (process := self._owner.get(raw_id)) is not None and process.alive:
                if raw_id in self._answers or (stop is not None and stop.is_set()):
                    return
                silent = time.monotonic() - process.heard
                if silent > self._budget_seconds + SILENCE_SECONDS:
                    log.warning("sorting process %s answered nothing for %.0f s: ended; the "
                                "poll sorts its messages itself", process.proc.pid, silent)  # fmt: skip
                    process.alive = False
                    process.proc.kill()
                    self._ready.notify_all()
                    return
                self._ready.wait()  # an answer, an end, or the watch's tick

    def take(self, raw_id: int) -> Answer | None:
        """The answer for *raw_id*, once; ``None``: read and sort it here."""
        with self._ready:
            self._owner.pop(raw_id, None)
            catalogue = self._catalogue_of.pop(raw_id, None)
            answer = self._answers.pop(raw_id, b"")
        if not answer or catalogue is None:
            return None
        try:
            ready = pickle.loads(answer)
        except Exception:  # whatever it was, the message is sorted here instead
            log.exception("raw message %s: the sorting process's answer did not load", raw_id)
            return None
        return Answer(ready, catalogue) if isinstance(ready, Ready) else None

    def drop(self, raw_ids: Iterable[int]) -> None:
        """Forget the answers for *raw_ids* (handled, or left for another poll)."""
        with self._ready:
            for raw_id in raw_ids:
                self._owner.pop(raw_id, None)
                self._catalogue_of.pop(raw_id, None)
                self._answers.pop(raw_id, None)

    def _tick(self) -> None:
        while not self._closed.is_set():
            time.sleep(WAKE_SECONDS)
            with self._ready:
                self._ready.notify_all()

    def close(self) -> None:
        """End the processes (their stdin closes: they exit at once) and wait for them."""
        self._closed.set()
        for process in self._processes:
            if (peak := _peak_mb(process.proc.pid)) is not None:
                log.info("sorting process %s: peak RSS %s MB", process.proc.pid, peak)
            process.alive = False
            if process.proc.stdin is not None:
                with contextlib.suppress(OSError):
                    process.proc.stdin.close()
        for process in self._processes:
            try:
                process.proc.wait(CLOSE_SECONDS)
            except subprocess.TimeoutExpired:
                process.proc.kill()
                process.proc.wait()
            process.reader.join(CLOSE_SECONDS)
            if process.proc.stdout is not None:
                process.proc.stdout.close()
        with self._ready:
            self._owner.clear()
            self._catalogue_of.clear()
            self._answers.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _read_answers(self, process: _Process) -> None:
        """The reading thread of *process*: file each answer; at the end, say so."""
        out = process.proc.stdout
        try:
            while out is not None and (frame := _receive(out)) is not None:
                raw_id, answer = _ID.unpack_from(frame)[0], frame[_ID.size :]
                with self._ready:
                    process.heard = time.monotonic()
                    if self._owner.get(raw_id) is process:
                        self._answers[raw_id] = answer
                        self._ready.notify_all()
        except (OSError, ValueError):
            pass
        finally:
            with self._ready:
                if process.alive:
                    code = process.proc.poll()
                    log.warning("a sorting process ended (exit status %s): its messages are "
                                "sorted in the poll's own process", code)  # fmt: skip
                process.alive = False
                self._ready.notify_all()


_ID = struct.Struct("!q")


def _peak_mb(pid: int) -> int | None:
    """A process's own peak RSS (Linux), which ``getrusage`` cannot tell: a child's there
    starts at its parent's peak (the memory it was started from)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return None


def _serve() -> None:
    """A sorting process: read messages from stdin, answer each on stdout, until stdin ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the poll decides when to stop, not a ^C
    return_large_buffers()  # as the poll's process does
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to stderr, never into the answers
    work: list[tuple[Any, ...]] = []
    arrived = threading.Condition()

    def read_work() -> None:  # a thread: the poll's writes never wait for a message's sort
        try:
            while (frame := _receive(sys.stdin.buffer)) is not None:
                with arrived:
                    work.append(pickle.loads(frame))
                    arrived.notify()
        except BaseException:  # noqa: BLE001 (work it cannot read: it must not sit alive, idle)
            traceback.print_exc()
            os._exit(1)  # the poll sees it end, and sorts its messages itself
        os._exit(0)  # the poll closed the pool, or is gone: nothing left to answer for

    threading.Thread(target=read_work, name="sortpool-read", daemon=True).start()
    rules: SortRules | None = None
    limit = AlarmTimeLimit(0)
    catalogue = Catalogue(())
    while True:
        with arrived:
            while not work:
                arrived.wait()
            message = work.pop(0)
        kind = message[0]
        if kind == "rules":
            rules, limit = message[1], AlarmTimeLimit(message[2])
        elif kind == "catalogue":
            catalogue = message[1]
        elif kind == "sort" and rules is not None:
            for raw_id, raw in message[1]:
                _send(answers, _ID.pack(raw_id) + _answer(raw, rules, catalogue, limit))


def _answer(raw: bytes, rules: SortRules, catalogue: Catalogue, limit: AlarmTimeLimit) -> bytes:
    """One message's answer, pickled; ``b""`` when it must be sorted in the poll's process."""
    try:
        with limit():
            ready = read_and_sort(raw, rules, catalogue)
        return pickle.dumps(ready, pickle.HIGHEST_PROTOCOL)
    except OverBudget as over:
        return pickle.dumps(Ready(over_budget=over.seconds), pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 (the poll's process tries it, and says what went wrong)
        return b""


if __name__ == "__main__":
    _serve()
