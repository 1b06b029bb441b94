"""Subject lines: reply and forward prefixes, and our letter tag ``[L-12]``.

Pure: no I/O.
"""

from __future__ import annotations

import re

# Re/Fwd and their localised forms: AW/WG (de), SV/VS (sv, da, no), Antw/Doorst (nl),
# RE/TR (fr), RIF/I (it), R/RV (es, pt), ODP/PD (pl), Vá/Továbbítás (hu), YNT/İLT (tr),
# Ответ (ru), 回复/转发 (zh), and list tags like "[news]"
_PREFIX_RE = re.compile(
    r"^\s*(?:(?:re|fwd?|aw|wg|sv|vs|antw|doorst|tr|rif|r|rv|odp|pd|vá|továbbítás|ynt|i̇lt|"
    r"ответ|回复|转发)\s*(?:\[\d+\])?\s*[:：]\s*|\[[^\]]{1,40}\]\s*)+",
    re.IGNORECASE,
)
_TAG_RE = re.compile(r"\[L-(\d{1,12})\]")


def strip_prefixes(subject: str) -> str:
    """Return *subject* without leading reply/forward prefixes and list tags."""
    return _PREFIX_RE.sub("", subject).strip()


def letter_tag(letter_id: int) -> str:
    """Return the tag our subjects carry for a letter."""
    return f"[L-{letter_id}]"


def find_letter_tag(subject: str) -> int | None:
    """Return the letter id tagged in *subject*, if any (the last tag wins)."""
    found = _TAG_RE.findall(subject)
    return int(found[-1]) if found else None
