"""The web desk's templates: one jinja2 environment, autoescaping everything.

Every value a page shows is escaped, its control characters shown as escapes,
except in the forms that edit text (the ``editable`` filter): there the text is
as it prints, its controls removed, so saving a form unchanged writes no escape
into a letter.  The only markup a page takes from data
is the print preview, which :mod:`intake.app.webdesk` has already run through
the publishing sanitiser (:func:`intake.printing.sanitise.clean_html`) and
which is marked safe here, once, by :func:`preview`.  Links are made only
through the ``web_href`` filter, as in every other template.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from starlette.responses import HTMLResponse

from intake.domain.controlchars import multiline, visible
from intake.domain.weblinks import web_address
from intake.printing.sanitise import clean_html


def _when(value: object) -> str:
    """A stored time as editors read it: ``2026-11-28 09:00 UTC``."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    return f"{value:%Y-%m-%d %H:%M} UTC" if isinstance(value, datetime) else ""


def _shown(value: object) -> object:
    """Every value a page prints: a reader's control characters and bidi overrides shown
    as escapes (``\\u202e``), as the command line shows them; markup left as it is."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return visible(value)
    return value


def editable(value: object) -> Markup:
    """Text for a form that edits it: escaped, its controls removed as publishing removes
    them (never shown as escapes, which a saved form would write into the letter)."""
    return Markup.escape(multiline(value) if isinstance(value, str) else "")


def preview(html: str) -> Markup:
    """The print preview as markup: sanitised (again) by the publishing allow-list."""
    return Markup(clean_html(html))


class Pages:
    """Renders ``templates/web/*.html`` into responses."""

    def __init__(self, templates_dir: Path, publication: str) -> None:
        self._env = Environment(
            loader=FileSystemLoader(templates_dir / "web"),
            undefined=StrictUndefined,
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            finalize=_shown,
        )
        self._env.filters["web_href"] = web_address
        self._env.filters["when"] = _when
        self._env.filters["editable"] = editable
        self._env.filters["label"] = lambda state: str(state).replace("_", " ")
        self._env.globals["publication"] = publication
        self._env.globals["preview"] = preview

    def render(self, name: str, context: Mapping[str, Any], status: int = 200) -> HTMLResponse:
        body = self._env.get_template(name).render(
            {"editor": None, "csrf": "", "message": "", "error": "", "title": ""} | dict(context)
        )
        return HTMLResponse(body, status_code=status)
