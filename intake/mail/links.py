"""Links in a letter: found in text and HTML, and normalised for comparison.

Normalising strips what differs between two links to the same article:
scheme, ``www.``/``m.``/``amp.`` hosts, AMP markers, tracking parameters
(``utm_*``, ``fbclid`` …), fragments and trailing slashes; redirect wrappers
(Outlook Safe Links, Google, Facebook) are unwrapped offline.  Shortened
links (bit.ly, t.co …) are not resolved: that needs the network.
No I/O.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

# Query parameters that say where a click came from, never which page it is.
_TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "igshid", "igsh", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi",
        "hsctatracking", "mkt_tok", "ref", "ref_src", "ref_url", "cmpid", "smid",
        "smtyp", "sr_share", "ncid", "ocid",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "itm_")
_AMP_FLAG_VALUES = frozenset({"", "1", "true"})
_HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.")
_DEFAULT_PORTS = frozenset({"80", "443"})
_URL_RE = re.compile(r"""https?://[^\s<>"'`{}|\\^\[\]“”‘’«»]+""", re.IGNORECASE)
# RFC 3986 Appendix C: a URL in angle brackets may be wrapped over lines, and
# the whitespace the wrapping added is to be ignored.
_ANGLE_URL_RE = re.compile(r"<\s*(https?://[^<>\s]+(?:[ \t]*\n[ \t]*[^<>\s]+)*)\s*>", re.IGNORECASE)
_URL_TRAILING = ".,;:!?*'\"’”"


def _unwrap_redirect(host: str, path: str, query: str) -> str | None:
    """Return the target of a redirect wrapper that carries it in the URL itself."""
    params = dict(parse_qsl(query, keep_blank_values=True))
    # Outlook "Safe Links", Google's /url and Facebook's l.php hold the target
    # in a query parameter: resolvable offline, unlike a shortener.
    if host.endswith("safelinks.protection.outlook.com"):
        return params.get("url")
    if host in {"google.com", "google.co.uk"} and path == "/url":
        return params.get("q") or params.get("url")
    if host in {"l.facebook.com", "lm.facebook.com"} and path == "/l.php":
        return params.get("u")
    # AMP caches serve /c/s/<host>/<path> (https) or /c/<host>/<path>.
    if host.endswith(".cdn.ampproject.org"):
        found = re.match(r"^/[cvi]/(s/)?(.+)$", path)
        return f"http{'s' if found.group(1) else ''}://{found.group(2)}" if found else None
    if host == "google.com" and path.startswith("/amp/s/"):
        return "https://" + path.removeprefix("/amp/s/")
    return None


def _strip_host_prefixes(host: str) -> str:
    changed = True
    while changed:
        changed = False
        for prefix in _HOST_PREFIXES:
            if host.startswith(prefix) and host.count(".") > 1:
                host, changed = host.removeprefix(prefix), True
    return host


def _is_page_param(pair: str) -> bool:
    """Tell whether a ``name=value`` query pair identifies the page (not the click)."""
    name, _, value = (unquote(p) for p in pair.partition("="))
    name = name.lower()
    if not name or name in _TRACKING_PARAMS or name.startswith(_TRACKING_PREFIXES):
        return False
    value = value.lower()
    # AMP switches: ?amp=1 (WordPress and most CMSs), ?outputType=amp (the Washington Post).
    if name == "amp" and value in _AMP_FLAG_VALUES:
        return False
    return not (name == "outputtype" and value == "amp")


def _host_of(parts: SplitResult) -> str:
    host = _strip_host_prefixes((parts.hostname or "").rstrip("."))
    try:
        port = parts.port
    except ValueError:  # a non-numeric port is a typo, not part of the page's identity
        port = None
    return f"{host}:{port}" if port is not None and str(port) not in _DEFAULT_PORTS else host


def _split(url: str) -> tuple[SplitResult, str]:
    """Split *url* and return it with its host, following inline redirect wrappers."""
    for _ in range(3):  # a wrapper in a wrapper happens; a loop must not
        raw = url.strip().strip("<>")
        if "://" not in raw and not raw.startswith("//"):
            raw = "//" + raw  # "www.example.com/x": urlsplit needs "//" to see a host
        parts = urlsplit(raw)
        host = _host_of(parts)
        target = _unwrap_redirect(host, parts.path, parts.query)
        if not target:
            break
        url = target
    return parts, host


def normalise_url(url: str) -> str:
    """Return the comparable form of *url*: host and path, no scheme, no tracking.

    The host is lower-cased and loses ``www.``/``m.``/``amp.`` prefixes and a
    default port; the path loses a trailing ``/amp`` and trailing slashes;
    the query loses tracking parameters (``utm_*``, ``fbclid``, ``gclid``,
    ``mc_cid``, ``ref``, ``cmpid``, ``smid`` …) and ``amp=1`` and is sorted;
    the fragment is dropped.  Outlook Safe Links, Google and Facebook redirect
    wrappers and AMP cache URLs are unwrapped to the page they point at.
    """
    parts, host = _split(url)
    path = unquote(parts.path).rstrip("/").removesuffix("/amp").rstrip("/")
    kept = [pair for pair in parts.query.split("&") if _is_page_param(pair)]
    query = "&".join(sorted(kept))
    return f"{host}{path}?{query}" if query else f"{host}{path}"


def _trim_url(url: str) -> str:
    while url and url[-1] in _URL_TRAILING:
        url = url[:-1]
    # Keep a closing bracket only when the URL opened one: Wikipedia-style
    # paths have "(…)", prose puts a link in parentheses.
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1].rstrip(_URL_TRAILING)
    return url


class _HrefCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"a", "area"}:
            self.hrefs.extend(v.strip() for k, v in attrs if k == "href" and v)


def links_in(text: str, html: str = "") -> tuple[str, ...]:
    """Return the http(s) links in *text* and in *html*'s ``href`` attributes.

    In order of appearance, text first; links that normalise to the same URL
    are returned once, in their first spelling.
    """
    joined = _ANGLE_URL_RE.sub(lambda m: "<" + re.sub(r"\s+", "", m.group(1)) + ">", text)
    found = [_trim_url(m.group(0)) for m in _URL_RE.finditer(joined)]
    if html:
        collector = _HrefCollector()
        collector.feed(html)
        collector.close()
        found.extend(h for h in collector.hrefs if h.lower().startswith(("http://", "https://")))
    seen: dict[str, str] = {}
    for link in found:
        seen.setdefault(normalise_url(link), link)
    return tuple(seen.values())
