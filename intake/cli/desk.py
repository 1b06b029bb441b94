"""The editors' commands on the command line: ``intake queue | show | approve | reject | hold |
release | assign | edit | redact | set | retract | accept | dismiss | digest``.

Each action is the same use case as the email command (:mod:`intake.app.desk`),
in its own transaction, with ``--as EDITOR`` naming who acts; without it the
audit trail names ``$USER@<host>``, the person at this keyboard.  A refused
action ends with one line on stderr and exit code 1, having changed nothing.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from intake.app import desk
from intake.app.deps import Deps
from intake.app.work import Work, carry_out
from intake.cli.common import open_desk, read_config
from intake.cli.terminal import say, say_json
from intake.domain.errors import AuthenticationFailed, ConfigError, IntakeError
from intake.domain.lifecycle import LetterState
from intake.worker import check_secrets


def _deps(args: argparse.Namespace) -> Deps:
    return open_desk(args)[1]


def _actor(args: argparse.Namespace) -> str:
    return str(args.actor) if args.actor else desk.default_actor()


Action = Callable[[Work, str], desk.Outcome]


def _run(args: argparse.Namespace, action: Action, *, send: bool = False) -> int:
    settings, deps = open_desk(args)
    actor = _actor(args)
    outcome = carry_out(deps, lambda work: action(work, actor))
    say(outcome.message)
    status = 0
    if send:
        from intake.app.outbound import send_outbox

        try:
            check_secrets(settings, inbox=False)
        except ConfigError as exc:  # the action is done; the mail waits in the outbox
            say(f"send: not now ({exc}); the worker sends it", err=True)
        else:
            try:
                say(f"send: {send_outbox(deps).summary()}", err=True)
            except AuthenticationFailed as exc:  # done too; the mail waits, uncharged
                say(f"intake: error: {exc}; the mail waits in the outbox", err=True)
                status = 1
    # a correction or retraction of a letter in print reaches its files now, not next round
    from intake.app.reprint import reprint

    report = reprint(deps)
    for path in report.rendered:
        say(f"re-rendered {path}")
    for path in report.removed:
        say(f"removed {path}")
    return status


def _age(since: datetime, now: datetime) -> str:
    seconds = max(0, int((now - since).total_seconds()))
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"


def cmd_queue(args: argparse.Namespace) -> int:
    from intake.app.queueview import held_messages, queue_items

    _, deps = open_desk(args)
    if args.held:
        held = held_messages(deps)
        if args.json:
            say_json(held)
        for h in [] if args.json else held:
            say(f"{h['raw_id']:>5}  {h['status']:<11} {h['category'] or '-':<13} {h['note']}")
        return 0
    items = queue_items(
        deps,
        states=args.state or None,
        article=args.article,
        older_than=timedelta(days=args.older_than) if args.older_than is not None else None,
    )
    if args.json:
        say_json(items)
        return 0
    now = deps.clock.now()
    if not items:
        say("The queue is empty.")
        return 0
    say(f"{'ID':>5}  {'STATE':<18} {'AGE':>4}  {'FLAGS':<5} {'WRITER':<28} ARTICLE")
    for item in items:
        age = _age(datetime.fromisoformat(item["received_at"]), now)
        writer = (item["writer_name"] or item["writer_email"])[:28]
        article = item["article"]["title"] if item["article"] else "—"
        # P: policy findings, C: part of a campaign (`intake show ID` has the detail)
        flags = ("P" if item["findings"] else "") + ("C" if item["campaign_id"] else "")
        say(f"{item['id']:>5}  {item['state']:<18} {age:>4}  {flags:<5} {writer:<28} "
              f"{article[:60]}")  # fmt: skip
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from intake.app.queueview import show

    item = show(_deps(args), desk.letter_ref(args.id))
    if args.json:
        say_json(item)
        return 0
    say(f"L-{item['id']}  {item['state']}  received {item['received_at']}")
    say(f"From:     {item['writer_name']} <{item['writer_email']}>")
    say(f"Subject:  {item['subject']}")
    art = item["article"]
    say(f"Article:  {art['title']} <{art['url']}> ({art['author']} {art['author_email']})"
          if art else "Article:  none")  # fmt: skip
    for c in item["candidates"]:
        say(f"  candidate: {c.get('title', '')} <{c.get('url', '')}> {c.get('score', '')}")
    for f in item["findings"]:
        say(f"Policy:   {f}")
    if item["campaign_id"] is not None:
        say(f"Campaign: with L-{item['campaign_id']}")
    if item["deadline_at"]:
        say(f"Deadline: {item['deadline_at']}")
    edited = (
        " (edited; the original is kept)" if item["letter_text"] != item["letter_original"] else ""
    )
    say(f"\n--- letter{edited} ---\n{item['letter_text'].strip()}")
    if item["response"]:
        say(f"\n--- response ---\n{(item['response_text'] or '').strip()}")
        if item["response"]["cut"].strip():
            say(f"\n--- cut from the response ---\n{item['response']['cut'].strip()}")
    say("\n--- audit trail ---")
    for a in item["audit"]:
        move = f"{a['from']} → {a['to']}" if a["to"] else ""
        say(f"{a['at'][:19]}  {a['event']:<20} {move:<34} {a['actor']:<24} {a['note']}")
    return 0


def _reason(args: argparse.Namespace) -> str:
    """The reason as the digest writes it (``reject 12 off-topic``) or as ``--reason``."""
    return str(args.reason or " ".join(args.words))


def _reasoned(verb: str) -> Callable[[argparse.Namespace], int]:
    fn = {"approve": desk.approve, "reject": desk.reject, "hold": desk.hold,
          "release": desk.release}[verb]  # fmt: skip

    def command(args: argparse.Namespace) -> int:
        letter_id = desk.letter_ref(args.id)
        reason = _reason(args)
        return _run(args, lambda work, actor: fn(work, letter_id, actor=actor, reason=reason),
                    send=verb == "release")  # fmt: skip

    return command


def cmd_assign(args: argparse.Namespace) -> int:
    letter_id = desk.letter_ref(args.id)
    url = args.article or args.url
    if not url:
        raise desk.Refused(f"assign {letter_id} needs the article's URL: assign {letter_id} URL")
    return _run(args, lambda work, actor: desk.assign(work, letter_id, url, actor=actor),
                send=True)  # fmt: skip


def _field(args: argparse.Namespace) -> str:
    return "response" if args.response else "letter"


def cmd_edit(args: argparse.Namespace) -> int:
    letter_id = desk.letter_ref(args.id)
    deps = _deps(args)
    letter_text, response_text = carry_out(deps, lambda work: desk.current_texts(work, letter_id))
    current = letter_text if _field(args) == "letter" else response_text
    if current is None:
        raise desk.Refused(f"letter {letter_id} has no response to edit")
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.TemporaryDirectory(prefix="intake-edit-") as tmp:
        path = Path(tmp) / f"L-{letter_id}-{_field(args)}.txt"
        path.write_text(current, encoding="utf-8")
        try:
            done = subprocess.run([*shlex.split(editor), str(path)], check=False)
        except OSError as exc:
            raise IntakeError(f"cannot start the editor {editor!r}: {exc}") from exc
        if done.returncode != 0:
            raise IntakeError(f"the editor exited with {done.returncode}; nothing was stored")
        text = path.read_text(encoding="utf-8")
    return _run(args, lambda work, actor: desk.edit(work, letter_id, text, actor=actor,
                                                    field=_field(args),
                                                    note=args.note or "edited"))  # fmt: skip


def cmd_redact(args: argparse.Namespace) -> int:
    letter_id = desk.letter_ref(args.id)
    return _run(args, lambda work, actor: desk.redact(
        work, letter_id, args.patterns, actor=actor, field=_field(args), regex=args.regex))  # fmt: skip


def cmd_set(args: argparse.Namespace) -> int:
    from intake.app.corrections import set_field

    letter_id = desk.letter_ref(args.id)
    value = " ".join(args.value)
    return _run(
        args, lambda work, actor: set_field(work, letter_id, args.field, value, actor=actor)
    )


def cmd_retract(args: argparse.Namespace) -> int:
    from intake.app.corrections import retract

    letter_id = desk.letter_ref(args.id)
    reason = _reason(args)
    return _run(args, lambda work, actor: retract(work, letter_id, actor=actor, reason=reason))


def cmd_accept(args: argparse.Namespace) -> int:
    raw_id = desk.raw_ref(args.ref)
    letter_id = desk.letter_ref(args.letter) if args.letter else None
    return _run(args, lambda work, actor: desk.accept_reply(work, raw_id, letter_id, actor=actor))


def cmd_dismiss(args: argparse.Namespace) -> int:
    raw_id = desk.raw_ref(args.ref)
    return _run(args, lambda work, actor: desk.dismiss(work, raw_id, actor=actor,
                                                       reason=args.reason))  # fmt: skip


def cmd_digest(args: argparse.Namespace) -> int:
    from intake.app.digestrun import preview, send_digest_now, send_due_digest

    deps = _deps(args)
    if args.print:
        say(preview(deps))
        return 0
    if not deps.policy.editors:
        raise IntakeError("no editors configured (desk.editors): nobody to send a digest to")
    check_secrets(read_config(args), inbox=False)
    if args.now:
        say(send_digest_now(deps))
    else:
        say(send_due_digest(deps, read_config(args).digest.cron))
    return 0


def register(sub: Any) -> None:
    """Add the editors' subcommands to the ``intake`` parser."""

    def reason(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "words",
            nargs="*",
            metavar="REASON",
            help="why, for the audit trail (as by email: reject 12 off-topic)",
        )
        p.add_argument("--reason", default="", help="the same, as an option")  # fmt: skip

    def actor(p: argparse.ArgumentParser) -> None:
        p.add_argument("--as", dest="actor", metavar="EDITOR",
                       help="who is acting, for the audit trail (default: $USER@host)")  # fmt: skip

    p = sub.add_parser("queue", help="letters and their state")
    p.add_argument("--state", action="append", choices=[state.value for state in LetterState],
                   metavar="STATE", help="only this state (repeatable): one of "
                   + ", ".join(LetterState))  # fmt: skip
    p.add_argument("--held", action="store_true", help="held replies and quarantined mail instead")
    p.add_argument("--article", metavar="URL", help="only letters about this article")
    p.add_argument("--older-than", type=float, metavar="DAYS", help="only letters older than this")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_queue)
    p = sub.add_parser("show", help="one letter in full: text, response, cut, candidates, trail")
    p.add_argument("id", help="letter number (12 or L-12)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)
    helps = {
        "approve": "approve for print (with its response, or as it is)",
        "reject": "reject a letter",
        "hold": "set a letter aside",
        "release": "send a letter under review or on hold back into the flow",
    }
    for verb, text in helps.items():
        p = sub.add_parser(verb, help=text)
        p.add_argument("id", help="letter number")
        reason(p)
        actor(p)
        p.set_defaults(func=_reasoned(verb))
    p = sub.add_parser("assign", help="set a letter's article; a letter under review is released")
    p.add_argument("id", help="letter number")
    p.add_argument("url", nargs="?", metavar="URL", help="the article's URL (as by email)")
    p.add_argument("--article", metavar="URL", help="the article's URL")
    actor(p)
    p.set_defaults(func=cmd_assign)
    p = sub.add_parser(
        "edit", help="edit the letter (or --response) in $EDITOR; the original stays"
    )
    p.add_argument("id", help="letter number")
    p.add_argument("--response", action="store_true", help="edit the author's response instead")
    p.add_argument("--note", default="", help="what the edit was, for the audit trail")
    actor(p)
    p.set_defaults(func=cmd_edit)
    p = sub.add_parser("redact", help="replace text (e.g. a phone number) with [redacted]")
    p.add_argument("id", help="letter number")
    p.add_argument("patterns", nargs="+", metavar="PATTERN", help="text to redact (literal)")
    p.add_argument("--regex", action="store_true", help="patterns are regular expressions")
    p.add_argument("--response", action="store_true", help="redact the response instead")
    actor(p)
    p.set_defaults(func=cmd_redact)
    from intake.app.printfields import FIELDS

    p = sub.add_parser(
        "set", help="set what is printed: name, town, title, dek, headline, responder"
    )
    p.add_argument("id", help="letter number")
    p.add_argument("field", help="; ".join(f"{name}: {what}" for name, what in FIELDS.items()))
    p.add_argument("value", nargs="*", help="the new value (none: clear it)")
    actor(p)
    p.set_defaults(func=cmd_set)
    p = sub.add_parser("retract", help="withdraw a published letter: its files and page entry go")
    p.add_argument("id", help="letter number")
    reason(p)
    actor(p)
    p.set_defaults(func=cmd_retract)
    p = sub.add_parser("accept", help="take held reply R-N as the response to its letter")
    p.add_argument("ref", help="held message (R-7)")
    p.add_argument("letter", nargs="?", help="the letter, when the reply names none")
    actor(p)
    p.set_defaults(func=cmd_accept)
    p = sub.add_parser("dismiss", help="take held message R-N off the editors' list")
    p.add_argument("ref", help="held message (R-7)")
    p.add_argument("--reason", default="")
    actor(p)
    p.set_defaults(func=cmd_dismiss)
    p = sub.add_parser("digest", help="send the editors' digest if this slot's is due")
    p.add_argument("--now", action="store_true", help="send one now, whatever the schedule")
    p.add_argument("--print", action="store_true", help="print the text digest; send nothing")
    p.set_defaults(func=cmd_digest)
