"""Tests for intake.sorting.classify: the fixture tree, the rules one by one, and the corpus targets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from intake.config.sections import ClassifySettings
from intake.domain.model import (
    Address,
    Article,
    ArticleMatch,
    Attachment,
    Category,
    ParsedMail,
    Verdict,
)
from intake.eval.corpus import (
    MACHINE,
    MAX_HUMAN_AS_MACHINE,
    RECALL_TARGETS,
    evaluate,
    parse_item,
)
from intake.mail.parse import parse_message
from intake.sorting.classify import DeskIdentity, classify
from intake.sorting.sortmail import sort_mail

# the desk's default: verdicts less confident than this go to the editors
REVIEW_BELOW = ClassifySettings().review_below

DATA = Path(__file__).resolve().parents[2] / "data" / "mail"
CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"
DESK = DeskIdentity(address="letters@news.test")
KEY = "q3xk7hzv2mwbd5tnc4rj6lpyfe"
FIXTURES = sorted(DATA.rglob("*.eml"))
# Fixtures that should go to the editors whatever the verdict: a malformed key.
NEEDS_REVIEW = {"malformed_key.eml"}


def _classify_file(path: Path) -> Verdict:
    # as the desk sorts it: a forwarded or relayed letter is its writer's
    return sort_mail(parse_message(path.read_bytes()), DESK).verdict


LETTER_BODY = (
    "Dear Editor,\n\n"
    "I disagree with your editorial on the tram extension. "
    + "The council has not explained where the money will come from, and residents deserve "
    "to see the figures before the vote next month. " * 5 + "\n\nJane Roe\nAshby\n"
)


def _mail(
    *,
    headers: dict[str, str] | None = None,
    subject: str = "A thought",
    text: str = LETTER_BODY,
    sender: str = "jane.roe@example.com",
    sender_name: str = "Jane Roe",
    to: tuple[str, ...] = ("letters@news.test",),
    **fields: object,
) -> ParsedMail:
    """Build a ParsedMail the way parse_message would, headers lower-cased."""
    header_map = {k.lower(): (v,) for k, v in (headers or {}).items()}
    header_map.setdefault("from", (f"{sender_name} <{sender}>",))
    return ParsedMail(
        message_id="m1@example.com",
        has_message_id=True,
        sender=Address(name=sender_name, email=sender),
        to=tuple(Address(name="", email=a) for a in to),
        subject=subject,
        headers=header_map,
        text=text,
        **fields,  # type: ignore[arg-type]
    )


# -- the fixture tree: the folder name is the expected category -------------------------


def test_fixture_tree_is_complete() -> None:
    assert len(FIXTURES) >= 25
    assert {p.parent.name for p in FIXTURES} == {c.value for c in Category}


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_category(path: Path) -> None:
    verdict = _classify_file(path)
    assert verdict.category == path.parent.name, verdict.reasons
    assert 0.0 <= verdict.confidence <= 1.0
    assert verdict.reasons and all(isinstance(r, str) and r for r in verdict.reasons)


@pytest.mark.parametrize(
    "path", [p for p in FIXTURES if p.name not in NEEDS_REVIEW], ids=lambda p: p.name
)
def test_clear_fixtures_need_no_review(path: Path) -> None:
    assert _classify_file(path).confidence >= REVIEW_BELOW


def test_html_only_letter_is_read_from_its_html() -> None:
    mail = parse_message((DATA / "letter" / "html_only.eml").read_bytes())
    assert mail.text_from_html
    assert classify(mail, DESK).category == Category.letter


# -- reply keys and our own threads ---------------------------------------------------------


def test_author_reply_carries_its_key() -> None:
    verdict = _classify_file(DATA / "author_reply" / "plus_address.eml")
    assert verdict.reply_key == KEY
    assert verdict.confidence >= 0.95


def test_malformed_key_is_kept_but_sent_for_review() -> None:
    verdict = _classify_file(DATA / "author_reply" / "malformed_key.eml")
    assert verdict.category == Category.author_reply
    assert verdict.reply_key == "q3xk7hzv2mwbd5tnc"
    assert verdict.confidence < REVIEW_BELOW


def test_out_of_office_to_a_plus_address_keeps_the_key() -> None:
    verdict = _classify_file(DATA / "auto_reply" / "author_away_plus_address.eml")
    assert verdict.category == Category.auto_reply
    assert verdict.reply_key == KEY


def test_thread_match_without_key() -> None:
    verdict = _classify_file(DATA / "author_reply" / "in_reply_to_only.eml")
    assert verdict.reply_key is None
    assert any("intake.letter-118" in r for r in verdict.reasons)


def test_plus_address_on_another_mailbox_is_not_a_key() -> None:
    mail = _mail(to=(f"editor+{KEY}@news.test",))
    assert classify(mail, DESK).reply_key is None


@pytest.mark.parametrize(
    ("own_domains", "expected"),
    [((), Category.letter), (("mail.news.test",), Category.author_reply)],
)
def test_own_domains_decide_which_message_ids_are_ours(
    own_domains: tuple[str, ...], expected: Category
) -> None:
    mail = _mail(in_reply_to=("intake.letter-9.ab12@mail.news.test",))
    desk = DeskIdentity(address="letters@news.test", own_domains=own_domains)
    assert classify(mail, desk).category == expected


def test_a_reply_to_someone_elses_message_is_not_an_author_reply() -> None:
    mail = _mail(in_reply_to=("letter-9.ab12@news.test",), references=("x@news.test",))
    assert classify(mail, DESK).category == Category.letter


# -- auto-replies ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Auto-Submitted": "auto-generated"},
        {"X-Autoreply": "yes"},
        {"X-Autorespond": "Your letter"},
        {"X-Autoresponse": "1"},
        {"X-AutoReply-From": "jane.roe@example.com"},
        {"X-Mail-Autoreply": "yes"},
        {"Precedence": "auto_reply"},
        {"X-Autogenerated": "Reply"},
        {
            "X-MS-Exchange-Inbox-Rules-Loop": "jane.roe@example.com",
            "X-Auto-Response-Suppress": "All",
        },
    ],
    ids=lambda h: ",".join(h),
)
def test_autoresponder_headers(headers: dict[str, str]) -> None:
    verdict = classify(_mail(headers=headers), DESK)
    assert verdict.category == Category.auto_reply


@pytest.mark.parametrize(
    "headers",
    [{"Auto-Submitted": "no"}, {"X-Auto-Response-Suppress": "All"}, {"X-Autoreply": "no"}],
    ids=lambda h: ",".join(f"{k}={v}" for k, v in h.items()),
)
def test_headers_that_do_not_make_an_auto_reply(headers: dict[str, str]) -> None:
    assert classify(_mail(headers=headers), DESK).category == Category.letter


@pytest.mark.parametrize(
    "subject",
    [
        "Out of Office: Your letter",
        "Automatic reply: Your letter",
        "Autoreply: Your letter",
        "AUTO: Jane Roe is out of the office",
        "Abwesenheitsnotiz: Ihr Leserbrief",
        "Réponse automatique : Votre lettre",
        "Respuesta automática: Su carta",
        "Risposta automatica: La sua lettera",
        "Automatisch antwoord: Uw brief",
        "Odpowiedź automatyczna: Pański list",
        "[Automatyczna odpowiedź] test",
        "On vacation until 2 June",
        "Re: your letter (I am on leave till Monday)",
    ],
)
def test_out_of_office_subjects(subject: str) -> None:
    verdict = classify(_mail(subject=subject, text="I am away until Monday."), DESK)
    assert verdict.category == Category.auto_reply


@pytest.mark.parametrize(
    "subject",
    ["Letter: tourist tax on holiday lets", "Away with the car park!"],
)
def test_letter_subjects_that_mention_holidays_are_not_out_of_office(subject: str) -> None:
    assert classify(_mail(subject=subject), DESK).category == Category.letter


def test_null_return_path_acknowledgement() -> None:
    mail = _mail(
        headers={"Return-Path": "<>", "Precedence": "bulk"},
        subject="Thank you for your e-mail",
        text="I will endeavour to reply as soon as possible.",
    )
    assert classify(mail, DESK).category == Category.auto_reply


# -- bounces -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "subject",
    [
        "Undeliverable: Your letter",
        "Delivery Status Notification (Failure)",
        "Mail delivery failed: returning message to sender",
        "Returned mail: see transcript for details",
        "failure notice",
        "Undelivered Mail Returned to Sender",
    ],
)
def test_mailer_daemon_with_failure_subject(subject: str) -> None:
    mail = _mail(sender="mailer-daemon@mx.example.com", sender_name="", subject=subject, text="")
    assert classify(mail, DESK).category == Category.bounce


def test_mailer_daemon_with_failure_only_in_the_body() -> None:
    mail = _mail(
        sender="mailer-daemon@mx.example.com",
        subject="Your letter",
        text="Your message to x@example.com was rejected: mailbox is full.",
    )
    assert classify(mail, DESK).category == Category.bounce


def test_delivery_report_structure_alone() -> None:
    mail = _mail(
        sender="someone@example.com",
        subject="Your letter",
        text="",
        content_type="multipart/report",
        part_types=("multipart/report", "text/plain", "message/delivery-status"),
    )
    assert classify(mail, DESK).category == Category.bounce


def test_challenge_dressed_as_a_delivery_report_is_an_auto_reply() -> None:
    mail = _mail(
        sender="mailer-daemon@mx.example.com",
        subject="Undelivered Mail Returned to Sender",
        text="550 Your server requires confirmation. Visit http://x.example/Whitelist.aspx",
        part_types=("multipart/report", "text/plain", "message/delivery-status"),
    )
    assert classify(mail, DESK).category == Category.auto_reply


# -- bulk and spam -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [{"X-Campaign": "spring-2025"}, {"Return-Path": "<bounces+123@esp.example.net>"}],
    ids=lambda h: ",".join(h.values()),
)
def test_a_mailing_services_headers_beat_letter_content(headers: dict[str, str]) -> None:
    assert classify(_mail(headers=headers), DESK).category == Category.bulk


@pytest.mark.parametrize(
    "headers",
    [
        {"List-Id": "<forum.lists.example.org>"},
        {"List-Unsubscribe": "<https://example.com/u>"},
        {"Precedence": "bulk"},
        {"Precedence": "list"},
        {"Return-Path": "<owner-forum@lists.example.org>"},
    ],
    ids=lambda h: ",".join(h.values()),
)
def test_a_letter_through_a_list_is_a_letter_with_the_list_noted(headers: dict[str, str]) -> None:
    # a neighbourhood group writes through its list; the desk never answers list mail
    # (loopguard), but the letter is a letter
    verdict = classify(_mail(headers=headers), DESK)
    assert verdict.category == Category.letter
    assert verdict.reasons[-1].startswith(("but: List-", "but: Precedence", "but: Return-Path"))
    plain = _mail(headers=headers, text="This week's update: the forum meets on Tuesday.")
    assert classify(plain, DESK).category == Category.bulk


def test_verp_return_path_on_the_senders_own_domain_is_not_bulk() -> None:
    mail = _mail(headers={"Return-Path": "<bounce-8f2a@example.com>"})
    assert classify(mail, DESK).category == Category.letter


def test_no_reply_sender_is_bulk() -> None:
    mail = _mail(
        sender="no-reply@example.com", subject="Your receipt", text="Thanks for your order."
    )
    assert classify(mail, DESK).category == Category.bulk


def test_web_form_from_no_reply_with_reader_in_reply_to_is_judged_by_content() -> None:
    mail = _mail(
        sender="no-reply@news.test",
        reply_to=(Address(name="Jane Roe", email="jane.roe@example.com"),),
    )
    assert classify(mail, DESK).category == Category.letter


def test_undisclosed_recipients_alone_do_not_spoil_a_letter() -> None:
    mail = _mail(headers={"To": "undisclosed-recipients:;"}, to=())
    assert classify(mail, DESK).category == Category.letter


def test_undisclosed_recipients_without_a_letter_is_bulk() -> None:
    mail = _mail(
        headers={"To": "undisclosed-recipients:;"}, to=(), text="Our spring offers inside."
    )
    assert classify(mail, DESK).category == Category.bulk


def test_reader_asking_to_be_removed_is_not_a_newsletter() -> None:
    mail = _mail(subject="Emails", text="Please remove me from your mailing list. Thanks, Jane")
    assert classify(mail, DESK).category == Category.other


def test_spam_verdict_beats_list_headers() -> None:
    mail = _mail(headers={"List-Id": "<x.example.com>", "X-Spam-Flag": "YES"})
    assert classify(mail, DESK).category == Category.spam


def test_author_reply_beats_a_spam_verdict() -> None:
    mail = _mail(headers={"X-Spam-Flag": "YES"}, to=(f"letters+{KEY}@news.test",))
    assert classify(mail, DESK).category == Category.author_reply


def test_gtube() -> None:
    gtube = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X"
    assert classify(_mail(text=f"{LETTER_BODY}\n{gtube}\n"), DESK).category == Category.spam


@pytest.mark.parametrize("filename", ["setup.exe", "photo.jpg_.zip", "invoice.pdf.exe", "x.vbs"])
def test_executable_attachment_is_spam(filename: str) -> None:
    attachment = Attachment(filename=filename, content_type="application/octet-stream", size=10)
    mail = _mail(text="See attached.", attachments=(attachment,))
    assert classify(mail, DESK).category == Category.spam


def test_a_document_attachment_is_not_spam() -> None:
    attachment = Attachment(filename="my letter.docx", content_type="application/msword", size=10)
    assert classify(_mail(attachments=(attachment,)), DESK).category == Category.letter


def test_body_that_is_only_a_link_is_spam() -> None:
    mail = _mail(text="https://bit.example/x7Qz\n")
    assert classify(mail, DESK).category == Category.spam


def test_display_name_address_on_the_same_domain_is_not_spoofing() -> None:
    mail = _mail(headers={"From": "jane@example.com <jane.roe@example.com>"})
    assert classify(mail, DESK).category == Category.letter


# -- letter or other ---------------------------------------------------------------------------


def test_a_one_liner_is_not_a_letter() -> None:
    verdict = classify(_mail(text="Dear Editor, great paper today!\n\nJane"), DESK)
    assert verdict.category == Category.other


def test_length_and_signature_alone_do_not_make_a_letter() -> None:
    filler = "The meeting starts at seven and the hall is on the corner of the square. " * 12
    verdict = classify(_mail(text=f"{filler}\n\nJane Roe\nAshby"), DESK)
    assert verdict.category == Category.other


def test_letter_reasons_name_what_was_found() -> None:
    verdict = classify(_mail(), DESK)
    assert verdict.category == Category.letter
    assert "opens with 'Dear Editor,'" in verdict.reasons
    assert any(r.startswith("argues in the first person") for r in verdict.reasons)


def test_a_forwarded_letter_is_other() -> None:
    text = "Thought you should see this.\n\n---------- Forwarded message ---------\n" + LETTER_BODY
    verdict = classify(_mail(subject="Fwd: my letter", text=text), DESK)
    assert verdict.category == Category.other


# -- the labelled corpus -----------------------------------------------------------------------


def _corpus_or_skip() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"labelled corpus not found at {CORPUS}")
    index = CORPUS / "labels.jsonl"
    assert index.is_file(), f"{CORPUS} exists but has no labels.jsonl"
    return index


def test_corpus_targets() -> None:
    index = _corpus_or_skip()
    result = evaluate(index.read_text(encoding="utf-8"), lambda p: (CORPUS / p).read_bytes())
    for label, target in RECALL_TARGETS.items():
        score = result.score(label)
        assert score.support > 0, f"no {label} items in the corpus"
        assert score.recall is not None and score.recall >= target, score
    assert result.human_total > 0
    assert result.human_as_machine_rate <= MAX_HUMAN_AS_MACHINE, result.human_as_machine
    assert result.missed_targets() == ()


def test_classify_never_raises_on_any_corpus_file() -> None:
    index = _corpus_or_skip()
    items = [json.loads(line) for line in index.read_text(encoding="utf-8").splitlines() if line]
    assert len(items) > 100
    for item in items:
        mail = parse_item((CORPUS / item["path"]).read_bytes(), item["format"])
        verdict = classify(mail, DESK)
        assert 0.0 <= verdict.confidence <= 1.0
        assert verdict.reasons, item["path"]
        if item["category"] == "human_reply":
            assert verdict.category not in MACHINE, (item["path"], verdict.reasons)


def test_our_own_request_coming_back_is_never_acted_on() -> None:
    from intake.mail.parse import parse_message
    from intake.sorting.classify import DeskIdentity, classify

    raw = (
        b"From: The Nation Letters <letters@news.test>\r\nTo: letters@news.test\r\n"
        b"Subject: A reader's letter on your article: would you like to respond?\r\n"
        b"Message-ID: <intake.req.7.abcdefabcdef@news.test>\r\nAuto-Submitted: auto-generated\r\n\r\n"
        b"Dear Ms Chen,\r\n\r\nA reader wrote to us about your article.\r\n"
    )
    verdict = classify(parse_message(raw), DeskIdentity(address="letters@news.test"))
    assert verdict.category.value == "other"
    assert any("our own" in r for r in verdict.reasons)


# -- the project's own labelled fixtures ---------------------------------------------------------


def _own_labels() -> list[dict[str, Any]]:
    lines = (DATA / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_own_labels_cover_every_fixture_byte_for_byte() -> None:
    import hashlib

    labels = {str(item["path"]): item for item in _own_labels()}
    assert set(labels) == {str(p.relative_to(DATA)) for p in FIXTURES}
    for path in FIXTURES:
        item = labels[str(path.relative_to(DATA))]
        assert item["category"] == path.parent.name and item["format"] == "eml"
        assert item["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest(), path


def test_own_fixtures_letter_precision_and_recall() -> None:
    index = (DATA / "labels.jsonl").read_text(encoding="utf-8")
    result = evaluate(index, lambda p: (DATA / p).read_bytes())
    human = [item for item in _own_labels() if item["category"] in ("letter", "other")]
    assert len(human) >= 60
    assert any("seed" in item.get("tags", []) for item in human)
    assert sum("html_only" in item.get("tags", []) for item in human) >= 3
    letters = result.score("letter")
    assert letters.precision is not None and letters.precision >= 0.90, letters
    assert letters.recall is not None and letters.recall >= 0.90, letters
    assert result.human_as_machine == ()


def _short(body: str, sender: str = "Stan Kowalski <stan@example.org>") -> ParsedMail:
    raw = (
        f"From: {sender}\r\nTo: letters@news.test\r\nSubject: rent control\r\n"
        "Message-ID: <short-signs@example.org>\r\n\r\n" + body.replace("\n", "\r\n")
    ).encode()
    return parse_message(raw)


_HALE = Article(
    url="https://www.news.test/hale/",
    title="Rent Control Won't Build a Single Home",
    author="Victor Hale",
    author_email="vh@news.test",
)
_SHORT_SIGNED = (
    "For once I agree with Victor Hale. Rent control has never built a home, and the permit"
    " office takes fourteen months to approve a duplex.\n\nStan Kowalski\nWestbrook\n"
)


def test_a_short_message_with_a_letters_signs_answering_our_piece_is_a_letter() -> None:
    reporter = ArticleMatch(article=_HALE, score=0.88, reason="names the reporter, Victor Hale")
    verdict = classify(_short(_SHORT_SIGNED), DESK, named_article=lambda: reporter)
    assert verdict.category is Category.letter
    assert verdict.reasons[0].startswith("names our article")
    unsigned = "Rent control, Victor Hale, rent control.\n"
    assert classify(_short(unsigned), DESK, named_article=lambda: reporter).category is not (
        Category.letter
    )


def test_an_address_as_display_name_is_noted_on_a_letter_and_spam_on_anything_else() -> None:
    sender = '"stan.kowalski@example.org" <stan5@elsewhere.example.net>'
    reporter = ArticleMatch(article=_HALE, score=0.88, reason="names the reporter, Victor Hale")
    letter = classify(_short(_SHORT_SIGNED, sender), DESK, named_article=lambda: reporter)
    assert letter.category is Category.letter
    assert "but: the From display name holds an address on another domain" in letter.reasons
    other = classify(_short("Hello there, click here.\n", sender), DESK)
    assert other.category is Category.spam


def test_a_short_reply_carrying_our_newsletter_below_can_still_be_a_letter() -> None:
    body = _SHORT_SIGNED + (
        "\n-----Original Message-----\nFrom: The Courier <newsletter@news.test>\n"
        "Sent: Monday\nSubject: Brief\n\nRent Control Won't Build a Single Home\n"
    )
    reporter = ArticleMatch(article=_HALE, score=0.88, reason="names the reporter, Victor Hale")
    verdict = classify(_short(body), DESK, named_article=lambda: reporter)
    assert verdict.category is Category.letter  # "carries an earlier message" is weak


_LETTER_BODY = (
    "Dear Editor,\n\nYour article on coyotes settling into city parks was fair. We have walked"
    " the park every morning for ten years and I believe the city should post signs, not set"
    " traps.\n\nAna Ruiz\nBirch Park\n"
)


def _raw(body: str, subject: str = "Coyotes", headers: str = "") -> ParsedMail:
    return parse_message(
        (
            f"From: Ana Ruiz <aruiz@example.org>\r\nTo: letters@news.test\r\nSubject: {subject}\r\n"
            f"Message-ID: <yield@example.org>\r\n{headers}\r\n" + body.replace("\n", "\r\n")
        ).encode()
    )


@pytest.mark.parametrize(
    ("subject", "headers", "footer", "sign"),
    [
        ("Out of the office, out of luck", "", "", "out-of-office subject"),
        ("Coyotes", "List-Id: <friends.groups.example.org>\r\n", "", "List-Id header"),
        ("Coyotes", "", "\nIf you no longer wish to receive our emails, click here to unsubscribe.\n",
         "carries a newsletter footer"),
    ],
)  # fmt: skip
def test_a_letter_outweighs_machine_signs_a_person_can_carry(
    subject: str, headers: str, footer: str, sign: str
) -> None:
    verdict = classify(_raw(_LETTER_BODY + footer, subject, headers), DESK)
    assert verdict.category is Category.letter
    assert any(r.startswith(f"but: {sign}") for r in verdict.reasons)
    # without the letter's signs the same sign decides
    other = classify(_raw("Here is this week's update.\n" + footer, subject, headers), DESK)
    assert other.category in (Category.auto_reply, Category.bulk)


def test_an_automatic_header_is_never_outweighed() -> None:
    headers = "Auto-Submitted: auto-replied\r\n"
    assert classify(_raw(_LETTER_BODY, headers=headers), DESK).category is Category.auto_reply


def test_a_press_release_to_a_media_list_is_other_mail_not_bulk() -> None:
    body = (
        "FOR IMMEDIATE RELEASE\n\nHARLOW, Nov. 27 - The board today announced retraining"
        " grants.\n\nMedia contact: Sam Ortiz\n\nYou are receiving this email because you are"
        " on our media list. To unsubscribe, click here.\n"
    )
    verdict = classify(_raw(body, subject="Grants"), DESK)
    assert verdict.category is Category.other
    assert "but: carries a newsletter footer (unsubscribe wording)" in verdict.reasons
