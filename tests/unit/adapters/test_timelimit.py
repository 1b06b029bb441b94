"""The per-message time limit: interrupts pure work at the budget, and nothing else."""

from __future__ import annotations

import re
import signal
import threading
import time
import types
from collections.abc import Callable

import pytest

from intake.adapters.timelimit import AlarmTimeLimit
from intake.domain.errors import OverBudget

# quadratic in the number of blank lines: about a minute for 20,000 of them
BACKTRACKS = re.compile(r"^\s*(?:x|.{0,200}\bwrote:\s*$)", re.MULTILINE)


def slow_search(blank_lines: int = 20_000) -> float:
    started = time.perf_counter()
    BACKTRACKS.search("\n" * blank_lines)
    return time.perf_counter() - started


def test_a_stuck_pattern_in_pure_code_is_cut_off_at_the_budget() -> None:
    limit = AlarmTimeLimit(0.2, pure=(__name__,))
    started = time.perf_counter()
    with pytest.raises(OverBudget, match=r"classify\.budget_seconds \(0\.2 s\)"), limit():
        slow_search()
    assert time.perf_counter() - started < 1.0
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_code_that_is_not_pure_is_never_interrupted() -> None:
    before = signal.getsignal(signal.SIGALRM)
    with AlarmTimeLimit(0.05, pure=("intake.sorting",))():
        # this module is not on the list: it runs to its end, past the alarm many times over
        # (12,000 lines: about 2 s here; 2,500 once ran in 0.094 s, under the 0.1 s checked)
        took = slow_search(12_000)
    assert took > 0.25
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_work_within_the_budget_is_untouched() -> None:
    with AlarmTimeLimit(5.0, pure=(__name__,))():
        assert BACKTRACKS.search("x") is not None
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_off_the_main_thread_the_limit_is_not_armed() -> None:
    seen: list[tuple[float, float]] = []

    def worker() -> None:
        with AlarmTimeLimit(0.01, pure=(__name__,))():
            seen.append(signal.getitimer(signal.ITIMER_REAL))

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == [(0.0, 0.0)]


def _busy(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def _caller(busy: Callable[[float], None]) -> str:
    busy(0.4)
    return "done"


def _as_if_in(module: str, function: Callable[..., object]) -> Callable[..., object]:
    """*function* with the globals of a module named *module* (what the limit looks at)."""
    return types.FunctionType(function.__code__, {"__name__": module, "time": time})


def test_pure_code_called_from_inside_an_io_library_is_left_alone() -> None:
    """``email`` parsing headers for ``http.client`` (or a driver calling ``re``) is pure
    code, but cutting it would tear the library's state: the limit waits it out."""
    busy = _as_if_in("intake.mail.stand_in", _busy)
    with AlarmTimeLimit(0.1, pure=("intake.mail",))():
        assert _as_if_in("http.stand_in", _caller)(busy) == "done"
    with pytest.raises(OverBudget), AlarmTimeLimit(0.1, pure=("intake.mail",))():
        _as_if_in("intake.app.stand_in", _caller)(busy)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
