"""A writer's details: what is missing, and what their answer tells us."""

from __future__ import annotations

import pytest

from intake.app.replies import is_decline
from intake.printing.writerdetails import (
    WriterDetails,
    has_full_name,
    missing_details,
    parse_details,
)

WORDS = ("no reply", "no response", "decline", "pass", "no comment")


@pytest.mark.parametrize(
    ("name", "full"),
    [("Maibe Ponet", True), ("Zoë Nguyễn-Ibáñez", True), ("Maibe", False), ("J. Smith", False),
     ("maibe@cityhall.example", False), ("", False), ("Mary Ann O'Neil", True)],
)  # fmt: skip
def test_full_name(name: str, full: bool) -> None:
    assert has_full_name(name) is full


def test_missing_details_follow_the_policy() -> None:
    details = WriterDetails(full_name="Maibe", town="", phone="", street="12 Main St")
    assert missing_details(details, ("full_name", "town", "phone")) == ("full_name", "town")
    assert missing_details(details, ("town",)) == ("town",)
    assert (
        missing_details(
            WriterDetails(full_name="Ada Lovelace", town="London"), ("full_name", "town")
        )
        == ()
    )


def test_labelled_answers_are_read() -> None:
    details = parse_details("Thanks!\nName: Maibe Ponet\nCity: New York.\nTel: +1 (212) 555-0100\n")
    assert details == WriterDetails(
        full_name="Maibe Ponet", town="New York", phone="+1 (212) 555-0100"
    )


def test_a_bare_phone_number_is_found_and_short_numbers_are_not() -> None:
    assert parse_details("You can reach me on 0161 496 0000 after six.").phone == "0161 496 0000"
    assert parse_details("I have lived here for 40 years, since 1984.").phone == ""


@pytest.mark.parametrize(
    ("text", "declined"),
    [("No reply.", True), ("no reply, thanks", True), ("Decline\n\nMichelle", True), ("PASS!", True),
     ("No comment, sorry.", True), ("Thanks, but I'll pass.", False),
     ("Pass the salt: the article stands and here is a long explanation of why it does.", False),
     ("No reply is needed from me, but let me add that the figures were checked twice.", False),
     ("", False)],
)  # fmt: skip
def test_declines(text: str, declined: bool) -> None:
    assert is_decline(text, WORDS) is declined
