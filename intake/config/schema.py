"""The whole config file: its sections, and the defaults one section takes from another.

:class:`Settings` is what intake was configured with, one attribute per TOML
section (each a model of :mod:`intake.config.sections` or
:mod:`intake.config.connections`).  A section the file
leaves out is read as an empty table, so it gets every default; ``[imap]`` and
``[smtp]`` are the exception: left out, they are ``None`` and intake runs on
the embedded default (a local Maildir and outbox folder).  The paths under
``desk.data_dir`` and the SMTP ``from`` address are the only defaults that
depend on another section; they are filled in here, after ``[desk]`` is read.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from intake.config.connections import DatabaseSettings, ImapSettings, SmtpSettings
from intake.config.sections import (
    ArticlesSettings,
    AuthorSettings,
    ClassifySettings,
    DeskSettings,
    DigestSettings,
    HealthSettings,
    LocalSettings,
    OutboxSettings,
    PolicySettings,
    PublishSettings,
    RetentionSettings,
    ScheduleSettings,
    WebSettings,
    WriterSettings,
)

# the sections whose absence means something: no IMAP, no SMTP (the embedded default)
OPTIONAL_SECTIONS = frozenset({"imap", "smtp"})


def _with_defaults(table: Any, **defaults: Any) -> Any:
    """*table* with the keys it leaves out set to *defaults* (anything else: as it is)."""
    return {**defaults, **table} if isinstance(table, dict) else table


def _desk(info: ValidationInfo) -> DeskSettings | None:
    """``[desk]`` as read, or None when it failed (its own error is reported first)."""
    desk = info.data.get("desk")
    return desk if isinstance(desk, DeskSettings) else None


class Settings(BaseModel):
    """Everything intake was configured with, one attribute per TOML section."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    desk: DeskSettings
    digest: DigestSettings
    imap: ImapSettings | None = None
    smtp: SmtpSettings | None = None
    local: LocalSettings
    database: DatabaseSettings
    articles: ArticlesSettings
    publish: PublishSettings
    schedule: ScheduleSettings
    authors: AuthorSettings
    writers: WriterSettings
    classify: ClassifySettings
    policy: PolicySettings
    outbox: OutboxSettings
    retention: RetentionSettings
    web: WebSettings
    health: HealthSettings
    _config_path: Path | None = PrivateAttr(default=None)

    @property
    def config_path(self) -> Path | None:
        """The file these settings came from (None: no file, the defaults alone)."""
        return self._config_path

    @model_validator(mode="before")
    @classmethod
    def _left_out_sections_are_empty(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        empty: dict[str, Any] = {
            name: {} for name in cls.model_fields if name not in OPTIONAL_SECTIONS
        }
        return {**empty, **data}

    @field_validator("local", mode="before")
    @classmethod
    def _local_under_data_dir(cls, table: Any, info: ValidationInfo) -> Any:
        desk = _desk(info)
        if desk is None:
            return table
        return _with_defaults(
            table, maildir=desk.data_dir / "inbox", outbox_dir=desk.data_dir / "outbox"
        )

    @field_validator("database", mode="before")
    @classmethod
    def _database_under_data_dir(cls, table: Any, info: ValidationInfo) -> Any:
        desk = _desk(info)
        if desk is None:
            return table
        return _with_defaults(table, url=f"sqlite:///{desk.data_dir / 'intake.db'}")

    @field_validator("publish", mode="before")
    @classmethod
    def _published_under_data_dir(cls, table: Any, info: ValidationInfo) -> Any:
        desk = _desk(info)
        if desk is None:
            return table
        return _with_defaults(table, out_dir=desk.data_dir / "published")

    @field_validator("smtp", mode="before")
    @classmethod
    def _mail_from_the_desk(cls, table: Any, info: ValidationInfo) -> Any:
        desk = _desk(info)
        if desk is None:
            return table
        return _with_defaults(table, **{"from": desk.address})

    @model_validator(mode="after")
    def _remember_the_file(self, info: ValidationInfo) -> Settings:
        context = info.context if isinstance(info.context, dict) else {}
        self._config_path = context.get("path")
        return self

    @property
    def stale_after(self) -> timedelta:
        """How long without a round before the worker counts as stopped or stuck:
        ``health.stale_minutes``, or three rounds when ``schedule.poll_seconds`` is longer."""
        return max(
            timedelta(minutes=self.health.stale_minutes),
            timedelta(seconds=3 * self.schedule.poll_seconds),
        )

    @property
    def from_address(self) -> str:
        """The From address of mail intake sends."""
        return self.smtp.from_address if self.smtp else self.desk.address
