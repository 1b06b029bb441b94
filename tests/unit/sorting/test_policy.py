"""The letters policy: each rule found when broken, silent when kept or switched off."""

from __future__ import annotations

from datetime import date

import pytest

from intake.config.sections import PolicySettings
from intake.printing.letterbody import prepare_letter
from intake.sorting.policy import Finding, LettersPolicy, check_letter

ARGUMENT = (
    "I disagree with your editorial on the tram extension. The council has not explained "
    "where the money will come from, and residents deserve to see the figures first. "
)


def policy(**changes: int | bool) -> LettersPolicy:
    """The default ``[policy]`` of the config schema, with *changes*."""
    return PolicySettings.model_validate(changes).rules()


GOOD = f"Dear Editor,\n\n{ARGUMENT * 3}\n\nJane Roe\nAshby\n"
STRICT = LettersPolicy(
    word_limit=250,
    max_article_age_days=14,
    require_full_name=True,
    require_town=True,
    require_phone_or_address=True,
    require_exclusivity=True,
)


def _codes(findings: tuple[Finding, ...]) -> list[str]:
    return [f.code for f in findings]


def test_a_letter_that_keeps_the_default_policy_has_no_findings() -> None:
    findings = check_letter(
        policy(), text=GOOD, article_published=date(2025, 3, 1), sent_on=date(2025, 3, 5)
    )
    assert findings == ()


def test_word_limit_counts_the_letter_not_greeting_or_signature() -> None:
    long_text = f"Dear Editor,\n\n{ARGUMENT * 12}\n\nJane Roe\nAshby\n"
    (finding,) = check_letter(policy(word_limit=250), text=long_text)
    assert finding.code == "word_limit"
    assert "over the limit of 250" in finding.message
    words = int(finding.message.split()[0])
    assert words == 12 * len(ARGUMENT.split())
    assert check_letter(policy(word_limit=0), text=long_text) == ()


def test_article_age_against_the_letters_date() -> None:
    rules = policy(max_article_age_days=14)
    (old,) = check_letter(
        rules, text=GOOD, article_published=date(2025, 1, 1), sent_on=date(2025, 1, 20)
    )
    assert str(old) == "article_age: answers an article 19 days old (limit 14 days)"
    assert (
        check_letter(
            rules, text=GOOD, article_published=date(2025, 1, 6), sent_on=date(2025, 1, 20)
        )
        == ()
    )
    # without both dates nothing can be said
    assert check_letter(rules, text=GOOD, article_published=None, sent_on=date(2025, 1, 20)) == ()


@pytest.mark.parametrize(
    ("signature", "full"),
    [("Jane Roe\nAshby", True), ("J. Roe\nAshby", False), ("Jane\nAshby", False)],
)
def test_full_name(signature: str, full: bool) -> None:
    text = f"Dear Editor,\n\n{ARGUMENT * 3}\n\n{signature}\n"
    codes = _codes(check_letter(policy(require_town=False), text=text))
    assert ("full_name" not in codes) is full


def test_unsigned_letter_falls_back_to_the_from_name_only_when_it_is_a_persons() -> None:
    text = f"Dear Editor,\n\n{ARGUMENT * 3}\n"
    rules = policy(require_town=False)
    assert check_letter(rules, text=text, writer_name="Jane Roe") == ()
    for sender in ("", "Reader", "Mo", "Office Manager", "jane@example.org", "The Hendersons"):
        (finding,) = check_letter(rules, text=text, writer_name=sender)
        assert finding.code == "no_name", sender
        assert finding.message.startswith("no name to print")
        assert prepare_letter(text, sender_name=sender).signature == ()


def test_a_signed_letter_takes_its_name_from_the_sign_off_not_the_from_name() -> None:
    text = f"Dear Editor,\n\n{ARGUMENT * 3}\n\nSincerely,\nPiotr Nowak\nNorthfield, Minn.\n"

    assert check_letter(policy(), text=text, writer_name="Reader") == ()


@pytest.mark.parametrize(
    ("signature", "town"),
    [
        (("Jane Roe", "Ashby"), "Ashby"),
        (("Jane Roe, Ashby",), "Ashby"),
        (("Rosa Delgado, R.N.", "Paterson, N.J."), "Paterson, N.J."),
        (("Maibe Ponet", "Deputy Press Secretary", "Mayor Bill de Blasio’s Office"), ""),
        (
            (
                "Eleanor Vance",
                "Professor of Health Informatics",
                "Riverside University",
                "Riverside",
            ),
            "Riverside",
        ),
        (("Jane Roe",), ""),
    ],
)
def test_the_town_finding_agrees_with_the_town_that_prints(
    signature: tuple[str, ...], town: str
) -> None:
    text = f"Dear Editor,\n\n{ARGUMENT * 3}\n\n" + "\n".join(signature) + "\n"

    codes = _codes(check_letter(policy(require_full_name=False), text=text))

    assert prepare_letter(text).town == town
    assert ("town" in codes) is (town == "")


def test_phone_or_address_is_looked_for_but_never_repeated() -> None:
    rules = policy(require_phone_or_address=True)
    (missing,) = check_letter(rules, text=GOOD)
    assert missing.code == "phone_or_address"
    for contact in ("(908) 555-0147", "41 Orchard Lane, Ashby", "Flat 3, 12 High Street"):
        text = GOOD + contact + "\n"
        assert check_letter(rules, text=text) == (), contact
    # the findings never carry the private details themselves
    text = GOOD.replace("Jane Roe", "J. Roe") + "(908) 555-0147\n"
    assert all("555" not in str(f) for f in check_letter(STRICT, text=text))


@pytest.mark.parametrize(
    ("statement", "exclusive"),
    [
        ("This letter is exclusive to your paper.", True),
        ("It has not been submitted elsewhere.", True),
        ("I have not sent it to any other newspaper.", True),
        ("I am sending this only to you.", True),
        ("I have sent this to several papers.", False),
        ("", False),
    ],
)
def test_exclusivity_statement(statement: str, exclusive: bool) -> None:
    text = f"Dear Editor,\n\n{ARGUMENT * 3}{statement}\n\nJane Roe\nAshby\n"
    codes = _codes(check_letter(policy(require_exclusivity=True), text=text))
    assert ("exclusivity" not in codes) is exclusive


def test_copies_to_other_papers_and_open_letters_are_reported() -> None:
    findings = check_letter(
        policy(),
        text=f"Dear Editor,\n\nAn open letter to the mayor. {ARGUMENT * 3}\n\nJane Roe\nAshby\n",
        recipients=["letters@news.test", "letters@tribune.example.com", "desk@news.test"],
        desk_address="letters@news.test",
    )
    assert [str(f) for f in findings] == [
        "sent_elsewhere: also addressed to letters@tribune.example.com",
        "open_letter: calls itself an open letter",
    ]


def test_findings_come_in_a_fixed_order() -> None:
    text = f"Dear Editor,\n\n{ARGUMENT * 12}\n\nJ. Roe\n"
    findings = check_letter(
        STRICT, text=text, article_published=date(2025, 1, 1), sent_on=date(2025, 3, 1)
    )
    assert _codes(findings) == [
        "word_limit",
        "article_age",
        "full_name",
        "town",
        "phone_or_address",
        "exclusivity",
    ]
