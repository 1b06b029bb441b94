"""The last gate for published HTML: an allow-list sanitiser (nh3, i.e. Ammonia).

The templates autoescape everything a letter brings, so a letter cannot add
markup; this pass makes that hold even if a template is edited carelessly
(a ``|safe`` filter, an attribute built from letter text).  Only the
elements and attributes the print templates use survive; links keep only
``http``/``https`` targets; scripts, styles, event handlers, ``javascript:``,
``data:`` and ``vbscript:`` URLs, SVG, MathML and comments never do.
"""

from __future__ import annotations

import nh3

# What templates/publish/*.html may produce, and nothing else.
ALLOWED_TAGS = frozenset(
    {"article", "section", "header", "h1", "h2", "h3", "p", "br", "em", "strong", "a", "time"}
)
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id"},
    "a": {"href"},
    "time": {"datetime"},
}
URL_SCHEMES = frozenset({"http", "https"})
# Removed with everything inside them, not unwrapped: their text is code, not prose.
_DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "object"})


def clean_html(fragment: str) -> str:
    """Return *fragment* with everything outside the allow-list removed."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
