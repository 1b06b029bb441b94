"""Tools that read a file or a corpus and touch no database: ``classify``, ``eval``,
``extract-reply``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake.cli.common import read_config, read_file
from intake.cli.terminal import say, say_json
from intake.domain.errors import IntakeError

if TYPE_CHECKING:
    from intake.eval.deskscore import DeskOutcome


def cmd_classify(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo

    from intake.adapters.catalogue import load_catalogue
    from intake.domain.model import ArticleMatch, Category, ParsedMail
    from intake.mail.parse import parse_loose
    from intake.sorting.classify import DeskIdentity
    from intake.sorting.policy import Finding, check_letter
    from intake.sorting.relays import RelaySenders
    from intake.sorting.routing import candidate
    from intake.sorting.sortmail import sort_mail

    settings = read_config(args)
    received = parse_loose(read_file(args.file))
    catalogue = load_catalogue(settings.articles.source) if settings.articles.source else None

    def look_up(mail: ParsedMail) -> ArticleMatch | None:
        if catalogue is None:
            return None
        zone = ZoneInfo(settings.desk.timezone)
        sent_on = mail.date.astimezone(zone).date() if mail.date else None
        found = catalogue.match(
            text=mail.text, subject=mail.subject, html=mail.html, sent_on=sent_on
        )
        return found[0] if found else None

    sorted_ = sort_mail(
        received,
        DeskIdentity(address=settings.desk.address),
        relays=RelaySenders(settings.desk.relays),
        look_up=look_up,
    )
    verdict, mail = sorted_.verdict, sorted_.letter
    sent_on = mail.date.astimezone(ZoneInfo(settings.desk.timezone)).date() if mail.date else None
    matches: tuple[ArticleMatch, ...] = ()
    if catalogue is not None:
        matches = catalogue.match(
            text=mail.text, subject=mail.subject, html=mail.html, sent_on=sent_on
        )
    article = (
        {**candidate(matches[0]), "author_email": matches[0].article.author_email}
        if matches
        else None
    )
    findings: tuple[Finding, ...] = ()
    if verdict.category is Category.letter:
        findings = sorted_.findings + check_letter(
            settings.policy.rules(),
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
        say_json(result)
    else:
        say(f"{result['category']} ({result['confidence']:.2f})")
        for reason in result["reasons"]:
            say(f"  - {reason}")
        for found in result["candidates"]:
            say(f"  candidate {found['score']:.2f}: {found['title']} ({found['reason']})")
        for finding in result["findings"]:
            say(f"  policy: {finding['code']}: {finding['message']}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from intake.adapters.catalogue import load_catalogue
    from intake.eval.corpus import evaluate, evaluate_replies, report_lines, summary
    from intake.eval.deskscore import desk_lines, desk_sorter, desk_summary, evaluate_desk
    from intake.sorting.relays import RelaySenders

    corpus = Path(args.corpus)
    index = corpus / "labels.jsonl"
    if not index.is_file():
        raise IntakeError(f"no labels.jsonl in {corpus}")
    labels = index.read_text(encoding="utf-8")

    def read(path: str) -> bytes:
        return read_file(str(corpus / path))

    # Every figure comes from one sorting, the service's: the desk's relays, and the
    # catalogue (the corpus's own by default) for letters and their articles.
    settings = read_config(args)
    source = args.catalogue or (
        str(corpus / "catalogue.csv") if (corpus / "catalogue.csv").is_file() else ""
    )
    catalogue = load_catalogue(source) if source else None
    relays = RelaySenders(settings.desk.relays)
    sort = desk_sorter(catalogue, timezone=settings.desk.timezone, relays=relays)
    result = evaluate(labels, read, verdict_of=lambda mail: sort(mail).verdict)
    replies = evaluate_replies(labels, read)
    desk: tuple[DeskOutcome, ...] = ()
    if catalogue is not None:
        desk = evaluate_desk(
            labels,
            read,
            catalogue,
            review_below=settings.classify.review_below,
            timezone=settings.desk.timezone,
            relays=relays,
        )
    if args.json:
        say_json({**summary(result, replies), **({"desk": desk_summary(desk)} if desk else {})})
    else:
        say("\n".join(report_lines(result, replies) + desk_lines(desk)))
    return 0


def cmd_extract_reply(args: argparse.Namespace) -> int:
    from intake.mail.ourquote import SentMail, extract_answer
    from intake.mail.parse import parse_loose, parse_message

    # With --request, the reply is cut at our own request, as the reply path does.
    sent = tuple(SentMail.of(parse_message(read_file(path))) for path in args.request)
    reply = extract_answer(parse_loose(read_file(args.file)), sent)
    say(reply.text)
    if args.show_cut and reply.cut:
        say("\n----- cut -----", err=True)
        say(reply.cut, err=True)
    return 0


def register(sub: Any) -> None:
    """Add ``classify``, ``eval`` and ``extract-reply`` to the ``intake`` parser."""
    p = sub.add_parser("classify", help="classify one .eml file (touches no database)")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_classify)
    p = sub.add_parser("eval", help="score classification and reply extraction on a corpus")
    p.add_argument("corpus", help="a folder with labels.jsonl (the shared corpus format)")
    p.add_argument(
        "--catalogue",
        default="",
        help="articles (CSV or feed) to score letters' articles against;"
        " default CORPUS/catalogue.csv when there is one",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval)
    p = sub.add_parser("extract-reply", help="print only the new text of a reply")
    p.add_argument("file")
    p.add_argument("--show-cut", action="store_true", help="also print what was cut, on stderr")
    p.add_argument(
        "--request",
        action="append",
        default=[],
        metavar="REQUEST.eml",
        help="our mail the reply answers (from the outbox): cut at it, as the reply path does",
    )
    p.set_defaults(func=cmd_extract_reply)
