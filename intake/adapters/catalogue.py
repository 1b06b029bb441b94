"""Loading the article catalogue from a CSV export or an RSS/Atom feed.

The one place that reads ``articles.source``: a file path to a CSV
(``url,title,author,author_email,published``) or a path or http(s) URL to an
RSS 2.0 or Atom feed, parsed with feedparser.  Returns the pure
:class:`intake.sorting.articles.Catalogue`.

Errors: a missing, unreadable or malformed source raises
:class:`intake.domain.errors.ConfigError` naming ``articles.source`` (and the row
for a bad row); a feed URL that cannot be reached right now raises
:class:`intake.domain.errors.TransientError`, so a periodic refresh tries again.
Rows without a URL or title are skipped with a warning.
"""

from __future__ import annotations

import csv
import io
import logging
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from intake.domain.errors import ConfigError, TransientError
from intake.domain.model import Article
from intake.mail.htmltext import html_to_text
from intake.mail.maildate import read_date
from intake.sorting.articles import Catalogue

log = logging.getLogger(__name__)

KEY = "articles.source"
CSV_COLUMNS = ("url", "title", "author", "author_email", "published")
# ``published`` may be left out of an export that has no dates; the rest are
# what forwarding a letter to its author needs.
REQUIRED_COLUMNS = ("url", "title", "author", "author_email")
_FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf")
_USER_AGENT = "intake (letters desk; article catalogue)"


def load_catalogue(source: str, *, timeout: float = 20.0) -> Catalogue:
    """Load the catalogue at *source*: a CSV path, or a feed path or URL.

    CSV or feed is decided by the extension (``.csv``; ``.xml``/``.rss``/
    ``.atom``) or else by the content: a feed starts with ``<``.

    :raises ConfigError: the file is missing or unreadable, is neither CSV
        nor a feed, lacks a required column, or has a malformed row.
    :raises TransientError: a feed URL timed out or the server failed (5xx).
    """
    is_url = source.lower().startswith(("http://", "https://"))
    data = _fetch(source, timeout) if is_url else _read(source)
    name = source.lower().partition("?")[0]
    if name.endswith(".csv"):
        as_csv = True
    elif name.endswith(_FEED_SUFFIXES):
        as_csv = False
    else:
        as_csv = not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    articles = list(_csv_articles(data) if as_csv else _feed_articles(data))
    catalogue = Catalogue(articles)
    log.info("catalogue: %d articles from %s", len(catalogue), _shown(source))
    return catalogue


def _shown(source: str) -> str:
    """Return *source* fit for logs and errors: a feed URL's query may hold an API key."""
    return source.partition("?")[0]


def _read(source: str) -> bytes:
    path = Path(source).expanduser()
    if not path.exists():
        raise ConfigError(KEY, f"file not found: {path}")
    if not path.is_file():
        raise ConfigError(KEY, f"not a file: {path}")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(KEY, f"cannot read {path}: {exc.strerror or exc}") from exc


def _fetch(url: str, timeout: float) -> bytes:
    # feedparser can fetch by itself, but only with the process-wide socket
    # timeout: a hung server would stall the worker, so we fetch.
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: bytes = response.read()
            return data
    except urllib.error.HTTPError as exc:
        exc.close()  # an HTTPError holds the open response; leaving it leaks the socket
        if exc.code >= 500:
            raise TransientError(f"{KEY}: {_shown(url)}: HTTP {exc.code}") from exc
        raise ConfigError(KEY, f"{_shown(url)}: HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise TransientError(f"{KEY}: {_shown(url)}: {reason}") from exc


def _decode(data: bytes) -> str:
    try:
        # utf-8-sig drops the byte-order mark spreadsheet programs write.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(KEY, f"not UTF-8 (line {line}): save the file as UTF-8") from exc


def _parse_date(value: str, where: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise ConfigError(
            KEY, f"{where}: published {value!r} is not an ISO date (YYYY-MM-DD)"
        ) from None


def _check_email(value: str, where: str) -> str:
    value = value.strip().lower()
    if value and ("@" not in value or " " in value):
        raise ConfigError(KEY, f"{where}: author_email {value!r} is not an email address")
    return value


def _csv_articles(data: bytes) -> Iterator[Article]:
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ConfigError(
            KEY, f"empty CSV file: expected a header {','.join(CSV_COLUMNS)}"
        ) from None
    except csv.Error as exc:
        raise ConfigError(KEY, f"row 1: {exc}") from exc
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ConfigError(
            KEY, f"CSV header lacks column {', '.join(missing)} (has: {', '.join(header)})"
        )
    # Rows are numbered as a spreadsheet shows them: the header is row 1.
    row_number = 1
    try:
        for row_number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            article = _csv_article(header, row, f"row {row_number}")
            if article is not None:
                yield article
    except csv.Error as exc:
        raise ConfigError(KEY, f"row {row_number + 1}: {exc}") from exc


def _csv_article(header: list[str], row: list[str], where: str) -> Article | None:
    if len(row) > len(header):
        # Almost always a title with an unquoted comma in it.
        raise ConfigError(
            KEY, f"{where}: {len(row)} fields for {len(header)} columns (quote titles with commas)"
        )
    if len(row) < len(header):
        short = ", ".join(header[len(row) :])
        raise ConfigError(KEY, f"{where}: missing column {short}")
    cells = dict(zip(header, row, strict=True))
    return _article(
        cells,
        where,
        published=_parse_date(cells.get("published", ""), where),
        author_email=_check_email(cells["author_email"], where),
    )


def _article(
    cells: Mapping[str, str], where: str, *, published: date | None, author_email: str
) -> Article | None:
    url, title = cells.get("url", "").strip(), " ".join(cells.get("title", "").split())
    if not url or not title:
        log.warning("catalogue: %s skipped: no %s", where, "url" if not url else "title")
        return None
    return Article(
        url=url,
        title=title,
        author=" ".join(cells.get("author", "").split()),
        author_email=author_email,
        published=published,
    )


def _feed_date(entry: Any) -> date | None:
    # The date the page prints is the local one; feedparser's *_parsed is
    # converted to UTC, which moves an evening article to the next day.
    for name in ("published", "updated", "created"):
        # dict.get: feedparser's own get() maps a missing "updated" to
        # "published" with a DeprecationWarning (its issue 310).
        value = str(dict.get(entry, name) or "").strip()
        if not value:
            continue
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
        found = read_date(value)  # RFC 822 (RSS pubDate); out of range is no date
        if found is not None:
            return found.date()
        parsed = dict.get(entry, f"{name}_parsed")
        if parsed:
            return datetime(*parsed[:6]).date()  # noqa: DTZ001 - a date, zone irrelevant
    return None


def _feed_author(entry: Any) -> tuple[str, str]:
    """Return the first author's name and the first author email the entry has."""
    people = list(entry.get("authors") or ())
    if entry.get("author_detail"):
        people.insert(0, entry["author_detail"])
    name = next((str(p.get("name")) for p in people if p.get("name")), "")
    address = next((str(p.get("email")) for p in people if p.get("email")), "")
    if not name:
        # dc:creator without detail, or "<author>" holding only a name.
        raw = str(entry.get("author") or "")
        name = "" if "@" in raw else raw
    return name, address


def _feed_articles(data: bytes) -> Iterator[Article]:
    import feedparser  # here: a CSV catalogue never loads it

    feed = feedparser.parse(data)
    entries = list(feed.get("entries") or ())
    if not entries and (feed.get("bozo") or not feed.get("version")):
        problem = feed.get("bozo_exception") or "no <rss> or <feed> element"
        raise ConfigError(KEY, f"neither a CSV file nor a readable RSS/Atom feed: {problem}")
    if feed.get("bozo"):
        log.warning(
            "catalogue: feed is not well-formed (%s); read what parsed", feed.bozo_exception
        )
    if not entries:
        log.warning("catalogue: the feed has no items")
    for number, entry in enumerate(entries, start=1):
        where = f"feed item {number}"
        title = str(entry.get("title") or "")
        if "<" in title:  # Atom type="html" titles keep their markup
            title = html_to_text(title)
        link = str(entry.get("link") or "")
        if not link and str(entry.get("id") or "").startswith(("http://", "https://")):
            link = str(entry.get("id"))  # RSS guid isPermaLink
        name, address = _feed_author(entry)
        if address and ("@" not in address or " " in address):
            # A feed is the newsroom's, not ours to fix: load the article and
            # let the editors supply the address when a letter arrives.
            log.warning("catalogue: %s: author email is not an address, ignored", where)
            address = ""
        cells = {"url": link, "title": title, "author": name}
        article = _article(cells, where, published=_feed_date(entry), author_email=address.lower())
        if article is not None:
            yield article
