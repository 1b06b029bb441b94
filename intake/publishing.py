"""The publish use case: matched pairs out of the database, onto the page.

Each letter with a response (state ``response_received`` or ``ready``) is
rendered in the chosen format into ``out_dir`` under a stable file name,
written atomically, and then moves to ``published``.  A crash between the
write and the state change rewrites the same file on the next run.
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import col, select

from intake.adapters.store import ArticleRow, AuthorRow, LetterRow, ResponseRow, Store
from intake.deps import Deps
from intake.lifecycle import Event, LetterState, advance
from intake.render import pair_view

log = logging.getLogger(__name__)

PUBLISHABLE = (LetterState.response_received, LetterState.ready)
EXTENSIONS = {"md": "md", "html": "html", "txt": "txt", "json": "json"}


@dataclass
class PublishReport:
    written: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        return f"published={len(self.written)}"


def slug(text: str, limit: int = 60) -> str:
    """Return a file-name-safe slug of *text*."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:limit].rstrip("-") or "letter"


def render_letter(deps: Deps, letter_id: int, fmt: str) -> tuple[str, str]:
    """Return (file name, rendered text) for one letter and its response."""
    now = deps.clock.now()
    with deps.store.session() as s:
        letter = s.get(LetterRow, letter_id)
        assert letter is not None and letter.article_id is not None
        article = s.get(ArticleRow, letter.article_id)
        assert article is not None
        author = s.get(AuthorRow, article.author_id) if article.author_id else None
        response = s.exec(
            select(ResponseRow)
            .where(ResponseRow.letter_id == letter_id)
            .order_by(col(ResponseRow.id).desc())
        ).first()
    view = pair_view(
        letter_id=letter_id,
        article_title=article.title,
        article_url=article.url,
        author_name=author.name if author else "",
        writer_name=letter.writer_name or letter.writer_email,
        letter_text=letter.body,
        response_text=response.text if response else None,
        published_on=now.date().isoformat(),
    )
    name = f"letter-{letter_id:05d}-{slug(article.title)}.{EXTENSIONS[fmt]}"
    return name, deps.renderer.pair(view, fmt)


def _write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / name
    tmp = directory / f".{name}.tmp"
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)
    return target


def publish(deps: Deps, fmt: str, *, again: bool = False) -> PublishReport:
    """Render every publishable pair; with *again*, re-render published ones too."""
    report = PublishReport()
    states = [s.value for s in PUBLISHABLE] + ([LetterState.published.value] if again else [])
    for letter in deps.store.letters(states):
        assert letter.id is not None
        if letter.article_id is None:
            continue
        name, text = render_letter(deps, letter.id, fmt)
        path = _write(deps.publish_dir, name, text)
        report.written.append(path)
        if letter.state != LetterState.published.value:
            with deps.store.session() as s:
                Store.apply(s, advance(letter.id, LetterState(letter.state), Event.published,
                                       at=deps.clock.now(), note=f"written to {path}"))  # fmt: skip
        log.info("letter %s published to %s", letter.id, path)
    return report
