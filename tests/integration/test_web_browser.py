"""The web desk in a real browser: headless Chromium (Debian's) driving ``intake web``.

On the embedded default, an editor signs in from the link found in the outbox
folder, walks the queue by keyboard (j, k, o; a approves), opens a letter, edits
it, sets its printed name, approves and publishes it (its file appears in the
publish folder) and
retracts it (the file goes); the audit trail names the editor for each.  A
stranger's address never gets a link, a link works once, a form without its
CSRF token does nothing, and a letter carrying the XSS list in its subject,
sender, text and article runs no script on any page.  The run writes the
README's screenshots of the queue and a letter page: beside its other files, and over
``docs/screenshots/`` (where the README shows them) only when asked with
``INTAKE_SCREENSHOTS=1``, so an ordinary run leaves the checkout as it found it (the pages
show the day's dates, so every run's pictures differ).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from webrun import CHROMIUM, EDITOR, ROOT, SAMPLES, WebDesk, make_web_desk, serving

README_SHOTS = ROOT / "docs" / "screenshots"
VECTORS = [
    line.replace("\\t", "\t").replace("\\n", "\n")
    for line in (ROOT / "tests" / "data" / "xss_vectors.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]  # fmt: skip
RESPONSE = "We stand by the reporting: the figures are the authority's own, and we checked them."


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM)
        yield chromium
        chromium.close()


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[WebDesk]:
    d = make_web_desk(tmp_path / "desk")
    for sample in sorted((SAMPLES / "inbox").glob("0[1-4]-*.eml")):
        d.deliver(sample.read_bytes())
    d.intake("poll", "--once")
    assert d.answer_requests(RESPONSE) >= 2
    d.intake("poll", "--once")
    d.intake("publish")  # the publishing run makes the answered letters ready, prints nothing
    with serving(d):
        yield d


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where this run's screenshots go: the README's folder only with INTAKE_SCREENSHOTS=1."""
    folder = README_SHOTS if os.environ.get("INTAKE_SCREENSHOTS") == "1" else tmp_path / "shots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sign_in(page: Page, desk: WebDesk, address: str = EDITOR) -> None:
    page.goto(f"{desk.url}/queue")
    assert page.url.startswith(f"{desk.url}/signin?next=")
    page.fill("#address", address)
    had = len(desk.links_to(address))
    page.click("text=Mail me a sign-in link")
    page.wait_for_selector("text=Check your mail")
    link = desk.new_link_to(address, had)
    page.goto(link)
    page.click("#signin")
    page.wait_for_url(f"{desk.url}/queue")


def trail(desk: WebDesk, letter_id: int) -> list[dict[str, str]]:
    shown = json.loads(desk.intake("show", str(letter_id), "--json").stdout)
    return list(shown["audit"])


def ready_letter(desk: WebDesk) -> int:
    items = json.loads(desk.intake("queue", "--state", "ready", "--json").stdout)
    assert items, "no letter is ready"
    return int(items[0]["id"])


def test_an_editor_signs_in_edits_approves_publishes_and_retracts(
    browser: Browser, desk: WebDesk, shots: Path
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    alerts: list[str] = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    sign_in(page, desk)
    assert page.locator("tr[data-letter]").count() >= 4
    page.screenshot(path=str(shots / "queue.png"), full_page=False)

    letter_id = ready_letter(desk)
    row = page.locator(f'tr[data-letter="{letter_id}"]')
    index = [r.get_attribute("data-letter") for r in page.locator("tr[data-letter]").all()]
    for _ in range(index.index(str(letter_id)) + 1):
        page.keyboard.press("j")
    assert "current" in (row.get_attribute("class") or "")
    page.keyboard.press("o")
    page.wait_for_url(f"{desk.url}/letters/{letter_id}")

    text = page.input_value("#edit-letter")
    page.fill("#edit-letter", text.replace("Dear Editor", "Dear Editors", 1) + "\nP.S. Edited.\n")
    page.fill("#edit-note", "a postscript")
    page.click("text=Save the letter")
    page.wait_for_selector("text=letter edited")
    assert "P.S. Edited." in page.inner_text("#letter-text")
    assert "(edited; the original is kept)" in page.inner_text("main")

    page.fill("#f-name", "Jane Marlow")
    page.locator("form.field", has=page.locator("#f-name")).locator("button").click()
    page.wait_for_selector("text=name set to")
    assert "Jane Marlow" in page.inner_text("#preview")
    page.screenshot(path=str(shots / "letter.png"), full_page=False)

    page.click("button[value=approve]")
    page.wait_for_selector("text=approved: it goes out with the next publishing run")
    published = desk.data / "published"
    assert not list(published.glob(f"letter-{letter_id:05d}-*"))
    page.click("button[value=publish]")
    page.wait_for_selector("text=written letter-")
    files = list(published.glob(f"letter-{letter_id:05d}-*.html"))
    assert len(files) == 1 and "Jane Marlow" in files[0].read_text(encoding="utf-8")

    page.goto(f"{desk.url}/published")
    form = page.locator(f'form[action="/letters/{letter_id}/retract"]')
    form.locator("input[name=reason]").fill("the writer withdrew it")
    form.locator("button").click()
    page.wait_for_selector("text=retracted")
    assert not files[0].exists()

    moves = [(a["event"], a["actor"]) for a in trail(desk, letter_id)]
    for event in ("letter_edited", "print_field_edited", "approved", "retracted"):
        assert (event, EDITOR) in moves, event
    assert ("published", "intake") in moves
    assert alerts == []


def test_a_stranger_never_gets_a_link_and_a_link_works_once(
    browser: Browser, desk: WebDesk
) -> None:
    page = browser.new_page()
    page.goto(f"{desk.url}/signin")
    page.fill("#address", "someone@elsewhere.test")
    page.click("text=Mail me a sign-in link")
    page.wait_for_selector("text=If that address belongs to an editor")

    sign_in(page, desk)  # the editor's link, asked for after the stranger's, has come
    assert desk.links_to("someone@elsewhere.test") == []
    assert not [m for m in desk.outbox() if "elsewhere.test" in str(m["To"])]
    used = desk.links_to(EDITOR)[-1]
    other = browser.new_page()
    other.goto(used)
    other.click("#signin")
    other.wait_for_selector("text=not valid any more")
    other.goto(f"{desk.url}/queue")
    assert other.url.startswith(f"{desk.url}/signin")


def test_a_form_without_its_token_does_nothing(browser: Browser, desk: WebDesk) -> None:
    page = browser.new_page()
    sign_in(page, desk)
    letter_id = ready_letter(desk)
    before = trail(desk, letter_id)
    page.goto(f"{desk.url}/letters/{letter_id}")
    answer = page.request.post(f"{desk.url}/letters/{letter_id}/approve",
                               form={"version": page.input_value("input[name=version]")})  # fmt: skip
    assert answer.status == 403
    assert trail(desk, letter_id) == before
    assert answer.headers["content-security-policy"].startswith("default-src 'none'")


def _poisoned_letter() -> bytes:
    msg = EmailMessage()
    msg["From"] = '"<img src=x onerror=alert(1)> Reader" <reader9@example.net>'
    msg["To"] = "letters@news.test"
    msg["Subject"] = " ".join(v for v in VECTORS[:12] if "\n" not in v)[:700]
    msg["Message-ID"] = "<poisoned.1@example.net>"
    msg["Date"] = "Fri, 27 Nov 2026 18:00:00 -0500"
    body = "\n\n".join(VECTORS)
    msg.set_content(
        "Dear Editor:\n\nYour article https://www.news.test/xss/ "
        f"(“{VECTORS[0]}”) was wrong.\n\n{body}\n\nSincerely,\n{VECTORS[1]}\nBrooklyn, N.Y.\n"
    )
    return msg.as_bytes()


def test_the_xss_list_runs_nothing_on_any_page(browser: Browser, tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue.csv"
    rows = (SAMPLES / "articles.csv").read_text(encoding="utf-8")
    title = VECTORS[2].replace('"', '""')
    catalogue.write_text(rows + f'https://www.news.test/xss/,"{title}","{title}",'
                         "author2@news.test,2026-11-20\n", encoding="utf-8")  # fmt: skip
    d = make_web_desk(tmp_path / "xss", catalogue=catalogue)
    d.deliver(_poisoned_letter())
    d.intake("poll", "--once")
    with serving(d):
        page = browser.new_page()
        alerts: list[str] = []
        page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
        sign_in(page, d)
        for path in ("/queue", "/letters/1", "/held", "/published"):
            page.goto(f"{d.url}{path}")
            live = page.evaluate(
                """() => {
                  const bad = [];
                  for (const el of document.querySelectorAll('*')) {
                    for (const at of el.attributes) {
                      if (at.name.startsWith('on')) bad.push(el.tagName + ' ' + at.name);
                      if (/^\\s*(javascript|data|vbscript):/i.test(at.value) &&
                          ['href', 'src', 'action', 'formaction'].includes(at.name))
                        bad.push(el.tagName + ' ' + at.name + '=' + at.value);
                    }
                    if (['IFRAME', 'OBJECT', 'EMBED', 'SVG', 'IMG', 'MATH', 'STYLE', 'BASE']
                        .includes(el.tagName.toUpperCase())) bad.push(el.tagName);
                  }
                  const scripts = [...document.scripts].map(s => s.getAttribute('src'));
                  return {bad, scripts};
                }"""
            )
            assert live["bad"] == [], path
            assert live["scripts"] == ["/static/desk.js"], path
        page.goto(f"{d.url}/letters/1")
        assert VECTORS[0] in page.inner_text("#letter-text")  # shown as text, not run
        assert alerts == []


def test_the_queue_approves_the_selected_letter_with_a(browser: Browser, desk: WebDesk) -> None:
    page = browser.new_page()
    sign_in(page, desk)
    letter_id = ready_letter(desk)
    ids = [r.get_attribute("data-letter") for r in page.locator("tr[data-letter]").all()]
    index = ids.index(str(letter_id))
    for _ in range(index + 1):
        page.keyboard.press("j")
    # one away and back: k moves up as j moves down
    for key in ("j", "k") if index < len(ids) - 1 else ("k", "j"):
        page.keyboard.press(key)
    page.keyboard.press("a")
    page.wait_for_selector("text=approved: it goes out with the next publishing run")
    assert page.url == f"{desk.url}/letters/{letter_id}"
    assert ("approved", EDITOR) in [(a["event"], a["actor"]) for a in trail(desk, letter_id)]
