"""A refused SMTP login: no mail is charged for it, every claimed mail stays queued."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import pytest
from deskkit import SAMPLES, Desk

from intake.app.inbound import poll
from intake.app.outbound import send_outbox
from intake.domain.errors import AuthenticationFailed
from intake.domain.statuses import OutboxStatus


class RefusingTransport:
    """An SMTP server that refuses our login until *refusals* runs out, then takes mail."""

    def __init__(self, refusals: int) -> None:
        self.refusals, self.sent = refusals, list[str]()

    def send(self, raw: bytes, *, sender: str, recipients: Sequence[str], message_id: str) -> None:
        if self.refusals:
            self.refusals -= 1
            raise AuthenticationFailed("smtp", "as letters at mail:587: 535 5.7.8 bad password")
        self.sent.append(message_id)

    def close(self) -> None:
        pass


def test_a_refused_login_charges_no_attempt_and_keeps_every_mail_queued(desk: Desk) -> None:
    for path in sorted((SAMPLES / "inbox").glob("*letter*.eml")):
        desk.deliver(path.read_bytes())
    poll(desk.deps)
    before = {r.id: (r.status, r.attempts, r.next_attempt_at) for r in desk.deps.store.outbound()}
    assert len(before) >= 2  # more than the one the refusal came on
    server = RefusingTransport(refusals=3)
    deps = dataclasses.replace(desk.deps, open_transport=lambda: server)
    for _ in range(3):
        with pytest.raises(AuthenticationFailed, match="smtp login refused"):
            send_outbox(deps)
        after = desk.deps.store.outbound()
        assert {r.id: (r.status, r.attempts, r.next_attempt_at) for r in after} == before
        (error,) = {r.last_error for r in after}
        assert error == (
            "smtp login refused: as letters at mail:587: 535 5.7.8 bad password "
            "(check smtp.username and the variable smtp.password_env names)"
        )
        assert {r.claimed_by for r in after} <= {"", deps.worker_id}
    # fixed: everything goes at once, as if nothing had happened (no backoff was earned)
    report = send_outbox(deps)
    assert (report.sent, report.deferred, report.failed) == (len(before), 0, 0)
    assert {(r.status, r.attempts) for r in desk.deps.store.outbound()} == {(OutboxStatus.sent, 1)}
