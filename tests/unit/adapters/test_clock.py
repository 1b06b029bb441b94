"""The wall-clock adapter: the one test that reads the real date."""

from __future__ import annotations

import time
from datetime import UTC, timedelta

import pytest

from intake.adapters.clock import SystemClock


@pytest.mark.real_clock
def test_system_clock_is_aware_utc_and_agrees_with_the_os() -> None:
    before = time.time()
    now = SystemClock().now()
    after = time.time()
    assert now.tzinfo is UTC
    assert before - 1 <= now.timestamp() <= after + 1
    assert now.utcoffset() == timedelta(0)
