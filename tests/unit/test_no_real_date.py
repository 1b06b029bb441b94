"""No unit or service test reads the real date: the next date bomb fails review, not CI next week.

The fast suites also run under faketime (``./run test``); this walk catches the
calls that would only go wrong on some later day.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
FAST_SUITES = [TESTS / "unit", TESTS / "service", TESTS / "fakes.py", TESTS / "conftest.py"]
# attribute chains that read the wall clock
REAL_DATE_READS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "localtime"),
    ("time", "gmtime"),
    ("utils", "formatdate"),
    ("utils", "localtime"),
}
# the wall-clock adapter's own test
ALLOWED = {TESTS / "unit" / "adapters" / "test_clock.py"}


def _files() -> list[Path]:
    found: list[Path] = []
    for place in FAST_SUITES:
        found.extend([place] if place.is_file() else sorted(place.rglob("*.py")))
    return [path for path in found if path not in ALLOWED]


def _reads_of_real_date(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hits = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute):
            owner = func.value
            name = (
                owner.id
                if isinstance(owner, ast.Name)
                else owner.attr
                if isinstance(owner, ast.Attribute)
                else ""
            )
            if (name, func.attr) in REAL_DATE_READS:
                hits.append(f"{path.name}:{node.lineno} {name}.{func.attr}")
        elif (
            isinstance(func, ast.Name) and func.id in {"formatdate", "localtime"} and not node.args
        ):
            hits.append(f"{path.name}:{node.lineno} {func.id}() without a time")
    return hits


def test_no_fast_test_reads_the_real_date() -> None:
    hits = [hit for path in _files() for hit in _reads_of_real_date(path)]
    assert hits == [], "use fakes.FakeClock / fakes.FROZEN_AT instead:\n" + "\n".join(hits)


def test_the_walk_finds_a_real_date_read(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import datetime, time\nfrom email.utils import formatdate\n"
        "a = datetime.datetime.now()\nb = datetime.date.today()\nc = time.time()\n"
        "d = formatdate()\ne = formatdate(0)\n"
    )
    assert len(_reads_of_real_date(sample)) == 4
