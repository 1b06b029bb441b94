"""Tests for intake.adapters.catalogue (CSV and feeds) and the demo's sample data."""

from __future__ import annotations

import http.server
import logging
import re
import socket
import threading
import tomllib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from intake.adapters.catalogue import load_catalogue
from intake.domain.errors import ConfigError, TransientError
from intake.domain.model import Article
from intake.mail.parse import parse_message
from intake.sorting.articles import Catalogue

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data" / "catalogue"
SAMPLES = ROOT / "samples"
SEED_FILE = ROOT.parent / "shared" / "seed" / "000_94b2853b89eeda72.txt"
SEED_URL = (
    "https://www.thenation.com/article/archive/"
    "new-york-city-partnering-ice-rip-apart-immigrant-communities/"
)

HEADER = "url,title,author,author_email,published\n"
ROWS = (
    "https://www.news.test/a/,The Quiet Collapse of the City’s Bus Network,"
    "Dana Whitfield,Author1@News.test,2025-01-14\n"
    'https://www.news.test/b/,"Gig Workers Deserve a Minimum Wage, Too",'
    "Samuel Okafor,samuel.okafor@news.test,\n"
    "https://www.news.test/c/,  Two   Spaces  ,Ruth Kessler,,2024-06-18T09:30:00Z\n"
)


def _write(tmp_path: Path, text: str, *, name: str = "articles.csv", bom: bool = False) -> str:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8-sig" if bom else "utf-8"))
    return str(path)


def _config_error(source: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_catalogue(source)
    assert caught.value.key == "articles.source"
    return caught.value


# -- CSV ---------------------------------------------------------------------------


def test_csv_loads_every_field(tmp_path: Path) -> None:
    catalogue = load_catalogue(_write(tmp_path, HEADER + ROWS))
    assert list(catalogue) == [
        Article(
            url="https://www.news.test/a/",
            title="The Quiet Collapse of the City’s Bus Network",
            author="Dana Whitfield",
            author_email="author1@news.test",
            published=date(2025, 1, 14),
        ),
        Article(
            url="https://www.news.test/b/",
            title="Gig Workers Deserve a Minimum Wage, Too",
            author="Samuel Okafor",
            author_email="samuel.okafor@news.test",
            published=None,
        ),
        Article(
            url="https://www.news.test/c/",
            title="Two Spaces",
            author="Ruth Kessler",
            author_email="",
            published=date(2024, 6, 18),
        ),
    ]


def test_csv_with_byte_order_mark_loads_the_same(tmp_path: Path) -> None:
    plain = load_catalogue(_write(tmp_path, HEADER + ROWS))
    with_bom = load_catalogue(_write(tmp_path, HEADER + ROWS, name="bom.csv", bom=True))
    assert list(with_bom) == list(plain)


def test_csv_columns_may_come_in_any_order_and_published_may_be_absent(tmp_path: Path) -> None:
    text = (
        "Title,Author_Email,URL,Author,section\nA Title Here,a@news.test,https://x.test/1,A,city\n"
    )
    [article] = load_catalogue(_write(tmp_path, text))
    assert (article.url, article.title, article.author_email, article.published) == (
        "https://x.test/1",
        "A Title Here",
        "a@news.test",
        None,
    )


def test_csv_missing_column_names_the_column(tmp_path: Path) -> None:
    error = _config_error(_write(tmp_path, "url,title,author,published\nhttps://x.test/,T,A,\n"))
    assert "author_email" in error.problem
    assert "author_email" in str(error) and str(error).startswith("config: articles.source:")


def test_csv_short_row_names_row_and_column(tmp_path: Path) -> None:
    text = HEADER + ROWS + "https://www.news.test/d/,Short Row,Jonah Feld\n"
    error = _config_error(_write(tmp_path, text))
    assert "row 5" in error.problem and "author_email" in error.problem


def test_csv_row_with_an_unquoted_comma_is_reported(tmp_path: Path) -> None:
    text = HEADER + "https://www.news.test/e/,Congestion Pricing, One Year Later,D,d@news.test,\n"
    error = _config_error(_write(tmp_path, text))
    assert "row 2" in error.problem and "6 fields for 5 columns" in error.problem


def test_csv_bad_date_and_bad_email_name_the_row(tmp_path: Path) -> None:
    bad_date = HEADER + "https://x.test/1,Title,A,a@news.test,13/08/2014\n"
    assert "row 2" in _config_error(_write(tmp_path, bad_date)).problem
    bad_email = HEADER + ROWS + "https://x.test/2,Title,A,not an address,\n"
    error = _config_error(_write(tmp_path, bad_email, name="b.csv"))
    assert "row 5" in error.problem and "author_email" in error.problem


def test_csv_rows_without_url_or_title_are_skipped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    text = HEADER + ",No URL,A,a@news.test,\nhttps://x.test/2,,A,a@news.test,\n\n" + ROWS
    with caplog.at_level(logging.WARNING, logger="intake.adapters.catalogue"):
        catalogue = load_catalogue(_write(tmp_path, text))
    assert len(catalogue) == 3
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        "catalogue: row 2 skipped: no url",
        "catalogue: row 3 skipped: no title",
    ]


def test_csv_that_is_not_utf8_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "https://x.test/,Caf\xe9,A,a@news.test,\n").encode("latin-1"))
    assert "UTF-8" in _config_error(str(path)).problem


def test_empty_csv_is_a_config_error(tmp_path: Path) -> None:
    assert "header" in _config_error(_write(tmp_path, "")).problem


def test_header_only_csv_is_an_empty_catalogue(tmp_path: Path) -> None:
    assert len(load_catalogue(_write(tmp_path, HEADER))) == 0


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    error = _config_error(str(tmp_path / "nowhere.csv"))
    assert "not found" in error.problem and "nowhere.csv" in error.problem


def test_directory_is_a_config_error(tmp_path: Path) -> None:
    assert "not a file" in _config_error(str(tmp_path)).problem


# -- feeds -------------------------------------------------------------------------


def test_rss_feed_loads_authors_emails_and_local_dates() -> None:
    catalogue = load_catalogue(str(DATA / "feed.rss"))
    assert list(catalogue) == [
        Article(
            url="https://www.news.test/climate/flood-maps/",
            title="Flood Maps Are Out of Date, and Homeowners Are Paying",
            author="Luis Carvajal",
            author_email="luis.carvajal@news.test",
            # 22:30 in New York is already 2 October in UTC: the page says 1 October
            published=date(2024, 10, 1),
        ),
        Article(
            url="https://www.news.test/education/teachers-who-stayed/",
            title="The Teachers Who Stayed",
            author="Priya Raman",
            author_email="",
            published=date(2024, 9, 2),
        ),
        Article(
            url="https://www.news.test/city/police-overtime/",
            title="Police Overtime & the City Budget",
            author="",
            author_email="author2@news.test",
            published=None,
        ),
    ]


def test_atom_feed_loads_html_titles_and_missing_emails() -> None:
    catalogue = load_catalogue(str(DATA / "feed.atom"))
    assert list(catalogue) == [
        Article(
            url="https://www.news.test/housing/public-housing-beautiful/",
            title="Can Public Housing Be Beautiful Again?",
            author="Amara Nwosu",
            author_email="amara.nwosu@news.test",
            published=date(2025, 3, 17),
        ),
        Article(
            url="https://www.news.test/city/congestion-pricing-one-year/",
            title="Congestion Pricing, One Year Later",
            author="Dana Whitfield",
            author_email="",
            published=date(2025, 3, 3),
        ),
    ]


def test_format_is_sniffed_when_the_extension_says_nothing(tmp_path: Path) -> None:
    feed = tmp_path / "export.txt"
    feed.write_bytes(b"\n  " + (DATA / "feed.rss").read_bytes())
    assert len(load_catalogue(str(feed))) == 3
    assert len(load_catalogue(_write(tmp_path, HEADER + ROWS, name="export.dat"))) == 3


def test_markup_that_is_not_a_feed_is_a_config_error(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Not a feed</p></body></html>", encoding="utf-8")
    assert "RSS/Atom" in _config_error(str(page)).problem


# -- feeds over HTTP (a server on 127.0.0.1, no outside network) ----------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/feed":
            body = (DATA / "feed.atom").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/atom+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(503 if self.path == "/down" else 404)

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass


@pytest.fixture
def feed_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_feed_url_is_fetched_and_parsed(feed_server: str) -> None:
    assert len(load_catalogue(f"{feed_server}/feed", timeout=5)) == 2


def test_feed_url_not_found_is_a_config_error_without_the_query(feed_server: str) -> None:
    problem = _config_error(f"{feed_server}/missing.xml?api_key=s3cret").problem
    assert "HTTP 404" in problem and "/missing.xml" in problem
    assert "s3cret" not in problem


def test_feed_url_server_error_is_transient(feed_server: str) -> None:
    with pytest.raises(TransientError, match="HTTP 503"):
        load_catalogue(f"{feed_server}/down", timeout=5)


def test_feed_url_that_never_answers_times_out_as_transient() -> None:
    # The kernel completes the connection from the backlog; nobody ever answers.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        port = silent.getsockname()[1]
        with pytest.raises(TransientError, match="timed out"):
            load_catalogue(f"http://127.0.0.1:{port}/feed.xml", timeout=0.2)


# -- the demo's samples ----------------------------------------------------------------


@pytest.fixture(scope="module")
def samples() -> list[Article]:
    return list(load_catalogue(str(SAMPLES / "articles.csv")))


def test_sample_articles_load_with_the_seed_article(samples: list[Article]) -> None:
    assert len(samples) >= 26
    assert len({a.url for a in samples}) == len(samples)
    seed = next(a for a in samples if a.url == SEED_URL)
    assert seed.title == "Is New York City Partnering With ICE to Rip Apart Immigrant Communities?"
    assert (seed.author, seed.author_email, seed.published) == (
        "Michelle Chen",
        "michelle.chen@news.test",
        date(2014, 8, 13),
    )


def test_sample_authors_are_on_news_test_and_test_mailboxes_have_articles(
    samples: list[Article],
) -> None:
    assert all(a.author_email.endswith("@news.test") for a in samples)
    emails = [a.author_email for a in samples]
    assert emails.count("author1@news.test") >= 3
    assert emails.count("author2@news.test") >= 3


def _sample_letters() -> list[Path]:
    return sorted(p for p in (SAMPLES / "inbox").glob("*.eml") if "-letter-" in p.name)


def test_every_sample_letter_matches_an_article_with_a_response(samples: list[Article]) -> None:
    catalogue = Catalogue(samples)
    responses = tomllib.loads((SAMPLES / "responses.toml").read_text(encoding="utf-8"))
    answered = {r["article_url"] for r in responses["response"]}
    letters = _sample_letters()
    assert len(letters) == 4
    best = {}
    for path in letters:
        mail = parse_message(path.read_bytes())
        assert mail.has_message_id and mail.date is not None, path.name
        assert [a.email for a in mail.to] == ["letters@news.test"], path.name
        found = catalogue.match(text=mail.text, subject=mail.subject, html=mail.html)
        assert found and found[0].score >= 0.9, path.name
        best[path.name] = found[0]
    assert {m.article.url for m in best.values()} == answered
    reasons = sorted(m.reason.split()[0] for m in best.values())
    assert reasons == ["links", "names", "quotes", "quotes"]


def test_seed_letter_and_response_are_verbatim_from_the_seed() -> None:
    if not SEED_FILE.parent.is_dir():
        pytest.skip(f"{SEED_FILE.parent} is absent (CI always has ../shared)")
    seed = SEED_FILE.read_text(encoding="utf-8")
    letter_part = seed.split("Dear Editor:\n", 1)[1].split("\nMaibe Ponet\n", 1)[0]
    paragraphs = [" ".join(p.split()) for p in letter_part.strip().split("\n\n")]
    mail = parse_message((SAMPLES / "inbox" / "01-letter-seed-nyc-ice.eml").read_bytes())
    assert mail.sender is not None and mail.sender.email == "maibe.ponet@cityhall.example"
    body = [" ".join(p.split()) for p in mail.text.strip().split("\n\n")]
    assert body[0] == "Dear Editor:"
    assert body[1:5] == paragraphs
    assert mail.text.strip().splitlines()[-3:] == [
        "Maibe Ponet",
        "Deputy Press Secretary",
        "Mayor Bill de Blasio’s Office",
    ]
    assert all(len(line) <= 78 for line in mail.text.splitlines())
    reply = re.search(r"^Michelle Chen responds:\s(.+)$", seed, re.MULTILINE)
    assert reply is not None
    responses = tomllib.loads((SAMPLES / "responses.toml").read_text(encoding="utf-8"))
    by_url = {r["article_url"]: r["text"] for r in responses["response"]}
    assert by_url[SEED_URL] == reply.group(1).strip()


def test_sample_machine_mail_carries_the_headers_that_sort_it() -> None:
    inbox = SAMPLES / "inbox"
    auto = parse_message((inbox / "05-out-of-office.eml").read_bytes())
    assert auto.header("auto-submitted") == "auto-replied"
    bulk = parse_message((inbox / "06-newsletter.eml").read_bytes())
    assert bulk.header("list-unsubscribe") and bulk.header("precedence") == "bulk"
    bounce = parse_message((inbox / "07-bounce.eml").read_bytes())
    assert bounce.content_type == "multipart/report"
    assert "message/delivery-status" in bounce.part_types
