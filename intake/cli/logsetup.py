"""How intake logs: the level (``--log-level``) and the format (``--log-format``), on stderr.

Text lines are ``time LEVEL logger: message``; JSON lines are one object per
line with ``time`` (UTC, ISO 8601), ``level``, ``logger`` and ``message`` and,
after them, the record's structured fields (what a call passes as ``extra``:
a worker round's counts, for one) and ``error`` with the traceback of an
exception.  Either way control characters are shown as escapes and URL
passwords masked, as everything the command line writes (:mod:`terminal`).

Without ``--log-level`` the worker (``intake run``) logs at INFO and every other
command at WARNING; ``--debug`` is ``--log-level debug`` (and tracebacks).
APScheduler's own lines ("Running job", "executed successfully") and
Alembic's ("Context impl SQLiteImpl") are shown only at DEBUG: the worker logs
each round, and what a migration did, itself.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from intake.cli.terminal import VisibleFormatter
from intake.domain.controlchars import json_escaped
from intake.domain.maskedurls import mask_passwords

LOG_LEVELS = ("debug", "info", "warning", "error")
LOG_FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# what every LogRecord carries: anything else on a record was given as a structured field
_RECORD_ATTRIBUTES = frozenset(
    set(vars(logging.LogRecord("", logging.INFO, "", 0, "", (), None))) | {"message", "asctime"}
)


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        document: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_") and key not in document:
                document[key] = value
        if record.exc_info:
            document["error"] = self.formatException(record.exc_info)
        text = json.dumps(document, ensure_ascii=False, default=str, separators=(",", ":"))
        return mask_passwords(json_escaped(text))


def level_for(command: str, log_level: str | None, *, debug: bool) -> int:
    """The level a command logs at: ``--debug``, else ``--log-level``, else INFO for the
    worker and WARNING for the rest."""
    if debug:
        return logging.DEBUG
    if log_level:
        return int(getattr(logging, log_level.upper()))
    return logging.INFO if command == "run" else logging.WARNING


def configure_logging(level: int, log_format: str) -> None:
    """Send the log to stderr at *level*, as text or JSON lines (*log_format*).

    A root logger that already has handlers (a host program's, pytest's) keeps them
    and gets the format; otherwise one handler on stderr is added.
    """
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
    root.setLevel(level)
    formatter: logging.Formatter = (
        JsonFormatter()
        if log_format == "json"
        else VisibleFormatter(logging.Formatter(TEXT_FORMAT))
    )
    for handler in root.handlers:
        handler.setFormatter(formatter)
    logging.getLogger("imapclient").setLevel(max(level, logging.WARNING))
    # the libraries' own chatter only when debugging: the scheduler's two INFO lines a round,
    # Alembic's on every start (intake logs what a migration did in one line of its own)
    chatter = level if level <= logging.DEBUG else max(level, logging.WARNING)
    for library in ("apscheduler", "alembic"):
        logging.getLogger(library).setLevel(chatter)
