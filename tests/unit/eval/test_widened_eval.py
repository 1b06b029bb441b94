"""The widened evaluation set (tests/data/replies): public reply-parser fixtures, split into a
part rules were tuned on and a part they never were, scored and reported apart."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from intake.cli.main import main
from intake.eval.corpus import by_split, evaluate_replies
from intake.mail.replytext import extract_reply_from_text

DATA = Path(__file__).resolve().parents[2] / "data" / "replies"
LABELS = (DATA / "labels.jsonl").read_text(encoding="utf-8")
ITEMS = [json.loads(line) for line in LABELS.splitlines() if line.strip()]


def test_every_fixture_is_labelled_byte_exact_with_its_licence_beside_it() -> None:
    files = {p.relative_to(DATA).as_posix() for p in DATA.glob("*/*") if p.name != "LICENSE"}
    assert files == {item["path"] for item in ITEMS}
    for item in ITEMS:
        data = (DATA / item["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == item["sha256"], item["path"]
        assert (DATA / item["path"]).parent.joinpath("LICENSE").is_file()


def test_the_split_is_the_one_fixed_before_tuning() -> None:
    for item in ITEMS:
        assert item["split"] == ("tune" if item["sha256"][0] in "01234567" else "untouched")


def test_eval_scores_the_two_parts_apart() -> None:
    replies = evaluate_replies(LABELS, lambda path: (DATA / path).read_bytes())
    table = by_split(replies)
    assert set(table) == {"tune", "untouched"}
    assert sum(total for _, total in table.values()) == len(ITEMS)
    # measured when the rules were last changed (tests/data/replies/README.md): floors
    assert table["tune"][1] == 50 and table["tune"][0] >= 49
    assert table["untouched"][1] == 50 and table["untouched"][0] >= 45


def test_intake_eval_prints_each_part(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(DATA)]) == 0
    out = capsys.readouterr().out
    assert "tune part: " in out and "untouched part: " in out
    # several upstream sources: each is reported within each part
    for source in {item["source_repo"] for item in ITEMS}:
        assert out.count(f"    {source}: ") == 2, source


@pytest.mark.parametrize(
    "attribution",
    [
        "ср, 3 дек. 2026 г. в 09:15, Dana Obi <dana@example.org>:",
        '9:15 AM, December 3, 2026, "Dana Obi" <dana@example.org>:',
        "to 3. joulukuuta 2026 klo 9.15 Dana Obi\n<dana@example.org> kirjoitti:",
        "Dnia 3 grudnia 2026 09:15 Dana Obi <dana@example.org> napisał(a):",
    ],
)
def test_a_dated_attribution_ending_in_the_address_cuts_in_any_language(attribution: str) -> None:
    text = f"The figures stand.\n\n{attribution}\n\nWhat is your source?"
    assert extract_reply_from_text(text).text == "The figures stand."


@pytest.mark.parametrize(
    "marker",
    [
        "##- Please type your reply above this line -##",
        "-- Reply above this line --",
        "Bitte antworten Sie über dieser Zeile.",
        "## Merci de répondre au-dessus de cette ligne ##",
        "Responda por encima de esta línea",
    ],
)
def test_a_notifiers_reply_above_this_line_marker_cuts(marker: str) -> None:
    text = f"Fine by me.\n\n{marker}\n\nTicket 42 was updated by the help desk."
    assert extract_reply_from_text(text).text == "Fine by me."


def test_above_this_line_in_a_sentence_is_not_a_marker() -> None:
    text = "We put the new sign above this line of shops.\nIt reads well."
    assert extract_reply_from_text(text).text == text


def test_a_message_whose_first_line_is_blank_keeps_its_headers_out_of_the_text() -> None:
    from intake.mail.parse import parse_message

    raw = b"\nFrom: Dana Obi <dana@example.org>\nTo: letters@news.test\nSubject: Re: x\n\nThe figures stand.\n"
    mail = parse_message(raw)
    assert mail.subject == "Re: x" and mail.sender is not None
    assert mail.text.strip() == "The figures stand."
