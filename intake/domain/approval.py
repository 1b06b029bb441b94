"""Who approves a letter for print: the approval modes and what keeps a letter from an
automatic approval.

By default (``"editor"``) only an editor's ``approve`` makes a letter publishable.
A desk may choose ``"auto"``: the publishing run then approves a ready letter itself,
unless :func:`needs_an_editor` finds a reason to show it to a person first.  Pure: no
I/O, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

EDITOR: Final = "editor"
AUTO: Final = "auto"
APPROVAL_MODES: Final = (EDITOR, AUTO)
AUTO_ACTOR: Final = "intake (approval = auto)"


@dataclass(frozen=True, slots=True, kw_only=True)
class ApprovalFacts:
    """What the desk knows about a ready letter that bears on approving it unseen."""

    confidence: float  # the classifier's confidence that it is a letter
    review_below: float  # the desk's threshold for review (classify.review_below): no default here
    findings: tuple[str, ...] = ()  # the letters policy's findings
    campaign: bool = False  # part of a form-letter campaign
    reply_mostly_cut: bool = False  # the trail asks an editor to check the cut text
    response_by_editor: bool = False  # an editor put the response in (a held reply accepted)
    was_set_aside: bool = False  # it has been under review or on hold


def needs_an_editor(facts: ApprovalFacts) -> tuple[str, ...]:
    """Return why *facts* keep a letter from automatic approval (empty: nothing does)."""
    reasons = []
    if facts.reply_mostly_cut:
        reasons.append("most of the reply was cut")
    if facts.findings:
        reasons.append(f"policy findings ({len(facts.findings)})")
    if facts.campaign:
        reasons.append("part of a campaign")
    if facts.confidence < facts.review_below:
        reasons.append(f"classified with low confidence ({facts.confidence:.2f})")
    if facts.response_by_editor:
        reasons.append("its response was a held reply an editor accepted")
    if facts.was_set_aside:
        reasons.append("it was under review or on hold")
    return tuple(reasons)
