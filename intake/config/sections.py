"""One typed model per TOML section (but the servers'): every key, its type and its default.

This module and :mod:`intake.config.connections` (``[imap]``, ``[smtp]``,
``[database]``) are where a key's default is written, and the only place.  The
models are frozen and forbid unknown keys, so a typo fails at start.  Defaults
that depend on another section (paths under ``desk.data_dir``, the SMTP
``from`` address) are filled in by :class:`intake.config.schema.Settings`
before a section is read.

``config/intake.example.toml`` documents every field of every model here; a
test walks the schema to hold it to that.
"""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from intake.config.crontab import cron_trigger
from intake.config.fields import (
    Address,
    CatalogueSource,
    Count,
    KeyProblem,
    OptionalFile,
    Positive,
    RelativePath,
    RelaySender,
    SecretFromEnv,
    Section,
    Switch,
    Text,
    Word,
    one_of,
)
from intake.domain.approval import APPROVAL_MODES, EDITOR
from intake.printing.render import PAIR_FORMATS
from intake.sorting.policy import LettersPolicy

PUBLISH_FORMATS: tuple[str, ...] = PAIR_FORMATS  # what the renderer renders


def crontab_line(value: str) -> str:
    """*value* as a crontab schedule line, or the key's problem."""
    cron = value.strip()
    try:
        cron_trigger(cron, "UTC")  # the time zone does not change what a line may say
    except ValueError as exc:
        raise KeyProblem(f"not a crontab schedule ({exc}): {cron!r}") from exc
    return cron


class DeskSettings(Section):
    """``[desk]``: who the desk is and where it keeps its files."""

    publication: Text = "The Letters Desk"
    address: Address = "letters@localhost.localdomain"
    editors: tuple[Address, ...] = ()
    timezone: Text = "UTC"
    data_dir: RelativePath = Field(default=Path("intake-data"), validate_default=True)
    # signs the reply address of the editors' digest; None: generated, kept in the database
    secret_env: SecretFromEnv | None = None
    # senders that relay readers' letters (a web form, a shared inbox): addresses or @domain
    relays: tuple[RelaySender, ...] = ()

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
        return (self.secret_env.value or "") if self.secret_env else ""


class DigestSettings(Section):
    """``[digest]``: the editors' digest and how long its command address is good for."""

    enabled: Switch = True
    cron: Text = "0 8 * * *"  # crontab fields, in desk.timezone
    token_valid_days: Positive = 7
    answers_per_hour: Positive = 10  # command answers mailed to one editor an hour, at most

    @field_validator("cron")
    @classmethod
    def _crontab(cls, value: str) -> str:
        return crontab_line(value)


class LocalSettings(Section):
    """``[local]``: the embedded default's folders (defaults under desk.data_dir)."""

    maildir: RelativePath
    outbox_dir: RelativePath


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
        return one_of(PUBLISH_FORMATS, value)

    @field_validator("approval")
    @classmethod
    def _approval_mode(cls, value: str) -> str:
        return one_of(APPROVAL_MODES, value)


class ScheduleSettings(Section):
    """``[schedule]``: the worker's round."""

    poll_seconds: Positive = 60


class RetentionSettings(Section):
    """``[retention]``: how long the raw mail (bodies and attachments) is kept; headers,
    hashes, letters' texts and the audit are kept for good.  0: keep it for ever."""

    other_mail_days: Count = 30  # mail that is no letter, counted from when it was handled
    published_letter_days: Count = 90  # a letter's mail (and its replies') after publication
    cron: Text = "15 3 * * *"  # when `intake run` prunes, in desk.timezone

    @field_validator("cron")
    @classmethod
    def _crontab(cls, value: str) -> str:
        return crontab_line(value)


class AuthorSettings(Section):
    """``[authors]``: the author round trip: deadline, key, reminders, declines, trust."""

    response_days: Positive = 5
    key_valid_days: Positive = 30
    reminder_days: Count = 3  # 0: no reminders
    max_reminders: Count = 1
    decline_words: tuple[Word, ...] = (
        "no reply", "no response", "decline", "declined", "pass", "no comment", "no thanks",
    )  # fmt: skip
    aliases: dict[Address, tuple[Address, ...]] = Field(default_factory=dict)
    authserv_id: Text = ""  # our own server's id in Authentication-Results; "": not checked
    max_requests_per_writer_article: Positive = 1  # further letters wait for an editor
    max_requests_per_writer_day: Positive = 5  # a writer's letters sent to authors in 24 h
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
    # seconds one message may take to parse, classify and route before it is quarantined
    budget_seconds: float = Field(default=30.0, strict=True, gt=0.0)
    # processes reading and sorting a backlog beside the poll's own (0: in the poll's process)
    sort_processes: int = Field(default=1, strict=True, ge=0, le=64)


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


class WebSettings(Section):
    """``[web]``: the editors' desk in a browser (``intake web``), signed in by mailed link."""

    enabled: Switch = False  # also serve the desk inside `intake run`
    host: Text = "127.0.0.1"  # loopback: put a reverse proxy with TLS in front of it
    port: int = Field(default=8025, strict=True, ge=1, le=65535)
    base_url: Text = ""  # the address editors open ("": http://host:port/); links use it
    # signs the sign-in links; None: generated once and kept in the database
    secret_env: SecretFromEnv | None = None
    session_hours: Positive = 12  # a signed-in browser stays signed in this long
    link_minutes: Positive = 15  # a mailed sign-in link works this long, once
    requests_per_hour: Positive = 5  # sign-in requests per address and per client
    # also serve /metrics, and /healthz with its problem lines, as `[health] listen` does;
    # off: this port may face the internet, and /healthz says only healthy or not
    metrics: Switch = False

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not re.fullmatch(r"https?://[^\s/?#]+(?:/[^\s?#]*)?", value):
            raise KeyProblem(f"must be an http(s) URL (https://desk.example.org), got {value!r}")
        return value

    @property
    def url(self) -> str:
        """Where editors reach the desk, without a trailing slash."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return self.base_url or f"http://{host}:{self.port}"

    @property
    def secret(self) -> str:
        """The key signing sign-in links ("": generated and kept in the database)."""
        return (self.secret_env.value or "") if self.secret_env else ""


class OutboxSettings(Section):
    """``[outbox]``: retrying outgoing mail."""

    max_attempts: Positive = 8
    retry_seconds: Positive = 60


class HealthSettings(Section):
    """``[health]``: when the worker counts as unhealthy (``intake status``), and where
    ``intake run`` serves ``/healthz`` and ``/metrics``."""

    # no round started or ended for this long (or three rounds, if longer): the worker is
    # stopped or stuck; keep it above the longest round you expect
    stale_minutes: Positive = 15
    # "HOST:PORT" where `intake run` serves /healthz and /metrics ("": no server); keep it
    # a loopback or private address: the answers are not authenticated
    listen: Text = ""

    @field_validator("listen")
    @classmethod
    def _host_and_port(cls, value: str) -> str:
        if value:
            listen_address(value)
        return value

    @property
    def listen_at(self) -> tuple[str, int] | None:
        """``listen`` as (host, port), or None when no server is wanted."""
        return listen_address(self.listen) if self.listen else None


def listen_address(value: str) -> tuple[str, int]:
    """``127.0.0.1:9464``, ``[::1]:9464``, ``localhost:9464`` as (host, port)."""
    host, colon, port = value.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not colon or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise KeyProblem(f"must be HOST:PORT (such as 127.0.0.1:9464), got {value!r}")
    return host, int(port)


__all__ = [
    "PUBLISH_FORMATS",
    "ArticlesSettings",
    "AuthorSettings",
    "ClassifySettings",
    "DeskSettings",
    "DigestSettings",
    "HealthSettings",
    "LocalSettings",
    "OutboxSettings",
    "PolicySettings",
    "PublishSettings",
    "ScheduleSettings",
    "WebSettings",
    "WriterSettings",
]
