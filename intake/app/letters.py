"""Taking a letter: record it, find its article, check it, and ask the author.

Runs inside the inbound transaction for a message classified as a letter:
the letter row with the writer's details for print, ranked article
candidates, letters-policy findings and campaign membership; then either
the author request goes into the outbox (with its reply key, deadline and
reminder time) or the letter waits in ``needs_review`` with the reason.
The editors' desk asks authors through :func:`queue_author_request` too.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

from intake.adapters.store import (
    LetterRow,
    RawMessageRow,
    ReplyKeyRow,
    Store,
    aware,
    dumps,
    upsert_article,
)
from intake.app.campaigns import fingerprint, join_campaign
from intake.app.deadlines import first_reminder_at
from intake.app.outmail import DeskMail, queue_mail
from intake.app.printfields import fill_print_fields
from intake.app.throttles import request_limit
from intake.app.work import Work
from intake.domain import keys
from intake.domain.lifecycle import Event, LetterState, advance
from intake.domain.model import Article, ArticleMatch, ParsedMail, Verdict
from intake.printing.render import AuthorRequestView
from intake.sorting.articles import Catalogue
from intake.sorting.policy import Finding, check_letter
from intake.sorting.routing import candidate, route_article, sure_match


def take_letter(work: Work, row: RawMessageRow, mail: ParsedMail, verdict: Verdict,
                notes: tuple[Finding, ...] = ()) -> None:  # fmt: skip
    """Record *mail* (the letter as its writer wrote it) and route it; *notes* are how it
    came (relayed, forwarded) and its language, kept with the policy findings."""
    deps, s, now = work.deps, work.session, work.now
    sender = mail.sender
    letter = LetterRow(
        raw_id=row.id or 0,
        message_id=mail.message_id,
        writer_name=sender.name if sender else "",
        writer_email=sender.email if sender else "",
        subject=mail.subject,
        body=mail.text,
        confidence=verdict.confidence,
        reasons=dumps(verdict.reasons),
        received_at=aware(row.internal_date) or now,
        updated_at=now,
    )
    fill_print_fields(letter, mail)  # signature, town, private contact details

    sent_on = _sent_on(mail, letter, deps.policy.timezone)
    matches = find_articles(deps.catalogue(), mail, sent_on)
    routed, problem = route_article(matches, verdict.confidence, deps.policy.review_below)
    article: Article | None = None
    if routed is not None:
        article = routed.article
        letter.article_id = upsert_article(s, article)
        letter.match_reason = routed.reason
        if not article.author_email:
            problem = f"article {article.url} has no author email"
    sure = match.article if (match := sure_match(matches)) is not None else None
    findings = _sort_out(work, letter, mail, matches, sure, sent_on, notes)
    mine = fingerprint(letter)
    # one INSERT with everything worked out so far: the id is what the rest needs
    s.add(letter)
    s.flush()
    assert letter.id is not None
    row.letter_id = letter.id
    Store.note(s, at=now, event="received", letter_id=letter.id, raw_id=row.id,
               note="; ".join(verdict.reasons))  # fmt: skip
    campaign = join_campaign(work, letter, mine)
    if campaign is not None:
        letter.findings = dumps([*findings, str(campaign)])
    if article is not None and not problem:
        problem = request_limit(work, letter, article)
    # the letter's row is in the database and only Store.apply writes its state: the
    # compare-and-set needs nothing else flushed first (audit rows and the letter's other
    # fields go with the transaction's next flush)
    with s.no_autoflush:
        if problem or article is None:
            Store.apply(
                s, advance(letter.id, LetterState.received, Event.flagged, at=now, note=problem)
            )
            return
        queue_author_request(work, letter, article, mail)


_last_look_up: list[tuple[tuple[object, ...], tuple[ArticleMatch, ...]]] = []


def find_articles(catalogue: Catalogue, mail: ParsedMail, sent_on: date | None
                  ) -> tuple[ArticleMatch, ...]:  # fmt: skip
    """The articles *mail* may answer (:meth:`Catalogue.match`).  A letter is looked up
    when it is sorted and again, with the same words, when it is taken: the last answer
    is kept for the second."""
    key = (catalogue, mail.text, mail.subject, mail.html, sent_on)
    last = _last_look_up[0] if _last_look_up else None
    if last is not None and last[0][0] is catalogue and last[0] == key:
        return last[1]
    found = catalogue.match(text=mail.text, subject=mail.subject, html=mail.html, sent_on=sent_on)
    _last_look_up[:] = [(key, found)]
    return found


def remember_articles(catalogue: Catalogue, mail: ParsedMail, sent_on: date | None,
                      found: tuple[ArticleMatch, ...]) -> None:  # fmt: skip
    """Keep what :func:`find_articles` answered for *mail* in another process (a sorting
    process's look-up), for its next call with the same words."""
    _last_look_up[:] = [((catalogue, mail.text, mail.subject, mail.html, sent_on), found)]


def _sent_on(mail: ParsedMail, letter: LetterRow, timezone: str) -> date:
    """The letter's date in the desk's zone: its Date header, else when it arrived."""
    when = mail.date or aware(letter.received_at) or letter.received_at
    return when.astimezone(ZoneInfo(timezone)).date()


def _sort_out(work: Work, letter: LetterRow, mail: ParsedMail, matches: tuple[ArticleMatch, ...],
              article: Article | None, sent_on: date,
              notes: tuple[Finding, ...]) -> list[str]:  # fmt: skip
    """Store what the editors need to judge the letter (not yet saved): candidates and policy
    findings; return the findings as stored (the campaign's, if any, is added once the letter
    has an id)."""
    deps = work.deps
    letter.candidates = json.dumps([candidate(m) for m in matches], ensure_ascii=False)
    findings = list(notes)
    findings += list(
        check_letter(
            deps.policy.letters,
            text=mail.text,
            writer_name=letter.writer_name,
            article_published=article.published if article else None,
            sent_on=sent_on,
            recipients=[a.email for a in (*mail.to, *mail.cc)],
            desk_address=deps.policy.desk_address,
        )
    )
    shown = [str(f) for f in findings]
    letter.findings = dumps(shown)
    return shown


def _human_date(value: datetime, timezone: str) -> str:
    local = value.astimezone(ZoneInfo(timezone))
    return f"{local.day} {local:%B %Y}"


def queue_author_request(work: Work, letter: LetterRow, article: Article,
                          mail: ParsedMail) -> None:  # fmt: skip
    deps, s, now = work.deps, work.session, work.now
    assert letter.id is not None
    policy = deps.policy
    key = keys.mint_key()
    reply_address = keys.plus_address(policy.desk_address, key)
    deadline = now + policy.response_window
    view = AuthorRequestView(
        publication=policy.publication,
        author_name=article.author,
        article_title=article.title,
        article_url=article.url,
        writer_name=letter.writer_name or letter.writer_email,
        letter_text=mail.text.strip(),
        received_on=_human_date(aware(letter.received_at) or now, policy.timezone),
        deadline_on=_human_date(deadline, policy.timezone),
        reply_address=reply_address,
        letter_ref=f"L-{letter.id}",
    )
    text, html = deps.renderer.author_request(view)
    s.add(ReplyKeyRow(key=key, letter_id=letter.id, address=article.author_email.lower(),
                      purpose="author_request", created_at=now,
                      expires_at=now + policy.key_validity))  # fmt: skip
    real_id = not letter.message_id.endswith("intake.invalid")
    queue_mail(
        work,
        DeskMail(
            purpose="author_request",
            tag="req",
            letter_id=letter.id,
            to=[(article.author, article.author_email)],
            reply_to=reply_address,
            subject=f"A reader’s letter on ‘{article.title}’: would you like to respond? [L-{letter.id}]",
            text=text,
            html=html,
            references=(letter.message_id,) if real_id else (),
        ),
    )
    letter.deadline_at = deadline
    letter.next_reminder_at = first_reminder_at(policy, now, deadline)
    Store.apply(s, advance(letter.id, LetterState.received, Event.request_queued, at=now,
                           note=f"asked {article.author} <{article.author_email}>"))  # fmt: skip
