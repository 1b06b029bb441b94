"""The sign-off found, not assumed: name, town and no contact details (intake.printing.signature)."""

from __future__ import annotations

import time

import pytest

from intake.printing.letterbody import prepare_letter
from intake.printing.signature import looks_like_person, town_shaped

BODY = (
    "Your article on the night buses said the depot would close in March, but the drivers\n"
    "I ride with every evening say nobody has told them anything of the kind.\n"
)
PRINTED = " ".join(BODY.split())


@pytest.mark.parametrize(
    ("sign_off", "sender", "signature"),
    [
        ("Piotr Nowak", "", ("Piotr Nowak",)),
        ("Jane Marlow\nEastbay, Calif.", "Reader", ("Jane Marlow", "Eastbay, Calif.")),
        ("Sincerely,\nPiotr Nowak\nNorthfield, Minn.", "Reader",
         ("Piotr Nowak", "Northfield, Minn.")),
        ("Best,\nAhmed Rahman\nToronto, Ontario", "A. Rahman", ("Ahmed Rahman", "Toronto, Ontario")),
        ("-- Sam Whitcombe, Lancaster, Pa.", "Sammy", ("Sam Whitcombe", "Lancaster, Pa.")),
        ("\u2014 Rosa Delgado, Queens, N.Y.", "rosa@example.org", ("Rosa Delgado", "Queens, N.Y.")),
        ("Marcus Lee, Oakland, CA", "marcus", ("Marcus Lee", "Oakland, CA")),
        ("Lena Fischer\nPolicy Analyst\nCenter for Transit Equity", "Lena Fischer",
         ("Lena Fischer", "Policy Analyst", "Center for Transit Equity")),
        ("Samuel Adeyemi, M.D.\nIthaca, N.Y.", "", ("Samuel Adeyemi, M.D.", "Ithaca, N.Y.")),
        (("Martin Cole\n41 Linden Avenue\nSpringfield, IL 62704\n(217) 555-0190\n"
         "martin.cole@example.com"), "Martin", ("Martin Cole", "Springfield, IL")),
        ("-- \nNadia Haddad\nDearborn, Mich.\nnadia.haddad@example.com", "Nadia H.",
         ("Nadia Haddad", "Dearborn, Mich.")),
        ("Martin Cole, martin@example.com | 217-555-0190\nSpringfield, IL", "",
         ("Martin Cole", "Springfield, IL")),
    ],
)  # fmt: skip
def test_each_sign_off_shape_gives_the_name_and_town_that_print(
    sign_off: str, sender: str, signature: tuple[str, ...]
) -> None:
    for glue in ("\n\n", "\n"):
        if glue == "\n" and sign_off.startswith(("Piotr", "Samuel")):
            continue  # a bare name under the last line, no blank line: told only by the From name
        body = prepare_letter(BODY.rstrip("\n") + glue + sign_off + "\n", sender_name=sender)

        assert body.paragraphs == (PRINTED,), glue
        assert body.signature == signature, glue
        assert body.name == signature[0]


@pytest.mark.parametrize(
    ("sender", "person"),
    [
        ("Harriet Lindqvist", True), ("Dr. Samuel Adeyemi", True), ("Inés García-López", True),
        ("Reader", False), ("a reader", False), ("Mo", False), ("Bob T", False),
        ("Nadia H.", False), ("Office Manager", False), ("The Night Desk", False),
        ("The Hendersons", False), ("Grandma D", False), ("rosa@example.org", False),
        ("jdoe1987", False), ("", False), ("Concerned Citizen", False),
    ],
)  # fmt: skip
def test_the_from_name_prints_only_for_an_unsigned_letter_and_only_a_persons(
    sender: str, person: bool
) -> None:
    assert looks_like_person(sender) is person
    body = prepare_letter(BODY, sender_name=sender)
    assert body.signature == ((sender,) if person else ())


def test_a_signed_name_wins_over_a_persons_from_name() -> None:
    body = prepare_letter(f"{BODY}\nSincerely,\nClaire Henderson\n", sender_name="Paul Henderson")

    assert body.name == "Claire Henderson"


def test_a_capitalised_closing_line_is_not_a_name() -> None:
    body = prepare_letter(f"{BODY}\nKeep Up The Good Work\n", sender_name="")

    assert body.signature == ()
    assert body.paragraphs[-1] == "Keep Up The Good Work"


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("Eastbay, Calif.", True), ("Santa Rosa, CA", True), ("Asheville, North Carolina", True),
        ("Brooklyn, N.Y.", True), ("Guelph, Ont.", True), ("Bristol, UK", True),
        ("Harrogate, North Yorkshire", True), ("Leeds", True), ("Zürich", True),
        ("Executive Director", False), ("Riverside Tenants Union", False), ("M.D.", False),
        ("Night Editor, Riverside Courier", False), ("41 Linden Avenue", False), ("", False),
    ],
)  # fmt: skip
def test_towns_are_recognised_by_shape(text: str, town: bool) -> None:
    assert town_shaped(text) is town


@pytest.mark.parametrize(
    "text",
    [
        # a letterhead above the letter, as on paper
        (
            "Martin Cole\n41 Linden Avenue\nSpringfield, IL 62704\n(217) 555-0190\n\nDear Editor,\n\n"
            f"{BODY}\nMartin Cole\n"
        ),
        # a contact line between paragraphs
        f"{BODY}\n41 Linden Avenue, Springfield\n\n{BODY}\nMartin Cole\n",
        # glued under the last line
        f"{BODY}Martin Cole\n41 Linden Avenue\nSpringfield, IL 62704\n",
        # a sentence after the name
        f"{BODY}\nMartin Cole\nSpringfield, IL\n\nMy address is 41 Linden Avenue.\n",
        # on one line with the name
        f"{BODY}\nMartin Cole, 41 Linden Avenue, Springfield | 217.555.0190 | martin@example.com\n",
        # in a -- block
        f"{BODY}\n-- \nMartin Cole\nPhone: +1 217 555 0190\nmartin@example.com\n",
    ],
)
def test_street_phone_and_email_never_reach_print_wherever_they_stand(text: str) -> None:
    body = prepare_letter(text, sender_name="Martin")

    printed = "\n".join((*body.paragraphs, *body.signature, body.town))
    for private in ("Linden", "555", "0190", "62704", "@example"):
        assert private not in printed, (private, printed)
    assert PRINTED in body.paragraphs


@pytest.mark.parametrize(
    "hostile",
    ["a." * 50_000, "x@" + "a." * 50_000, "Jane Roe\n" * 5_000, "Ab, " * 30_000, "1-" * 50_000],
    ids=["dots", "at-dots", "name-lines", "commas", "digits"],
)
def test_preparing_a_letter_is_linear_on_hostile_text(hostile: str) -> None:
    # "a." * 50,000 took 108 s when the address pattern could start at every character
    started = time.perf_counter()
    prepare_letter(hostile, sender_name="Jane Roe")
    assert time.perf_counter() - started < 3.0
