"""The sections that say how to reach other servers: ``[imap]``, ``[smtp]``, ``[database]``.

Each holds connection details and the secret its ``password_env`` key names
(from the environment, never from the file; the mailbox passwords are required
only by the code that connects, through ``password``, so the editors' commands
run with only the database reachable); their defaults
are written here, once.  Left out, ``[imap]`` and ``[smtp]`` mean the embedded
default (a local Maildir and outbox folder); ``[database]`` means SQLite under
``desk.data_dir``.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator, model_validator
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from intake.config.fields import (
    Address,
    KeyProblem,
    OptionalPath,
    Positive,
    Seconds,
    SecretFromEnv,
    SecretWhenConnecting,
    Section,
    Switch,
    Text,
    one_of,
)

SECURITY_MODES = ("ssl", "starttls", "none")  # implicit TLS, STARTTLS, plain
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
    password_env: SecretWhenConnecting = Field(
        description="the name of the environment variable holding the password"
    )
    folder: Text = "INBOX"
    processed_keyword: Text = "$IntakeProcessed"
    quarantine_keyword: Text = "$IntakeQuarantined"
    move_processed_to: Text = ""
    # bytes per FETCH: every byte of a batch is read before the first is stored, and the many
    # small buffers of a large batch leave the heap that much larger once freed
    batch_bytes: Positive = 4_000_000
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
        return one_of(SECURITY_MODES, value)

    @property
    def password(self) -> str:
        """The password, for the code that logs in; a missing one is a config error."""
        return self.password_env.required("imap.password_env")


class SmtpSettings(Section):
    """``[smtp]``: outgoing mail (without it: the local outbox folder)."""

    host: Text
    security: Text = "starttls"  # one of SECURITY_MODES
    port: Positive  # default: the security mode's port
    username: Text = ""  # no login
    password_env: SecretWhenConnecting | None = None  # required with a username
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
        return one_of(SECURITY_MODES, value)

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
        """The password, for the code that logs in; a missing one is a config error."""
        return self.password_env.required("smtp.password_env") if self.password_env else ""


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
