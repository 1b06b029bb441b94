"""``intake demo``: the whole cycle on sample letters, with no servers at all.

Sets up a workspace on the embedded default (SQLite, a Maildir inbox, an
outbox folder), drops the sample mail into the inbox, polls, plays the
authors answering the requests that landed in the outbox, polls again, plays
the editor approving each ready letter (nothing prints without an editor's
approve) and publishes, printing what happens at each step.  The sample letters include
the real published letter of ``shared/seed``; its pair is printed at the end.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import email.utils
import functools
import shutil
import tomllib
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from intake.adapters.maildir import deliver
from intake.app import desk
from intake.app.demoview import QueuedMail, letters_by_state, queued_mail, stored_messages
from intake.app.publishing import publish
from intake.app.work import carry_out
from intake.cli.terminal import say
from intake.config import read_settings
from intake.worker import build_deps, data_path, init, tick

CONFIG = """\
# written by `intake demo`: the embedded default (no [imap], no [smtp])
[desk]
publication = "The Nation"
address = "letters@news.test"
editors = ["editor@news.test"]
data_dir = "data"

[articles]
source = "articles.csv"
"""


def _author_reply(out: QueuedMail, response: str, now_header: str) -> bytes:
    """The author's answer to our request, as their mail client would send it."""
    request = email.message_from_bytes(out.raw, policy=email.policy.default)
    assert isinstance(request, EmailMessage)
    body = request.get_body(preferencelist=("plain",))
    quoted = body.get_content() if body is not None else ""
    reply = EmailMessage()
    reply["From"] = request["To"]
    reply["To"] = request["Reply-To"]
    reply["Subject"] = f"Re: {request['Subject']}"
    reply["Date"] = now_header
    reply["Message-ID"] = email.utils.make_msgid(domain="news.test")
    reply["In-Reply-To"] = request["Message-ID"]
    reply["References"] = request["Message-ID"]
    attribution = f"On {request['Date']}, {request['From']} wrote:"
    reply.set_content(
        response.strip()
        + "\n\nBest,\n"
        + str(request["To"].addresses[0].display_name)
        + "\n\n"
        + attribution
        + "\n"
        + "\n".join(f"> {line}" for line in quoted.splitlines())
        + "\n"
    )
    return reply.as_bytes()


def run_demo(workdir: Path) -> int:
    """Run the demo in *workdir*; return the exit code."""
    samples = data_path("samples")
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(workdir / "data", ignore_errors=True)  # each run starts afresh
    shutil.copyfile(samples / "articles.csv", workdir / "articles.csv")
    (workdir / "intake.toml").write_text(CONFIG, encoding="utf-8")
    settings = read_settings(workdir / "intake.toml", {}, workdir)
    deps = build_deps(settings, {})
    init(settings, deps)

    say(f"intake demo — workspace {workdir.resolve()}")
    say(f"config {workdir / 'intake.toml'}: a Maildir inbox, an outbox folder, SQLite\n")
    inbox = sorted((samples / "inbox").glob("*.eml"))
    for path in inbox:
        deliver(settings.local.maildir, path.read_bytes())
    say(f"1. {len(inbox)} messages arrive in the inbox ({settings.local.maildir})")
    for name, summary in tick(deps).items():
        say(f"   {name}: {summary}")
    for m in stored_messages(deps):
        say(f"   #{m.raw_id:<3} {m.category:<12} {m.status:<11} {m.subject[:58]}")

    outbox = queued_mail(deps)
    say(f"\n2. {len(outbox)} authors asked for a response (files in {settings.local.outbox_dir})")
    for out in outbox:
        say(f"   to {out.recipients}: {out.message_id}")

    responses = tomllib.loads((samples / "responses.toml").read_text(encoding="utf-8"))
    by_url = {r["article_url"]: r["text"] for r in responses.get("response", [])}
    date_header = email.utils.format_datetime(deps.clock.now())
    answered = 0
    for out in outbox:
        if out.article_url in by_url:
            deliver(
                settings.local.maildir, _author_reply(out, by_url[out.article_url], date_header)
            )
            answered += 1
    say(f"\n3. {answered} authors reply by email (quoting our request)")
    for name, summary in tick(deps).items():
        say(f"   {name}: {summary}")

    ready = publish(deps, "md").gate.ready
    say(f"\n4. {len(ready)} letters are ready: formatted, waiting for an editor's approve")
    editor = settings.desk.editors[0]
    for letter_id in ready:
        outcome = carry_out(deps, functools.partial(
            desk.approve, letter_id=letter_id, actor=editor,
            reason="read and approved (the demo plays the editor)"))  # fmt: skip
        say(f"   the demo, as editor {editor}: approve {letter_id} → {outcome.message}")
    report = publish(deps, "md")
    say(f"\n5. {len(report.written)} pairs published to {settings.publish.out_dir}")
    for path in report.written:
        say(f"   {path.name}")
    again = tick(deps)
    say(f"\n6. another poll sends nothing more: {again['send']}")

    counts = letters_by_state(deps)
    say("\nqueue: " + ", ".join(f"{state} {n}" for state, n in sorted(counts.items())))
    seed = [p for p in report.written if "new-york-city" in p.name]
    shown = seed[0] if seed else (report.written[0] if report.written else None)
    if shown is None:
        say("\nno pair was published: see `intake queue` in the workspace")
        return 1
    say(f"\n===== {shown.name} =====\n")
    say(shown.read_text(encoding="utf-8"))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    return run_demo(Path(args.dir))


def register(sub: Any) -> None:
    """Add ``demo`` to the ``intake`` parser."""
    p = sub.add_parser("demo", help="the whole cycle on sample letters, no servers needed")
    p.add_argument("--dir", default="intake-demo", help="workspace folder (default: ./intake-demo)")
    p.set_defaults(func=cmd_demo)
