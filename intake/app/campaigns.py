"""Form-letter campaigns: near-identical letters from different senders, grouped.

Owns the fingerprint of a letter and the rule that makes two letters one
campaign, :func:`fingerprint`, which gives a letter its fingerprint before it is
stored, and :func:`join_campaign`, which puts the newly taken letter in its
group inside the inbound transaction.

How: the letter's own words (quotes, salutation and signature left out, so
that each sender's name does not count), casefolded and stripped of
punctuation, cut into overlapping three-word shingles.  Two letters belong
together when the Jaccard similarity of their shingle sets is at least 0.5,
or when nearly all of the shorter letter's shingles (0.8) are in the longer
one — a template with a personal line added.  Shingles see *phrasing*, which
is what a campaign shares; a token-set ratio (rapidfuzz) sees *vocabulary*,
which honest letters on the same topic share too, and it rates a short
letter whose words all appear in a long one as identical.  Exact sets rather
than MinHash estimates: the answer must be exact for an editor to trust it.

Finding the candidates must not cost a pass over every recent letter (a
busy desk takes thousands a month): each letter's shingles are stored as
32-bit hashes with an index on its :data:`SKETCH` smallest (a bottom-k
sketch).  Two letters that share half their shingles share some of their
smallest hashes with near certainty (1 - 0.5^16), so the index yields the
few candidates, and only those are compared exactly.

A group's id is the id of its first letter.  Letters from the same sender
never make a campaign (that is a resend).
"""

from __future__ import annotations

import re
import zlib
from array import array
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, insert
from sqlmodel import col, func, select

from intake.adapters.store import CampaignKeyRow, LetterRow, Store, aware
from intake.app.work import Work
from intake.printing.letterbody import prepare_letter
from intake.sorting.owntext import own_text
from intake.sorting.policy import Finding

WINDOW = timedelta(days=30)
MAX_COMPARED = 3000  # the most recent letters in the window; a cap, not a sample
SHINGLE_WORDS = 3
MIN_JACCARD = 0.5
MIN_CONTAINMENT = 0.8
_MIN_SHINGLES = 12  # below this a letter is too short to call a copy of anything
_MAX_SIZE_RATIO = 4.0  # a letter four times as long as another is not its copy
SKETCH = 16  # smallest shingle hashes indexed per letter

_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


@dataclass(frozen=True, slots=True, kw_only=True)
class PastLetter:
    """A recent letter, as the comparison needs it."""

    id: int
    sender: str
    shingles: AbstractSet[object]
    campaign_id: int | None = None


def shingles(text: str, *, sender_name: str = "") -> frozenset[str]:
    """Return the three-word shingles of the letter's own words (no quote, greeting or name)."""
    body = prepare_letter(own_text(text), sender_name=sender_name)
    words = _WORD_RE.findall(" ".join(body.paragraphs).casefold().replace("’", "'"))
    return frozenset(
        " ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)
    )


def hashed(shingle_set: Iterable[str]) -> frozenset[int]:
    """Return stable 32-bit hashes of *shingle_set* (CRC-32: the same in every process)."""
    return frozenset(zlib.crc32(s.encode("utf-8")) for s in shingle_set)


def pack(hashes: Iterable[int]) -> bytes:
    return array("I", sorted(hashes)).tobytes()


def unpack(blob: bytes) -> frozenset[int]:
    values = array("I")
    values.frombytes(blob)
    return frozenset(values)


def similarity(one: AbstractSet[object], two: AbstractSet[object]) -> float:
    """Return how much of a copy *one* and *two* are: Jaccard, or containment of the shorter."""
    if len(one) < _MIN_SHINGLES or len(two) < _MIN_SHINGLES:
        return 0.0
    small, large = sorted((len(one), len(two)))
    if large > small * _MAX_SIZE_RATIO:
        return 0.0
    common = len(one & two)
    jaccard = common / (len(one) + len(two) - common)
    containment = common / small
    return max(jaccard, containment if containment >= MIN_CONTAINMENT else 0.0)


def same_campaign(one: AbstractSet[object], two: AbstractSet[object]) -> bool:
    """Whether two letters' shingles make them copies of one form letter."""
    return similarity(one, two) >= MIN_JACCARD


def find_copy(
    mine: AbstractSet[object], sender: str, recent: Iterable[PastLetter]
) -> PastLetter | None:
    """Return the most similar recent letter from another sender that *mine* copies, or None."""
    best: tuple[float, PastLetter] | None = None
    for past in recent:
        if past.sender == sender:
            continue
        score = similarity(mine, past.shingles)
        if score >= MIN_JACCARD and (best is None or score > best[0]):
            best = (score, past)
    return best[1] if best else None


# -- in the inbound transaction ------------------------------------------------------------

# The recent letters whose sketch shares a hash with *sketch*: built once, bound per letter
# (building the statement cost more than running it).
_RECENT = (
    select(LetterRow.id, LetterRow.writer_email, LetterRow.campaign_id, LetterRow.fingerprint)
    .where(
        col(LetterRow.id).in_(
            select(CampaignKeyRow.letter_id).where(
                col(CampaignKeyRow.key).in_(bindparam("sketch", expanding=True))
            )
        ),
        col(LetterRow.received_at) >= bindparam("since"),
        col(LetterRow.id) != bindparam("me"),
    )
    .order_by(col(LetterRow.id).desc())
    .limit(MAX_COMPARED)
)


def fingerprint(letter: LetterRow) -> frozenset[int] | None:
    """Set *letter*'s ``fingerprint`` (not yet saved) from its own words, so that it goes
    into the letter's INSERT; return its shingle hashes, or ``None`` when the letter is too
    short to call a copy of anything (no fingerprint: it joins no campaign)."""
    words = shingles(letter.body, sender_name=letter.writer_name)
    if len(words) < _MIN_SHINGLES:
        return None
    mine = hashed(words)
    letter.fingerprint = pack(mine)
    return mine


def join_campaign(work: Work, letter: LetterRow, mine: frozenset[int] | None) -> Finding | None:
    """Put *letter* (flushed, with an id) in the campaign its text copies, if any.

    *mine* is what :func:`fingerprint` returned for it.  Compares it with the letters
    received in the :data:`WINDOW` before it; on a match, sets ``campaign_id`` on both
    (the group is its first letter), writes an audit note on the new letter and returns
    its finding.
    """
    s, now = work.session, work.now
    assert letter.id is not None
    if mine is None:
        return None
    sketch = sorted(mine)[:SKETCH]
    # The window is the letter's own: a backlog handled late still finds its peers.
    since = (aware(letter.received_at) or now) - WINDOW
    # every letter's fingerprint went into its INSERT and a campaign is flushed when it is
    # joined: nothing pending changes what this reads
    with s.no_autoflush:
        rows = s.execute(_RECENT, {"sketch": sketch, "since": since, "me": letter.id}).all()
        s.execute(insert(CampaignKeyRow), [{"key": key, "letter_id": letter.id} for key in sketch])
    recent = (
        PastLetter(id=row_id or 0, sender=email.lower(), campaign_id=group, shingles=unpack(blob))
        for row_id, email, group, blob in rows
    )
    copy = find_copy(mine, letter.writer_email.lower(), recent)
    if copy is None:
        return None
    group = copy.campaign_id or copy.id
    if copy.campaign_id is None:
        first = s.get(LetterRow, copy.id)
        assert first is not None
        first.campaign_id = group
        s.add(first)
    letter.campaign_id = group
    s.add(letter)
    s.flush()
    members = s.exec(
        select(func.count(), func.count(func.distinct(LetterRow.writer_email))).where(
            LetterRow.campaign_id == group
        )
    ).one()
    count, senders = members
    finding = Finding(
        code="campaign",
        message=f"{count} near-identical letters from different senders "
        f"(campaign of letter {group}, {senders} senders)",
    )
    Store.note(s, at=now, event="campaign", letter_id=letter.id, note=str(finding))
    return finding
