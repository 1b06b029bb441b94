"""Where a letter goes with its ranked candidates: routed to one article, or to an editor.

Owns what "ambiguous" means (two different articles within
:data:`AMBIGUITY_MARGIN`, the catalogue's margin: its ranking already separates two
whose titles the reader's words tell apart), the sure match, :func:`route_article` — the one
routing rule the service and ``intake eval`` use — and the JSON form of a
ranked candidate kept for the editors.  The ranking itself is
:class:`intake.sorting.articles.Catalogue`'s.  Pure: no I/O.
"""

from __future__ import annotations

from typing import Any

from intake.domain.model import ArticleMatch

# AMBIGUITY_MARGIN: two different articles whose scores are this close are for the
# editors to pick (the catalogue's ranking separates them when the reader's words do).
from intake.sorting.articles import MATCH_AT_LEAST
from intake.sorting.sharedwords import AMBIGUITY_MARGIN


def is_ambiguous(matches: tuple[ArticleMatch, ...] | list[ArticleMatch]) -> bool:
    """Whether the two best candidates are different articles within :data:`AMBIGUITY_MARGIN`."""
    if len(matches) < 2:
        return False
    first, second = matches[0], matches[1]
    return second.article != first.article and first.score - second.score <= AMBIGUITY_MARGIN


def sure_match(matches: tuple[ArticleMatch, ...]) -> ArticleMatch | None:
    """The best candidate when it is good enough and not ambiguous, else ``None``."""
    if not matches or matches[0].score < MATCH_AT_LEAST or is_ambiguous(matches):
        return None
    return matches[0]


def route_article(
    matches: tuple[ArticleMatch, ...], confidence: float, review_below: float
) -> tuple[ArticleMatch | None, str]:
    """Where a letter goes without review: the sure match, or ``None`` and why it waits for
    an editor.  The one routing rule, used by the service and by ``intake eval``."""
    if confidence < review_below:
        return None, f"classifier unsure (confidence {confidence:.2f})"
    if not matches:
        return None, "no catalogue article found"
    if matches[0].score < MATCH_AT_LEAST:
        best = matches[0]
        return None, (
            f"no catalogue article found (best guess: {best.article.title!r}, {best.score:.2f})"
        )
    if is_ambiguous(matches):
        close = [m for m in matches if matches[0].score - m.score <= AMBIGUITY_MARGIN]
        return None, "ambiguous article: " + ", ".join(
            f"{m.article.title!r} ({m.score:.2f})" for m in close[:3]
        )
    return matches[0], ""


def candidate(match: ArticleMatch) -> dict[str, Any]:
    """Return one ranked candidate as stored for the editors: url, title, author, score, reason."""
    return {
        "url": match.article.url,
        "title": match.article.title,
        "author": match.article.author,
        "score": round(match.score, 3),
        "reason": match.reason,
    }
