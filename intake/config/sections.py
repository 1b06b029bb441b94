"""One typed model per TOML section: every key intake reads, its type and its default.

This module is where a key's default is written, and the only place.  The
models are frozen and forbid unknown keys, so a typo fails at start.  Defaults
that depend on another section (paths under ``desk.data_dir``, the SMTP
``from`` address) are filled in by :class:`intake.config.schema.Settings`
before a section is read; defaults that depend on another key of the same
section (the port for a security mode) are filled in here.

``config/intake.example.toml`` documents every field of every model below; a
test walks these models to hold it to that.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from intake.config.crontab import cron_trigger
from intake.config.fields import (
    Address,
    CatalogueSource,
    Count,
    KeyProblem,
    OptionalFile,
    OptionalPath,
    Positive,
    RelativePath,
    Seconds,
    SecretFromEnv,
    Switch,
    Text,
    Word,
)
from intake.domain.approval import APPROVAL_MODES, EDITOR
from intake.printing.render import PAIR_FORMATS
from intake.sorting.policy import LettersPolicy

SECURITY_MODES = ("ssl", "starttls", "none")  # implicit TLS, STARTTLS, plain
PUBLISH_FORMATS: tuple[str, ...] = PAIR_FORMATS  # what the renderer renders


def _one_of(choices: tuple[str, ...], value: str) -> str:
    if value not in choices:
        raise KeyProblem(f"must be one of {', '.join(choices)}; got {value!r}")
    return value


class Section(BaseModel):
    """A TOML table: typed, frozen, and no key it does not know."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class DeskSettings(Section):
    """``[desk]``: who the desk is and where it keeps its files."""

    publication: Text = "The Letters Desk"
    address: Address = "letters@localhost.localdomain"
    editors: tuple[Address, ...] = ()
    timezone: Text = "UTC"
    data_dir: RelativePath = Field(default=Path("intake-data"), validate_default=True)
    # signs the reply address of the editors' digest; None: generated, kept in the database
    secret_env: SecretFromEnv | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise KeyProblem(f"unknown time zone {value!r}") from exc
        return value

    @property
    def domain(self) -> str:
        return self.address.partition("@")[2]

    @property
    def command_secret(self) -> str:
        """The key signing editors' commands by email ("": generated and kept in the db)."""
        return self.secret_env.value if self.secret_env else ""


class DigestSettings(Section):
    """``[digest]``: the editors' digest and how long its command address is good for."""

    enabled: Switch = True
    cron: Text = "0 8 * * *"  # crontab fields, in desk.timezone
    token_valid_days: Positive = 7
    answers_per_hour: Positive = 10  # command answers mailed to one editor an hour, at most

    @field_validator("cron")
    @classmethod
    def _crontab(cls, value: str) -> str:
        cron = value.strip()
        try:
            cron_trigger(cron, "UTC")  # the time zone does not change what a line may say
        except ValueError as exc:
            raise KeyProblem(f"not a crontab schedule ({exc}): {cron!r}") from exc
        return cron


_DEFAULT_PORTS = {"imap": {"ssl": 993, "starttls": 143, "none": 143},
                  "smtp": {"ssl": 465, "starttls": 587, "none": 25}}  # fmt: skip


def _port_for_security(cls: type[Section], data: Any, server: str) -> Any:
    """Fill ``port`` from the security mode (given or default) when the file leaves it out."""
    if isinstance(data, dict) and "port" not in data:
        security = data.get("security", cls.model_fields["security"].default)
        if security in _DEFAULT_PORTS[server]:
            return {**data, "port": _DEFAULT_PORTS[server][security]}
    return data


class ImapSettings(Section):
    """``[imap]``: the editorial inbox (without it: the local Maildir)."""

    host: Text
    security: Text = "ssl"  # one of SECURITY_MODES
    port: Positive  # default: the security mode's port
    username: Text
    password_env: SecretFromEnv = Field(
        description="the name of the environment variable holding the password"
    )
    folder: Text = "INBOX"
    processed_keyword: Text = "$IntakeProcessed"
    quarantine_keyword: Text = "$IntakeQuarantined"
    move_processed_to: Text = ""
    batch_bytes: Positive = 20_000_000
    ca_file: OptionalPath = None
    timeout_seconds: Seconds = 60.0
    idle: Switch = True

    @model_validator(mode="before")
    @classmethod
    def _default_port(cls, data: Any) -> Any:
        return _port_for_security(cls, data, "imap")

    @field_validator("security")
    @classmethod
    def _security_mode(cls, value: str) -> str:
        return _one_of(SECURITY_MODES, value)

    @property
    def password(self) -> str:
        return self.password_env.value


class SmtpSettings(Section):
    """``[smtp]``: outgoing mail (without it: the local outbox folder)."""

    host: Text
    security: Text = "starttls"  # one of SECURITY_MODES
    port: Positive  # default: the security mode's port
    username: Text = ""  # no login
    password_env: SecretFromEnv | None = None  # required with a username
    from_address: Address = Field(alias="from")  # default: desk.address
    ca_file: OptionalPath = None
    timeout_seconds: Seconds = 60.0

    @model_validator(mode="before")
    @classmethod
    def _default_port(cls, data: Any) -> Any:
        return _port_for_security(cls, data, "smtp")

    @field_validator("security")
    @classmethod
    def _security_mode(cls, value: str) -> str:
        return _one_of(SECURITY_MODES, value)

    @model_validator(mode="after")
    def _login_has_a_password(self) -> SmtpSettings:
        if self.username and self.password_env is None:
            raise KeyProblem(
                "is required with a username: the name of the environment variable "
                "holding the password",
                key="password_env",
            )
        return self

    @property
    def password(self) -> str:
        return self.password_env.value if self.password_env else ""


class LocalSettings(Section):
    """``[local]``: the embedded default's folders (defaults under desk.data_dir)."""

    maildir: RelativePath
    outbox_dir: RelativePath


class DatabaseSettings(Section):
    """``[database]``: any SQLAlchemy URL (default: SQLite under desk.data_dir), and the
    environment variable holding its password, so that the password stays out of the file."""

    url: Text
    password_env: SecretFromEnv | None = None  # None: the URL has what it needs

    @field_validator("url")
    @classmethod
    def _is_url(cls, value: str) -> str:
        # never repeat the value: it may hold a password
        if "://" not in value:
            raise KeyProblem("must be an SQLAlchemy URL like sqlite:///path")
        try:
            make_url(value)
        except (ArgumentError, ValueError):
            raise KeyProblem("is not an SQLAlchemy URL (dialect://user@host:port/name)") from None
        return value

    @model_validator(mode="after")
    def _one_password(self) -> DatabaseSettings:
        if self.password_env is not None:
            url = make_url(self.url)
            if url.password is not None:
                raise KeyProblem(
                    "is set, but database.url holds a password too: keep only one",
                    key="password_env",
                )
            if not url.username:
                raise KeyProblem(
                    "needs a user name in database.url (dialect://user@host/name)",
                    key="password_env",
                )
        return self

    @property
    def connect_url(self) -> str:
        """The URL to connect with: :attr:`url`, with the password from ``password_env``."""
        if self.password_env is None:
            return self.url
        url = make_url(self.url).set(password=self.password_env.value)
        return url.render_as_string(hide_password=False)


class ArticlesSettings(Section):
    """``[articles]``: the catalogue a letter's article is found in."""

    source: CatalogueSource = ""  # "": no catalogue, every letter goes to review
    refresh_minutes: Positive = 60


class PublishSettings(Section):
    """``[publish]``: where and how ``intake publish`` writes (out_dir under desk.data_dir)."""

    out_dir: RelativePath
    format: Text = "md"  # one of PUBLISH_FORMATS
    house_style: OptionalFile = None  # None: the house style shipped with intake
    approval: Text = EDITOR  # only an editor's approve prints a letter; or "auto"

    @field_validator("format")
    @classmethod
    def _a_format_we_render(cls, value: str) -> str:
        return _one_of(PUBLISH_FORMATS, value)

    @field_validator("approval")
    @classmethod
    def _approval_mode(cls, value: str) -> str:
        return _one_of(APPROVAL_MODES, value)


class ScheduleSettings(Section):
    """``[schedule]``: the worker's round."""

    poll_seconds: Positive = 60


class AuthorSettings(Section):
    """``[authors]``: the author round trip: deadline, key, reminders, declines, trust."""

    response_days: Positive = 5
    key_valid_days: Positive = 30
    reminder_days: Count = 3  # 0: no reminders
    max_reminders: Count = 1
    decline_words: tuple[Word, ...] = (
        "no reply", "no response", "decline", "declined", "pass", "no comment", "no thanks",
    )  # fmt: skip
    aliases: dict[Address, tuple[Address, ...]] = {}
    authserv_id: Text = ""  # our own server's id in Authentication-Results; "": not checked
    max_requests_per_writer_article: Positive = 1  # further letters wait for an editor
    max_requests_per_author_day: Positive = 20  # requests to one author in 24 hours

    @field_validator("decline_words")
    @classmethod
    def _lower_case(cls, words: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(word.lower() for word in words)

    @field_validator("authserv_id")
    @classmethod
    def _tidy_id(cls, value: str) -> str:
        return value.strip().lower()


class WriterSettings(Section):
    """``[writers]``: what intake tells the reader who wrote."""

    acknowledge: Switch = False
    ask_for_details: Switch = True


class ClassifySettings(Section):
    """``[classify]``: when the classifier hands a message to the editors."""

    review_below: float = Field(default=0.6, strict=True, ge=0.0, le=1.0)
    max_message_mb: Positive = 50


class PolicySettings(Section):
    """``[policy]``: the letters policy; findings for editors, never a block."""

    word_limit: Count = 250
    max_article_age_days: Count = 14
    require_full_name: Switch = True
    require_town: Switch = True
    require_phone_or_address: Switch = False
    require_exclusivity: Switch = False

    def rules(self) -> LettersPolicy:
        """The policy as :func:`intake.sorting.policy.check_letter` reads it."""
        return LettersPolicy(**self.model_dump())

    def writer_details_required(self) -> tuple[str, ...]:
        """The writer details required, named as the writer round trip asks for them."""
        wanted = (
            ("full_name", self.require_full_name),
            ("town", self.require_town),
            ("phone", self.require_phone_or_address),
        )
        return tuple(name for name, required in wanted if required)


class OutboxSettings(Section):
    """``[outbox]``: retrying outgoing mail."""

    max_attempts: Positive = 8
    retry_seconds: Positive = 60


__all__ = [
    "PUBLISH_FORMATS",
    "SECURITY_MODES",
    "ArticlesSettings",
    "AuthorSettings",
    "ClassifySettings",
    "DatabaseSettings",
    "DeskSettings",
    "DigestSettings",
    "ImapSettings",
    "LocalSettings",
    "OutboxSettings",
    "PolicySettings",
    "PublishSettings",
    "ScheduleSettings",
    "Section",
    "SmtpSettings",
    "WriterSettings",
]
