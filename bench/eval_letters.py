"""Score letters in print on the project's letters corpus, each part apart.

Usage: ``python bench/eval_letters.py [-v]``

Each letter of ``tests/data/letters/{untouched,tuned,fresh}.toml`` is sent as
its client would (``tests/lettercorpus.py``), parsed and put in print
(:func:`intake.printing.printview.pair_view`).  Prints, per part, how many
letters print exactly their paragraphs, their name (signature lines), their
town, and none of their contact details; with ``-v`` every miss.  The
untouched part was written before the print rules were tuned, and the fresh
part later by someone who had not read them: their figures are the fair ones.
The fresh part is reported only (no test holds it).  Exit status is 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "tests"):  # run as a script from a checkout, without installing
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from lettercorpus import PARTS, REPORTED_PARTS, as_email, letters

from intake.mail.parse import parse_message
from intake.printing.printview import NO_RESPONSE, PrintInput, pair_view

CHECKS = ("paragraphs", "name", "town", "no contact details")


def score(part: str) -> tuple[dict[str, int], int, list[str]]:
    """Letters of *part* passing each check, how many letters, and each miss."""
    corpus = letters(part)
    passed = dict.fromkeys(CHECKS, 0)
    misses = []
    for index, letter in enumerate(corpus):
        mail = parse_message(as_email(letter, index))
        view = pair_view(
            PrintInput(
                letter_id=index, article_title=letter.subject, article_url="",
                author_name="", writer_name=mail.sender.name if mail.sender else "",
                letter_text=mail.text, status=NO_RESPONSE,
            )
        )  # fmt: skip
        printed = "\n".join((*view.letter_paragraphs, *view.signature, view.town))
        results = {
            "paragraphs": view.letter_paragraphs == letter.paragraphs,
            "name": view.signature == letter.signature and view.writer_name == letter.name,
            "town": view.town == letter.town,
            "no contact details": not any(p in printed for p in letter.private),
        }
        for check, ok in results.items():
            passed[check] += ok
            if not ok:
                misses.append(f"MISS {part} {letter.key}: {check}")
    return passed, len(corpus), misses


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    for part in (*PARTS, *REPORTED_PARTS):
        passed, total, misses = score(part)
        if verbose and misses:
            print("\n".join(misses))
        figures = ", ".join(f"{c} {passed[c]}/{total}" for c in CHECKS)
        note = " (reported, not held)" if part in REPORTED_PARTS else ""
        print(f"{part}{note}: {figures}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
