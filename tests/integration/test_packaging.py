"""`pip install .` ships templates, config and samples, and runs from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = (
    "import intake, sys; print(intake.__file__); "
    "from intake.cli import main; sys.exit(main(['demo', '--dir', 'd']))"
)


def test_the_wheel_carries_its_data_and_runs_the_demo_elsewhere(tmp_path: Path) -> None:
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(ROOT)],
        capture_output=True, text=True, timeout=300, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("intake-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "intake/_data/templates/mail/author_request.txt",
        "intake/_data/templates/publish/pair.md",
        "intake/_data/config/intake.example.toml",
        "intake/_data/config/house_style.toml",
        "intake/_data/templates/publish/page.html",
        "intake/_data/samples/articles.csv",
        "intake/cli/main.py",
        "intake/config/sections.py",
        "intake/adapters/migrations/env.py",
        "intake/adapters/migrations/script.py.mako",
        "intake/adapters/migrations/versions/r0001_baseline.py",
    ):
        assert needed in names, needed

    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120, check=False,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(str(target))  # the installed copy, not the source tree
    assert "Michelle Chen responds:" in run.stdout
