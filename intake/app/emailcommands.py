"""Editors' commands by email: parse, authorise, carry out, answer.

An editor answers a digest (or a command result) whose Reply-To is
``letters+c-…@domain``, a signed token (:mod:`intake.domain.commandtoken`).  Mail to
such an address is never a letter or an author's reply: :func:`handle` takes
it inside the inbound transaction and

- ignores automatic, bulk and list mail (RFC 3834: out-of-office, bounces,
  ``Auto-Submitted``, ``Precedence``, ``List-*``, …) — no answer, so no loops;
- refuses mail from anyone but the configured editors, and mail whose token
  is malformed, forged or expired: the message is held, an audit note says
  why, nothing else changes (a configured editor is told why by mail);
- otherwise carries out each command line of the new text (quotes are cut)
  through :mod:`intake.app.desk` with the editor as the actor, and mails the
  results back through the outbox (purpose ``command_result_<raw id>``).
  Each command line is carried out once per reply address: the same line
  sent again with the same token (a replay, a resent message) is refused.

Loops are cut twice over: mail with no command line in it is never answered
(an autoresponder's "thanks, I will get back to you" ends there), and no
editor gets more than ``digest.answers_per_hour`` answers an hour — what is
over is carried out and noted, not mailed.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from intake.adapters.store import (
    CommandUseRow,
    DeskSecretRow,
    OutboundRow,
    RawMessageRow,
    Store,
    insert_ignore,
)
from intake.app import corrections, desk
from intake.app.deps import Deps
from intake.app.outmail import DeskMail, queue_mail
from intake.app.showmail import show_letter
from intake.app.work import Work, carry_out
from intake.domain import commandtoken, keys
from intake.domain.commandtoken import is_command_token
from intake.domain.errors import IntakeError
from intake.domain.model import Category, ParsedMail, Verdict
from intake.domain.statuses import RawStatus
from intake.mail import authresults
from intake.mail.replytext import extract_reply
from intake.sorting.loopguard import never_answer

__all__ = ["handle", "is_command_token", "parse_commands", "reply_address", "signing_key"]

log = logging.getLogger(__name__)

SECRET_NAME = "command_hmac_key"
ANSWER = "command_result_"  # the outbox purpose of an answer, before the raw message's id
MAX_COMMANDS = 50
VERBS = ("approve", "reject", "hold", "release", "assign", "publish", "redact", "accept",
         "dismiss", "set", "retract", "show")  # fmt: skip
# what an editor may have copied along with a command from the digest
_LEAD = re.compile(r"^(?:[-*•→»]+\s*|reply:\s*)+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Command:
    verb: str
    target: str  # "12", "L-12" or "R-7"
    rest: str  # reason, URL, text to redact, or the letter for "accept"
    line: str  # as the editor wrote it


@dataclass(frozen=True, slots=True)
class Result:
    line: str
    ok: bool
    message: str
    detail: str = ""  # the letter in full, for ``show``


# -- the signing key ---------------------------------------------------------------------


def signing_key(work: Work) -> bytes | None:
    """The key that signs command tokens: the configured one, else the generated one."""
    deps, s = work.deps, work.session
    if deps.policy.command_secret:
        return deps.policy.command_secret.encode()
    row = s.get(DeskSecretRow, SECRET_NAME)
    return row.value.encode() if row is not None else None


def signing_key_in(work: Work) -> bytes:
    """Return the signing key inside the caller's transaction, creating it if absent
    (insert-if-absent: a concurrent worker's key wins, and both then read the same)."""
    s, now = work.session, work.now
    found = signing_key(work)
    if found is not None:
        return found
    insert_ignore(s, DeskSecretRow, name=SECRET_NAME, value=secrets.token_hex(32), created_at=now)
    found = signing_key(work)
    assert found is not None
    return found


def ensure_signing_key(deps: Deps) -> bytes:
    """Return the signing key, generating and storing it the first time."""
    return carry_out(deps, signing_key_in)


def reply_address(deps: Deps, key: bytes, purpose: str, now: datetime) -> str:
    """Return ``letters+<signed token>@domain`` for mail editors may answer with commands."""
    return keys.plus_address(deps.policy.desk_address, commandtoken.mint(key, purpose, now))


# -- parsing ----------------------------------------------------------------------------


def parse_commands(text: str) -> tuple[list[Command], list[str]]:
    """Return the command lines of *text* and the other non-empty lines (quotes skipped)."""
    commands: list[Command] = []
    ignored: list[str] = []
    for raw_line in text.replace("\r\n", "\n").split("\n"):
        line = raw_line.strip()
        if not line or line.startswith(">"):
            continue
        cleaned = _LEAD.sub("", line).strip()
        parts = cleaned.split(None, 2)
        verb = parts[0].lower().rstrip(":") if parts else ""
        if verb not in VERBS or len(parts) < 2:
            ignored.append(line)
            continue
        commands.append(Command(verb, parts[1].rstrip(".,;:"), parts[2].strip() if len(parts) > 2 else "",
                                cleaned))  # fmt: skip
    return commands, ignored


def execute(work: Work, cmd: Command, *, actor: str) -> Result:
    """Carry out one command; a refusal or an illegal move is a failed result, not an error."""
    try:
        outcome = _dispatch(work, cmd, actor=actor)
    except IntakeError as exc:
        return Result(cmd.line, False, str(exc))
    return Result(cmd.line, True, outcome.message, outcome.detail)


def _dispatch(work: Work, cmd: Command, *, actor: str) -> desk.Outcome:
    if cmd.verb == "accept":
        letter = desk.letter_ref(cmd.rest.split()[0]) if cmd.rest else None
        return desk.accept_reply(work, desk.raw_ref(cmd.target), letter, actor=actor)
    if cmd.verb == "dismiss":
        return desk.dismiss(work, desk.raw_ref(cmd.target), actor=actor, reason=cmd.rest)
    letter_id = desk.letter_ref(cmd.target)
    if cmd.verb == "assign":
        if not cmd.rest.split():
            raise desk.Refused(f"assign {letter_id} needs the article's URL")
        return desk.assign(work, letter_id, cmd.rest.split()[0], actor=actor)
    if cmd.verb == "show":
        return show_letter(work, letter_id)
    if cmd.verb == "set":
        field, _, value = cmd.rest.partition(" ")
        if not field:
            raise desk.Refused(f"set {letter_id} needs a field and its value, "
                               f"e.g. set {letter_id} name Jane Marlow")  # fmt: skip
        return corrections.set_field(work, letter_id, field, value, actor=actor)
    if cmd.verb == "retract":
        return corrections.retract(
            work, letter_id, actor=actor, reason=f"{cmd.rest} (by email)" if cmd.rest else ""
        )
    if cmd.verb == "redact":
        return desk.redact(work, letter_id, [cmd.rest] if cmd.rest else [], actor=actor)
    action: Callable[..., desk.Outcome] = {
        "approve": desk.approve,
        "reject": desk.reject,
        "hold": desk.hold,
        "release": desk.release,
        "publish": desk.publish,
    }[cmd.verb]
    reason = f"{cmd.rest} (by email)" if cmd.rest else "by email"
    result: desk.Outcome = action(work, letter_id, actor=actor, reason=reason)
    return result


# -- the inbound hook ---------------------------------------------------------------------


def _automatic(deps: Deps, mail: ParsedMail, verdict: Verdict) -> str:
    """Why *mail* is machine mail we must not act on or answer, or ``""``."""
    if verdict.category in (Category.auto_reply, Category.bounce, Category.bulk):
        return f"classified {verdict.category.value}"
    return never_answer(mail, deps.policy.desk_address)


def _answers_this_hour(s: Session, address: str, now: datetime) -> int:
    count = s.exec(
        select(func.count()).where(
            col(OutboundRow.purpose).startswith(ANSWER),
            OutboundRow.recipients == address,
            col(OutboundRow.created_at) > now - timedelta(hours=1),
        )
    ).one()
    return int(count)


def use_key(token: str, cmd: Command) -> str:
    """The identity of *cmd* sent from the reply address *token*: what may happen once."""
    understood = " ".join((cmd.verb, cmd.target.lower(), *cmd.rest.split()))
    return hashlib.sha256(f"{token.lower()}|{understood}".encode()).hexdigest()


def _once(work: Work, row: RawMessageRow, token: str, cmd: Command, *, actor: str) -> Result:
    """Carry out *cmd* unless this reply address already carried out the same line.

    The claim is inserted first (``ON CONFLICT DO NOTHING``, so two workers with
    two copies of a replay cannot both win) and given back when the command fails,
    so a command refused for now can be sent again once the letter allows it.
    """
    s, key = work.session, use_key(token, cmd)
    if not insert_ignore(s, CommandUseRow, key=key, raw_id=row.id or 0, at=work.now):
        first = s.get(CommandUseRow, key)
        when = f" on {first.at:%Y-%m-%d %H:%M} UTC" if first is not None else ""
        return Result(cmd.line, False, f"already carried out from this reply address{when}: "
                      "not repeated (reply to the latest result to send it again)")  # fmt: skip
    result = execute(work, cmd, actor=actor)
    if not result.ok:
        claim = s.get(CommandUseRow, key)
        if claim is not None:
            s.delete(claim)
    return result


def _refuse(s: Session, row: RawMessageRow, reason: str, actor: str, now: datetime) -> None:
    row.status, row.note = RawStatus.held, f"editor commands refused: {reason}"
    Store.note(s, at=now, event="commands_refused", raw_id=row.id, actor=actor, note=reason)
    log.warning("raw message %s: editor commands refused: %s", row.id, reason)


def handle(work: Work, row: RawMessageRow, mail: ParsedMail, verdict: Verdict) -> None:
    """Authorise and carry out the commands in *mail*, inside the inbound transaction."""
    deps, s, now = work.deps, work.session, work.now
    sender = mail.sender.email if mail.sender else ""
    token = verdict.reply_key or ""
    automatic = _automatic(deps, mail, verdict)
    if automatic:
        row.note = f"automatic message to a command address ({automatic}): ignored"
        Store.note(s, at=now, event="commands_ignored", raw_id=row.id, note=row.note)
        return
    if sender not in deps.policy.editors:
        _refuse(s, row, f"{sender or '(no sender)'} is not an editor", sender or "unknown", now)
        return
    # a forged From: an editor's address is no credential when our server saw DMARC fail
    failed = authresults.failures(mail.trace, deps.policy.authserv_id)
    if failed:
        _refuse(s, row, f"{deps.policy.authserv_id} reports {', '.join(failed)}", sender, now)
        return
    key = signing_key(work)
    check = (
        commandtoken.verify(key, token, now=now, valid_for=deps.policy.command_token_valid)
        if key is not None
        else commandtoken.TokenCheck(False, problem="no command token was ever issued")
    )
    commands, ignored = parse_commands(extract_reply(mail).text)
    if not check.ok:
        _refuse(s, row, check.problem, sender, now)
        if key is not None and commands:  # no command, no answer: an autoresponder stops here
            _answer(work, row, mail, key, refused=f"{check.problem}.")
        return
    assert key is not None  # a valid token implies the key that signed it
    if not commands:
        row.note = "no command found: not answered"
        Store.note(s, at=now, event="commands_ignored", raw_id=row.id, actor=sender, note=row.note)
        return
    results = [_once(work, row, token, c, actor=sender) for c in commands[:MAX_COMMANDS]]
    results += [Result(c.line, False, f"not carried out: at most {MAX_COMMANDS} commands a "
                                      "message") for c in commands[MAX_COMMANDS:]]  # fmt: skip
    done = sum(r.ok for r in results)
    row.note = f"editor commands: {done} done, {len(results) - done} failed"
    summary = "; ".join(f"{r.line} → {'done' if r.ok else 'failed'}" for r in results)
    Store.note(s, at=now, event="editor_commands", raw_id=row.id, actor=sender,
               note=summary or "no commands found")  # fmt: skip
    _answer(work, row, mail, key, results=results, ignored=ignored)


def _answer(work: Work, row: RawMessageRow, mail: ParsedMail, key: bytes, *, refused: str = "",
            results: list[Result] | None = None, ignored: list[str] | None = None) -> None:  # fmt: skip
    deps, s, now = work.deps, work.session, work.now
    policy = deps.policy
    assert row.id is not None and mail.sender is not None
    if _answers_this_hour(s, mail.sender.email, now) >= policy.command_answers_per_hour:
        note = (f"not answered: {policy.command_answers_per_hour} answers to "
                f"{mail.sender.email} in the last hour (digest.answers_per_hour)")  # fmt: skip
        row.note = f"{row.note}; {note}"
        Store.note(s, at=now, event="answer_withheld", raw_id=row.id, note=note)
        return
    text = deps.renderer.as_written(
        "mail/command_result.txt",
        publication=policy.publication,
        refused=refused,
        results=results or [],
        ignored=ignored or [],
        help=any(not r.ok for r in results or []),
        valid_days=policy.command_token_valid.days,
    )
    subject = " ".join(mail.subject.split())
    subject = subject if subject.lower().startswith("re:") else f"Re: {subject}"
    queue_mail(
        work,
        DeskMail(
            purpose=f"{ANSWER}{row.id}",
            tag="cmd",
            letter_id=None,
            to=[(mail.sender.name, mail.sender.email)],
            reply_to=reply_address(deps, key, "result", now),
            subject=subject if subject != "Re: " else "Re: your commands",
            text=text,
            in_reply_to=mail.message_id if mail.has_message_id else "",
            references=(*mail.references, mail.message_id) if mail.has_message_id else (),
            auto_submitted="auto-replied",
        ),
    )
