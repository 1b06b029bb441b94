"""Compare reply extraction with other libraries on the labelled corpus.

Usage: ``python bench/compare_replies.py [CORPUS_DIR] [--markdown]``

Runs intake's extractor and three maintained libraries — email-reply-parser
(Zapier's port of GitHub's), mail-parser-reply and quotequail — over every
``human_reply`` item of ``labels.jsonl`` that states what the reply is, and
scores each with the same rules (:func:`intake.eval.replyscore.score_reply`).
Each library gets the message's text body, as intake does.  Prints one row
per extractor: passed, total, match rate.  Needs the ``bench`` extra:
``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import quotequail
from email_reply_parser import EmailReplyParser as GithubStyleParser
from mailparser_reply import EmailReplyParser as MultilingualParser

from intake.domain.model import ReplyText
from intake.eval.replyscore import score_reply, strips_signature
from intake.mail.parse import parse_message
from intake.mail.replytext import extract_reply, extract_reply_from_text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_replies import DEFAULT_CORPUS, reply_items

Extractor = Callable[[str], str]
# the languages mail-parser-reply knows, so it gets every chance on the non-English items
_MULTILINGUAL = MultilingualParser(
    languages=["en", "de", "fr", "it", "nl", "pl", "sv", "cs", "es", "da"]
)


def _quotequail(text: str) -> str:
    return "\n".join(part for visible, part in quotequail.quote(text) if visible).strip()


OTHERS: dict[str, Extractor] = {
    "email-reply-parser": lambda text: GithubStyleParser.parse_reply(text) or "",
    "mail-parser-reply": lambda text: _MULTILINGUAL.parse_reply(text=text) or "",
    "quotequail": _quotequail,
}


def compare(
    corpus: Path, split: str | None = None, source: str | None = None
) -> dict[str, tuple[int, int]]:
    """Return {extractor: (passed, total)} over the corpus's scored human replies.

    With *split*, only the items whose label names that split ("tune" or
    "untouched", as ``tests/data/replies`` labels them); with *source*, only
    those of that upstream repository (the label's ``source_repo``).
    """
    totals = {name: [0, 0] for name in ("intake", *OTHERS)}
    for label in reply_items(corpus):
        if split is not None and label.get("split") != split:
            continue
        if source is not None and label.get("source_repo") != source:
            continue
        raw = (corpus / str(label["path"])).read_bytes()
        strip = strips_signature(label)
        if label.get("format") == "eml":
            mail = parse_message(raw)
            body, ours = mail.text, extract_reply(mail, strip_signature=strip)
        else:  # a bare body, as the upstream test suites store them
            body = raw.decode("utf-8", errors="replace").replace("\r\n", "\n")
            ours = extract_reply_from_text(body, strip_signature=strip)
        results = {"intake": ours}
        for name, extractor in OTHERS.items():
            try:
                text = extractor(body)
            except Exception:  # noqa: BLE001 (a library crashing on an input is a miss, not a stop)
                text = ""
            results[name] = ReplyText(text=text, cut="")
        for name, reply in results.items():
            totals[name][1] += 1
            totals[name][0] += score_reply(label, reply, body).passed
    return {name: (passed, total) for name, (passed, total) in totals.items()}


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    corpus = Path(args[0]) if args else DEFAULT_CORPUS
    items = reply_items(corpus)
    splits = sorted({str(label.get("split")) for label in items if "split" in label})
    sources = sorted({str(label.get("source_repo")) for label in items if "split" in label})
    parts = [(None, None)] + [(split, None) for split in splits]
    if len(sources) > 1:  # a set of several upstream sources: each source's parts too
        parts += [(split, source) for source in sources for split in splits]
    for split, source in parts:
        table = compare(corpus, split, source)
        if not any(total for _, total in table.values()):
            continue
        what = "every item" if split is None else f"the {split} part"
        print(f"\n{corpus.name}: {what}{f' of {source}' if source else ''}\n")
        print("| extractor | passed | items | match rate |")
        print("|---|---:|---:|---:|")
        for name, (passed, total) in sorted(table.items(), key=lambda kv: -kv[1][0]):
            print(f"| {name} | {passed} | {total} | {passed / total:.0%} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
