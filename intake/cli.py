"""The command line: ``intake init | poll | run | queue | publish | classify | extract-reply | demo``.

Every command reads the config from ``--config PATH`` or ``INTAKE_CONFIG``
(without either, the embedded default under ``./intake-data``).  Errors end
the command with one clear line on stderr and a non-zero exit code (2 for a
bad config, 1 for anything else), never a traceback unless ``--debug``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import sys
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from intake import __version__
from intake.config import PUBLISH_FORMATS, Settings, read_settings
from intake.errors import ConfigError, IntakeError

log = logging.getLogger("intake")


def _settings(args: argparse.Namespace) -> Settings:
    path = args.config or os.environ.get("INTAKE_CONFIG")
    return read_settings(Path(path) if path else None, os.environ, Path.cwd())


def _deps(args: argparse.Namespace) -> tuple[Settings, Any]:
    from intake.adapters.store import create_schema
    from intake.worker import build_deps

    settings = _settings(args)
    deps = build_deps(settings, os.environ)
    create_schema(deps.store.engine)  # any command may be the first to open the database
    return settings, deps


def cmd_init(args: argparse.Namespace) -> int:
    from intake.worker import init

    settings, deps = _deps(args)
    init(settings, deps)
    print(f"intake: database ready at {settings.database_url}")
    if settings.imap is None:
        print(f"intake: inbox (Maildir) {settings.local.maildir}")
    if settings.smtp is None:
        print(f"intake: outbox folder {settings.local.outbox_dir}")
    return 0


def cmd_poll(args: argparse.Namespace) -> int:
    from intake.worker import init, tick

    settings, deps = _deps(args)
    init(settings, deps)
    if not args.once:
        print("intake: poll runs once; use `intake run` for the scheduled worker", file=sys.stderr)
    for name, summary in tick(deps).items():
        print(f"{name}: {summary}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from intake.worker import init, run_worker

    settings, deps = _deps(args)
    init(settings, deps)
    log.info("intake %s: polling every %ss", __version__, settings.poll_seconds)
    # systemd and CI stop us with SIGTERM: leave the scheduler cleanly, as on Ctrl-C
    signal.signal(signal.SIGTERM, lambda _sig, _frame: sys.exit(0))
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        run_worker(settings, deps)
    return 0


def _age(since: datetime, now: datetime) -> str:
    seconds = max(0, int((now - since).total_seconds()))
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"


def cmd_queue(args: argparse.Namespace) -> int:
    from intake.queueview import held_messages, queue_items

    _, deps = _deps(args)
    if args.held:
        held = held_messages(deps)
        if args.json:
            print(json.dumps(held, indent=2, ensure_ascii=False))
        for h in [] if args.json else held:
            print(f"{h['raw_id']:>5}  {h['status']:<11} {h['category'] or '-':<13} {h['note']}")
        return 0
    items = queue_items(
        deps,
        states=args.state or None,
        article=args.article,
        older_than=timedelta(days=args.older_than) if args.older_than is not None else None,
    )
    if args.json:
        print(json.dumps(items, indent=2, ensure_ascii=False))
        return 0
    now = deps.clock.now()
    if not items:
        print("The queue is empty.")
        return 0
    print(f"{'ID':>5}  {'STATE':<18} {'AGE':>4}  {'FLAGS':<5} {'WRITER':<28} ARTICLE")
    for item in items:
        age = _age(datetime.fromisoformat(item["received_at"]), now)
        writer = (item["writer_name"] or item["writer_email"])[:28]
        article = item["article"]["title"] if item["article"] else "—"
        # P: policy findings, C: part of a campaign (`intake show ID` has the detail)
        flags = ("P" if item["findings"] else "") + ("C" if item["campaign_id"] else "")
        print(f"{item['id']:>5}  {item['state']:<18} {age:>4}  {flags:<5} {writer:<28} "
              f"{article[:60]}")  # fmt: skip
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from intake.publishing import publish
    from intake.worker import init

    settings, deps = _deps(args)
    init(settings, deps)
    fmt = args.format or settings.publish_format
    report = publish(deps, fmt, again=args.again)
    for path in report.written:
        print(path)
    print(f"publish: {report.summary()}", file=sys.stderr)
    if args.page or args.date:
        from zoneinfo import ZoneInfo

        from intake.publishing import publish_page

        today = deps.clock.now().astimezone(ZoneInfo(settings.desk.timezone)).date()
        first, last = args.date or (today, today)
        print(publish_page(deps, fmt, first, last))
    return 0


def _page_days(text: str) -> tuple[date, date]:
    """``YYYY-MM-DD`` or an issue's ``YYYY-MM-DD..YYYY-MM-DD`` (inclusive)."""
    first_text, _, last_text = text.partition("..")
    try:
        first = date.fromisoformat(first_text)
        last = date.fromisoformat(last_text) if last_text else first
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD, got {text!r}"
        ) from None
    if last < first:
        raise argparse.ArgumentTypeError(f"{last} is before {first}")
    return first, last


def _read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise IntakeError(f"cannot read {path}: {exc.strerror}") from exc


def cmd_classify(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo

    from intake.articles import candidate
    from intake.classify import DeskIdentity, classify
    from intake.model import ArticleMatch, Category
    from intake.parse import parse_loose
    from intake.policy import Finding, check_letter

    settings = _settings(args)
    mail = parse_loose(_read_file(args.file))
    verdict = classify(mail, DeskIdentity(address=settings.desk.address))
    sent_on = mail.date.astimezone(ZoneInfo(settings.desk.timezone)).date() if mail.date else None
    matches: tuple[ArticleMatch, ...] = ()
    if settings.articles_source:
        from intake.adapters.catalogue import load_catalogue

        matches = load_catalogue(settings.articles_source).match(
            text=mail.text, subject=mail.subject, html=mail.html, sent_on=sent_on
        )
    article = (
        {**candidate(matches[0]), "author_email": matches[0].article.author_email}
        if matches
        else None
    )
    findings: tuple[Finding, ...] = ()
    if verdict.category is Category.letter:
        findings = check_letter(
            settings.letters,
            text=mail.text,
            writer_name=mail.sender.name if mail.sender else "",
            article_published=matches[0].article.published if matches else None,
            sent_on=sent_on,
            # Without a config there is no desk address to tell other papers from.
            recipients=[a.email for a in (*mail.to, *mail.cc)] if settings.config_path else (),
            desk_address=settings.desk.address,
        )
    result: dict[str, Any] = {
        "category": verdict.category.value,
        "confidence": round(verdict.confidence, 3),
        "reasons": list(verdict.reasons),
        "article": article,
        "candidates": [candidate(m) for m in matches],
        "findings": [{"code": f.code, "message": f.message} for f in findings],
    }
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(f"{result['category']} ({result['confidence']:.2f})")
        for reason in result["reasons"]:
            print(f"  - {reason}")
        for found in result["candidates"]:
            print(f"  candidate {found['score']:.2f}: {found['title']} ({found['reason']})")
        for finding in result["findings"]:
            print(f"  policy: {finding['code']}: {finding['message']}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from intake.evaluation import evaluate, evaluate_replies, report_lines, summary

    corpus = Path(args.corpus)
    index = corpus / "labels.jsonl"
    if not index.is_file():
        raise IntakeError(f"no labels.jsonl in {corpus}")
    labels = index.read_text(encoding="utf-8")

    def read(path: str) -> bytes:
        return _read_file(str(corpus / path))

    result, replies = evaluate(labels, read), evaluate_replies(labels, read)
    if args.json:
        print(json.dumps(summary(result, replies), indent=2, ensure_ascii=False))
    else:
        print("\n".join(report_lines(result, replies)))
    return 0


def cmd_extract_reply(args: argparse.Namespace) -> int:
    from intake.parse import parse_loose
    from intake.replytext import extract_reply

    reply = extract_reply(parse_loose(_read_file(args.file)))
    print(reply.text)
    if args.show_cut and reply.cut:
        print("\n----- cut -----", file=sys.stderr)
        print(reply.cut, file=sys.stderr)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from intake.demo import run_demo

    return run_demo(Path(args.dir))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="intake", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"intake {__version__}")
    parser.add_argument(
        "--config", help="config file (default: $INTAKE_CONFIG, else built-in defaults)"
    )
    parser.add_argument("--debug", action="store_true", help="log debug detail and show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("init", help="create the database and local folders (idempotent)").set_defaults(
        func=cmd_init
    )
    p = sub.add_parser("poll", help="fetch, classify, route, send, match replies")
    p.add_argument("--once", action="store_true", help="one round, then exit (the only mode)")
    p.set_defaults(func=cmd_poll)
    sub.add_parser(
        "run", help="the scheduled worker: poll, send and publish on a timer"
    ).set_defaults(func=cmd_run)
    p = sub.add_parser("queue", help="letters and their state")
    p.add_argument("--state", action="append", help="only this state (repeatable)")
    p.add_argument("--held", action="store_true", help="held replies and quarantined mail instead")
    p.add_argument("--article", metavar="URL", help="only letters about this article")
    p.add_argument("--older-than", type=float, metavar="DAYS", help="only letters older than this")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_queue)
    from intake.deskcli import add_desk_commands

    add_desk_commands(sub)  # show, approve, reject, hold, release, assign, edit, redact, digest…
    p = sub.add_parser("publish", help="render matched pairs into the publish folder")
    p.add_argument("--format", choices=PUBLISH_FORMATS)
    p.add_argument("--again", action="store_true", help="re-render letters already published")
    p.add_argument(
        "--page",
        action="store_true",
        help="also write the letters page of the day's published letters, by article",
    )
    p.add_argument("--date", type=_page_days, metavar="DAY[..DAY]",
                   help="the page's day, or an issue's first..last day (implies --page; "
                        "default: today in the desk's time zone)")  # fmt: skip
    p.set_defaults(func=cmd_publish)
    p = sub.add_parser("classify", help="classify one .eml file (touches no database)")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_classify)
    p = sub.add_parser("eval", help="score classification and reply extraction on a corpus")
    p.add_argument("corpus", help="a folder with labels.jsonl (the shared corpus format)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval)
    p = sub.add_parser("extract-reply", help="print only the new text of a reply")
    p.add_argument("file")
    p.add_argument("--show-cut", action="store_true", help="also print what was cut, on stderr")
    p.set_defaults(func=cmd_extract_reply)
    p = sub.add_parser("demo", help="the whole cycle on sample letters, no servers needed")
    p.add_argument("--dir", default="intake-demo", help="workspace folder (default: ./intake-demo)")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG
        if args.debug
        else logging.INFO
        if args.command == "run"
        else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("imapclient").setLevel(logging.WARNING)
    try:
        result: int = args.func(args)
        return result
    except ConfigError as exc:
        print(f"intake: {exc}", file=sys.stderr)
        return 2
    except IntakeError as exc:
        if args.debug:
            raise
        print(f"intake: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if args.debug:
            raise
        print(f"intake: unexpected error: {type(exc).__name__}: {exc} (run with --debug for details)",
              file=sys.stderr)  # fmt: skip
        return 1
