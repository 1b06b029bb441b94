"""Measure the classifier on a labelled corpus and print what it gets right.

    python bench/eval_classify.py [CORPUS_DIR] [--eml-only] [--verbose]

CORPUS_DIR defaults to ``../shared/corpus`` beside the repository and must
hold ``labels.jsonl``.  Full messages (``eml``) are parsed strictly and
body-only files loosely; by default both are scored, because the corpus's
human replies are all body-only files.  Prints precision and recall per label,
the human messages taken for machine mail, every miss, and the issue's
targets; exits 1 when a target is missed.  The scoring is
:mod:`intake.eval.corpus`, shared with the unit tests and ``intake eval`` (which
also scores reply extraction).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from intake.eval.corpus import TEXT_FORMATS, Evaluation, evaluate, is_correct, report_lines

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def report(result: Evaluation, *, verbose: bool) -> str:
    """Return the printed report for *result*."""
    lines = report_lines(result, ())[:-1]  # the same table as `intake eval`; replies: eval_replies
    formats = Counter(o.format for o in result.outcomes)
    lines.append("scored: " + ", ".join(f"{n} {fmt}" for fmt, n in sorted(formats.items())))
    if result.skipped:
        lines.append(f"not scored: {len(result.skipped)} items of other formats")
    misses = [o for o in result.outcomes if not is_correct(o.label, o.verdict.category)]
    if misses:
        lines.append("\nmisses:")
    for o in misses:
        lines.append(
            f"  {o.label:<11} -> {o.verdict.category:<12} {o.verdict.confidence:.2f}  {o.path}"
        )
        if verbose:
            lines.extend(f"      - {reason}" for reason in o.verdict.reasons)
    missed = result.missed_targets()
    lines.append("\ntargets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation; return 0 when every target is met."""
    parser = argparse.ArgumentParser(description="Measure the classifier on a labelled corpus.")
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--eml-only", action="store_true", help="score full messages only")
    parser.add_argument("--verbose", "-v", action="store_true", help="print the reasons of misses")
    args = parser.parse_args(argv)
    corpus: Path = args.corpus
    index = corpus / "labels.jsonl"
    if not index.is_file():
        print(f"no labels.jsonl in {corpus}", file=sys.stderr)
        return 2
    result = evaluate(
        index.read_text(encoding="utf-8"),
        lambda path: (corpus / path).read_bytes(),
        formats=frozenset({"eml"}) if args.eml_only else TEXT_FORMATS,
    )
    print(report(result, verbose=args.verbose))
    return 1 if result.missed_targets() else 0


if __name__ == "__main__":
    raise SystemExit(main())
