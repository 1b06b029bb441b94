"""Sorting on the embedded default: candidates, policy findings, campaigns, bounce notices."""

from __future__ import annotations

import csv
import email
import email.policy
import itertools
import json
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path

from deskkit import SAMPLES, Desk
from fakes import FakeClock
from sqlmodel import select

from intake.adapters.store import AuditRow, LetterRow, RawMessageRow, loads
from intake.app.inbound import poll
from intake.config import load_settings
from intake.worker import build_deps, init, tick

SEED_LETTER = (SAMPLES / "inbox" / "01-letter-seed-nyc-ice.eml").read_bytes()
NURSES = "Our Hospitals Are Running Out of Nurses"
AIDES = "The Long Road to a Living Wage for Home Care Aides"


def _catalogue(path: Path) -> Path:
    """The sample articles and 256 more: a catalogue of 284."""
    with (SAMPLES / "articles.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    words = itertools.product(
        ("Quiet", "Hidden", "Long", "Broken", "Forgotten", "Rising", "Last", "New"),
        ("Harbor", "Orchard", "Railyard", "Archive", "Clinic", "Factory", "Bridge", "Market"),
        ("Nobody Wanted to Save", "and the Families Who Built It", "Is Running Out of Time",
         "That Changed a County"),
    )  # fmt: skip
    for n, (adj, noun, tail) in enumerate(words):
        published = date(2024, 1, 1) + timedelta(days=2 * n)
        rows.append([f"https://www.news.test/archive/{n}/", f"The {adj} {noun} {tail}",
                     f"Writer {n}", f"writer{n}@news.test", published.isoformat()])  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    assert len(rows) - 1 >= 200
    return path


def _desk(tmp_path: Path, *, editors: str = '["editor@news.test", "desk.chief@news.test"]',
          policy: str = "") -> Desk:  # fmt: skip
    config = f"""
[desk]
publication = "The Nation"
address = "letters@news.test"
editors = {editors}
data_dir = "data"
[articles]
source = "{_catalogue(tmp_path / "articles.csv")}"
{policy}
"""
    settings = load_settings(config, {}, path=tmp_path / "intake.toml", cwd=tmp_path)
    clock = FakeClock()
    deps = build_deps(settings, {}, clock=clock)
    init(settings, deps)
    return Desk(settings=settings, deps=deps, clock=clock)


def _letter(body: str, *, sender: str = "Ada Reader <ada@example.org>", subject: str = "A letter",
            ident: str = "l1@example.org", date_header: str = "Fri, 27 Nov 2026 10:00:00 +0000",
            cc: str = "") -> bytes:  # fmt: skip
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "letters@news.test"
    if cc:
        msg["Cc"] = cc
    msg["Subject"] = subject
    msg["Date"] = date_header
    msg["Message-ID"] = f"<{ident}>"
    msg.set_content(body)
    return msg.as_bytes()


def _only_letter(desk: Desk) -> LetterRow:
    (letter,) = desk.deps.store.letters()
    return letter


def _audit(desk: Desk, event: str) -> list[AuditRow]:
    with desk.deps.store.session() as s:
        return list(s.exec(select(AuditRow).where(AuditRow.event == event)).all())


AMBIGUOUS = """Dear Editor,

Between “Our Hospitals Are Running Out of Nurses” and “The Long Road to a Living Wage
for Home Care Aides” your paper has made my argument for me. I have been a home care
aide for eleven years and I believe the two stories are one story: the people who look
after the sick are paid too little to stay.

Rosa Delgado
Paterson
"""


def test_an_ambiguous_letter_goes_to_the_editors_with_ranked_candidates(tmp_path: Path) -> None:
    desk = _desk(tmp_path)
    desk.deliver(_letter(AMBIGUOUS, sender="Rosa Delgado <rosa@example.org>"))
    tick(desk.deps)
    letter = _only_letter(desk)
    assert letter.state == "needs_review" and letter.article_id is None
    candidates = json.loads(letter.candidates)
    assert [c["title"] for c in candidates[:2]] == [NURSES, AIDES]
    assert all(set(c) == {"url", "title", "author", "score", "reason"} for c in candidates)
    assert candidates[0]["score"] == candidates[1]["score"] == 0.95
    (flagged,) = _audit(desk, "flagged")
    assert flagged.note.startswith("ambiguous article: ") and NURSES in flagged.note
    assert desk.outbox_files() == []  # nobody is asked until an editor picks


def test_a_paraphrase_in_a_large_catalogue_reaches_the_right_author(tmp_path: Path) -> None:
    desk = _desk(tmp_path)
    body = (
        "Dear Editor,\n\nYour report that hospitals are running short of nurses is right. "
        "I am a nurse on a night shift with seven patients and I believe safe staffing ratios "
        "would keep more of us at the bedside.\n\nRosa Delgado\nPaterson\n"
    )
    desk.deliver(_letter(body, subject="Nurses", sender="Rosa Delgado <rosa@example.org>"))
    tick(desk.deps)
    letter = _only_letter(desk)
    assert letter.state == "awaiting_author", _audit(desk, "flagged")
    assert letter.match_reason.startswith("paraphrases the title")
    assert json.loads(letter.candidates)[0]["title"] == NURSES


def test_policy_findings_are_stored_and_do_not_block(tmp_path: Path) -> None:
    desk = _desk(tmp_path, policy="[policy]\nword_limit = 150\nrequire_exclusivity = true\n")
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    letter = _only_letter(desk)
    assert letter.state == "awaiting_author"  # the author is asked all the same
    findings = loads(letter.findings)
    codes = [f.partition(":")[0] for f in findings]
    # 253 words; the article appeared on 13 August 2014, the letter is dated the 18th
    assert codes == ["word_limit", "town", "exclusivity"]
    assert "253 words, over the limit of 150" in findings[0]


def test_an_old_article_and_a_copy_to_another_paper_are_findings(tmp_path: Path) -> None:
    desk = _desk(tmp_path)
    body = (
        "Dear Editor,\n\nI disagree with “The Teachers Who Stayed.” The district has lost "
        "teachers because of pay, and I believe no amount of loyalty changes that.\n\n"
        "Jane Roe\nAshby\n"
    )
    desk.deliver(
        _letter(body, sender="Jane Roe <jane@example.org>", cc="letters@tribune.example.com")
    )
    tick(desk.deps)
    findings = loads(_only_letter(desk).findings)
    assert [f.partition(":")[0] for f in findings] == ["article_age", "sent_elsewhere"]
    assert "letters@tribune.example.com" in findings[1]


CAMPAIGN = """I am writing to urge the council to reject the proposed sale of Elm Street Park to a
private developer. The park is the only green space within walking distance for
thousands of families, and once it is sold it can never be replaced. As your editorial
said, the council promised in 2019 to protect every public park in the ward, and
residents expect that promise to be kept. Please vote no and keep the park public."""
SENDERS = ("Ana Ruiz", "Ben Cole", "Chloé Martin", "Dev Patel", "Edna Moss", "Farid Haddad",
           "Grace Liu", "Hugo Berg", "Iris Novak", "Jonah Reed")  # fmt: skip


def test_ten_near_identical_letters_from_ten_senders_are_one_campaign(tmp_path: Path) -> None:
    desk = _desk(tmp_path)
    for number, name in enumerate(SENDERS):
        body = f"Dear Editor,\n\n{CAMPAIGN}\n\nSincerely,\n{name}\nAshby\n"
        if number % 3 == 1:
            body = body.replace(
                "Dear Editor,\n\n", "Dear Editor,\n\nI have lived here all my life. "
            )
        address = name.split()[0].lower().replace("é", "e") + "@example.org"
        desk.deliver(_letter(body, sender=f"{name} <{address}>", ident=f"c{number}@example.org"))
        desk.clock.advance(minutes=5)
        poll(desk.deps)
    # and one honest letter on the same topic
    desk.deliver(_letter(
        "Dear Editor,\n\nThe sale of Elm Street Park would be a mistake. I walk my dog there "
        "every morning and I have watched the city let the paths crumble for ten years. The "
        "council should fix the lights instead of selling the land.\n\nOla Berg\nAshby\n",
        sender="Ola Berg <ola@example.org>", ident="honest@example.org"))  # fmt: skip
    poll(desk.deps)
    letters = desk.deps.store.letters()
    first = letters[0]
    assert [x.campaign_id for x in letters[:10]] == [first.id] * 10
    assert letters[10].campaign_id is None
    last = loads(letters[9].findings)
    assert "campaign: 10 near-identical letters from different senders" in " ".join(last)
    assert len(_audit(desk, "campaign")) == 9  # each letter that joined the group


def _bounce_of(request: bytes, *, action: str = "failed", status: str = "5.1.1") -> bytes:
    msg = email.message_from_bytes(request, policy=email.policy.default)
    return (
        "From: MAILER-DAEMON@mx.news.test\r\nTo: letters@news.test\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\nAuto-Submitted: auto-replied\r\n"
        "Message-ID: <bounce-7@mx.news.test>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.news.test\r\n\r\n"
        f"Final-Recipient: rfc822; {msg['To'].addresses[0].addr_spec}\r\nAction: {action}\r\n"
        f"Status: {status}\r\nDiagnostic-Code: smtp; 550 {status} mailbox unavailable\r\n"
        "--b\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {msg['Message-ID']}\r\nTo: {msg['To']}\r\n--b--\r\n"
    ).encode()


def test_a_bounce_names_the_recipient_and_tells_every_editor(tmp_path: Path) -> None:
    desk = _desk(tmp_path)
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    (request_file,) = desk.outbox_files()
    desk.deliver(_bounce_of(request_file.read_bytes()))
    tick(desk.deps)
    letter = _only_letter(desk)
    assert letter.state == "needs_review"
    rows = desk.deps.store.outbound()
    (request,) = [r for r in rows if r.purpose == "author_request"]
    assert (
        request.status == "failed"
        and "michelle.chen@news.test (5.1.1, failed" in request.last_error
    )
    with desk.deps.store.session() as s:
        raw = s.exec(select(RawMessageRow).where(RawMessageRow.category == "bounce")).one()
    (notice,) = [r for r in rows if r.purpose == f"notice_bounce_{raw.id}"]
    assert notice.letter_id == letter.id and notice.status == "sent"
    assert notice.recipients == "editor@news.test,desk.chief@news.test"
    sent = email.message_from_bytes(notice.raw, policy=email.policy.default)
    assert sent["To"] == "editor@news.test, desk.chief@news.test"
    assert sent["Auto-Submitted"] == "auto-generated"
    # the editors can answer the notice with commands, as they answer the digest
    assert str(sent["Reply-To"]).startswith("letters+c-notice-")
    text = sent.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "michelle.chen@news.test (5.1.1, failed" in text
    assert f"L-{letter.id}" in text
    assert "michelle.chen@news.test" in raw.note and "5.1.1" in raw.note
    (bounced,) = _audit(desk, "bounced")
    assert "5.1.1" in bounced.note and bounced.letter_id == letter.id
    # a bounce of the notice itself is recorded, and starts no loop of notices
    desk.deliver(_bounce_of(notice.raw).replace(b"bounce-7@", b"bounce-8@"))
    tick(desk.deps)
    assert len([r for r in desk.deps.store.outbound() if r.purpose.startswith("notice_")]) == 1


def test_without_editors_a_bounce_leaves_only_the_audit_row(tmp_path: Path) -> None:
    desk = _desk(tmp_path, editors="[]")
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    (request_file,) = desk.outbox_files()
    desk.deliver(_bounce_of(request_file.read_bytes()))
    tick(desk.deps)
    assert [r.purpose for r in desk.deps.store.outbound()] == ["author_request"]
    assert len(_audit(desk, "bounced")) == 1
    assert _only_letter(desk).state == "needs_review"


def test_a_delay_report_only_notes_the_delay(tmp_path: Path) -> None:
    desk = _desk(tmp_path)
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    (request_file,) = desk.outbox_files()
    desk.deliver(_bounce_of(request_file.read_bytes(), action="delayed", status="4.4.1"))
    tick(desk.deps)
    assert _only_letter(desk).state == "awaiting_author"
    (request,) = desk.deps.store.outbound()
    assert request.status == "sent"
    (delayed,) = _audit(desk, "delivery_delayed")
    assert "4.4.1" in delayed.note
