"""Subject prefixes in many languages, and our letter tag."""

from __future__ import annotations

import pytest

from intake.domain.subjects import find_letter_tag, letter_tag, strip_prefixes


@pytest.mark.parametrize(
    "subject",
    [
        "Re: Your letter", "RE: Your letter", "Fwd: Your letter", "FW: Your letter",
        "AW: Your letter", "WG: Your letter", "SV: Your letter", "Antw: Your letter",
        "Re: Re: AW: Your letter", "Re[2]: Your letter", "[letters] Re: Your letter",
        "TR: Your letter", "Odp: Your letter", "回复：Your letter", "Ответ: Your letter",
    ],
)  # fmt: skip
def test_prefixes_are_stripped(subject: str) -> None:
    assert strip_prefixes(subject) == "Your letter"


def test_words_that_merely_start_like_prefixes_stay() -> None:
    assert strip_prefixes("Rent control is failing") == "Rent control is failing"
    assert strip_prefixes("Reply to the mayor") == "Reply to the mayor"


def test_letter_tag_round_trip() -> None:
    subject = f"Re: A reader’s letter on ‘Buses’ {letter_tag(42)}"
    assert find_letter_tag(subject) == 42
    assert find_letter_tag("Re: no tag here [L-x]") is None
