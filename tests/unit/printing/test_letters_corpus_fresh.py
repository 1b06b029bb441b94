"""The fresh part of the letters corpus (tests/data/letters/fresh.toml): well formed, and
reported on its own by bench/eval_letters.py.

The fresh part was written after the print rules, by someone who had not read them, so
it is measured, never held: these tests check the data and that the figures are
reported apart, not what they are (the README gives them).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest
from lettercorpus import DATA, PARTS, REPORTED_PARTS, Letter, letters

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "bench"))

from eval_letters import CHECKS, main, score

FRESH = letters("fresh")


def test_the_fresh_part_is_reported_not_held() -> None:
    assert REPORTED_PARTS == ("fresh",)
    assert "fresh" not in PARTS


def test_the_fresh_part_has_twenty_everyday_letters_of_its_own() -> None:
    bodies = {letter.key.split("/")[0] for letter in FRESH}
    assert len(bodies) >= 20 and all(body.startswith("f-") for body in bodies)
    others = {letter.key.split("/")[0] for part in PARTS for letter in letters(part)}
    assert not bodies & others
    with (ROOT / "samples" / "articles.csv").open(encoding="utf-8", newline="") as f:
        titles = {row["title"] for row in csv.DictReader(f)}
    assert {letter.subject for letter in FRESH} <= titles
    assert len({letter.key.split("/")[1] for letter in FRESH}) >= 10  # sign-offs used


@pytest.mark.parametrize("letter", FRESH, ids=[letter.key for letter in FRESH])
def test_each_expectation_is_the_writers_own_words(letter: Letter) -> None:
    written = "\n".join((*letter.blocks, *letter.sign_off))
    for paragraph in letter.paragraphs:
        assert paragraph in written
    for line in letter.signature:
        assert line in "\n".join(letter.sign_off) or line == letter.from_name
    assert not letter.name or letter.name in letter.signature[0]
    assert not letter.town or letter.town in "\n".join(letter.signature)
    for private in letter.private:  # what must not print is in the mail as sent
        assert private in "\n".join(letter.sign_off)


def test_eval_letters_reports_the_fresh_part_apart(capsys: pytest.CaptureFixture[str]) -> None:
    passed, total, _misses = score("fresh")
    assert total == len(FRESH) and set(passed) == set(CHECKS)
    assert all(0 <= n <= total for n in passed.values())
    assert main([]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out] == [*PARTS, "fresh (reported, not held)"]
    assert out[-1].endswith(f"no contact details {passed['no contact details']}/{total}")


def test_the_data_file_says_it_is_measured_only() -> None:
    header = (DATA / "fresh.toml").read_text(encoding="utf-8").split("[[body]]")[0]
    assert "never held" in header and "never tuned on" in header
