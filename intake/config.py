"""Settings: one TOML file plus secrets from the environment.

``load_settings(path, environ)`` is a pure function of the file's text and an
environment mapping: it validates every key at start and raises
:class:`intake.domain.errors.ConfigError` naming the offending key, so a bad config
fails with one clear line.  Unknown keys are errors too (a typo must not be
silently ignored).  Relative paths are taken relative to the config file.
Without ``[imap]``/``[smtp]`` intake runs on the embedded default: a local
Maildir inbox and a local outbox folder under ``desk.data_dir``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from intake.domain.approval import APPROVAL_MODES, DEFAULT_APPROVAL
from intake.domain.errors import ConfigError
from intake.sorting.policy import LettersPolicy

SECURITY_MODES = ("none", "starttls", "ssl")
PUBLISH_FORMATS = ("md", "html", "txt", "json")


@dataclass(frozen=True, slots=True, kw_only=True)
class DeskSettings:
    publication: str
    address: str
    editors: tuple[str, ...]
    timezone: str
    data_dir: Path

    @property
    def domain(self) -> str:
        return self.address.partition("@")[2]


@dataclass(frozen=True, slots=True, kw_only=True)
class DigestSettings:
    """The editors' digest ([digest]) and the key for their commands by email."""

    enabled: bool = True
    cron: str = "0 8 * * *"  # crontab fields, in the desk's time zone
    token_valid_days: int = 7
    command_secret: str = field(default="", repr=False)  # desk.secret_env; "" = kept in the db


@dataclass(frozen=True, slots=True, kw_only=True)
class ImapSettings:
    host: str
    port: int
    security: str
    username: str
    password: str = field(repr=False)
    folder: str
    processed_keyword: str
    quarantine_keyword: str
    move_processed_to: str
    batch_bytes: int
    ca_file: str
    timeout_seconds: float
    idle: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    username: str
    password: str = field(repr=False)
    from_address: str
    ca_file: str
    timeout_seconds: float


@dataclass(frozen=True, slots=True, kw_only=True)
class LocalSettings:
    maildir: Path
    outbox_dir: Path


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthorSettings:
    """The author round trip beyond the deadline: reminders, declines, aliases, trust."""

    reminder_days: int = 3
    max_reminders: int = 1
    decline_words: tuple[str, ...] = ("no reply", "no response", "decline", "declined", "pass",
                                      "no comment", "no thanks")  # fmt: skip
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    authserv_id: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class WriterSettings:
    acknowledge: bool = False
    ask_for_details: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Everything intake was configured with."""

    desk: DeskSettings
    imap: ImapSettings | None
    smtp: SmtpSettings | None
    local: LocalSettings
    database_url: str
    articles_source: str
    articles_refresh_minutes: int
    publish_out_dir: Path
    publish_format: str
    poll_seconds: int
    response_days: int
    key_valid_days: int
    review_below: float
    max_message_mb: int
    outbox_max_attempts: int
    outbox_retry_seconds: int
    config_path: Path | None = None
    authors: AuthorSettings = field(default_factory=lambda: AuthorSettings())
    writers: WriterSettings = field(default_factory=lambda: WriterSettings())
    letters: LettersPolicy = field(default_factory=lambda: LettersPolicy())  # [policy]
    digest: DigestSettings = field(default_factory=lambda: DigestSettings())
    publish_house_style: Path | None = None  # None: the house style shipped with intake
    publish_approval: str = DEFAULT_APPROVAL  # "editor": only an editor's approve prints


_KNOWN: dict[str, set[str]] = {
    "desk": {"publication", "address", "editors", "timezone", "data_dir", "secret_env"},
    "digest": {"enabled", "cron", "token_valid_days"},
    "imap": {
        "host", "port", "security", "username", "password_env", "folder",
        "processed_keyword", "quarantine_keyword", "move_processed_to", "batch_bytes",
        "ca_file", "timeout_seconds", "idle",
    },
    "smtp": {
        "host", "port", "security", "username", "password_env", "from", "ca_file",
        "timeout_seconds",
    },
    "local": {"maildir", "outbox_dir"},
    "database": {"url"},
    "articles": {"source", "refresh_minutes"},
    "publish": {"out_dir", "format", "house_style", "approval"},
    "schedule": {"poll_seconds"},
    "authors": {
        "response_days", "key_valid_days", "reminder_days", "max_reminders", "decline_words",
        "aliases", "authserv_id",
    },
    "writers": {"acknowledge", "ask_for_details"},
    "classify": {"review_below", "max_message_mb"},
    "outbox": {"max_attempts", "retry_seconds"},
    "policy": {
        "word_limit", "max_article_age_days", "require_full_name", "require_town",
        "require_phone_or_address", "require_exclusivity",
    },
}  # fmt: skip


def _is_address(value: str) -> bool:
    local, at, domain = value.strip().partition("@")
    return bool(local and at and "." in domain) and " " not in value.strip()


class _Section:
    """Typed reads from one TOML table, each error naming ``section.key``."""

    def __init__(self, name: str, data: Mapping[str, Any]) -> None:
        self.name = name
        self.data = data
        unknown = sorted(set(data) - _KNOWN[name])
        if unknown:
            raise ConfigError(
                f"{name}.{unknown[0]}", "unknown key (see config/intake.example.toml)"
            )

    def _key(self, key: str) -> str:
        return f"{self.name}.{key}"

    def text(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if value is None:
            raise ConfigError(self._key(key), "is required")
        if not isinstance(value, str):
            raise ConfigError(self._key(key), f"must be a string, got {value!r}")
        return value

    def whole(self, key: str, default: int, *, minimum: int = 0) -> int:
        value = self.data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool):
            raise ConfigError(self._key(key), f"must be a whole number, got {value!r}")
        if value < minimum:
            raise ConfigError(self._key(key), f"must be at least {minimum}, got {value}")
        return value

    def number(self, key: str, default: float, *, low: float, high: float) -> float:
        value = self.data.get(key, default)
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ConfigError(self._key(key), f"must be a number, got {value!r}")
        if not low <= value <= high:
            raise ConfigError(self._key(key), f"must be between {low} and {high}, got {value}")
        return float(value)

    def boolean(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise ConfigError(self._key(key), f"must be true or false, got {value!r}")
        return value

    def choice(self, key: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.text(key, default)
        if value not in choices:
            raise ConfigError(self._key(key), f"must be one of {', '.join(choices)}; got {value!r}")
        return value

    def address(self, key: str, default: str | None = None) -> str:
        value = self.text(key, default).strip()
        if not _is_address(value):
            raise ConfigError(self._key(key), f"must be an email address, got {value!r}")
        return value.lower()

    def path(self, key: str, default: Path, base: Path) -> Path:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, str) or not value:
            raise ConfigError(self._key(key), f"must be a path, got {value!r}")
        path = Path(value).expanduser()
        return path if path.is_absolute() else base / path

    def optional_path(self, key: str, base: Path) -> str:
        value = self.text(key, "")
        if not value:
            return ""
        path = Path(value).expanduser()
        return str(path if path.is_absolute() else base / path)

    def secret(self, key: str, environ: Mapping[str, str], *, required: bool) -> str:
        env_name = self.data.get(key)
        if env_name is None:
            if required:
                raise ConfigError(
                    self._key(key),
                    "is required: the name of the environment variable holding the password",
                )
            return ""
        if not isinstance(env_name, str) or not env_name:
            raise ConfigError(
                self._key(key), f"must name an environment variable, got {env_name!r}"
            )
        if env_name not in environ:
            raise ConfigError(self._key(key), f"environment variable {env_name} is not set")
        return environ[env_name]


def _section(doc: Mapping[str, Any], name: str) -> _Section | None:
    value = doc.get(name)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ConfigError(name, "must be a table ([" + name + "])")
    return _Section(name, value)


_DEFAULT_PORTS = {"imap": {"ssl": 993, "starttls": 143, "none": 143},
                  "smtp": {"ssl": 465, "starttls": 587, "none": 25}}  # fmt: skip


def _imap(sec: _Section, environ: Mapping[str, str], base: Path) -> ImapSettings:
    security = sec.choice("security", "ssl", SECURITY_MODES)
    return ImapSettings(
        host=sec.text("host"),
        port=sec.whole("port", _DEFAULT_PORTS["imap"][security], minimum=1),
        security=security,
        username=sec.text("username"),
        password=sec.secret("password_env", environ, required=True),
        folder=sec.text("folder", "INBOX"),
        processed_keyword=sec.text("processed_keyword", "$IntakeProcessed"),
        quarantine_keyword=sec.text("quarantine_keyword", "$IntakeQuarantined"),
        move_processed_to=sec.text("move_processed_to", ""),
        batch_bytes=sec.whole("batch_bytes", 20_000_000, minimum=1),
        ca_file=sec.optional_path("ca_file", base),
        timeout_seconds=sec.number("timeout_seconds", 60.0, low=1, high=3600),
        idle=sec.boolean("idle", True),
    )


def _smtp(sec: _Section, environ: Mapping[str, str], base: Path, desk_address: str) -> SmtpSettings:
    security = sec.choice("security", "starttls", SECURITY_MODES)
    username = sec.text("username", "")
    return SmtpSettings(
        host=sec.text("host"),
        port=sec.whole("port", _DEFAULT_PORTS["smtp"][security], minimum=1),
        security=security,
        username=username,
        password=sec.secret("password_env", environ, required=bool(username)),
        from_address=sec.address("from", desk_address),
        ca_file=sec.optional_path("ca_file", base),
        timeout_seconds=sec.number("timeout_seconds", 60.0, low=1, high=3600),
    )


def _digest(sec: _Section, desk: _Section, environ: Mapping[str, str], tz: str) -> DigestSettings:
    from intake.app.digestrun import cron_trigger

    cron = sec.text("cron", "0 8 * * *").strip()
    try:
        cron_trigger(cron, tz)
    except ValueError as exc:
        raise ConfigError("digest.cron", f"not a crontab schedule ({exc}): {cron!r}") from exc
    return DigestSettings(
        enabled=sec.boolean("enabled", True),
        cron=cron,
        token_valid_days=sec.whole("token_valid_days", 7, minimum=1),
        command_secret=desk.secret("secret_env", environ, required=False),
    )


def _string_list(sec: _Section, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = sec.data.get(key, list(default))
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{sec.name}.{key}", "must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _authors(sec: _Section) -> AuthorSettings:
    aliases_raw = sec.data.get("aliases", {})
    if not isinstance(aliases_raw, dict):
        raise ConfigError("authors.aliases", 'must be a table: "author@x" = ["alias@y", …]')
    aliases: dict[str, tuple[str, ...]] = {}
    for author, others in aliases_raw.items():
        key = f"authors.aliases.{author}"
        if not _is_address(author):
            raise ConfigError(key, "the key must be an author's email address")
        if not isinstance(others, list) or not all(
            isinstance(o, str) and _is_address(o) for o in others
        ):
            raise ConfigError(key, "must be a list of email addresses")
        aliases[author.lower()] = tuple(o.strip().lower() for o in others)
    defaults = AuthorSettings()
    return AuthorSettings(
        reminder_days=sec.whole("reminder_days", defaults.reminder_days, minimum=0),
        max_reminders=sec.whole("max_reminders", defaults.max_reminders, minimum=0),
        decline_words=tuple(
            w.lower() for w in _string_list(sec, "decline_words", defaults.decline_words)
        ),
        aliases=aliases,
        authserv_id=sec.text("authserv_id", "").strip().lower(),
    )


def _writers(sec: _Section) -> WriterSettings:
    return WriterSettings(
        acknowledge=sec.boolean("acknowledge", False),
        ask_for_details=sec.boolean("ask_for_details", True),
    )


def _letters_policy(sec: _Section) -> LettersPolicy:
    defaults = LettersPolicy()
    return LettersPolicy(
        word_limit=sec.whole("word_limit", defaults.word_limit, minimum=0),
        max_article_age_days=sec.whole(
            "max_article_age_days", defaults.max_article_age_days, minimum=0
        ),
        require_full_name=sec.boolean("require_full_name", defaults.require_full_name),
        require_town=sec.boolean("require_town", defaults.require_town),
        require_phone_or_address=sec.boolean(
            "require_phone_or_address", defaults.require_phone_or_address
        ),
        require_exclusivity=sec.boolean("require_exclusivity", defaults.require_exclusivity),
    )


def load_settings(
    text: str | None, environ: Mapping[str, str], *, path: Path | None = None, cwd: Path
) -> Settings:
    """Validate the TOML *text* (``None``: no file, all defaults) into :class:`Settings`.

    :raises ConfigError: naming the first bad key.
    """
    try:
        doc: dict[str, Any] = tomllib.loads(text) if text is not None else {}
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path or "config"), f"not valid TOML: {exc}") from exc
    unknown = sorted(set(doc) - set(_KNOWN))
    if unknown:
        raise ConfigError(unknown[0], "unknown section (see config/intake.example.toml)")
    base = path.parent if path is not None else cwd
    empty = _Section

    d = _section(doc, "desk") or empty("desk", {})
    editors_raw = d.data.get("editors", [])
    if not isinstance(editors_raw, list) or not all(isinstance(e, str) for e in editors_raw):
        raise ConfigError("desk.editors", "must be a list of email addresses")
    editors = tuple(_Section("desk", {"editors": e}).address("editors") for e in editors_raw)
    tz = d.text("timezone", "UTC")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError("desk.timezone", f"unknown time zone {tz!r}") from exc
    data_dir = d.path("data_dir", base / "intake-data", base)
    desk = DeskSettings(
        publication=d.text("publication", "The Letters Desk"),
        address=d.address("address", "letters@localhost.localdomain"),
        editors=editors,
        timezone=tz,
        data_dir=data_dir,
    )

    imap_sec = _section(doc, "imap")
    smtp_sec = _section(doc, "smtp")
    loc = _section(doc, "local") or empty("local", {})
    db = _section(doc, "database") or empty("database", {})
    art = _section(doc, "articles") or empty("articles", {})
    pub = _section(doc, "publish") or empty("publish", {})
    sch = _section(doc, "schedule") or empty("schedule", {})
    aut = _section(doc, "authors") or empty("authors", {})
    cls = _section(doc, "classify") or empty("classify", {})
    out = _section(doc, "outbox") or empty("outbox", {})

    db_url = db.text("url", f"sqlite:///{data_dir / 'intake.db'}")
    if "://" not in db_url:
        raise ConfigError(
            "database.url", f"must be an SQLAlchemy URL like sqlite:///path, got {db_url!r}"
        )
    source = art.text("source", "")
    if source and "://" not in source:
        source_path = art.path("source", Path(source), base)
        if not source_path.is_file():
            raise ConfigError("articles.source", f"file not found: {source_path}")
        source = str(source_path)
    house_style = pub.optional_path("house_style", base)
    if house_style and not Path(house_style).is_file():
        raise ConfigError("publish.house_style", f"file not found: {house_style}")

    return Settings(
        desk=desk,
        imap=_imap(imap_sec, environ, base) if imap_sec else None,
        smtp=_smtp(smtp_sec, environ, base, desk.address) if smtp_sec else None,
        local=LocalSettings(
            maildir=loc.path("maildir", data_dir / "inbox", base),
            outbox_dir=loc.path("outbox_dir", data_dir / "outbox", base),
        ),
        database_url=db_url,
        articles_source=source,
        articles_refresh_minutes=art.whole("refresh_minutes", 60, minimum=1),
        publish_out_dir=pub.path("out_dir", data_dir / "published", base),
        publish_format=pub.choice("format", "md", PUBLISH_FORMATS),
        publish_house_style=Path(house_style) if house_style else None,
        publish_approval=pub.choice("approval", DEFAULT_APPROVAL, APPROVAL_MODES),
        poll_seconds=sch.whole("poll_seconds", 60, minimum=1),
        response_days=aut.whole("response_days", 5, minimum=1),
        key_valid_days=aut.whole("key_valid_days", 30, minimum=1),
        review_below=cls.number("review_below", 0.6, low=0.0, high=1.0),
        max_message_mb=cls.whole("max_message_mb", 50, minimum=1),
        outbox_max_attempts=out.whole("max_attempts", 8, minimum=1),
        outbox_retry_seconds=out.whole("retry_seconds", 60, minimum=1),
        config_path=path,
        authors=_authors(aut),
        writers=_writers(_section(doc, "writers") or empty("writers", {})),
        letters=_letters_policy(_section(doc, "policy") or empty("policy", {})),
        digest=_digest(_section(doc, "digest") or empty("digest", {}), d, environ, tz),
    )


def read_settings(path: Path | None, environ: Mapping[str, str], cwd: Path) -> Settings:
    """Read and validate the config file at *path* (``None``: defaults only)."""
    if path is None:
        return load_settings(None, environ, cwd=cwd)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(str(path), "config file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), f"cannot read config file: {exc}") from exc
    return load_settings(text, environ, path=path.resolve(), cwd=cwd)
