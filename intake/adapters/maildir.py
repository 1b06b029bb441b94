"""A local Maildir as the inbox: the embedded default.

Messages are read from ``new/`` and ``cur/`` and never deleted.  The
database remembers which file keys it has stored, so nothing is read twice
(a large message is handed on as pieces of its file, read as they are stored);
"done" is shown the Maildir way: the file moves from ``new/`` to ``cur/``
with the Seen flag (``:2,S``), plus Flagged (``F``) for quarantined mail.
A rename is all that ever happens to a message file.
"""

from __future__ import annotations

import functools
import mailbox
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from intake.adapters.privatefiles import PRIVATE_FILE, private_dir
from intake.domain.errors import MailboxUnavailable
from intake.domain.ports import LARGE_MAIL_BYTES, RawMail


def _key_and_flags(filename: str) -> tuple[str, str]:
    key, _, info = filename.partition(":")
    return key, info[2:] if info.startswith("2,") else ""


# A delivery key as Python's mailbox and Dovecot write it: <seconds>.M<microseconds>P<pid>Q<n>.
# The microseconds are not zero-padded, so the key's text does not sort in time order.
_DELIVERY_KEY = re.compile(r"(\d+)\.M(\d+)P\d+(?:Q(\d+))?")


def _arrival(key: str) -> tuple[int, int, int]:
    """When *key* was delivered, as its name says (for messages with the same mtime)."""
    found = _DELIVERY_KEY.match(key)
    return (int(found[1]), int(found[2]), int(found[3] or 0)) if found else (0, 0, 0)


class MaildirMailbox:
    """See :class:`intake.domain.ports.Mailbox`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            for folder in (path, path / "new", path / "cur", path / "tmp"):
                if not folder.is_dir():
                    private_dir(folder)  # readers' mail: only intake's user may read it
        except OSError as exc:
            raise MailboxUnavailable(f"maildir {path}: {exc}") from exc

    @property
    def name(self) -> str:
        return f"maildir:{self.path.resolve()}"

    def uidvalidity(self) -> int:
        return 0

    def _files(self) -> dict[str, Path]:
        found: dict[str, Path] = {}
        try:
            for sub in ("new", "cur"):
                for entry in (self.path / sub).iterdir():
                    if entry.is_file() and not entry.name.startswith("."):
                        found[_key_and_flags(entry.name)[0]] = entry
        except OSError as exc:
            raise MailboxUnavailable(f"maildir {self.path}: {exc}") from exc
        return found

    def new_messages(self, after_uid: int, is_known: Callable[[str], bool]) -> Iterator[RawMail]:
        entries: list[tuple[float, str, Path, int]] = []
        for key, path in self._files().items():
            if is_known(key):
                continue
            try:
                found = path.stat()
            except FileNotFoundError:
                continue  # renamed under us by a mail client: the next round finds it
            entries.append((found.st_mtime, key, path, found.st_size))
        for mtime, key, path, size in sorted(entries, key=lambda e: (e[0], _arrival(e[1]), e[1])):
            when = datetime.fromtimestamp(mtime, UTC)
            if size >= LARGE_MAIL_BYTES:
                yield RawMail(source_key=key, uid=None, internal_date=when, of=len(entries),
                              pieces=functools.partial(_pieces, path), size=size)  # fmt: skip
                continue
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue
            mail = RawMail(source_key=key, uid=None, data=data, internal_date=when,
                           of=len(entries))  # fmt: skip
            del data  # the caller holds the only reference: once stored, it is freed
            yield mail
            del mail

    def mark_done(self, source_keys: Sequence[str], *, quarantined: bool = False) -> None:
        files = self._files()
        for key in source_keys:
            path = files.get(key)
            if path is None:
                continue
            flags = set(_key_and_flags(path.name)[1]) | {"S"}
            if quarantined:
                flags.add("F")  # Flagged: a person should look at it
            target = self.path / "cur" / f"{key}:2,{''.join(sorted(flags))}"
            try:
                path.rename(target)
            except OSError:
                continue  # marking is a courtesy; the database is the truth

    def close(self) -> None:
        return None


def _pieces(path: Path) -> Iterator[bytes]:
    """The bytes of the message file *path*, :data:`LARGE_MAIL_BYTES` at a time (none if it
    went away: renamed by a mail client, the next round finds it under its new name)."""
    try:
        with path.open("rb") as file:
            while piece := file.read(LARGE_MAIL_BYTES):
                yield piece
    except FileNotFoundError:
        return


def deliver(maildir: Path, raw: bytes) -> str:
    """Drop *raw* into ``maildir/new`` the Maildir way (tmp, then rename), readable only by
    its owner (as the folder); return its key."""
    box = mailbox.Maildir(maildir, create=True)
    key = box.add(raw)
    (maildir / "new" / key).chmod(PRIVATE_FILE)
    return key
