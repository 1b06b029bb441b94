"""The letters-desk corpus (tests/data/desk): every file labelled byte-exact, every letter's
article in the catalogue, and the split and mix the issue asks for (tune, untouched and the
fresh and fresh2 parts written later by people who had not read the rules)."""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data" / "desk"
ITEMS = [
    json.loads(line)
    for line in (DATA / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]
CATEGORIES = {"letter", "author_reply", "auto_reply", "bounce", "bulk", "spam", "other"}


def _catalogue() -> list[dict[str, str]]:
    with (DATA / "catalogue.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_message_is_labelled_byte_exact() -> None:
    files = {p.relative_to(DATA).as_posix() for p in DATA.glob("*/*.eml")}
    assert files == {item["path"] for item in ITEMS}
    assert {item["split"] for item in ITEMS} == {"tune", "untouched", "fresh", "fresh2"}
    for item in ITEMS:
        data = (DATA / item["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == item["sha256"], item["path"]
        assert len(data) == item["bytes"], item["path"]
        assert item["split"] == item["path"].split("/")[0], item["path"]
        assert item["category"] in CATEGORIES, item["path"]


def test_letters_name_a_catalogue_article_or_none() -> None:
    urls = {row["url"] for row in _catalogue()}
    for item in ITEMS:
        if item["category"] == "letter":
            assert "article" in item, item["path"]
            assert item["article"] is None or item["article"] in urls, item["path"]
        else:
            assert "article" not in item, item["path"]


def test_the_catalogue_has_decoys_by_day_topic_and_author() -> None:
    rows = _catalogue()
    assert len(rows) >= 30
    same_day_same_author = Counter((r["published"], r["author"]) for r in rows)
    assert max(same_day_same_author.values()) >= 2
    by_author = Counter(r["author"] for r in rows)
    assert sum(n >= 3 for n in by_author.values()) >= 3


def test_the_untouched_part_has_every_kind_the_issue_names() -> None:
    untouched = [item for item in ITEMS if item["split"] == "untouched"]
    assert len(untouched) >= 100
    kinds = Counter(item["kind"] for item in untouched)
    for kind in (
        "long",
        "short_curly",
        "forwarded_by_writer",
        "forwarded_by_friend",
        "newsletter_reply",
        "other_language",
        "web_form",
        "no_article",
        "relative_date",
        "reporter_topic",
        "link_pitch",
        "job_application",
        "delivery_complaint",
        "subscription",
        "how_to_submit",
        "press_release",
        "tip",
        "newsletter",
        "spam",
        "auto_reply",
    ):
        assert kinds[kind] >= 1, kind
    letters = [item for item in untouched if item["category"] == "letter"]
    assert len(letters) >= 40 and sum(item["article"] is None for item in letters) >= 3


def test_the_tuning_part_is_a_separate_larger_set() -> None:
    tune = [item for item in ITEMS if item["split"] == "tune"]
    untouched = {item["sha256"] for item in ITEMS if item["split"] == "untouched"}
    assert len(tune) >= 150
    assert not untouched & {item["sha256"] for item in tune}
    assert sum(item["category"] == "letter" for item in tune) >= 60


_SHARED_KINDS = (
    "newsletter_reply",
    "forwarded_by_writer",
    "forwarded_by_friend",
    "web_form",
    "other_language",
    "relative_date",
    "reporter_topic",
    "link_pitch",
    "job_application",
    "delivery_complaint",
    "how_to_submit",
    "correction_request",
    "press_release",
    "tip",
    "newsletter",
)
_FRESH2_KINDS = (
    "title_curly",
    "html_only",
    "professional",
    "correction_for_print",
    "guest_post_pitch",
    "op_ed_submission",
)


@pytest.mark.parametrize(
    ("split", "at_least", "no_article", "kinds"),
    [
        ("fresh", 110, 3, Counter(_SHARED_KINDS)),
        # a second such inbox, written by someone else
        (
            "fresh2",
            130,
            4,
            Counter(_SHARED_KINDS) + Counter(_FRESH2_KINDS)
            + Counter({"other_language": 4, "newsletter_reply": 2}),
        ),
    ],
)  # fmt: skip
def test_each_held_out_part_is_a_separate_inbox_of_every_kind(
    split: str, at_least: int, no_article: int, kinds: Counter[str]
) -> None:
    part = [item for item in ITEMS if item["split"] == split]
    others = {item["sha256"] for item in ITEMS if item["split"] != split}
    assert len(part) >= at_least
    assert not others & {item["sha256"] for item in part}
    letters = [item for item in part if item["category"] == "letter"]
    assert 0.40 <= len(letters) / len(part) <= 0.50  # a letters inbox: most mail is not letters
    assert sum(item["article"] is None for item in letters) >= no_article
    categories = Counter(item["category"] for item in part)
    for category in CATEGORIES:
        assert categories[category] >= 1, category
    found = Counter(item["kind"] for item in part)
    for kind, count in kinds.items():
        assert found[kind] >= count, kind
