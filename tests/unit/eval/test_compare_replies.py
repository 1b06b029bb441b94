"""intake's reply extraction against three maintained libraries, on the corpus."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT / "bench"))

from compare_replies import OTHERS, compare


def test_intake_matches_90_percent_and_beats_each_library() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    table = compare(CORPUS)
    passed, total = table["intake"]
    assert total >= 50
    assert passed / total >= 0.9
    for name in OTHERS:
        assert table[name][1] == total
        assert table[name][0] < passed, (name, table)
