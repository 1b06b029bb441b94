"""A round's steps are independent: a refused inbox does not keep queued mail from going
out, a refused outbox does not keep new mail from being fetched, and the round's failure
is still reported once per change (embedded default, fake clock, fakes for the failing side).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence

import pytest
from deskkit import SAMPLES, Desk

from intake.app.health import job_watch
from intake.app.inbound import poll
from intake.app.rounds import ErrorKind, StepsFailed, kind_of
from intake.app.schedule import tick
from intake.domain.errors import AuthenticationFailed, MailboxUnavailable
from intake.domain.ports import Mailbox, Transport
from intake.domain.statuses import OutboxStatus

IMAP_REFUSED = "as letters at imap.news.test:993: [AUTHENTICATIONFAILED] Authentication failed."
SMTP_REFUSED = "as letters at smtp.news.test:587: 535 5.7.8 bad password"


def refused_inbox() -> Mailbox:
    raise AuthenticationFailed("imap", IMAP_REFUSED)


class RefusingTransport:
    def send(self, raw: bytes, *, sender: str, recipients: Sequence[str], message_id: str) -> None:
        raise AuthenticationFailed("smtp", SMTP_REFUSED)

    def close(self) -> None:
        pass


def refused_outbox() -> Transport:
    return RefusingTransport()


def _letters(desk: Desk) -> int:
    paths = sorted((SAMPLES / "inbox").glob("*letter*.eml"))
    for path in paths:
        desk.deliver(path.read_bytes())
    return len(paths)


def _statuses(desk: Desk) -> list[OutboxStatus]:
    return [row.status for row in desk.deps.store.outbound()]


def test_a_refused_inbox_still_sends_the_queued_mail(desk: Desk) -> None:
    _letters(desk)
    poll(desk.deps)  # the requests to the authors are queued, not sent yet
    queued = _statuses(desk)
    assert len(queued) >= 2 and set(queued) == {OutboxStatus.pending}
    deps = dataclasses.replace(desk.deps, open_mailbox=refused_inbox)
    with pytest.raises(AuthenticationFailed) as refused:
        tick(deps)
    assert str(refused.value).startswith(f"imap login refused: {IMAP_REFUSED}")  # as alone
    assert _statuses(desk) == [OutboxStatus.sent] * len(queued)
    assert len(desk.outbox_files()) == len(queued)


def test_a_refused_outbox_still_fetches_and_handles_new_mail(desk: Desk) -> None:
    _letters(desk)
    deps = dataclasses.replace(desk.deps, open_transport=refused_outbox)
    with pytest.raises(AuthenticationFailed, match="smtp login refused"):
        tick(deps)
    assert poll(desk.deps).summary().startswith("fetched=0")  # all of it fetched already
    outbox = desk.deps.store.outbound()
    assert len(outbox) >= 2 and {(r.status, r.attempts) for r in outbox} == {
        (OutboxStatus.pending, 0)  # queued, uncharged: the refusal was ours, not the mail's
    }
    assert desk.outbox_files() == []


def test_both_sides_refused_say_both_in_one_line_of_the_most_urgent_kind(desk: Desk) -> None:
    deps = dataclasses.replace(desk.deps, open_mailbox=refused_inbox, open_transport=refused_outbox)
    _letters(desk)
    # poll fails before anything is queued: make something to send from the real inbox first
    poll(desk.deps)
    with pytest.raises(StepsFailed) as both:
        tick(deps)
    assert str(both.value) == (
        f"poll: imap login refused: {IMAP_REFUSED} (check imap.username and the variable "
        f"imap.password_env names); send: smtp login refused: {SMTP_REFUSED} (check "
        "smtp.username and the variable smtp.password_env names)"
    )
    assert kind_of(both.value) is ErrorKind.auth
    assert [step for step, _ in both.value.failures] == ["poll", "send"]


def test_one_reason_failing_every_step_is_said_once(desk: Desk) -> None:
    down = MailboxUnavailable("imap.news.test:993: connection refused")

    def unreachable() -> Mailbox:
        raise down

    deps = dataclasses.replace(desk.deps, open_mailbox=unreachable)
    with pytest.raises(MailboxUnavailable) as raised:
        tick(deps)
    assert raised.value is down
    assert kind_of(StepsFailed([("poll", down), ("send", RuntimeError("bug"))])) is (
        ErrorKind.internal
    )


def test_the_watch_reports_a_failing_round_once_and_the_mail_goes_every_round(
    desk: Desk, caplog: pytest.LogCaptureFixture
) -> None:
    deps = dataclasses.replace(desk.deps, open_mailbox=refused_inbox)
    watch = job_watch(deps)
    caplog.set_level(logging.DEBUG, logger="intake.worker")
    sent = 0
    letters = sorted((SAMPLES / "inbox").glob("*letter*.eml"))
    assert len(letters) >= 3
    for path in letters[:3]:
        desk.deliver(path.read_bytes())
        poll(desk.deps)  # a new letter between the rounds: its request is queued
        failure = watch.run("tick", lambda: tick(deps))
        assert failure is not None and failure.kind is ErrorKind.auth
        now_sent = _statuses(desk).count(OutboxStatus.sent)
        assert now_sent > sent  # every round sends what was queued
        sent = now_sent
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "imap login refused" in errors[0].getMessage()
    assert "still failing (3 runs)" in caplog.text
