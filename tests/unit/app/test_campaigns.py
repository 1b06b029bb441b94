"""Form-letter campaigns: copies with small changes group, honest letters on one topic do not."""

from __future__ import annotations

import itertools

from intake.app.campaigns import PastLetter, find_copy, same_campaign, shingles, similarity

TEMPLATE = (
    "I am writing to urge the council to reject the proposed sale of Elm Street Park to a "
    "private developer. The park is the only green space within walking distance for "
    "thousands of families, and once it is sold it can never be replaced. The council "
    "promised in 2019 to protect every public park in the ward, and residents expect that "
    "promise to be kept. Please vote no on item 14 and keep Elm Street Park public."
)
NAMES = (
    ("Ana Ruiz", "ana@example.org"),
    ("Ben Cole", "ben@example.com"),
    ("Chloé Martin", "chloe@example.net"),
    ("Dev Patel", "dev@example.org"),
    ("Edna Moss", "edna@example.com"),
    ("Farid Haddad", "farid@example.net"),
    ("Grace Liu", "grace@example.org"),
    ("Hugo Berg", "hugo@example.com"),
    ("Iris Novak", "iris@example.net"),
    ("Jonah Reed", "jonah@example.org"),
)
# What people do to a form letter: their own greeting, a sentence of their own,
# a word changed, a sign-off with their name and street.
TWEAKS = (
    lambda t: t,
    lambda t: "My children play there every weekend. " + t,
    lambda t: t.replace("thousands of families", "thousands of local families"),
    lambda t: t + " Thank you for listening.",
    lambda t: t.replace("Please vote no", "I ask you to vote no"),
    lambda t: t.replace("urge", "ask"),
    lambda t: t.upper().lower().capitalize(),
    lambda t: t.replace(", and", ";").replace("Park.", "Park!"),
    lambda t: "As a resident of forty years, " + t[0].lower() + t[1:],
    lambda t: t.replace("2019", "2019, in writing,"),
)
OTHER_LETTERS = (
    (
        "The sale of Elm Street Park would be a mistake. I walk my dog there every morning and "
        "I have watched the city let the paths crumble for ten years. Instead of selling it, "
        "the council should fix the lights and the fountain, and ask the neighbours to help."
    ),
    (
        "I support selling part of Elm Street Park. The ward needs housing far more than it "
        "needs a lawn that floods every spring, and the developer has offered to build a new "
        "playground. Opponents should say where else the new homes would go."
    ),
    (
        "Item 14 deserves a public hearing in the evening, when working people can attend. "
        "The council scheduled it for two in the afternoon on a weekday. Whatever one thinks "
        "of the park sale, that is no way to decide the future of public land."
    ),
)


def _letter(body: str, name: str) -> str:
    return f"Dear Councillor,\n\n{body}\n\nSincerely,\n{name}\n12 Elm Street\n"


def test_ten_near_identical_letters_from_ten_senders_form_one_group() -> None:
    group_of: dict[str, int] = {}
    recent: list[PastLetter] = []
    for index, ((name, email), tweak) in enumerate(zip(NAMES, TWEAKS, strict=True), start=1):
        mine = shingles(_letter(tweak(TEMPLATE), name), sender_name=name)
        copy = find_copy(mine, email, recent)
        group = index if copy is None else (copy.campaign_id or copy.id)
        group_of[email] = group
        recent.append(PastLetter(id=index, sender=email, shingles=mine, campaign_id=group))
    assert set(group_of.values()) == {1}  # one group, named after its first letter


def test_different_letters_on_the_same_topic_are_no_campaign() -> None:
    letters = [shingles(_letter(text, "A Reader")) for text in (*OTHER_LETTERS, TEMPLATE)]
    for one, two in itertools.combinations(letters, 2):
        assert not same_campaign(one, two), similarity(one, two)


def test_the_same_sender_twice_is_a_resend_not_a_campaign() -> None:
    mine = shingles(_letter(TEMPLATE, "Ana Ruiz"))
    past = [PastLetter(id=1, sender="ana@example.org", shingles=mine)]
    assert find_copy(mine, "ana@example.org", past) is None
    assert find_copy(mine, "ben@example.com", past) == past[0]


def test_short_notes_are_never_copies() -> None:
    note = shingles("Dear Editor,\n\nI agree with you.\n\nJane Roe\n")
    assert similarity(note, note) == 0.0


def test_greeting_quote_and_signature_do_not_count() -> None:
    one = shingles(f"Dear Editor,\n\n{TEMPLATE}\n\nAna Ruiz\nAshby\n", sender_name="Ana Ruiz")
    two = shingles(
        f"To the letters editor:\n\n{TEMPLATE}\n\nWarm regards,\nBen Cole\nDover\n\n"
        "On Monday, the council wrote:\n> Thank you for your interest in item 14.\n",
        sender_name="Ben Cole",
    )
    assert similarity(one, two) == 1.0
