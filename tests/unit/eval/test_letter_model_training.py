"""bench/train_letter_model.py: the shipped weights are what it trains, from the tuning part only."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "bench"))

import train_letter_model as training

from intake.sorting.letterweights import LETTER_AT_LEAST, VETO_BELOW, WEIGHTS


@pytest.fixture(scope="module")
def examples() -> list[training.Example]:
    return training.examples()


def test_it_learns_from_the_tuning_part_and_the_fixtures_only(
    examples: list[training.Example],
) -> None:
    assert len(examples) >= 250
    assert {
        e.path.split("/")[0] + "/" + e.path.split("/")[1]
        for e in examples
        if e.path.startswith("desk/")
    } == {"desk/tune"}
    assert all(e.path.startswith(("desk/tune/", "mail/")) for e in examples)
    assert sum(e.letter for e in examples) >= 100


def test_the_shipped_weights_are_what_the_script_trains(
    examples: list[training.Example],
) -> None:
    weights = training.shipped(training.train(examples))
    thresholds = training.pick_thresholds(examples)
    stale = "stale weights: run `python bench/train_letter_model.py` and commit letterweights.py"
    assert (weights, thresholds) == (WEIGHTS, (VETO_BELOW, LETTER_AT_LEAST)), stale
    text = training.render(weights, thresholds, examples)
    assert text == training.OUT.read_text(encoding="utf-8"), stale  # byte for byte


def test_the_fit_finds_the_minimum_of_its_loss() -> None:
    # two separable messages: the penalised optimum has a gradient of zero, which L-BFGS finds
    data = [
        training.Example("a", True, {"bias": 1.0, "w:disagree": 1.0}, "letter"),
        training.Example("b", False, {"bias": 1.0, "w:invoice": 1.0}, "other"),
        training.Example("c", True, {"bias": 1.0, "w:disagree": 1.0, "w:invoice": 1.0}, "letter"),
    ]
    weights = training.fit(data, ["bias", "w:disagree", "w:invoice"], c=1.0)
    assert weights["w:disagree"] > 0 > weights["w:invoice"]
    for name in ("w:disagree", "w:invoice"):
        pull = sum(
            ((1.0 if e.letter else 0.0) - training.probability(e.found, weights))
            * e.found.get(name, 0.0)
            for e in data
        )
        assert abs(pull - weights[name]) < 1e-5  # d/dw: w/C = sum (y - p) x
