"""The backbone on a real Dovecot + Postfix: a letter goes inbox → author → reply → print.

Everything here goes over the wire: the reader and the author send by SMTP,
intake reads over IMAP (STARTTLS) and sends over SMTP (STARTTLS), and the
test reads the author's mailbox over IMAP.
"""

from __future__ import annotations

import email.utils
import time
from pathlib import Path

from deskrun import DeskRun, author_reply, desk_config, parse, reader_letter
from mailtools import MailStack, fetch_all, send, wait_for, wait_for_queue_empty

from intake.adapters.imap import connect
from intake.config import load_settings

BUS_URL = "https://www.news.test/city/2025/01/the-quiet-collapse-of-the-citys-bus-network/"
LIBRARY_URL = (
    "https://www.news.test/education/2025/02/what-the-library-cuts-will-cost-our-children/"
)
RENT_URL = "https://www.news.test/housing/2025/02/why-rent-stabilization-still-matters-in-2025/"
RESPONSE = "I wish I had given the maintenance shop more than a paragraph; the depot is the story."


def requests_for(stack: MailStack, user: str, count: int) -> list[tuple[int, bytes, set[bytes]]]:
    return wait_for(stack, user, lambda msgs: len(msgs) >= count)


def test_letter_to_author_to_print(stack: MailStack, desk: DeskRun) -> None:
    letter = reader_letter(f"{BUS_URL}?utm_source=newsletter&utm_medium=email")
    send(stack, "reader@news.test", "letters@news.test", letter)
    wait_for(stack, "letters@news.test", lambda m: len(m) == 1)

    out = desk.intake("poll", "--once")
    assert "letters=1" in out.stdout and "sent=1" in out.stdout

    (_uid, raw, _flags) = requests_for(stack, "author1@news.test", 1)[0]
    request = parse(raw)
    assert request["To"].addresses[0].addr_spec == "author1@news.test"
    reply_to = str(request["Reply-To"])
    assert reply_to.startswith("letters+") and reply_to.endswith("@news.test")
    assert len(reply_to.split("+")[1].split("@")[0]) == 26
    assert request["Auto-Submitted"] == "auto-generated"
    assert request["X-Auto-Response-Suppress"] == "All"
    assert request["References"] == str(letter["Message-ID"])
    assert request.get_body(("html",)) is not None
    assert "number 14 bus" in request.get_body(("plain",)).get_content()  # type: ignore[union-attr]

    # the letter stays in the inbox, marked, never deleted
    ((_, _, flags),) = fetch_all(stack, "letters@news.test")
    assert b"$IntakeProcessed" in flags and b"\\Seen" not in flags

    send(stack, "author1@news.test", reply_to, author_reply(request, RESPONSE))
    wait_for(stack, "letters@news.test", lambda m: len(m) == 2)
    out = desk.intake("poll", "--once")
    assert "replies=1" in out.stdout

    # nothing prints before an editor approves: the run makes the letter ready
    out = desk.intake("publish", "--format", "md")
    assert out.stdout == "" and "ready=1" in out.stderr and "published=0" in out.stderr
    out = desk.intake("approve", "1", "--as", "editor@news.test")
    assert "approved" in out.stdout
    out = desk.intake("publish", "--format", "md")
    (path,) = [Path(p) for p in out.stdout.split()]
    text = path.read_text(encoding="utf-8")
    assert text.count("A Response to ‘The Quiet Collapse of the City’s Bus Network’") == 1
    assert "Dear Editor:" in text
    assert "Rosa Delgado" in text and "Brooklyn, N.Y." in text
    assert f"Dana Whitfield responds: {RESPONSE}" in text
    assert "wrote:" not in text and "number 14 bus" in text

    # further polls send nothing more
    for _ in range(2):
        out = desk.intake("poll", "--once")
        assert "fetched=0" in out.stdout and "sent=0" in out.stdout
    wait_for_queue_empty(stack)
    assert len(fetch_all(stack, "author1@news.test")) == 1
    queue = desk.intake("queue", "--json")
    assert '"state": "published"' in queue.stdout


def test_reply_from_another_address_is_held(stack: MailStack, tmp_path: Path) -> None:
    desk = desk_config(stack, tmp_path / "desk")
    send(stack, "reader@news.test", "letters@news.test", reader_letter(BUS_URL))
    wait_for(stack, "letters@news.test", lambda m: len(m) == 1)
    desk.intake("poll", "--once")
    request = parse(requests_for(stack, "author1@news.test", 1)[0][1])
    forged = author_reply(request, "I am the author, honestly.", sender="author2@news.test")
    send(stack, "author2@news.test", str(request["Reply-To"]), forged)
    wait_for(stack, "letters@news.test", lambda m: len(m) == 2)
    out = desk.intake("poll", "--once")
    assert "held=1" in out.stdout and "replies=0" in out.stdout
    held = desk.intake("queue", "--held").stdout
    assert "author2@news.test" in held and "author1@news.test" in held


def test_smtp_down_means_retry_later_not_loss(stack: MailStack, tmp_path: Path) -> None:
    retry = "[outbox]\nretry_seconds = 1\n"
    broken = desk_config(
        stack, tmp_path / "desk", smtp_port=1, extra=retry
    )  # port 1: nobody listens
    send(stack, "reader@news.test", "letters@news.test", reader_letter(BUS_URL))
    wait_for(stack, "letters@news.test", lambda m: len(m) == 1)
    out = broken.intake("poll", "--once")
    assert "letters=1" in out.stdout and "deferred=1" in out.stdout
    # the operator fixes the config; the request goes out once its retry time has come
    fixed = desk_config(stack, tmp_path / "desk", extra=retry)
    time.sleep(1.5)
    out = fixed.intake("poll", "--once")
    assert "sent=1" in out.stdout
    requests_for(stack, "author1@news.test", 1)


def test_killed_half_way_loses_and_repeats_nothing(stack: MailStack, tmp_path: Path) -> None:
    desk = desk_config(stack, tmp_path / "desk")
    urls = [BUS_URL, RENT_URL] * 3  # by author1 and author2
    # six readers: one reader's second letter about one article waits for an editor (throttle)
    writers = ["Rosa Delgado", "Tomas Berg", "Ana Ruiz", "Lee Park", "Ida Moss", "Omar Haddad"]
    for n, (url, writer) in enumerate(zip(urls, writers, strict=True), start=1):
        sender = f"reader{n}@example.org"
        send(
            stack,
            sender,
            "letters@news.test",
            reader_letter(url, writer=writer, sender=sender, n=n),
        )
    wait_for(stack, "letters@news.test", lambda m: len(m) == len(urls))

    # SIGKILL after the 3rd message is stored, then as the 3rd is begun inside a batch (the
    # batch's first two handled, not committed), then after the 2nd is handled (each of the
    # killed batch's messages alone now), then after the 2nd author request went out: each
    # run picks up where the last died
    for fault in ("stored:3", "handling:3", "processed:2", "sent:2"):
        killed = desk.intake("poll", "--once", fault=fault, check=False)
        assert killed.returncode == -9, (fault, killed.stdout, killed.stderr)
    desk.intake("poll", "--once")
    desk.intake("poll", "--once")

    wait_for_queue_empty(stack)
    author1 = fetch_all(stack, "author1@news.test")
    author2 = fetch_all(stack, "author2@news.test")
    refs = sorted(parse(raw)["X-Intake-Letter"] for _, raw, _ in author1)
    assert len(author1) == 3 and len(set(refs)) == 3, refs
    assert len(author2) == 3
    queue = desk.intake("queue", "--json").stdout
    assert queue.count('"state": "awaiting_author"') == len(urls)
    flags = [f for _, _, f in fetch_all(stack, "letters@news.test")]
    assert all(b"$IntakeProcessed" in f for f in flags)


def test_uidvalidity_change_handles_nothing_twice(stack: MailStack, tmp_path: Path) -> None:
    from mailtools import append, imap_session

    folder = "Letters"
    with imap_session(stack, "letters@news.test") as client:
        if client.folder_exists(folder):
            client.delete_folder(folder)
        client.create_folder(folder)
    raws = [reader_letter(BUS_URL, n=n).as_bytes() for n in (1, 2)]
    for raw in raws:
        append(stack, "letters@news.test", raw, folder)
    desk = desk_config(stack, tmp_path / "desk", folder=folder)
    assert "letters=2" in desk.intake("poll", "--once").stdout

    # the folder is recreated (new UIDVALIDITY) with the old mail plus one new letter
    with imap_session(stack, "letters@news.test") as client:
        client.delete_folder(folder)
        client.create_folder(folder)
    for raw in [*raws, reader_letter(LIBRARY_URL, n=3).as_bytes()]:
        append(stack, "letters@news.test", raw, folder)
    out = desk.intake("poll", "--once").stdout
    assert "fetched=3" in out and "letters=1" in out and "duplicates=2" in out


def test_imapclient_debug_quirk_is_switched_off(stack: MailStack, tmp_path: Path) -> None:
    config = f"""
[imap]
host = "{stack.host}"
port = {stack.imap_port}
security = "starttls"
username = "letters@news.test"
password_env = "PW"
ca_file = "{stack.ca_file}"
"""
    settings = load_settings(config, {"PW": stack.password("letters@news.test")}, cwd=tmp_path)
    assert settings.imap is not None
    client = connect(settings.imap)
    try:
        # imaplib would repr() every fetched message at debug level 5 (PERF.md: 10x CPU)
        assert client._imap.debug == 0
    finally:
        client.logout()


def test_a_wrong_password_is_one_clear_line(stack: MailStack, tmp_path: Path) -> None:
    desk = desk_config(stack, tmp_path / "desk")
    desk.env["INTAKE_IMAP_PASSWORD"] = "wrong"
    out = desk.intake("poll", "--once", check=False)
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1 and "imap" in out.stderr and "Traceback" not in out.stderr


def test_date_header_is_valid(stack: MailStack, tmp_path: Path) -> None:
    desk = desk_config(stack, tmp_path / "desk")
    send(stack, "reader@news.test", "letters@news.test", reader_letter(LIBRARY_URL))
    wait_for(stack, "letters@news.test", lambda m: len(m) == 1)
    desk.intake("poll", "--once")
    request = parse(requests_for(stack, "author1@news.test", 1)[0][1])
    assert email.utils.parsedate_to_datetime(str(request["Date"])) is not None
