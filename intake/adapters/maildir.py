"""A local Maildir as the inbox: the embedded default.

Messages are read from ``new/`` and ``cur/`` and never deleted.  The
database remembers which file keys it has stored, so nothing is read twice;
"done" is shown the Maildir way: the file moves from ``new/`` to ``cur/``
with the Seen flag (``:2,S``), plus Flagged (``F``) for quarantined mail.
A rename is all that ever happens to a message file.
"""

from __future__ import annotations

import mailbox
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from intake.adapters.privatefiles import PRIVATE_FILE, private_dir
from intake.domain.errors import MailboxUnavailable
from intake.domain.ports import RawMail


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
        entries: list[tuple[float, str, Path]] = []
        for key, path in self._files().items():
            if is_known(key):
                continue
            try:
                entries.append((path.stat().st_mtime, key, path))
            except FileNotFoundError:
                continue  # renamed under us by a mail client: the next round finds it
        for mtime, key, path in sorted(entries, key=lambda e: (e[0], _arrival(e[1]), e[1])):
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue
            mail = RawMail(
                source_key=key,
                uid=None,
                data=data,
                internal_date=datetime.fromtimestamp(mtime, UTC),
                of=len(entries),
            )
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


def deliver(maildir: Path, raw: bytes) -> str:
    """Drop *raw* into ``maildir/new`` the Maildir way (tmp, then rename), readable only by
    its owner (as the folder); return its key."""
    box = mailbox.Maildir(maildir, create=True)
    key = box.add(raw)
    (maildir / "new" / key).chmod(PRIVATE_FILE)
    return key
