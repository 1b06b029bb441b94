"""A relay's mail as its writer sent it: which senders are relays, and the form's fields."""

from __future__ import annotations

from intake.domain.model import Address, ParsedMail
from intake.sorting.relays import RelaySenders, read_form, relayed

DESK = "letters@news.test"
FORM = """Submission received via the letters form.

Full name: Hamid Azizi
Email address: hamid.azizi@example.net
City/Town: Ninth Street
Which article are you responding to?: trees editorial

Your letter:
The city should let residents adopt a tree.
Six neighbours already do.
"""


def _mail(sender: str, text: str = FORM, **kw: object) -> ParsedMail:
    return ParsedMail(
        message_id="m@x.test",
        has_message_id=True,
        sender=Address(name="Form", email=sender),
        subject="New submission",
        text=text,
        **kw,  # type: ignore[arg-type]
    )


def test_the_form_fields_name_the_writer_and_the_message() -> None:
    form = read_form(FORM)
    assert (form.name, form.email, form.town) == (
        "Hamid Azizi",
        "hamid.azizi@example.net",
        "Ninth Street",
    )
    assert form.article == "trees editorial"
    assert form.message == "The city should let residents adopt a tree.\nSix neighbours already do."


def test_configured_addresses_and_domains_are_relays() -> None:
    relays = RelaySenders(("forms@example.com", "@inbox.example.org"))
    assert relays.configured("Forms@Example.com")
    assert relays.configured("anyone@inbox.example.org")
    assert not relays.configured("forms@example.net")
    assert not relays.configured("x@sub.inbox.example.org")


def test_a_relayed_letter_is_from_its_writer_signed_with_name_and_town() -> None:
    found = relayed(_mail("noreply@forms.news.test"), RelaySenders(), DESK)
    assert found is not None
    assert found.mail.sender == Address(name="Hamid Azizi", email="hamid.azizi@example.net")
    assert found.mail.text.endswith("Six neighbours already do.\n\nHamid Azizi\nNinth Street")
    assert "(trees editorial)" in found.mail.subject
    assert "noreply@forms.news.test" in found.note and "hamid.azizi@example.net" in found.note


def test_reply_to_names_the_writer_before_the_fields() -> None:
    mail = _mail(
        "forms@example.com",
        reply_to=(Address(name="H. Azizi", email="ha@example.org"),),
    )
    found = relayed(mail, RelaySenders(("forms@example.com",)), DESK)
    assert found is not None and found.mail.sender is not None
    assert found.mail.sender.email == "ha@example.org"


def test_no_relay_without_configuration_off_the_desks_domain_or_for_list_mail() -> None:
    assert relayed(_mail("noreply@forms.example.com"), RelaySenders(), DESK) is None
    assert relayed(_mail("editor@news.test"), RelaySenders(), DESK) is None  # a person
    newsletter = _mail("no-reply@news.test", headers={"list-id": ("<brief.news.test>",)})
    assert relayed(newsletter, RelaySenders(), DESK) is None


def test_a_relay_naming_nobody_is_left_as_it_came() -> None:
    assert relayed(_mail("no-reply@news.test", text="Hello."), RelaySenders(), DESK) is None
