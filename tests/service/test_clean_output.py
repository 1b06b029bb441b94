"""Hostile text in, clean text out (issue 13, findings 7 and 8), end to end on the embedded default.

A reader's letter carries terminal escapes, NUL, BEL, DEL, a C1 control and a
bidi override in its From name, Subject, Message-ID and body; the catalogue
carries them in a title and in authors' names, and lists one article under a
``javascript:`` URL.  Through the real poll, send, reply, publish and the
command line: every header intake writes is free of them (the outbox ``.eml``
bytes are read back), every published file in every format is free of them,
the command line shows them only as visible escapes, and no mail or page
makes the script URL a live link.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import json
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from deskletters import BUS
from fakes import FROZEN_AT, deliver_at
from hostile import NASTY, controls_in, live_links

from intake.cli import main
from intake.printing.render import PAIR_FORMATS

SCRIPT_URL = "javascript:alert(document.cookie)"
RENT_TITLE = "Why Rent Stabilization Still Matters in 2025"
CATALOGUE = (
    "url,title,author,author_email,published\n"
    f'{BUS},"The Quiet\x00 Collapse\x07 of the \x1b[2JCity’s Bus\u202e Network",'
    "Dana\x1b]0;owned\x07 Whit\x07field,author1@news.test,2025-01-14\n"
    f"{SCRIPT_URL},{RENT_TITLE},Marcus\x1b[31m Oyelaran\x9b,author2@news.test,2025-02-03\n"
)
OPINION = (
    "I have lived in this neighbourhood for eleven years, and I can tell you that the\n"
    "problem is not what the city says it is: I have watched the same promises made and\n"
    "broken by three administrations in a row. I disagree that residents leave by choice."
)


def hostile_letter(n: int, about: str) -> bytes:
    """A letter whose every reader-written field carries control characters (raw bytes:
    Python's email package would refuse to write some of them)."""
    return (
        f"From: Rosa\x1b[2J Del\x07gado{n} <rosa{n}@example.net>\r\n"
        "To: letters@news.test\r\n"
        f"Subject: Buses\x1b]0;owned\x07 and rents \x7f{n}\r\n"
        f"Message-ID: <evil{n}\x1b[2J\x7f.x@example.net>\r\n"
        "Date: Fri, 27 Nov 2026 18:00:00 -0500\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n"
        "\r\n"
        f"Dear Editor:\r\n\r\nI read your article {about} with growing frustration{NASTY}. "
        f"{OPINION}\r\n\r\nRosa Delgado{n}\r\nBrooklyn, N.Y.\r\n"
    ).encode()


@pytest.fixture
def cfg(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    (tmp_path / "articles.csv").write_text(CATALOGUE, encoding="utf-8")
    path = tmp_path / "intake.toml"
    path.write_text(
        '[desk]\npublication = "The Nation"\naddress = "letters@news.test"\n'
        'editors = ["editor@news.test"]\ndata_dir = "data"\n'
        '[articles]\nsource = "articles.csv"\n[publish]\nout_dir = "published"\n',
        encoding="utf-8",
    )
    monkeypatch.delenv("INTAKE_CONFIG", raising=False)
    assert main(["--config", str(path), "init"]) == 0
    inbox = tmp_path / "data" / "inbox"
    deliver_at(inbox, hostile_letter(1, f"({BUS})"), FROZEN_AT)
    deliver_at(inbox, hostile_letter(2, f"“{RENT_TITLE}”"), FROZEN_AT)
    assert main(["--config", str(path), "poll", "--once"]) == 0
    capsys.readouterr()
    return path


def run(cfg: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["--config", str(cfg), *args]) == 0, args
    out, err = capsys.readouterr()
    return out + err


def outbox(cfg: Path) -> list[tuple[bytes, EmailMessage]]:
    found = []
    for path in sorted((cfg.parent / "data" / "outbox").glob("*.eml")):
        raw = path.read_bytes()
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        found.append((raw, msg))
    return found


def requests(cfg: Path) -> dict[str, EmailMessage]:
    return {
        str(msg["X-Intake-Letter"]): msg
        for _, msg in outbox(cfg)
        if str(msg["Message-ID"]).startswith("<intake.req.")
    }


def raw_controls(raw: bytes) -> list[str]:
    """Control bytes in a wire message, CR, LF and tab (line ends, folding) aside."""
    return [f"0x{b:02X}" for b in raw if (b < 0x20 and b not in b"\r\n\t") or b == 0x7F]


def test_every_header_of_the_author_request_is_clean(cfg: Path) -> None:
    sent = outbox(cfg)
    assert len(requests(cfg)) == 2
    for raw, msg in sent:
        assert raw_controls(raw) == []
        for name, value in msg.items():
            assert controls_in(str(value)) == [], name
        for part in msg.walk():
            if part.get_content_maintype() == "text":
                assert controls_in(part.get_content()) == []
    request = requests(cfg)["L-1"]
    # the reader's Message-ID, without its ESC and DEL, still threads the request under the letter
    assert str(request["References"]) == "<evil1[2J.x@example.net>"
    # the catalogue author's name, without its ESC and BEL sequence
    assert request["To"].addresses[0].display_name == "Dana]0;owned Whitfield"
    assert request["To"].addresses[0].addr_spec == "author1@news.test"
    assert "frustration[2J]0;owned31m." in request.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_no_mail_makes_the_script_url_a_link(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(cfg, capsys, "digest", "--now")
    bodies = [
        part.get_content()
        for _, msg in outbox(cfg)
        for part in msg.walk()
        if part.get_content_type() == "text/html"
    ]
    assert len(bodies) == 3  # two requests and the digest
    for html in bodies:
        assert [
            u for u in live_links(html) if not u.startswith(("https://", "mailto:letters+"))
        ] == []
    request_html = requests(cfg)["L-2"].get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert SCRIPT_URL in request_html  # named for the author, as text
    assert live_links(request_html) == []
    digest = next(b for b in bodies if "letters desk" in b)
    assert BUS in live_links(digest) and SCRIPT_URL not in live_links(digest)


def author_replies(cfg: Path) -> None:
    inbox = cfg.parent / "data" / "inbox"
    for ref, request in requests(cfg).items():
        reply = EmailMessage()
        reply["From"] = request["To"].addresses[0].addr_spec
        reply["To"] = str(request["Reply-To"])
        reply["Subject"] = f"Re: {request['Subject']}"
        reply["Message-ID"] = email.utils.make_msgid(domain="author.test")
        reply["In-Reply-To"] = str(request["Message-ID"])
        reply.set_content(f"Thank you for the letter {ref}; the\x1b[2J figures\x07 stand.\n")
        deliver_at(inbox, reply.as_bytes(), FROZEN_AT)


def strings_of(document: object) -> Iterator[str]:
    if isinstance(document, str):
        yield document
    elif isinstance(document, dict):
        for key, value in document.items():
            yield key
            yield from strings_of(value)
    elif isinstance(document, list):
        for value in document:
            yield from strings_of(value)


def test_published_files_are_clean_in_every_format(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    author_replies(cfg)
    run(cfg, capsys, "poll", "--once")
    run(cfg, capsys, "publish")  # formats both pairs; they wait for an editor
    for letter_id in ("1", "2"):
        run(cfg, capsys, "approve", letter_id, "--as", "editor@news.test")
    for fmt in PAIR_FORMATS:
        run(cfg, capsys, "publish", "--format", fmt, "--page", "--again")
        files = sorted((cfg.parent / "published").glob(f"*.{fmt}"))
        assert len(files) == 3, fmt  # two letters and the page
        for path in files:
            text = path.read_text(encoding="utf-8")
            assert controls_in(text) == [], path.name
            if fmt == "json":
                assert all(controls_in(s) == [] for s in strings_of(json.loads(text))), path.name
            if fmt == "html":
                assert [u for u in live_links(text) if not u.startswith("https://")] == []
            assert SCRIPT_URL not in text  # published, a CMS would link it: it is left out
        page = next(p for p in files if p.name.startswith("letters-")).read_text(encoding="utf-8")
        page = page.replace("\\", "")  # Markdown's escapes aside
        assert "The Quiet Collapse of the [2JCity’s Bus Network" in page, fmt
        assert "Dana]0;owned Whitfield" in page and "the[2J figures stand" in page, fmt


def test_the_command_line_shows_controls_as_escapes(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    letter_file = cfg.parent / "letter.eml"
    letter_file.write_bytes(hostile_letter(3, f"({BUS})"))
    outputs = {
        "show": run(cfg, capsys, "show", "1"),
        "show --json": run(cfg, capsys, "show", "1", "--json"),
        "queue": run(cfg, capsys, "queue"),
        "queue --json": run(cfg, capsys, "queue", "--json"),
        "queue --held": run(cfg, capsys, "queue", "--held"),
        "classify": run(cfg, capsys, "classify", str(letter_file)),
        "classify --json": run(cfg, capsys, "classify", str(letter_file), "--json"),
        "extract-reply": run(cfg, capsys, "extract-reply", str(letter_file), "--show-cut"),
        "digest --print": run(cfg, capsys, "digest", "--print"),
    }
    for command, out in outputs.items():
        assert controls_in(out) == [], command
    assert "Subject:  Buses\\x1b]0;owned\\x07 and rents \\x7f1" in outputs["show"]
    assert "frustration\\x1b[2J\\x1b]0;owned\\x07\\x00\\x7f\\x9b31m\\u202e." in outputs["show"]
    assert "Del\\x07gado1" in outputs["queue"]
    assert "Bus\\u202e Network" in outputs["queue"]
    assert "Collapse\\x07 of the \\x1b[2JCity" in outputs["classify"]  # the candidate title
    assert "frustration\\x1b[2J" in outputs["extract-reply"]
    # JSON keeps the data: a program reading it gets the reader's characters back
    shown = json.loads(outputs["show --json"])
    assert shown["subject"] == "Buses\x1b]0;owned\x07 and rents \x7f1"
    assert json.loads(outputs["classify --json"])["category"] == "letter"
