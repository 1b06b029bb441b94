"""Score reply extraction on the labelled corpus's ``human_reply`` items.

Usage: ``python bench/eval_replies.py [CORPUS_DIR] [-v]``

Prints one PASS/FAIL line per file (with the reasons, and with ``-v`` the
extracted text of failures) and the overall match rate.  Header-less
``body_text`` files go straight to :func:`intake.mail.replytext.extract_reply_from_text`;
``eml`` files are parsed with :func:`intake.mail.parse.parse_message` first.  Items
whose match mode is ``exact_quotes_only`` are extracted with
``strip_signature=False`` (only quotations removed).  Exit status is 0.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from a checkout, without installing
    sys.path.insert(0, str(ROOT))

from intake.domain.model import ReplyText
from intake.eval.replyscore import (
    ReplyScore,
    has_expectation,
    score_reply,
    strips_signature,
)
from intake.mail.parse import parse_message
from intake.mail.replytext import extract_reply, extract_reply_from_text

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemResult:
    """One corpus item's extraction and score."""

    path: str
    reply: ReplyText
    score: ReplyScore


def reply_items(corpus: Path) -> list[dict[str, object]]:
    """Return the labelled human replies that carry an expectation about their text."""
    with (corpus / "labels.jsonl").open(encoding="utf-8") as handle:
        labels = [json.loads(line) for line in handle if line.strip()]
    return [
        label
        for label in labels
        if label.get("category") == "human_reply" and has_expectation(label)
    ]


def evaluate_item(corpus: Path, label: dict[str, object]) -> ItemResult:
    """Extract and score one labelled item."""
    raw = (corpus / str(label["path"])).read_bytes()
    strip = strips_signature(label)
    if label.get("format") == "eml":
        mail = parse_message(raw)
        reply = extract_reply(mail, strip_signature=strip)
        body = mail.text
    else:
        body = raw.decode("utf-8", errors="replace")
        reply = extract_reply_from_text(body, strip_signature=strip)
    return ItemResult(path=str(label["path"]), reply=reply, score=score_reply(label, reply, body))


def evaluate(corpus: Path) -> list[ItemResult]:
    """Extract and score every labelled human reply in *corpus*."""
    return [evaluate_item(corpus, label) for label in reply_items(corpus)]


def match_rate(results: list[ItemResult]) -> float:
    """Return the share of items that passed."""
    return sum(r.score.passed for r in results) / len(results) if results else 0.0


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    corpus = Path(args[0]) if args else DEFAULT_CORPUS
    results = evaluate(corpus)
    for result in results:
        status = "PASS" if result.score.passed else "FAIL"
        reasons = "; ".join(result.score.failures)
        print(f"{status}  {result.path}" + (f"  ({reasons})" if reasons else ""))
        if verbose and not result.score.passed:
            print("      | " + result.reply.text.replace("\n", "\n      | "))
    passed = sum(r.score.passed for r in results)
    print(f"\n{passed}/{len(results)} passed, match rate {match_rate(results):.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
