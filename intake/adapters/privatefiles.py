"""Files only intake's own user may read: the database, the mail folders, the letters.

Readers' letters, addresses and phone numbers live in the database (and its
``-wal``/``-shm`` files), the embedded Maildir, the outbox folder, the
published files and the backups.  Everything intake creates for them is
created private whatever the process's umask: folders ``0700``, files
``0600``.  One that already exists with access for others is tightened (its
owner's bits kept) with a warning, or, when it cannot be (another user owns
it), only warned about: intake still runs.  The one exception is the publish
folder: the letters there are approved for print and a CMS or web server may
need to read them, so intake creates it private but leaves an existing one as
the operator set it.  Files inside a private folder are
not walked: the folder already keeps them from everyone else.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
_OTHERS = 0o077  # the group's and everyone else's bits


def tighten(path: Path) -> None:
    """Take the group's and others' access away from *path*, if it exists and has any."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if not mode & _OTHERS:
        return
    private = mode & ~_OTHERS
    try:
        path.chmod(private)
    except OSError as exc:
        log.warning("%s can be read by other users (mode %04o) and could not be made "
                    "private: %s", path, mode, exc.strerror)  # fmt: skip
        return
    log.warning("%s could be read by other users (mode %04o): now %04o", path, mode, private)


def private_dir(path: Path, *, tighten_existing: bool = True) -> Path:
    """Create the folder *path* (and missing parents) as ``0700``, or tighten it (unless
    *tighten_existing* is false: the operator's choice for it stands); return it."""
    if path.is_dir():
        if tighten_existing:
            tighten(path)
        return path
    missing = [path, *(p for p in path.parents if not p.exists())]
    for folder in reversed(missing):  # every folder intake makes is private, parents too
        folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
        folder.chmod(PRIVATE_DIR)  # the umask may have taken the owner's bits too
    return path


def private_file(path: Path) -> Path:
    """Make sure *path* exists as a file only we may read (created empty ``0600``, never
    truncated); an existing one is tightened.  Return it."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        tighten(path)
        return path
    try:
        os.fchmod(fd, PRIVATE_FILE)
    finally:
        os.close(fd)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write *data* to *path* (created or replaced in place) as a ``0600`` file."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def replace_private(
    directory: Path, name: str, data: bytes, *, tighten_existing: bool = True
) -> Path:
    """Write *data* as *directory/name* atomically (a private temporary file, then a rename),
    the folder made private first (see :func:`private_dir`); return the file's path."""
    private_dir(directory, tighten_existing=tighten_existing)
    target = directory / name
    tmp = directory / f".{name}.tmp"
    write_private(tmp, data)
    os.replace(tmp, target)
    return target


def sqlite_files(database: Path) -> tuple[Path, Path, Path]:
    """The database file and the ``-wal`` and ``-shm`` files SQLite keeps beside it."""
    return database, Path(f"{database}-wal"), Path(f"{database}-shm")
