"""[health]: when the worker counts as stopped, and where its health is served."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from intake.config import load_settings


def test_stopped_after_stale_minutes_or_three_rounds(tmp_path: Path) -> None:
    assert load_settings("", {}, cwd=tmp_path).stale_after == timedelta(minutes=15)
    hourly = load_settings("[schedule]\npoll_seconds = 3600\n", {}, cwd=tmp_path)
    assert hourly.stale_after == timedelta(hours=3)  # rounds an hour apart are not a stop
    set_ = load_settings("[health]\nstale_minutes = 40\n", {}, cwd=tmp_path)
    assert set_.stale_after == timedelta(minutes=40)
