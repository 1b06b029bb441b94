"""Dates out of range are no date: in the reader, in parsing and on the command line."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from intake.cli import main
from intake.mail.maildate import read_date
from intake.mail.parse import parse_message

HOSTILE_DATES = [
    "Mon, 23 Nov 2026 10:00:00 -99999999999999",  # an offset no C int holds
    "Mon, 23 Nov 9999999999 10:00:00 +0000",  # a year no C int holds
    "Fri, 31 Dec 9999 23:59:59 -1200",  # past the calendar's end once in UTC
    "Mon, 1 Jan 0100 00:00:00 +1400",  # long before any mail
    "Mon, 23 Nov 2026 10:00:00 +9999",  # an offset of more than a day
    "Sat, 1 Jan 3000 00:00:00 +0000",
    "Sun, 31 Dec 1899 23:59:59 +0000",
    "not a date at all",
    "",
]


def letter(date: str) -> bytes:
    return (
        "From: Jane Reader <jane@example.org>\r\nTo: letters@news.test\r\n"
        f"Subject: Your article\r\nDate: {date}\r\nMessage-ID: <d1@example.org>\r\n\r\n"
        "Dear Editor,\r\n\r\nYour piece on the budget missed the point entirely, I think.\r\n"
    ).encode()


@pytest.mark.parametrize("value", HOSTILE_DATES)
def test_a_date_out_of_range_is_absent(value: str) -> None:
    assert read_date(value) is None
    assert parse_message(letter(value)).date is None


def test_a_real_date_keeps_its_offset_and_parses_to_utc() -> None:
    value = "Mon, 23 Nov 2026 10:00:00 -0500"
    assert read_date(value) == datetime(2026, 11, 23, 10, tzinfo=timezone(timedelta(hours=-5)))
    assert parse_message(letter(value)).date == datetime(2026, 11, 23, 15, tzinfo=UTC)


def test_the_edges_of_the_range() -> None:
    assert read_date("Mon, 1 Jan 1900 00:00:00 +0000") == datetime(1900, 1, 1, tzinfo=UTC)
    assert read_date("Tue, 31 Dec 2999 23:59:59 +0000") is not None
    assert read_date("Wed, 1 Jan 2000 00:00:00 -0000") == datetime(2000, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("value", HOSTILE_DATES[:3])
def test_classify_on_the_command_line_takes_a_bad_date_as_none(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.delenv("INTAKE_CONFIG", raising=False)
    path = tmp_path / "bad-date.eml"
    path.write_bytes(letter(value))
    assert main(["classify", str(path), "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["category"] in {"letter", "other"}
    assert "OverflowError" not in err
