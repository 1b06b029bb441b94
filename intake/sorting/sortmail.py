"""Sort one message as the desk does: what it is, whose letter it is, and how it came.

Owns :func:`sort_mail`, the one entry the service, ``intake classify`` and
``intake eval`` call: a message a relay sent for a reader (:mod:`.relays`) is
classified as the reader sent it; a forward (:mod:`.forwards`) whose own
words make no letter but whose forwarded message is one is that letter, from
its writer; a letter in another language (:mod:`.languages`) says which.
What the editors should know of this — who relayed or forwarded it, the
language — comes back as findings, with the message as its writer wrote it.
Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from intake.domain.model import Address, ArticleMatch, Category, ParsedMail, Verdict
from intake.domain.subjects import strip_prefixes
from intake.sorting.classify import DeskIdentity, classify, classify_machine, is_own_mail
from intake.sorting.forwards import attached, forwarded
from intake.sorting.languages import language_of
from intake.sorting.machinemail import machine_headers, machine_sender
from intake.sorting.owntext import own_text
from intake.sorting.policy import Finding
from intake.sorting.relays import RelaySenders, relayed

_FORWARD_SUBJECT_RE = re.compile(r"^\s*(?:fwd?|fw|wg|tr|rv|enc|i)\s*:", re.IGNORECASE)

LookUp = Callable[[ParsedMail], ArticleMatch | None]
"""The catalogue's best candidate for a message (the classifier asks for short ones)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Sorted:
    """A message sorted: the verdict, the letter as its writer wrote it, and what to note."""

    verdict: Verdict
    letter: ParsedMail  # the relayed or forwarded message, else the message itself
    findings: tuple[Finding, ...] = ()
    forwarded_by: Address | None = None  # who sent us someone else's letter


def _named(look_up: LookUp | None, mail: ParsedMail) -> Callable[[], ArticleMatch | None] | None:
    return None if look_up is None else (lambda: look_up(mail))


def _language(verdict: Verdict, letter: ParsedMail) -> tuple[Finding, ...]:
    if verdict.category is not Category.letter:
        return ()
    language = language_of(own_text(letter.text))
    if language is None or language == "English":
        return ()
    return (Finding(code="language", message=f"written in {language}"),)


def _forwarded_letter(
    mail: ParsedMail, verdict: Verdict, desk: DeskIdentity, look_up: LookUp | None
) -> Sorted | None:
    """The letter a forward carries, when the forward's own words are no letter."""
    if is_own_mail(mail, desk):
        return None
    found = forwarded(mail.text)
    if found is None and (found := attached(mail)) is not None:
        # the body holds the attached message's text too: the sender's note alone decides
        verdict = classify(replace(mail, text=found.note), desk, named_article=None)
    if found is None or not found.text or verdict.category is not Category.other:
        return None
    # Outlook's "Original Message" and rule head replies as well as forwards: the subject says
    if not (found.says_forwarded or _FORWARD_SUBJECT_RE.match(mail.subject)):
        return None
    if found.sender is not None and machine_sender(found.sender.email):
        return None  # a forwarded newsletter or notice is nobody's letter
    forwarder = mail.sender
    writer = found.sender or forwarder
    if writer is not None and found.sender is None and found.sender_name:
        writer = Address(name=found.sender_name, email=writer.email)
    inner = replace(
        mail,
        sender=writer,
        reply_to=(),
        subject=found.subject or strip_prefixes(mail.subject),
        text=found.text,
        html="",
        text_from_html=False,
    )
    inner_verdict = classify(inner, desk, named_article=_named(look_up, inner))
    if inner_verdict.category is not Category.letter:
        return None
    by = str(forwarder) if forwarder else "an unknown sender"
    reasons = (f"forwards a letter (forwarded by {by})", *inner_verdict.reasons)
    letter_verdict = replace(inner_verdict, reasons=reasons)
    note = f"forwarded by {by}" + (f": “{found.note[:120]}”" if found.note else "")
    return Sorted(
        verdict=letter_verdict,
        letter=inner,
        findings=(Finding(code="forwarded", message=note), *_language(letter_verdict, inner)),
        forwarded_by=forwarder,
    )


def sort_mail(
    mail: ParsedMail,
    desk: DeskIdentity,
    *,
    relays: RelaySenders | None = None,
    look_up: LookUp | None = None,
) -> Sorted:
    """Return what *mail* is, the letter as its writer wrote it, and the findings to note.

    *relays* are the configured relay senders (the paper's own web form is
    one without configuration); *look_up* finds a message's best catalogue
    article, for the short letters that name one.
    """
    relay = relayed(mail, relays or RelaySenders(), desk.address)
    if relay is not None:
        inner = classify(relay.mail, desk, named_article=_named(look_up, relay.mail))
        verdict = replace(inner, reasons=(relay.note, *inner.reasons))
        findings = (Finding(code="relayed", message=relay.note), *_language(verdict, relay.mail))
        return Sorted(verdict=verdict, letter=relay.mail, findings=findings)
    verdict = classify(mail, desk, named_article=_named(look_up, mail))
    forward = _forwarded_letter(mail, verdict, desk, look_up)
    if forward is not None:
        return forward
    return Sorted(verdict=verdict, letter=mail, findings=_language(verdict, mail))


def may_be_machine_mail(head: ParsedMail, desk: DeskIdentity) -> bool:
    """Whether the headers alone (:func:`intake.mail.quickread.read_head`) show a sign of
    machine mail, so that :func:`sort_machine_mail` on a quick read may answer.  Mail
    known by its body alone (a newsletter without list headers) gets the full read: the
    same answer, later."""
    return classify_machine(head, desk) is not None or machine_headers(head)


def sort_machine_mail(
    mail: ParsedMail, desk: DeskIdentity, *, relays: RelaySenders | None = None
) -> Sorted | None:
    """Return what :func:`sort_mail` returns for *mail* when it is machine mail (a delivery
    report, an auto-reply, bulk mail, spam, our own mail come back), else ``None``: a
    letter, a reply, a relayed or forwarded letter need :func:`sort_mail` on the full read.

    What decides machine mail (headers, structure, the start of the text) a quick read
    (:mod:`intake.mail.quickread`) has, so *mail* may be one.
    """
    if relayed(mail, relays or RelaySenders(), desk.address) is not None:
        return None
    if mail.enclosed:
        return None  # a message attached whole may be a forwarded letter: sort_mail decides
    verdict = classify_machine(mail, desk)
    if verdict is None or (verdict.category is Category.other and not is_own_mail(mail, desk)):
        return None
    return Sorted(verdict=verdict, letter=mail)
