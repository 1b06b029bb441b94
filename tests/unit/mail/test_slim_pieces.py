"""A large stored message slimmed and parsed from its pieces is what it is whole, byte for
byte, wherever the pieces are cut: within a base64 line, between CR and LF, across a MIME
boundary or a placeholder-sized stretch, in nested multiparts."""

from __future__ import annotations

import base64
import importlib.util
import random
from collections.abc import Callable, Iterator
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest

from intake.mail.parse import parse_message, parse_pieces
from intake.mail.slim import BUDGET_BYTES, PART_BYTES, RunFinder, build_from, slim

MIB = 2**20
SHARED = Path(__file__).resolve().parents[4] / "shared" / "bench" / "make_mailbox.py"


def _b64(size: int, seed: int) -> bytes:
    return base64.encodebytes(random.Random(seed).randbytes(size))


def _nested(crlf: bool = True) -> bytes:
    outer = MIMEMultipart("mixed", boundary="outer")
    for header, value in (("From", "Ana <ana@example.org>"), ("To", "letters@news.test"),
                          ("Subject", "Plans"), ("Message-ID", "<plans@example.org>")):  # fmt: skip
        outer[header] = value
    inner = MIMEMultipart("alternative", boundary="inner")
    inner.attach(MIMEText("Dear editor,\n\nSee the plans.\n", "plain"))
    inner.attach(MIMEText("<p>Dear editor,</p><p>See the plans.</p>", "html"))
    outer.attach(inner)
    for n, size in enumerate((600_000, 100_000, 400_000)):
        outer.attach(MIMEApplication(random.Random(n).randbytes(size), "pdf", Name=f"{n}.pdf"))
    related = MIMEMultipart("related", boundary="deeper")
    related.attach(MIMEApplication(random.Random(9).randbytes(300_000), "octet-stream"))
    outer.attach(related)
    # a base64 text part: its placeholder is misplaced, its bytes read after all
    outer.attach(MIMEText("A long text. " * 40_000, "plain", "utf-8"))
    raw = outer.as_bytes()
    return raw.replace(b"\n", b"\r\n") if crlf else raw


def _many_runs() -> bytes:
    """Runs under PART_BYTES each, past BUDGET_BYTES in all: the later ones left out."""
    head = b"From: a@example.org\r\nMessage-ID: <many@example.org>\r\nContent-Type: "
    head += b"multipart/mixed; boundary=b\r\n\r\n"
    parts = [b"--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n"]
    for n in range(BUDGET_BYTES // (PART_BYTES // 2) + 3):
        parts.append(b"--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n")
        parts.append(_b64(PART_BYTES // 2 - 1000, n).replace(b"\n", b"\r\n"))
    return head + b"".join(parts) + b"--b--\r\n"


def _hostile() -> list[bytes]:
    run = _b64(2 * PART_BYTES, 5)
    plain = b"From: a@example.org\nMessage-ID: <h@example.org>\n\n"
    return [
        _nested(),
        _nested(crlf=False),
        _many_runs(),
        b"\r\n \r\n\t\n" + _nested(),  # leading blank lines, taken off before the parse
        plain + run + b"no line ending at the end: " + run.rstrip(b"\n"),  # a run at the end
        plain + run + b"\n" + run + b"x\r\r\n" + run,  # runs a line apart, a stray CR
        plain + run + b"intakeomittedpart0000001\n" + run,  # slim's own placeholder
        plain + b"A" * (9 * MIB) + b"\n" + run,  # a line too long to hold back
    ]


def _generated() -> list[bytes]:
    if not SHARED.exists():
        return []
    spec = importlib.util.spec_from_file_location("make_mailbox", SHARED)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found = (data for _kind, _when, data in module.generate(30, 20250101, 1) if len(data) > MIB)
    return list(found)[:1]


def _reader(raw: bytes, sizes: list[int]) -> Callable[[], Iterator[bytes]]:
    """*raw* in pieces of *sizes* in turn (the last size repeated)."""

    def pieces() -> Iterator[bytes]:
        at, n = 0, 0
        while at < len(raw):
            size = sizes[min(n, len(sizes) - 1)]
            yield raw[at : at + size]
            at, n = at + size, n + 1

    return pieces


CUTS = [[MIB], [65_539], [997], [77], [76, 1, 78, 2, 3, 4099], [1, 2, 3, 5, 7, 11, 4099]]


@pytest.mark.parametrize("cut", CUTS, ids=[str(c) for c in CUTS])
def test_the_runs_found_in_pieces_slim_as_the_whole_message(cut: list[int]) -> None:
    for raw in _hostile():
        read = _reader(raw, cut)
        finder = RunFinder()
        for piece in read():
            finder.add(piece)
        spans = finder.finish()
        if finder.whole_needed:
            assert b"intakeomittedpart" in raw or b"A" * (8 * MIB) in raw
            continue
        if raw.startswith(b"From"):
            assert build_from(read(), spans) == slim(raw)


def test_cut_at_every_byte_around_a_run_and_a_boundary() -> None:
    raw = _nested()
    whole = slim(raw)
    first = next(iter(whole.runs.values()))
    for near in (first.start, first.end, raw.index(b"--outer", first.end)):
        for at in range(near - 4, near + 5):
            read = _reader(raw, [at, len(raw)])
            finder = RunFinder()
            for piece in read():
                finder.add(piece)
            assert build_from(read(), finder.finish()) == whole, at


@pytest.mark.parametrize("cut", [[MIB], [1, 2, 77, 65_537]], ids=str)
def test_a_message_parsed_from_its_pieces_is_the_message_parsed_whole(cut: list[int]) -> None:
    for raw in [*_hostile(), *(_generated() if cut == [MIB] else [])]:
        assert parse_pieces(_reader(raw, cut)) == parse_message(raw)
