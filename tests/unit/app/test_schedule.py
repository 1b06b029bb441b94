"""The worker's schedule as :mod:`intake.app.schedule` builds it, apart from the wiring."""

from __future__ import annotations

from pathlib import Path

from intake.app.rounds import JobWatch
from intake.app.schedule import MAIN_THREAD, scheduler_for
from intake.config import load_settings
from intake.worker import build_deps


def test_the_catalogue_job_needs_a_feed_and_something_that_reloads_it(tmp_path: Path) -> None:
    csv = tmp_path / "articles.csv"
    csv.write_text("url,title,author,author_email,published\n")
    settings = load_settings(f'[articles]\nsource = "{csv}"\n', {}, cwd=tmp_path)
    deps = build_deps(settings, {})

    def refresh() -> str:
        return "0 articles"

    with_feed = {j.id: j for j in scheduler_for(settings, deps, JobWatch(), refresh).get_jobs()}
    assert with_feed["catalogue"].args[1] is refresh
    assert with_feed["tick"].executor == MAIN_THREAD  # the time limit's alarm reaches it
    without = {j.id for j in scheduler_for(settings, deps, JobWatch(), None).get_jobs()}
    assert "catalogue" not in without and "tick" in without
