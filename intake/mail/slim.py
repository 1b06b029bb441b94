"""Large attachments left out before a message is parsed: named and sized, never decoded.

Python's ``email`` parser, which mail-parser runs on, keeps every line of a
part as its own string before joining them: a 27 MB attachment costs about
200 MB while it is read, though nothing intake does with a letter needs its
bytes (a letter's attachments are named, typed and sized; the raw message is
stored untouched).  :func:`slim` finds the long runs of base64 lines in the
raw bytes (a base64 body has no ``-`` or ``:``, so a run never holds a MIME
boundary or a header) and puts a short placeholder line in their place.

The parser then sees the same structure, each part the same headers; the
caller keeps a placeholder only where it is the whole payload of a non-text,
base64-encoded part (:meth:`Slimmed.size_of` answers for those with the size
the part had), and puts the original bytes back wherever a placeholder landed
elsewhere (a base64 text body, say: text is always read in full).

A run is left out when it is longer than :data:`PART_BYTES`, or once the runs
kept add up to :data:`BUDGET_BYTES`.  Pure: no I/O; one pass, linear in the
message.  :class:`RunFinder` and :func:`build_from` do the same for a message read a piece
at a time (a large stored message), holding only what :func:`slim` returns.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from email.message import Message
from typing import Final

PART_BYTES: Final = 256 * 1024
"""A base64 run longer than this (encoded) is left out of the parse."""
BUDGET_BYTES: Final = 4 * 2**20
"""Once the runs kept reach this much, every further run is left out too."""
SLIM_FROM_BYTES: Final = PART_BYTES
"""Messages no larger than this are parsed as they are."""

# whole lines of the base64 alphabet; a line ending is not in the class, so this is linear
_RUN_RE = re.compile(
    rb"^(?:[A-Za-z0-9+/=]++\r?\n)++", re.MULTILINE
)  # possessive: no backtrack stack
_TOKEN = "intakeomittedpart"  # in the base64 alphabet, so the parser reads it as any line


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of base64 lines (line ending of the last one excluded) and its placeholder."""

    start: int
    end: int
    marker: str


@dataclass(slots=True)
class Slimmed:
    """*raw* with some base64 runs replaced by placeholders."""

    data: bytes
    runs: dict[str, Run] = field(default_factory=dict)

    def stands_for(self, payload: object) -> bool:
        """Whether *payload* is one of the placeholders (and the whitespace around it)."""
        return isinstance(payload, str) and payload.strip() in self.runs

    def length_of(self, payload: str) -> int:
        """The length *payload* had in the raw message: a placeholder's, its run's."""
        run = self.runs.get(payload.strip())
        return len(payload) if run is None else len(payload) - len(run.marker) + run.end - run.start


def _runs(raw: bytes) -> list[tuple[int, int]]:
    """The (start, end) of each base64 run to leave out, the last line ending excluded."""
    found: list[tuple[int, int]] = []
    kept = 0
    for match in _RUN_RE.finditer(raw):
        start, end = match.span()
        end -= 2 if raw[end - 2 : end] == b"\r\n" else 1
        length = end - start
        if length > PART_BYTES or kept >= BUDGET_BYTES:
            found.append((start, end))
        else:
            kept += length
    return found


def _build(raw: bytes, spans: list[tuple[int, int]]) -> Slimmed:
    pieces: list[bytes] = []
    runs: dict[str, Run] = {}
    at = 0
    for n, (start, end) in enumerate(spans):
        marker = f"{_TOKEN}{n:07d}"  # 24 characters: valid base64
        runs[marker] = Run(start, end, marker)
        pieces += (raw[at:start], marker.encode("ascii"))
        at = end
    pieces.append(raw[at:])
    return Slimmed(b"".join(pieces), runs)


def slim(raw: bytes) -> Slimmed:
    """Return *raw* with its long base64 runs replaced by placeholders (none when small)."""
    if len(raw) <= SLIM_FROM_BYTES or _TOKEN.encode("ascii") in raw:
        return Slimmed(raw)
    spans = _runs(raw)
    return _build(raw, spans) if spans else Slimmed(raw)


def may_stand_for(part: Message) -> bool:
    """Whether a placeholder may stand for *part*'s payload: a leaf that is not text, sent
    as base64 (read as such, never decoded, by the parser)."""
    return (
        not part.is_multipart()
        and part.get_content_maintype() != "text"
        and str(part.get("content-transfer-encoding", "")).strip().lower() == "base64"
    )


def misplaced(slimmed: Slimmed, msg: Message) -> set[str]:
    """The placeholders of *slimmed* that did not land as the whole payload of a part they
    may stand for (in *msg*, its parse): their bytes must be read after all.

    A part inside an attached container (a multipart or message with ``Content-Disposition:
    attachment``) is read by the parser as the container's text, so its bytes are kept too.
    """
    placed: set[str] = set()
    _place(slimmed, msg, placed)
    return set(slimmed.runs) - placed


def _place(slimmed: Slimmed, part: Message, placed: set[str]) -> None:
    if part.is_multipart():
        if part.get_content_disposition() == "attachment":
            return
        for inner in part.get_payload():
            if isinstance(inner, Message):
                _place(slimmed, inner, placed)
        return
    payload = part.get_payload()
    if may_stand_for(part) and slimmed.stands_for(payload):
        assert isinstance(payload, str)
        placed.add(payload.strip())


def restore(raw: bytes, slimmed: Slimmed, markers: Collection[str]) -> Slimmed:
    """*slimmed* again from *raw*, with the runs of *markers* left in."""
    spans = [(r.start, r.end) for m, r in slimmed.runs.items() if m not in markers]
    return _build(raw, spans) if spans else Slimmed(raw)


# -- the same, from a message read a piece at a time -------------------------------------

LONGEST_LINE: Final = 8 * 2**20
"""A message with a line longer than this is not slimmed in pieces (it is read whole)."""


class RunFinder:
    """The runs :func:`slim` would leave out of a message, found as its pieces pass.

    Pieces are cut at their last line ending (the rest waits for the next one), so every
    line is searched whole, as :func:`slim` searches it; a run that reaches the end of
    what was searched may go on in the next piece.  Holds a line at most, and the kept
    run in hand.  :attr:`whole_needed`: the message holds :func:`slim`'s placeholder, or a
    line longer than :data:`LONGEST_LINE`: only the whole message tells.
    """

    def __init__(self) -> None:
        self.found: list[tuple[int, int]] = []
        self.whole_needed = False
        self._kept = 0
        self._open: tuple[int, int, bytes] | None = None  # start, end, its last two bytes
        self._rest = bytearray()  # a line not ended yet, from offset self._at
        self._at = 0
        self._tail = b""  # the last bytes seen, for a placeholder cut in two

    def add(self, piece: bytes) -> None:
        """Search the next *piece* of the message."""
        token = _TOKEN.encode("ascii")
        if token in self._tail + piece[: len(token)] or token in piece:
            self.whole_needed = True
        self._tail = (self._tail + piece[-len(token) :])[-(len(token) - 1) :]
        if self.whole_needed:
            return  # nothing found here is used
        cut = piece.rfind(b"\n") + 1
        if not cut:  # no line ends here: it waits
            self._rest += piece
            self.whole_needed = len(self._rest) > LONGEST_LINE
            return
        text = bytes(self._rest) + piece[:cut] if self._rest else piece[:cut]
        self._rest = bytearray(piece[cut:])
        self._search(text, self._at)
        self._at += len(text)

    def finish(self) -> list[tuple[int, int]]:
        """The (start, end) of each run to leave out, once every piece was added (the last
        line, without an ending, is in no run)."""
        self._close()
        return self.found

    def _search(self, text: bytes, base: int) -> None:
        for match in _RUN_RE.finditer(text):
            start, end = match.span()
            if self._open is not None and self._open[1] == base + start:
                self._open = (self._open[0], base + end, text[end - 2 : end])
            else:
                self._close()
                self._open = (base + start, base + end, text[end - 2 : end])
        if self._open is not None and self._open[1] != base + len(text):
            self._close()

    def _close(self) -> None:
        if self._open is None:
            return
        start, end, last = self._open
        self._open = None
        end -= 2 if last == b"\r\n" else 1
        length = end - start
        if length > PART_BYTES or self._kept >= BUDGET_BYTES:
            self.found.append((start, end))
        else:
            self._kept += length


def build_from(pieces: Iterable[bytes], spans: list[tuple[int, int]], skip: int = 0) -> Slimmed:
    """:func:`slim`'s result for the message *pieces* make after its first *skip* bytes,
    its *spans* (offsets in the pieces, none within the skipped bytes) left out: as
    :func:`restore` of the whole message, never holding more than the result."""
    out: list[bytes] = []
    runs: dict[str, Run] = {}
    markers = [f"{_TOKEN}{n:07d}" for n in range(len(spans))]
    at, pos, n = 0, skip, 0  # where this piece starts, the next byte to place, the next span
    for piece in pieces:
        ends = at + len(piece)
        while pos < ends:
            if n < len(spans) and pos >= spans[n][0]:  # within a run left out
                start, end = spans[n]
                if markers[n] not in runs:
                    runs[markers[n]] = Run(start - skip, end - skip, markers[n])
                    out.append(markers[n].encode("ascii"))
                pos = min(end, ends)
                n += pos == end
                continue
            stop = min(spans[n][0] if n < len(spans) else ends, ends)
            out.append(piece[pos - at : stop - at])
            pos = stop
        at = ends
    return Slimmed(b"".join(out), runs)
