"""The approval gate: nothing is published that nobody approved.

Each publishing run first calls :func:`make_ready`: a letter with its author's
response (``response_received``) and, when the house style prints them, a letter
its author declined or let lapse (``declined``, ``no_response``) becomes ``ready``
— formatted, previewable (``show`` by email, ``intake show``), waiting.  Only
``approve`` (:func:`intake.app.desk.approve`) moves it on to ``approved``, the one
state the publishing run writes out.

With ``[publish] approval = "auto"`` the run approves a ready letter itself, in
the same transaction, unless :func:`intake.domain.approval.needs_an_editor` finds a
flag on it (a reply mostly cut, policy findings, a campaign, low confidence, a
held reply an editor accepted, a letter once under review or on hold); the
``readied`` audit row then says why it waits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlmodel import col, select

from intake.adapters.store import AuditRow, LetterRow, Store, loads
from intake.app.deps import Deps
from intake.app.work import Work, begin
from intake.domain.approval import AUTO, AUTO_ACTOR, ApprovalFacts, needs_an_editor
from intake.domain.errors import StaleState
from intake.domain.lifecycle import Event, LetterState, advance
from intake.printing.housestyle import HouseStyle

log = logging.getLogger(__name__)

S = LetterState
ANSWERED_STATES = (S.response_received,)
UNANSWERED_STATES = (S.no_response, S.declined)
# the trail's event asking an editor to check what the reply extractor cut
CHECK_CUT_EVENT = "check_cut"
# the trail's event for a held reply an editor took as the response
HELD_REPLY_ACCEPTED_EVENT = "held_reply_accepted"
_SET_ASIDE = frozenset({S.needs_review.value, S.held.value})


@dataclass
class GateReport:
    """What one pass of the gate did."""

    ready: list[int] = field(default_factory=list)
    auto_approved: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return f"ready={len(self.ready)} auto-approved={len(self.auto_approved)}"


def approval_facts(work: Work, letter: LetterRow) -> ApprovalFacts:
    """Read what bears on approving *letter* without an editor from its row and its trail."""
    assert letter.id is not None
    trail = work.session.exec(
        select(AuditRow).where(AuditRow.letter_id == letter.id).order_by(col(AuditRow.id))
    ).all()
    return ApprovalFacts(
        findings=tuple(str(f) for f in loads(letter.findings)),
        campaign=letter.campaign_id is not None,
        confidence=letter.confidence,
        review_below=work.deps.policy.review_below,
        reply_mostly_cut=any(a.event == CHECK_CUT_EVENT for a in trail),
        response_by_editor=any(a.event == HELD_REPLY_ACCEPTED_EVENT for a in trail),
        was_set_aside=any(a.target_state in _SET_ASIDE for a in trail),
    )


def waiting_states(style: HouseStyle) -> tuple[LetterState, ...]:
    """The states a letter becomes ready from, as the house style says."""
    return (*ANSWERED_STATES, *(UNANSWERED_STATES if style.publish_unanswered else ()))


def make_ready(deps: Deps, style: HouseStyle) -> GateReport:
    """Move every letter waiting to be formatted to ``ready`` (and, with automatic
    approval, approve the unflagged ones), one letter per transaction."""
    report = GateReport()
    auto = deps.policy.approval == AUTO
    for row in deps.store.letters([state.value for state in waiting_states(style)]):
        assert row.id is not None
        if row.article_id is None:
            continue  # nothing to print it under: the editors assign an article first
        try:
            with begin(deps) as work:
                s, now = work.session, work.now
                letter = s.get(LetterRow, row.id, with_for_update=True)
                if letter is None or letter.state != row.state:
                    continue  # another worker or an editor got there first
                flags = needs_an_editor(approval_facts(work, letter)) if auto else ()
                note = (
                    "waiting for an editor's approve"
                    if not auto
                    else f"not approved automatically: {'; '.join(flags)}"
                    if flags
                    else "approved automatically ([publish] approval = auto)"
                )
                Store.apply(s, advance(row.id, S(letter.state), Event.readied, at=now, note=note))
                report.ready.append(row.id)
                if auto and not flags:
                    Store.apply(s, advance(row.id, S.ready, Event.approved, at=now,
                                           actor=AUTO_ACTOR, note="no flags"))  # fmt: skip
                    report.auto_approved.append(row.id)
        except StaleState:
            log.info("letter %s moved on while being made ready", row.id)
    return report
