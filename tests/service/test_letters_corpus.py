"""The letters corpus through the real path: each letter prints as its writer meant it.

Every letter of ``tests/data/letters/{untouched,tuned}.toml`` (see
``tests/lettercorpus.py``: hand-written bodies and sign-offs, sent hard-wrapped
at 66 to 100 columns, ``format=flowed`` with and without DelSp, HTML only,
quoted-printable, base64 with CRLF, with single newlines, under a quoted
newsletter) is delivered into the Maildir of a desk on the embedded default;
a poll takes it and writes the author's request; the author answers the
request in the outbox, quoting it; a poll matches the answer; an editor
approves; publishing writes the JSON.  The published paragraphs, signature,
name and town must be the expected ones, no contact detail may appear in any
published file, and the letters policy must agree with what printed.

The untouched part was written before any print rule was tuned and is only
measured on; both parts are held at 100%, except the one untouched letter
listed in ``UNTOUCHED_MISSES`` (reported, not tuned away).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from deskkit import EDITOR, SAMPLES, Desk, answer_requests, approve_ready, make_desk
from lettercorpus import PARTS, UNTOUCHED_MISSES, Letter, as_email, letters

from intake.adapters.store import loads
from intake.app import desk as actions
from intake.app.publishing import publish
from intake.app.work import begin
from intake.worker import tick

RESPONSE = "Thank you for writing. The figures we used are public, and we stand by them."


@dataclass(frozen=True)
class Published:
    letter: Letter
    state: str
    findings: tuple[str, ...]
    document: dict[str, object]
    files: str  # every published file of the desk, all formats, concatenated


def _answer_every_request(desk: Desk) -> None:
    answer_requests(desk, RESPONSE)


def _run(part: str, root: Path) -> dict[str, Published]:
    desk = make_desk(root)
    corpus = letters(part)
    for index, letter in enumerate(corpus):
        desk.deliver(as_email(letter, index))
    tick(desk.deps)
    # What the sorter was unsure of, an editor sends on to its author, naming the
    # article (the letter's subject is its title) where none was found.
    catalogue = (SAMPLES / "articles.csv").read_text(encoding="utf-8").splitlines()
    urls = {row["title"]: row["url"] for row in csv.DictReader(catalogue)}
    for row in desk.deps.store.letters(["needs_review"]):
        assert row.id is not None
        with begin(desk.deps) as work:
            if row.article_id is None:
                actions.assign(work, row.id, urls[row.subject], actor=EDITOR)
            else:
                actions.release(work, row.id, actor=EDITOR)
    tick(desk.deps)
    _answer_every_request(desk)
    desk.clock.advance(hours=2)
    tick(desk.deps)
    approve_ready(desk)
    for fmt in ("txt", "md", "html"):
        publish(desk.deps, fmt)
    documents = {}
    for path in publish(desk.deps, "json", again=True).written:
        document = json.loads(path.read_text("utf-8"))
        documents[document["letter_id"]] = document
    out = desk.settings.publish.out_dir
    files = "\n".join(p.read_text("utf-8") for p in sorted(out.glob("*")) if p.is_file())
    by_message = {f"corpus.{part}.{i}@example.org": letter for i, letter in enumerate(corpus)}
    published = {}
    for row in desk.deps.store.letters():
        letter = by_message[row.message_id]
        published[letter.key] = Published(
            letter=letter,
            state=row.state,
            findings=tuple(loads(row.findings)),
            document=documents.get(row.id, {}),
            files=files,
        )
    return published


@pytest.fixture(scope="module")
def desks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Published]]:
    return {part: _run(part, tmp_path_factory.mktemp(part)) for part in PARTS}


CASES = [letter for part in PARTS for letter in letters(part)]


def test_the_corpus_is_large_and_varied_enough() -> None:
    assert len(CASES) >= 100
    assert len({c.key.split("/")[0] for c in CASES}) >= 30  # distinct hand-written bodies
    assert len({c.wire for c in CASES}) >= 12
    untouched = [c for c in CASES if c.part == "untouched"]
    assert len(untouched) >= len(CASES) // 3


@pytest.mark.parametrize("letter", CASES, ids=[f"{c.part}:{c.key}" for c in CASES])
def test_each_letter_prints_its_paragraphs_name_and_town_and_no_contact_details(
    desks: dict[str, dict[str, Published]], letter: Letter
) -> None:
    got = desks[letter.part].get(letter.key)
    if got is None:
        # Not taken as a letter: sorting, not print (issue 12 item 5).  Its print is
        # checked without the sorter in tests/unit/printing/test_letters_corpus_print.py, and
        # test_most_letters_take_the_whole_path keeps this path from going vacuous.
        return
    assert got.state == "published", (got.state, got.findings)
    doc = got.document
    miss = UNTOUCHED_MISSES.get(letter.key) if letter.part == "untouched" else None

    if miss != "paragraphs":
        assert tuple(doc["letter_paragraphs"]) == letter.paragraphs  # type: ignore[arg-type]
    assert tuple(doc["signature"]) == letter.signature  # type: ignore[arg-type]
    assert doc["writer_name"] == letter.name
    assert doc["writer_town"] == letter.town
    for private in letter.private:
        assert private not in got.files, private
    codes = [finding.split(":")[0] for finding in got.findings]
    assert ("no_name" in codes) is (letter.name == "")
    assert ("town" in codes) is (letter.town == "")


def test_most_letters_take_the_whole_path(desks: dict[str, dict[str, Published]]) -> None:
    for part in PARTS:
        taken = [p for p in desks[part].values() if p.state == "published"]
        assert len(taken) >= 0.6 * len(letters(part)), part
