"""Print, end to end on the embedded default: letters arrive as email and leave ready for the page.

The seed pair (the letter from its writer, the response from its author, both
as mail through the real poll) must print word for word as The Nation did;
contact details never reach the page; letters nobody answered print alone as
the house style says; an editor's corrections and a changed house style show
in the next render; a letters page groups the day's letters by article.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import json
import shutil
from collections.abc import Callable
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest
from deskkit import ROOT, SAMPLES, Desk, answer_requests, approve_ready, make_desk
from sqlmodel import select

from intake.adapters.store import EditRow, LetterRow, Store, loads
from intake.app.printfields import set_print_field
from intake.app.publishing import publish, publish_page, render_letter
from intake.cli import main
from intake.domain.errors import ConfigError
from intake.domain.lifecycle import Event, LetterState, advance
from intake.printing.render import PAIR_FORMATS
from intake.worker import tick

SEED = ROOT.parent / "shared" / "seed" / "000_94b2853b89eeda72.txt"
SEED_LETTER = SAMPLES / "inbox" / "01-letter-seed-nyc-ice.eml"
SEED_RESPONSE = ROOT / "tests" / "data" / "letters" / "seed_response.txt"
SEED_DEK = (
    "A response from the office of Mayor Bill de Blasio about the city’s record on "
    "immigration enforcement."
)
BUS_URL = "https://www.news.test/city/2025/01/the-quiet-collapse-of-the-citys-bus-network/"

Golden = Callable[[str, str], None]


def author_replies(desk: Desk, text: str, *, letter_id: int | None = None) -> None:
    """Each (or one) request in the outbox is answered by its author, quoting it, from a phone."""
    answer_requests(desk, text, letter_id=letter_id, signed="Sent from my iPhone\n\n")


def the_letter(desk: Desk) -> LetterRow:
    (letter,) = desk.deps.store.letters()
    return letter


def seed_published_section() -> str:
    """Headline, dek and the letter-and-response section as The Nation published them."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    start = lines.index("Dear Editor:")
    end = next(i for i, line in enumerate(lines) if " responds:" in line)
    headline = lines[0]
    dek = next(line for line in lines if line.startswith("A response from"))
    section = "\n".join(lines[start : end + 1]).replace("\u00a0", " ")
    return f"{headline}\n\n{dek}\n\n{section}\n"


@pytest.fixture
def seed_desk(tmp_path: Path) -> Desk:
    """The seed letter taken, its author asked, the author's reply matched."""
    desk = make_desk(tmp_path)
    desk.deliver(SEED_LETTER.read_bytes())
    tick(desk.deps)
    author_replies(desk, SEED_RESPONSE.read_text(encoding="utf-8").strip())
    desk.clock.advance(hours=3)
    tick(desk.deps)
    assert the_letter(desk).state == "response_received"
    return desk


def edit(desk: Desk, name: str, value: str | list[str]) -> None:
    letter_id = the_letter(desk).id
    assert letter_id is not None
    with desk.deps.store.session() as s:
        set_print_field(s, letter_id, name, value, actor="editor@news.test", at=desk.clock.now())


def test_the_seed_pair_from_email_prints_word_for_word_as_published(
    seed_desk: Desk, golden: Golden
) -> None:
    letter = the_letter(seed_desk)
    # taken from the mail: the signature fields an editor can correct
    assert loads(letter.signature) == [
        "Maibe Ponet", "Deputy Press Secretary", "Mayor Bill de Blasio’s Office",
    ]  # fmt: skip
    assert (letter.writer_town, letter.writer_phone, letter.writer_street) == ("", "", "")
    # the dek in the seed was written by an editor; so it is here
    edit(seed_desk, "dek", SEED_DEK)

    approve_ready(seed_desk)
    (path,) = publish(seed_desk.deps, "txt").written

    assert path.read_text(encoding="utf-8") == seed_published_section()
    assert the_letter(seed_desk).state == "published"
    assert letter.id is not None
    for fmt in PAIR_FORMATS:
        _name, text = render_letter(seed_desk.deps, letter.id, fmt)
        golden(text, f"publish/seed_from_email.{fmt}")


def test_the_generated_dek_is_the_default(seed_desk: Desk) -> None:
    approve_ready(seed_desk)
    (path,) = publish(seed_desk.deps, "txt").written

    assert "\n\nA response from Maibe Ponet about ‘Is New York City" in path.read_text("utf-8")
    assert SEED_DEK not in path.read_text("utf-8")


def test_editors_corrections_win_over_the_parser(seed_desk: Desk) -> None:
    edit(seed_desk, "signature", ["Maibe Ponet", "Press Office", "New York, N.Y."])
    edit(seed_desk, "writer_town", "New York, N.Y.")
    letter_id = the_letter(seed_desk).id
    assert letter_id is not None
    with seed_desk.deps.store.session() as s:
        s.add(EditRow(letter_id=letter_id, field="letter", actor="editor@news.test",
                      text="Dear Editor:\n\nWe are disappointed.\n\nMaibe Ponet\n",
                      at=seed_desk.clock.now()))  # fmt: skip
        audit = s.exec(select(LetterRow)).one()
    assert audit.dek == ""

    approve_ready(seed_desk)
    (path,) = publish(seed_desk.deps, "json").written
    document = json.loads(path.read_text("utf-8"))

    assert document["signature"] == ["Maibe Ponet", "Press Office", "New York, N.Y."]
    assert document["writer_town"] == "New York, N.Y."
    assert document["letter_paragraphs"] == ["We are disappointed."]
    assert document["response_paragraphs"][0].startswith("Thank you for your feedback.")
    trail = [a.event for a in seed_desk.deps.store.audit(letter_id)]
    assert trail.count("print_field_edited") == 2


def test_contact_details_never_reach_any_printed_format(tmp_path: Path) -> None:
    desk = make_desk(tmp_path)
    desk.deliver(
        _letter(
            "Rosa Delgado",
            "rosa.delgado@example.org",
            f"Dear Editor,\n\nYour article {BUS_URL} on the bus network left out the night\n"
            "routes, which carry the cleaners and nurses who keep the city open.\n"
            "The 4 a.m. buses have been cut twice since 2019 and nobody asked us.\n\n"
            "I am happy to talk to your reporter: call me on (718) 555-0199 or\n"
            "write to rosa.delgado@example.org. The depot knows the figures.\n\n"
            "Sincerely,\nRosa Delgado\nNight-shift nurse\n"
            "1428 Elm Street, Apt. 3\nTel. 718-555-0199\nrosa.delgado@example.org\nQueens, NY 11101\n",
        )
    )
    tick(desk.deps)
    letter = the_letter(desk)
    assert letter.state == "awaiting_author", letter.state
    assert letter.writer_phone and "555" in letter.writer_phone
    assert "Elm Street" in letter.writer_street
    assert letter.writer_town == "Queens, NY"
    _lapse(desk, letter)

    approve_ready(desk)
    written = publish(desk.deps, "txt").written
    texts = [p.read_text("utf-8") for p in written]
    assert letter.id is not None
    texts += [render_letter(desk.deps, letter.id, fmt)[1] for fmt in PAIR_FORMATS]
    texts += [publish_page(desk.deps, fmt, date(2026, 11, 28)).read_text("utf-8")
              for fmt in PAIR_FORMATS]  # fmt: skip
    for text in texts:
        for private in ("555", "0199", "Elm", "Apt", "11101", "rosa.delgado@", "@example"):
            assert private not in text, (private, text)
        assert "Night-shift nurse" in text and "Queens, NY" in text
        assert "left out the night routes" in text
        assert "The depot knows the figures." in text  # only the sentences with details go


def _letter(name: str, address: str, text: str, subject: str = "The night buses") -> bytes:
    msg = EmailMessage()
    msg["From"] = f"{name} <{address}>"
    msg["To"] = "letters@news.test"
    msg["Subject"] = subject
    msg["Date"] = "Fri, 28 Nov 2026 08:00:00 +0000"
    msg["Message-ID"] = email.utils.make_msgid(domain="example.org")
    msg.set_content(text)
    return msg.as_bytes()


def _lapse(desk: Desk, letter: LetterRow, event: Event = Event.deadline_passed) -> None:
    assert letter.id is not None
    with desk.deps.store.session() as s:
        Store.apply(s, advance(letter.id, LetterState(letter.state), event, at=desk.clock.now()))


@pytest.mark.parametrize(
    ("event", "note"),
    [
        (Event.deadline_passed, "Dana Whitfield did not respond by press time."),
        (Event.author_declined, "Dana Whitfield declined to respond."),
    ],
)
def test_a_letter_nobody_answered_prints_alone_as_the_house_style_says(
    tmp_path: Path, event: Event, note: str
) -> None:
    style = tmp_path / "style.toml"
    style.write_text(
        '[unanswered]\nno_response_note = "{author} did not respond by press time."\n'
        'declined_note = "{author} declined to respond."\n',
        encoding="utf-8",
    )
    desk = make_desk(tmp_path, extra='[publish]\nhouse_style = "style.toml"\n')
    desk.deliver((SAMPLES / "inbox" / "02-letter-by-link.eml").read_bytes())
    tick(desk.deps)
    _lapse(desk, the_letter(desk), event)

    approve_ready(desk)
    (path,) = publish(desk.deps, "txt").written
    text = path.read_text("utf-8")

    assert the_letter(desk).state == "published"
    assert text.rstrip("\n").endswith(f"Gerald Finch\nMount Vernon, N.Y.\n\n{note}")
    assert "responds" not in text


def test_with_publish_unanswered_off_such_letters_wait(tmp_path: Path) -> None:
    (tmp_path / "style.toml").write_text("[unanswered]\npublish = false\n", encoding="utf-8")
    desk = make_desk(tmp_path, extra='[publish]\nhouse_style = "style.toml"\n')
    desk.deliver((SAMPLES / "inbox" / "02-letter-by-link.eml").read_bytes())
    tick(desk.deps)
    _lapse(desk, the_letter(desk))

    assert publish(desk.deps, "txt").written == []
    assert the_letter(desk).state == "no_response"


def test_a_decline_text_is_never_printed_as_a_response(seed_desk: Desk) -> None:
    # the author's reply was matched, then an editor recorded that they declined after all
    letter = the_letter(seed_desk)
    assert letter.id is not None
    with seed_desk.deps.store.session() as s:
        Store.note(s, at=seed_desk.clock.now(), event=Event.author_declined.value,
                   letter_id=letter.id, note="author withdrew")  # fmt: skip

    approve_ready(seed_desk)
    (path,) = publish(seed_desk.deps, "txt").written

    assert "responds" not in path.read_text("utf-8")


def test_an_editor_changes_the_house_style_and_the_next_render_shows_it(tmp_path: Path) -> None:
    style = tmp_path / "house_style.toml"
    shutil.copy(ROOT / "config" / "house_style.toml", style)
    config = tmp_path / "intake.toml"
    config.write_text(
        '[desk]\npublication = "The Nation"\naddress = "letters@news.test"\ndata_dir = "data"\n'
        f'[articles]\nsource = "{SAMPLES / "articles.csv"}"\n'
        '[publish]\nformat = "txt"\nhouse_style = "house_style.toml"\n',
        encoding="utf-8",
    )
    inbox = tmp_path / "data" / "inbox" / "new"
    assert main(["--config", str(config), "init"]) == 0
    (inbox / "1.eml").write_bytes((SAMPLES / "inbox" / "02-letter-by-link.eml").read_bytes())
    assert main(["--config", str(config), "poll", "--once"]) == 0
    desk_deps = make_desk(tmp_path, extra='[publish]\nhouse_style = "house_style.toml"\n').deps
    (letter,) = desk_deps.store.letters()
    with desk_deps.store.session() as s:
        Store.apply(s, advance(letter.id or 0, LetterState.awaiting_author, Event.deadline_passed,
                               at=desk_deps.clock.now()))  # fmt: skip
    out = tmp_path / "data" / "published"
    assert main(["--config", str(config), "approve", str(letter.id)]) == 0

    assert main(["--config", str(config), "publish"]) == 0
    (first,) = out.glob("*.txt")
    before = first.read_text("utf-8")
    style.write_text(
        style.read_text("utf-8")
        .replace('headline = "A Response to ‘{title}’"', 'headline = "Letters: {title}"')
        .replace('salutation = "Dear Editor:"', 'salutation = "To the Editors:"')
        .replace("enabled = false", "enabled = true")
        .replace('no_response_note = ""', 'no_response_note = "{author} did not reply."'),
        encoding="utf-8",
    )
    assert main(["--config", str(config), "publish", "--again"]) == 0
    after = first.read_text("utf-8")

    assert before.startswith("A Response to ‘The Quiet Collapse")
    assert after.startswith("Letters: The Quiet Collapse of the City’s Bus Network\n")
    assert "\nDear Editor:\n" in before and "\nTo the Editors:\n" in after
    assert after.rstrip().endswith("Dana Whitfield did not reply.")
    assert "“bunching”" in after


def test_a_broken_house_style_stops_the_command_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "style.toml").write_text('[pair]\nheadline = "On {titel}"\n', encoding="utf-8")
    config = tmp_path / "intake.toml"
    config.write_text('[publish]\nhouse_style = "style.toml"\n', encoding="utf-8")

    assert main(["--config", str(config), "publish"]) == 2
    err = capsys.readouterr().err
    assert "publish.house_style" in err and "{titel}" in err and len(err.splitlines()) == 1
    with pytest.raises(ConfigError):
        make_desk(
            tmp_path / "other", extra=f'[publish]\nhouse_style = "{tmp_path / "style.toml"}"\n'
        )


def test_a_letters_page_groups_the_days_pairs_by_article(tmp_path: Path, golden: Golden) -> None:
    desk = make_desk(tmp_path)
    for name in ("01-letter-seed-nyc-ice.eml", "02-letter-by-link.eml",
                 "03-letter-quoting-title.eml", "04-letter-naming-title-in-subject.eml"):  # fmt: skip
        desk.deliver((SAMPLES / "inbox" / name).read_bytes())
    desk.deliver(
        _letter(
            "Ana Lima",
            "ana@example.org",
            f"Dear Editor,\n\nYour piece {BUS_URL} forgot the riders who change buses\n"
            "twice to reach the hospital; the transfer times matter more than the\n"
            "headways for us.\n\nAna Lima\nYonkers, N.Y.\n",
        )
    )
    tick(desk.deps)
    author_replies(desk, "Thank you; the depot figures are now public and we will follow up.")
    tick(desk.deps)
    states = [letter.state for letter in desk.deps.store.letters()]
    assert states.count("response_received") == 5, states
    assert approve_ready(desk) == [1, 2, 3, 4, 5]
    publish(desk.deps, "md")

    for fmt in PAIR_FORMATS:
        page = publish_page(desk.deps, fmt, date(2026, 11, 28))
        assert page.name == f"letters-2026-11-28.{PAIR_FORMATS[PAIR_FORMATS.index(fmt)]}"
        golden(page.read_text("utf-8"), f"publish/page_from_email.{fmt}")
    document = json.loads(publish_page(desk.deps, "json", date(2026, 11, 28)).read_text("utf-8"))
    counts = {a["article_title"]: len(a["letters"]) for a in document["articles"]}
    assert counts["The Quiet Collapse of the City’s Bus Network"] == 2
    assert sum(counts.values()) == 5 and len(counts) == 4
    with pytest.raises(Exception, match="no letter was published on 2026-11-27"):
        publish_page(desk.deps, "txt", date(2026, 11, 27))
    issue = publish_page(desk.deps, "txt", date(2026, 11, 22), date(2026, 11, 28))
    assert issue.name == "letters-2026-11-22_2026-11-28.txt"
    assert "November 22, 2026 – November 28, 2026" in issue.read_text("utf-8")


@pytest.mark.parametrize("bad", ["2026-13-01", "28/11/2026", "2026-11-28..2026-11-01"])
def test_a_bad_page_date_is_refused_before_anything_runs(
    tmp_path: Path, bad: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--config", str(tmp_path / "none.toml"), "publish", "--date", bad])

    assert stopped.value.code == 2
    assert "--date" in capsys.readouterr().err
