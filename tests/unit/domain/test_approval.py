"""What keeps a ready letter from automatic approval: each flag on its own, and none."""

from __future__ import annotations

import pytest

from intake.domain.approval import ApprovalFacts, needs_an_editor


def sure(**flags: object) -> ApprovalFacts:
    """A letter the classifier is sure of, with *flags*."""
    return ApprovalFacts(confidence=0.9, review_below=0.6, **flags)  # type: ignore[arg-type]


def test_a_letter_with_no_flag_needs_no_editor() -> None:
    assert needs_an_editor(sure()) == ()


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        (
            sure(reply_mostly_cut=True),
            "most of the reply was cut",
        ),
        (
            sure(findings=("word_limit: 300 words",)),
            "policy findings (1)",
        ),
        (sure(campaign=True), "part of a campaign"),
        (ApprovalFacts(confidence=0.55, review_below=0.6), "low confidence (0.55)"),
        (
            sure(response_by_editor=True),
            "held reply an editor accepted",
        ),
        (
            sure(was_set_aside=True),
            "under review or on hold",
        ),
    ],
)
def test_each_flag_alone_keeps_the_letter_for_an_editor(facts: ApprovalFacts, reason: str) -> None:
    (found,) = needs_an_editor(facts)
    assert reason in found
