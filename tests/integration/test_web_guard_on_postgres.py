"""Two editors acting on one letter at the same moment, on PostgreSQL: the second is told.

:func:`intake.app.webdesk.guarded` takes the letter for writing before it reads the
version; the same race is run on SQLite in ``tests/service/test_web_actions.py``.
"""

from __future__ import annotations

import threading
from pathlib import Path

from fakes import FakeClock, deliver_at

from intake.app import desk, webdesk
from intake.app.queueview import show_in
from intake.app.work import Work, begin, carry_out
from intake.config import load_settings
from intake.worker import build_deps, init, tick

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def test_the_second_of_two_editors_at_once_is_told_on_postgresql(
    fresh_postgres_url: str, tmp_path: Path
) -> None:
    config = (f'[desk]\naddress = "letters@news.test"\ndata_dir = "data"\n'
              f'[articles]\nsource = "{SAMPLES / "articles.csv"}"\n'
              f'[database]\nurl = "{fresh_postgres_url}"\n')  # fmt: skip
    settings = load_settings(config, {}, path=tmp_path / "intake.toml", cwd=tmp_path)
    clock = FakeClock()
    deps = build_deps(settings, {}, clock=clock)
    init(settings, deps)
    sample = (SAMPLES / "inbox" / "01-letter-seed-nyc-ice.eml").read_bytes()
    deliver_at(settings.local.maildir, sample, clock.now())
    tick(deps)
    with begin(deps) as work:
        seen = webdesk.letter_version(work.session, 1)
    checked, go_on = threading.Event(), threading.Event()

    def first_edit(work: Work) -> desk.Outcome:
        checked.set()
        assert go_on.wait(20)
        return desk.edit(work, 1, "The first editor's text.\n", actor="a@news.test")

    def second_edit(work: Work) -> desk.Outcome:
        return desk.edit(work, 1, "The second editor's text.\n", actor="b@news.test")

    outcome: list[str] = []

    def second() -> None:
        try:
            carry_out(deps, lambda work: webdesk.guarded(work, 1, seen, second_edit))
            outcome.append("overwrote")
        except webdesk.Changed:
            outcome.append("told")

    first = threading.Thread(
        target=carry_out, args=(deps, lambda work: webdesk.guarded(work, 1, seen, first_edit))
    )
    first.start()
    assert checked.wait(20)
    late = threading.Thread(target=second)
    late.start()
    late.join(0.5)  # the second editor acts while the first's action is under way
    go_on.set()
    first.join(30)
    late.join(40)
    assert outcome == ["told"]
    with begin(deps) as work:
        assert show_in(work, 1)["letter_text"] == "The first editor's text.\n"
    deps.store.engine.dispose()
