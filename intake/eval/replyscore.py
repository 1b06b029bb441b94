"""Scoring an extracted reply against a labelled expectation.

Pure: no I/O.  The label fields and match modes are those of the shared
corpus's ``labels.jsonl`` (``expected_reply_text`` + ``expected_reply_match``,
``expected_reply_prefix`` / ``_contains`` / ``_excludes`` /
``_is_entire_body``); ``bench/eval_replies.py`` and the unit tests read the
files and call :func:`score_reply`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from intake.domain.model import ReplyText

# Match modes whose expected text keeps signatures: only quotations are cut.
QUOTES_ONLY_MODES = frozenset({"exact_quotes_only"})


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplyScore:
    """Whether one extraction met every expectation of its label, and why not."""

    passed: bool
    failures: tuple[str, ...] = ()


def _lines_rstripped(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()


def _markdown_plain(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__|(?<!\w)[*_]|[*_](?!\w))", "", text)
    return re.sub(r"\s+", " ", text).strip()


def texts_match(actual: str, expected: str, mode: str) -> bool:
    """Return whether *actual* equals *expected* under the corpus match *mode*."""
    if mode == "whitespace_insensitive":
        return re.sub(r"\s+", "", actual) == re.sub(r"\s+", "", expected)
    if mode == "discourse_markdown":
        return _markdown_plain(actual) == _markdown_plain(expected)
    if mode == "exact_rstrip_lines":
        return _lines_rstripped(actual) == _lines_rstripped(expected)
    if mode == "prefix":
        return actual.strip().startswith(expected.strip())
    # exact, exact_quotes_only, derived_exact: equal after stripping the ends.
    return actual.replace("\r\n", "\n").strip() == expected.replace("\r\n", "\n").strip()


def _strings(label: Mapping[str, object], key: str) -> list[str]:
    value = label.get(key)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(item) for item in value]
    return []


def has_expectation(label: Mapping[str, object]) -> bool:
    """Return whether *label* says anything about the reply text."""
    return any(
        key in label
        for key in (
            "expected_reply_text",
            "expected_reply_prefix",
            "expected_reply_contains",
            "expected_reply_excludes",
            "expected_reply_is_entire_body",
        )
    )


def strips_signature(label: Mapping[str, object]) -> bool:
    """Return whether the extraction for *label* should cut signatures too."""
    return str(label.get("expected_reply_match", "exact")) not in QUOTES_ONLY_MODES


def score_reply(label: Mapping[str, object], reply: ReplyText, body: str) -> ReplyScore:
    """Check *reply* (extracted from *body*) against every expectation in *label*."""
    failures: list[str] = []
    actual = reply.text
    expected = label.get("expected_reply_text")
    if isinstance(expected, str):
        mode = str(label.get("expected_reply_match") or "exact")
        if not texts_match(actual, expected, mode):
            failures.append(f"text differs ({mode})")
    failures.extend(
        f"does not start with {prefix[:40]!r}"
        for prefix in _strings(label, "expected_reply_prefix")
        if not actual.lstrip().startswith(prefix.strip())
    )
    failures.extend(
        f"lacks {piece[:40]!r}"
        for piece in _strings(label, "expected_reply_contains")
        if piece not in actual
    )
    failures.extend(
        f"still has {piece[:40]!r}"
        for piece in _strings(label, "expected_reply_excludes")
        if piece in actual
    )
    if label.get("expected_reply_is_entire_body") and _lines_rstripped(actual) != _lines_rstripped(
        body
    ):
        failures.append("is not the entire body")
    return ReplyScore(passed=not failures, failures=tuple(failures))
