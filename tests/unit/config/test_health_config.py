"""[health]: when the worker counts as stopped, and where its health is served."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from intake.config import load_settings
from intake.domain.errors import ConfigError


def test_stopped_after_stale_minutes_or_three_rounds(tmp_path: Path) -> None:
    assert load_settings("", {}, cwd=tmp_path).stale_after == timedelta(minutes=15)
    hourly = load_settings("[schedule]\npoll_seconds = 3600\n", {}, cwd=tmp_path)
    assert hourly.stale_after == timedelta(hours=3)  # rounds an hour apart are not a stop
    set_ = load_settings("[health]\nstale_minutes = 40\n", {}, cwd=tmp_path)
    assert set_.stale_after == timedelta(minutes=40)


def test_listen_is_off_by_default_and_host_colon_port_when_set(tmp_path: Path) -> None:
    assert load_settings("", {}, cwd=tmp_path).health.listen_at is None
    ipv4 = load_settings('[health]\nlisten = "127.0.0.1:9464"\n', {}, cwd=tmp_path)
    assert ipv4.health.listen_at == ("127.0.0.1", 9464)
    ipv6 = load_settings('[health]\nlisten = "[::1]:9464"\n', {}, cwd=tmp_path)
    assert ipv6.health.listen_at == ("::1", 9464)
    for bad in ("9464", "localhost", "127.0.0.1:", "127.0.0.1:99999", ":9464"):
        with pytest.raises(ConfigError, match=r"^config: health\.listen: must be HOST:PORT"):
            load_settings(f'[health]\nlisten = "{bad}"\n', {}, cwd=tmp_path)
