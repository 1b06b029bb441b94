"""Shared pytest wiring: the ``--update-golden`` option, the ``golden`` fixture and the frozen clock.

Every test runs on the fake clock's time (:mod:`fakes`): the wall-clock adapter is
pinned to ``FROZEN_AT`` so that commands run in-process (``intake.cli.main``) see the
same instant as the fakes. Only a test marked ``real_clock`` (the adapter's own test)
reads the real date.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fakes import FROZEN_AT

from intake.adapters.clock import SystemClock

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the files under tests/golden/ instead of comparing with them",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with ``tests/golden/<name>``, or rewrite it under ``--update-golden``."""
    update = bool(request.config.getoption("--update-golden"))

    def check(text: str, name: str) -> None:
        path = GOLDEN_DIR / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            return
        if not path.exists():
            pytest.fail(f"no golden file {name}: run pytest --update-golden and review the diff")
        assert text == path.read_bytes().decode("utf-8"), f"output differs from golden {name}"

    return check


@pytest.fixture(autouse=True)
def frozen_wall_clock(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pin the wall-clock adapter to the fake clock's instant, unless marked ``real_clock``."""
    if request.node.get_closest_marker("real_clock") is None:
        monkeypatch.setattr(SystemClock, "now", lambda _self: FROZEN_AT)
