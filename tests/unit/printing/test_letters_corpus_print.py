"""Every letter of the corpus, parsed from its bytes and put in print, without the sorter.

The service test (tests/service/test_letters_corpus.py) takes each letter the whole
way, inbox to published JSON; letters the sorter does not take as letters stop
there.  This test holds the print of all of them: the message bytes are parsed
as the inbox parses them and made into the print view publishing renders, and
the letters policy is asked what it finds.
"""

from __future__ import annotations

import pytest
from lettercorpus import PARTS, UNTOUCHED_MISSES, Letter, as_email, letters

from intake.config.sections import PolicySettings
from intake.mail.parse import parse_message
from intake.printing.printview import NO_RESPONSE, PrintInput, pair_view
from intake.sorting.policy import check_letter

DEFAULT_POLICY = PolicySettings.model_validate({}).rules()  # the shipped [policy]
CASES = [(index, letter) for part in PARTS for index, letter in enumerate(letters(part))]


@pytest.mark.parametrize(("index", "letter"), CASES, ids=[f"{c.part}:{c.key}" for _, c in CASES])
def test_the_letter_prints_as_its_writer_meant(index: int, letter: Letter) -> None:
    mail = parse_message(as_email(letter, index))
    sender = mail.sender.name if mail.sender else ""
    view = pair_view(
        PrintInput(
            letter_id=index,
            article_title=letter.subject,
            article_url="https://www.news.test/a/",
            author_name="Dana Whitfield",
            writer_name=sender,
            letter_text=mail.text,
            status=NO_RESPONSE,
        )
    )
    miss = UNTOUCHED_MISSES.get(letter.key) if letter.part == "untouched" else None

    if miss == "paragraphs":
        assert view.letter_paragraphs != letter.paragraphs  # still a miss: else leave the list
    else:
        assert view.letter_paragraphs == letter.paragraphs
    assert view.signature == letter.signature
    assert view.writer_name == letter.name
    assert view.town == letter.town
    printed = "\n".join((*view.letter_paragraphs, *view.signature, view.town, view.dek))
    for private in letter.private:
        assert private not in printed
    codes = [f.code for f in check_letter(DEFAULT_POLICY, text=mail.text, writer_name=sender)]
    assert ("no_name" in codes) is (letter.name == "")
    assert ("town" in codes) is (letter.town == "")
