"""A writer's details: what the letters policy needs, what is missing, what they told us.

Letters pages print a full name and a town, and keep a phone number or a
street address private for verification (ANCHORS §7).  This module says
which of those a letter lacks and reads them out of a writer's answer.
Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DETAILS = ("full_name", "town", "phone")
LABELS = {"full_name": "your full name", "town": "the town or city you live in",
          "phone": "a daytime phone number (for verification only, never published)"}  # fmt: skip

_PHONE_RE = re.compile(r"(?<!\w)(\+?\d[\d\s().-]{6,}\d)(?!\w)")
_LABELLED_RE = re.compile(
    r"^\s*(?P<label>full name|name|town|city|town/city|place|phone|telephone|tel|mobile|"
    r"cell|address|street address|home address)\s*[:\-–]\s*(?P<value>.+?)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_FIELD_OF = {
    "full name": "full_name", "name": "full_name", "town": "town", "city": "town",
    "town/city": "town", "place": "town", "phone": "phone", "telephone": "phone", "tel": "phone",
    "mobile": "phone", "cell": "phone", "address": "street", "street address": "street",
    "home address": "street",
}  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class WriterDetails:
    full_name: str = ""
    town: str = ""
    phone: str = ""
    street: str = ""


def has_full_name(name: str) -> bool:
    """A full name has at least two words that are not initials."""
    words = [w for w in re.split(r"\s+", name.strip()) if len(w.strip(".")) > 1]
    return len(words) >= 2 and "@" not in name


def missing_details(details: WriterDetails, required: tuple[str, ...]) -> tuple[str, ...]:
    """Return which of the *required* details are missing, in :data:`DETAILS` order."""
    present = {
        "full_name": has_full_name(details.full_name),
        "town": bool(details.town.strip()),
        # a street address serves verification as well as a phone number does
        "phone": bool(details.phone.strip() or details.street.strip()),
    }
    return tuple(d for d in DETAILS if d in required and not present[d])


def parse_details(text: str) -> WriterDetails:
    """Read details from a writer's answer: labelled lines first, a bare phone number too."""
    found: dict[str, str] = {}
    for match in _LABELLED_RE.finditer(text):
        field = _FIELD_OF[match.group("label").lower()]
        found.setdefault(field, match.group("value").strip().rstrip(".,;"))
    if "phone" not in found:
        phone = _PHONE_RE.search(text)
        if phone and sum(c.isdigit() for c in phone.group(1)) >= 7:
            found["phone"] = phone.group(1).strip()
    return WriterDetails(
        full_name=found.get("full_name", ""),
        town=found.get("town", ""),
        phone=found.get("phone", ""),
        street=found.get("street", ""),
    )
