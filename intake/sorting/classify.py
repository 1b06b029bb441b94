"""Classify an inbound message: letter, author reply, machine mail or other.

Owns the order in which the signs are consulted and what each verdict says:
challenge-responses and delivery reports, auto-replies, replies to our own
requests (by reply key or thread), spam verdicts of the filters on the way,
bulk mail, cheap spam signs, and last the content scoring of
:mod:`intake.sorting.letterscore`.  Cheapest and most certain first; the first rule
that finds something wins.  The signs themselves live in
:mod:`intake.sorting.machinemail`.  Every reason is a sentence an editor can read.
Pure: no I/O, no clock.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Final

from intake.domain.keys import is_well_formed, keys_in
from intake.domain.model import ArticleMatch, Category, ParsedMail, Verdict
from intake.domain.subjects import find_letter_tag
from intake.mail.tametext import signal_text
from intake.sorting.articles import MATCH_AT_LEAST
from intake.sorting.lettermodel import Judgement, features, judge
from intake.sorting.letterscore import ContentScore, score_content
from intake.sorting.letterweights import LETTER_AT_LEAST, VETO_BELOW, WEIGHTS
from intake.sorting.machinemail import (
    Hit,
    MailFacts,
    auto_reply_hits,
    bounce_hits,
    bulk_hits,
    challenge_hits,
    spam_signal_hits,
    spam_verdict_hits,
    weak_bulk_hits,
    weak_spam_hits,
)

# Signs a person's letter can carry too: a subject like an out-of-office's, the headers of
# the list (a neighbourhood group's) it came through, a work account's unsubscribe footer.
# The classifier lets a letter's own signs outweigh them (the reasons start so).
YIELDING_SIGNS = (
    "out-of-office subject",
    "List-",
    "Precedence: list",
    "Precedence: bulk",
    "Return-Path of a list server",
    "carries a newsletter footer",
)

_MIN_LETTER_EVIDENCE = 3.0  # a salutation alone is not enough; with a signed name it is
_MIN_SUBSTANCE = 2.0  # length and a signature alone never make a letter
_LETTER_MARGIN = 1.0  # letter evidence must beat the other-evidence by this much
SHORT_LETTER_WORDS: Final = 40  # under this many words a letter needs its article named
_NAMED_AT_LEAST: Final = 0.9  # a link, a quoted title or the title named (sorting.articles)
_NAMED_CONFIDENCE: Final = 0.8
_OTHER_RULES_OUT: Final = 2.0  # other-evidence that keeps a short message from being a letter
_ASKS_DECIDE: Final = 3.0
# a letter only the model sees goes to an editor before its author is asked (below the
# schema's classify.review_below)
MODEL_LETTER_CONFIDENCE: Final = 0.5
_PLAINLY_OTHER: Final = 4.0  # a press release's marks: person-made mail, not a newsletter  # one clear ask (intake.sorting.asks) and the mail is not a letter

NamedArticle = Callable[[], ArticleMatch | None]
"""Looks the message up in the catalogue: its best candidate article, if any (called lazily)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DeskIdentity:
    """Who the desk is, so that replies to our own mail can be recognised."""

    address: str  # the letters address; reply keys are plus-addressed on it
    own_domains: tuple[str, ...] = ()  # domains of our outbound Message-IDs (default: address's)

    def message_id_domains(self) -> frozenset[str]:
        """Return the lower-cased domains our outbound Message-IDs use."""
        domains = self.own_domains or (self.address.rpartition("@")[2],)
        return frozenset(d.lower() for d in domains if d)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Context:
    facts: MailFacts
    desk: DeskIdentity
    reply_key: str | None  # the first +detail on the desk address, well formed or not
    named_article: NamedArticle | None = None
    # machine signs a letter's own signs outweighed, noted on its verdict ("but: …")
    overruled: list[str] = field(default_factory=list)


def _combine(category: Category, hits: list[Hit], reply_key: str | None = None) -> Verdict | None:
    """Return a verdict from the hits found, or ``None`` when there are none.

    The strongest hit sets the confidence; each further agreeing sign adds a little.
    """
    if not hits:
        return None
    confidence = min(0.99, max(c for c, _ in hits) + 0.02 * (len(hits) - 1))
    return Verdict(
        category=category,
        confidence=round(confidence, 3),
        reasons=tuple(reason for _, reason in hits),
        reply_key=reply_key,
    )


def _own_mail_hits(mail: ParsedMail, desk: DeskIdentity) -> list[Hit]:
    local, _, domain = mail.message_id.rpartition("@")
    hits: list[Hit] = []
    if local.lower().startswith("intake.") and domain.lower() in desk.message_id_domains():
        hits.append((0.99, "carries one of our own Message-IDs: our mail came back"))
    if mail.sender is not None and mail.sender.email == desk.address.lower():
        hits.append((0.95, "sent from the desk's own address"))
    return hits


def is_own_mail(mail: ParsedMail, desk: DeskIdentity) -> bool:
    """Whether *mail* is the desk's own mail come back (never a letter, whatever it holds)."""
    return bool(_own_mail_hits(mail, desk))


def _own_mail(ctx: _Context) -> Verdict | None:
    # Loop guard (RT, Zammad): our own mail coming back, e.g. a request copied to the
    # desk or a forwarding rule pointing at it, must never be acted on again.
    return _combine(Category.other, _own_mail_hits(ctx.facts.mail, ctx.desk))


def _challenge(ctx: _Context) -> Verdict | None:
    # Checked before bounces: a challenge may be dressed as a delivery report.
    return _combine(Category.auto_reply, challenge_hits(ctx.facts), ctx.reply_key)


def _bounce(ctx: _Context) -> Verdict | None:
    # The key rides along: a report about one of our plus-addressed requests
    # tells the service which author's address failed.
    return _combine(Category.bounce, bounce_hits(ctx.facts), ctx.reply_key)


def _auto_reply(ctx: _Context) -> Verdict | None:
    # An author's out-of-office keeps the key, so the service can note it.
    return _combine(
        Category.auto_reply, _unless_a_letter(ctx, auto_reply_hits(ctx.facts)), ctx.reply_key
    )


def _unless_a_letter(ctx: _Context, hits: list[Hit]) -> list[Hit]:
    """*hits*, or none when each is a sign a person's mail can carry (a subject that
    reads like an out-of-office, a list's headers, a work account's footer) and the
    message reads as a letter to the editor — opens to the editor, has a letter's signs
    and asks nothing that decides — or plainly as a person's other mail: a press release,
    a pitch or a request (a media list's footer makes a release no newsletter).  What was
    overruled is noted on the verdict the content gives."""
    if not hits or not all(reason.startswith(YIELDING_SIGNS) for _, reason in hits):
        return hits
    mail = ctx.facts.mail
    score = score_content(mail.subject, mail.text)
    margin = score.letter - score.other - _LETTER_MARGIN
    shortfall = min(score.letter - _MIN_LETTER_EVIDENCE, score.substance - _MIN_SUBSTANCE)
    addressed = any(reason.startswith("opens with") for reason in score.letter_reasons)
    lettered = addressed and margin >= 0 and shortfall >= 0 and score.asks < _ASKS_DECIDE
    if lettered or score.asks >= _ASKS_DECIDE or score.other >= _PLAINLY_OTHER:
        ctx.overruled.extend(reason for _, reason in hits)
        return []
    return hits


def _author_reply(ctx: _Context) -> Verdict | None:
    hits: list[Hit] = []
    if ctx.reply_key is not None:
        if is_well_formed(ctx.reply_key):
            hits.append((0.97, "sent to a reply address with a key we mint"))
        else:
            # Tampered, truncated or mistyped: the editors decide, not the key.
            hits.append(
                (0.5, f"sent to a plus address whose key '{ctx.reply_key[:30]}' is malformed")
            )
    ours = ctx.desk.message_id_domains()
    mail = ctx.facts.mail
    for ident in (*mail.in_reply_to, *mail.references):
        local, _, domain = ident.rpartition("@")
        if local.lower().startswith("intake.") and domain.lower() in ours:
            hits.append((0.92, f"answers our message <{ident[:60]}>"))
            break
    tagged = find_letter_tag(mail.subject)
    if tagged is not None:
        # weakest of the three: anyone can type a tag; the service checks the sender
        hits.append((0.8, f"the subject carries our letter tag [L-{tagged}]"))
    return _combine(Category.author_reply, hits, ctx.reply_key)


def _spam_verdict(ctx: _Context) -> Verdict | None:
    # Before the bulk checks: spam carries list headers too, and a filter's
    # verdict is the more specific statement.
    return _combine(Category.spam, spam_verdict_hits(ctx.facts))


def _bulk(ctx: _Context) -> Verdict | None:
    return _combine(Category.bulk, _unless_a_letter(ctx, bulk_hits(ctx.facts)))


def _spam_signals(ctx: _Context) -> Verdict | None:
    return _combine(Category.spam, spam_signal_hits(ctx.facts))


_RULES: Final[tuple[Callable[[_Context], Verdict | None], ...]] = (
    _own_mail,
    _challenge,
    _bounce,
    _auto_reply,
    _author_reply,
    _spam_verdict,
    _bulk,
    _spam_signals,
)


def _squash(distance: float) -> float:
    """Map a score's distance from the decision line to a confidence in 0.5..0.97."""
    return round(min(0.97, 1.0 / (1.0 + math.exp(-0.6 * distance))), 3)


def _short_letter(ctx: _Context, score: ContentScore) -> Verdict | None:
    """A short message naming one of our articles is a letter, though too short to tell alone."""
    # a clear sign of other mail (a press release, a pitch, a forward) rules it out; a weak
    # one (an earlier message carried below, "for your consideration") does not
    if ctx.named_article is None or score.other >= _OTHER_RULES_OUT or score.words < 3:
        return None
    if score.words >= SHORT_LETTER_WORDS and not score.letter_reasons:
        return None
    match = ctx.named_article()
    # A few words with no sign of a letter must name the article outright; a message
    # with a letter's signs (a salutation, a piece referred to, an argument, a signed
    # name) may answer it by its reporter and topic, its date, or a paraphrased title.
    needed = _NAMED_AT_LEAST if not score.letter_reasons else MATCH_AT_LEAST
    if match is None or match.score < needed:
        return None
    named = f"names our article ‘{match.article.title[:60]}’ ({match.reason})"
    return Verdict(
        category=Category.letter,
        confidence=_NAMED_CONFIDENCE,
        reasons=(named, *score.letter_reasons, *(f"but: {r}" for r in score.against_reasons)),
    )


def _by_rules(ctx: _Context, score: ContentScore) -> Verdict:
    if score.asks >= _ASKS_DECIDE:
        # Asking the paper for something (a job, a link, delivery, coverage …) or selling
        # it something is not a letter, whatever its salutation and the titles it quotes.
        doubts = (*score.letter_reasons, *ctx.overruled)
        reasons = score.other_reasons + tuple(f"but: {r}" for r in doubts)
        return Verdict(
            category=Category.other, confidence=_squash(score.asks - 1.0), reasons=reasons
        )
    margin = score.letter - score.other - _LETTER_MARGIN
    shortfall = min(score.letter - _MIN_LETTER_EVIDENCE, score.substance - _MIN_SUBSTANCE)
    # a spoofing sign a reader's client can make: a letter's signs win, and it is noted
    spoofed = weak_spam_hits(ctx.facts)
    noted = tuple(f"but: {reason}" for reason in (*ctx.overruled, *(r for _, r in spoofed)))
    if not (
        margin >= 0 and shortfall >= 0 and _squash(min(margin, shortfall)) >= _NAMED_CONFIDENCE
    ):
        short = _short_letter(ctx, score)
        if short is not None:
            return replace(short, reasons=short.reasons + noted)
    if margin >= 0 and shortfall >= 0:
        doubts = score.other_reasons + score.against_reasons
        reasons = score.letter_reasons + tuple(f"but: {r}" for r in doubts) + noted
        return Verdict(
            category=Category.letter, confidence=_squash(min(margin, shortfall)), reasons=reasons
        )
    weak_spam = _combine(Category.spam, spoofed)
    if weak_spam is not None:
        return weak_spam
    if not score.other_reasons:
        weak = _combine(Category.bulk, weak_bulk_hits(ctx.facts))
        if weak is not None:
            return weak
    reasons = score.other_reasons + score.against_reasons
    if not score.letter_reasons:
        reasons += ("no sign of a letter to the editor",)
    reasons += tuple(f"but: {r}" for r in (*score.letter_reasons, *ctx.overruled))
    return Verdict(
        category=Category.other, confidence=_squash(max(-margin, -shortfall)), reasons=reasons
    )


def _by_content(ctx: _Context) -> Verdict:
    """The rules' verdict on a person's mail, with the letter model's say on it.

    The model (:mod:`intake.sorting.lettermodel`) vetoes a letter it finds very unlike
    one (mail that asks or sells in words the rules were not written from), and makes a
    letter of other mail it finds very like one, unsure: an editor looks before the
    author is asked.  Weak signs of machine mail the rules found stand.
    """
    mail = ctx.facts.mail
    score = score_content(mail.subject, mail.text)
    verdict = _by_rules(ctx, score)
    if verdict.category not in (Category.letter, Category.other):
        return verdict
    judgement = judge(features(mail.subject, mail.text, score), WEIGHTS)
    if verdict.category is Category.letter and judgement.probability < VETO_BELOW:
        return _overruled(verdict, judgement, score, Category.other, 1.0 - judgement.probability)
    letter_at_least = LETTER_AT_LEAST
    if (
        verdict.category is Category.other
        and letter_at_least is not None
        and judgement.probability >= letter_at_least
        and model_may_make_a_letter(score)
    ):
        return _overruled(verdict, judgement, score, Category.letter, MODEL_LETTER_CONFIDENCE)
    return verdict


def model_may_make_a_letter(score: ContentScore) -> bool:
    """Whether the model may make a letter of mail the rules call other: only when the
    rules found something of a letter beyond length and a signature (a salutation, a piece
    referred to, an argument) and no ask that decides (:mod:`intake.sorting.asks`)."""
    return score.substance > 0 and score.asks < _ASKS_DECIDE


def _overruled(
    verdict: Verdict,
    judgement: Judgement,
    score: ContentScore,
    category: Category,
    confidence: float,
) -> Verdict:
    """*verdict* turned to *category* by the model: its reason first, then the rules' signs
    that agree, then those that do not as "but: …", then what the rules noted, as noted."""
    letter = category is Category.letter
    of_letter = {*score.letter_reasons}
    of_other = {*score.other_reasons, *score.against_reasons, "no sign of a letter to the editor"}
    agree: list[str] = []
    disagree: list[str] = []
    noted: list[str] = []
    for reason in verdict.reasons:
        bare = reason.removeprefix("but: ")
        if bare in of_letter or bare.startswith("names our article"):
            (agree if letter else disagree).append(bare)
        elif bare in of_other:
            (disagree if letter else agree).append(bare)
        else:
            noted.append(reason)
    threshold = (LETTER_AT_LEAST or 1.0) if letter else VETO_BELOW
    return Verdict(
        category=category,
        confidence=round(min(0.97, confidence), 3),
        reasons=(
            judgement.reason(threshold),
            *agree,
            *(f"but: {reason}" for reason in disagree),
            *noted,
        ),
    )


MACHINE_CATEGORIES: Final = frozenset(
    {Category.other, Category.auto_reply, Category.bounce, Category.spam, Category.bulk}
)


def _context(mail: ParsedMail, desk: DeskIdentity, named_article: NamedArticle | None) -> _Context:
    # every signal reads a bounded body: the first SIGNAL_CHARS of it (GTUBE aside, no
    # signal needs more, and no letter is longer)
    mail = replace(mail, text=signal_text(mail.text))
    keys = keys_in(mail.recipients(), desk.address)
    return _Context(
        facts=MailFacts.of(mail),
        desk=desk,
        reply_key=keys[0] if keys else None,
        named_article=named_article,
    )


def classify_machine(mail: ParsedMail, desk: DeskIdentity) -> Verdict | None:
    """Return the verdict :func:`classify` gives *mail* when that verdict comes from the
    signs of machine mail (our own mail back, challenges, delivery reports, auto-replies,
    spam verdicts, bulk mail, spam signs); ``None`` when the message may be a letter or a
    reply, which only :func:`classify` on the full read can tell.

    The same rules in the same order as :func:`classify`: what they read (headers,
    structure, the start of the text) a quick read (:mod:`intake.mail.quickread`) has.
    """
    ctx = _context(mail, desk, None)
    for rule in _RULES:
        verdict = rule(ctx)
        if verdict is not None:
            return verdict if verdict.category in MACHINE_CATEGORIES else None
    return None


def classify(
    mail: ParsedMail, desk: DeskIdentity, *, named_article: NamedArticle | None = None
) -> Verdict:
    """Return what *mail* is, how sure we are and why.

    Auto-replies and bounces sent to one of our plus addresses carry the
    reply key too, so that the service can tell which author they concern.
    With *named_article* (a catalogue look-up), a human message under
    :data:`SHORT_LETTER_WORDS` words that names one of our articles by link or
    title is a letter: too short to tell by its words alone, sure by what it names.
    """
    ctx = _context(mail, desk, named_article)
    for rule in _RULES:
        verdict = rule(ctx)
        if verdict is not None:
            return verdict
    return _by_content(ctx)
