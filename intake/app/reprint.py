"""Corrections and retractions reach the files already published.

An editor's correction to a published letter (an edit, a redaction, ``set``)
and a retraction mark the letter ``reprint``; :func:`reprint` — run by the
command that did it, and by every worker round — then, for each marked letter:

- in print (``published``): renders its files in ``out_dir`` again, in each
  format they were written in (``letter-<id>-<slug>.<ext>``);
- otherwise (``retracted``, or held or rejected after that): removes them;

and renders again every letters page in ``out_dir`` whose days include the day
the letter was published (a page left with no letter is removed).  Each letter's
audit trail says which files were re-rendered or removed.  The files are written
before the mark is cleared, so a crash in between only repeats the work.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from intake.adapters.store import LetterRow, Store
from intake.app.deps import Deps
from intake.app.publishing import (
    EXTENSIONS,
    publish_page,
    published_at,
    render_letter,
    write_atomically,
)
from intake.domain.errors import NotFound
from intake.domain.lifecycle import LetterState

log = logging.getLogger(__name__)

_PAGE_NAME = re.compile(r"^letters-(\d{4}-\d{2}-\d{2})(?:_(\d{4}-\d{2}-\d{2}))?\.(\w+)$")
_FORMATS = {ext: fmt for fmt, ext in EXTENSIONS.items()}


@dataclass
class ReprintReport:
    rendered: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        return f"re-rendered={len(self.rendered)} removed={len(self.removed)}"


def letter_files(directory: Path, letter_id: int) -> list[Path]:
    """The files published for *letter_id* in *directory*, in any format."""
    if not directory.is_dir():
        return []
    return sorted(
        path
        for path in directory.glob(f"letter-{letter_id:05d}-*")
        if path.suffix.lstrip(".") in _FORMATS
    )


def pages_on(directory: Path, day: date) -> list[tuple[Path, date, date, str]]:
    """The letters pages in *directory* whose days include *day*: (path, first, last, format)."""
    found = []
    for path in sorted(directory.glob("letters-*")) if directory.is_dir() else []:
        match = _PAGE_NAME.match(path.name)
        if match is None or match.group(3) not in _FORMATS:
            continue
        first = date.fromisoformat(match.group(1))
        last = date.fromisoformat(match.group(2)) if match.group(2) else first
        if first <= day <= last:
            found.append((path, first, last, _FORMATS[match.group(3)]))
    return found


def reprint(deps: Deps) -> ReprintReport:
    """Bring the published files of every letter marked ``reprint`` up to date."""
    report = ReprintReport()
    zone = ZoneInfo(deps.policy.timezone)
    with deps.store.session() as s:
        marked = s.exec(select(LetterRow).where(col(LetterRow.reprint).is_(True))).all()
        todo = [(row.id, row.state, published_at(s, row.id)) for row in marked if row.id]
    for letter_id, state, when in todo:
        rendered, removed = _letter(deps, letter_id, in_print=state == LetterState.published)
        if when is not None:
            for path, first, last, fmt in pages_on(deps.publish_dir, when.astimezone(zone).date()):
                try:
                    rendered.append(publish_page(deps, fmt, first, last))
                except NotFound:  # the page's only letter was withdrawn
                    path.unlink(missing_ok=True)
                    removed.append(path)
        with deps.store.session() as s:
            letter = s.get(LetterRow, letter_id, with_for_update=True)
            if letter is None:
                continue
            if letter.state != state:
                # moved (say, retracted) while its files were being redone: the mark stays,
                # so the next round brings the files in line with the state it has now
                continue
            letter.reprint = False
            s.add(letter)
            note = "; ".join(
                part
                for part in (
                    f"re-rendered {', '.join(p.name for p in rendered)}" if rendered else "",
                    f"removed {', '.join(p.name for p in removed)}" if removed else "",
                )
                if part
            )
            Store.note(s, at=deps.clock.now(), event="reprinted", letter_id=letter_id,
                       note=note or "no published files to change")  # fmt: skip
        report.rendered += rendered
        report.removed += removed
        log.info("letter %s: %s", letter_id, note or "no published files to change")
    return report


def _letter(deps: Deps, letter_id: int, *, in_print: bool) -> tuple[list[Path], list[Path]]:
    """Render a letter in print again in each of its files' formats, or remove its files."""
    rendered: list[Path] = []
    removed: list[Path] = []
    style = deps.house_style()
    for path in letter_files(deps.publish_dir, letter_id):
        if in_print:
            name, text = render_letter(deps, letter_id, _FORMATS[path.suffix.lstrip(".")], style)
            rendered.append(write_atomically(deps.publish_dir, name, text))
            if name == path.name:
                continue  # rewritten in place
        path.unlink(missing_ok=True)
        removed.append(path)
    return rendered, removed
