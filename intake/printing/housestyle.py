"""The house style: how a letter and its response look in print, read from a TOML file.

A publication with other conventions edits ``config/house_style.toml`` (or
the file ``[publish] house_style`` names) and changes no code: the headline,
dek, salutation and "responds" patterns, typography, whether letters nobody
answered are printed, and how a letters page is titled.  Every key is
validated like the main config: an unknown key, a wrong type or a placeholder
a pattern may not use is a :class:`ConfigError` naming it.  Patterns take
``{name}`` placeholders only (no attribute or index look-ups: the file must
not reach into Python objects).  Pure: the file itself is read by
:mod:`intake.adapters.housestylefile`.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from intake.domain.errors import ConfigError
from intake.printing.typography import DASHES

CONFIG_KEY = "publish.house_style"


@dataclass(frozen=True, slots=True, kw_only=True)
class HouseStyle:
    """The print conventions; the defaults are those of the seed's letters page."""

    headline: str = "A Response to \u2018{title}\u2019"
    dek: str = "A response from {writer} about \u2018{title}\u2019."
    salutation: str = "Dear Editor:"
    responds: str = "{author} responds:"
    typography: bool = False  # curly quotes and house dashes in the printed text
    dash: str = "\u2014"
    publish_unanswered: bool = True  # print declined / no-response letters alone
    declined_note: str = ""
    no_response_note: str = ""
    page_title: str = "Letters"
    page_date: str = "{month} {day}, {year}"


# (TOML table, key) for every field, and the placeholders each pattern may use.
_WHERE: Mapping[str, tuple[str, str]] = {
    "headline": ("pair", "headline"),
    "dek": ("pair", "dek"),
    "salutation": ("pair", "salutation"),
    "responds": ("pair", "responds"),
    "typography": ("typography", "enabled"),
    "dash": ("typography", "dash"),
    "publish_unanswered": ("unanswered", "publish"),
    "declined_note": ("unanswered", "declined_note"),
    "no_response_note": ("unanswered", "no_response_note"),
    "page_title": ("page", "title"),
    "page_date": ("page", "date"),
}
_ABOUT_LETTER = frozenset({"title", "writer", "town", "author", "publication"})
PLACEHOLDERS: Mapping[str, frozenset[str]] = {
    "headline": _ABOUT_LETTER,
    "dek": _ABOUT_LETTER,
    "salutation": frozenset({"publication"}),
    "responds": frozenset({"author", "writer"}),
    "declined_note": _ABOUT_LETTER,
    "no_response_note": _ABOUT_LETTER,
    "page_title": frozenset({"date", "publication"}),
    "page_date": frozenset({"day", "month", "year", "weekday"}),
}
# Chicago 6.119: a question or exclamation mark (or an abbreviation's full stop)
# closing a quoted title ends the sentence too, so the pattern's own full stop goes.
_DOUBLE_STOP = re.compile(r"([?!.])([\u2019\u201d'\")\]]*)\.$")


def fill(pattern: str, values: Mapping[str, str]) -> str:
    """Fill a validated *pattern*; a value that ends a sentence takes the pattern's stop."""
    filled = pattern.format_map(dict(values))
    return _DOUBLE_STOP.sub(r"\1\2", filled)


def parse_house_style(text: str, source: str = "house style") -> HouseStyle:
    """Validate the TOML *text* into a :class:`HouseStyle`; missing keys keep the defaults.

    :raises ConfigError: naming the file and the first bad key.
    """
    try:
        doc: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _error(source, "", f"not valid TOML: {exc}") from exc
    tables = {table for table, _ in _WHERE.values()}
    for table in sorted(doc):
        if table not in tables:
            raise _error(source, table, "unknown table")
        if not isinstance(doc[table], dict):
            raise _error(source, table, "must be a table")
        known = {key for t, key in _WHERE.values() if t == table}
        for key in sorted(set(doc[table]) - known):
            raise _error(source, f"{table}.{key}", "unknown key")
    values: dict[str, Any] = {}
    for item in fields(HouseStyle):
        table, key = _WHERE[item.name]
        if key not in doc.get(table, {}):
            continue
        value = doc[table][key]
        where = f"{table}.{key}"
        if isinstance(item.default, bool):
            if not isinstance(value, bool):
                raise _error(source, where, f"must be true or false, got {value!r}")
        elif not isinstance(value, str):
            raise _error(source, where, f"must be a string, got {value!r}")
        if item.name in PLACEHOLDERS:
            _check_pattern(source, where, value, PLACEHOLDERS[item.name])
        values[item.name] = value
    style = HouseStyle(**values)
    if style.dash not in DASHES:
        raise _error(source, "typography.dash", f"must be one of {DASHES!r}, got {style.dash!r}")
    return style


def _check_pattern(source: str, where: str, pattern: str, allowed: frozenset[str]) -> None:
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise _error(
            source, where, f"bad pattern {pattern!r}: {exc} (write {{{{ or }}}} for a brace)"
        ) from exc
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name in allowed and (spec or conversion):
            raise _error(source, where, f"{{{name}}} takes no conversion or format spec")
        if name not in allowed:
            known = ", ".join(f"{{{n}}}" for n in sorted(allowed))
            raise _error(
                source, where, f"unknown placeholder {{{name}}}; this pattern may use {known}"
            )


def _error(source: str, where: str, problem: str) -> ConfigError:
    return ConfigError(CONFIG_KEY, f"{source}: {where + ': ' if where else ''}{problem}")
