"""The kinds of value a config key holds, each checked the same way in every section,
and :class:`Section`, the base of every section's model.

Every section model (:mod:`intake.config.sections`) is built from these
annotated types: strict scalars (TOML's ``"993"`` is not a port, ``"yes"`` is
not true), email addresses, paths taken relative to the config file, and
secrets read from the environment variable a ``*_env`` key names (a mailbox
password, :data:`SecretWhenConnecting`, is required only by the code that
connects, so the desk's commands run without it).  Checks that
need the file's folder or the environment read them from the validation
context :mod:`intake.config.loading` passes (:class:`LoadContext`).

A check that fails raises :class:`KeyProblem`, a ``ValueError`` pydantic
reports like its own errors; :mod:`intake.config.errors` turns either into the
one line naming ``section.key``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, TypedDict

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    Strict,
    ValidationInfo,
)

from intake.domain.errors import ConfigError

__all__ = [
    "Address",
    "CatalogueSource",
    "Count",
    "KeyProblem",
    "LoadContext",
    "OptionalFile",
    "OptionalPath",
    "Positive",
    "RelativePath",
    "RelaySender",
    "Seconds",
    "Secret",
    "SecretFromEnv",
    "SecretWhenConnecting",
    "Section",
    "Switch",
    "Text",
    "Word",
    "one_of",
]


class KeyProblem(ValueError):
    """A value that fails a check of ours; *key* (below the field that failed) makes the
    error name the key at fault when the check runs on a whole section."""

    def __init__(self, problem: str, *, key: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.key = key


class LoadContext(TypedDict):
    """What checks may read besides the file: its folder, the environment, the file itself."""

    base: Path  # relative paths start here
    environ: Mapping[str, str]
    path: Path | None  # the config file (None: no file)


def _context(info: ValidationInfo) -> LoadContext:
    context = info.context
    if not isinstance(context, dict) or "base" not in context or "environ" not in context:
        raise TypeError("config sections are validated through intake.config.load_settings")
    return LoadContext(base=context["base"], environ=context["environ"], path=context.get("path"))


@dataclass(frozen=True, slots=True)
class Secret:
    """A secret and the environment variable it came from; its repr shows only the name.

    ``value`` is ``None`` when the variable was not set and the secret is only needed
    to connect (:data:`SecretWhenConnecting`): :meth:`required` says which is missing.
    """

    env_name: str
    value: str | None = field(default=None, repr=False)

    def required(self, key: str) -> str:
        """The secret, for the code that connects; a missing one names *key* and the variable.

        :raises ConfigError: when the environment variable was not set.
        """
        if self.value is None:
            raise ConfigError(key, f"environment variable {self.env_name} is not set")
        return self.value


def _secret_from_env(value: Any, info: ValidationInfo) -> Secret:
    if isinstance(value, Secret):
        return value
    if not isinstance(value, str) or not value:
        raise KeyProblem(f"must name an environment variable, got {value!r}")
    environ = _context(info)["environ"]
    if value not in environ:
        raise KeyProblem(f"environment variable {value} is not set")
    return Secret(value, environ[value])


def _secret_when_connecting(value: Any, info: ValidationInfo) -> Secret:
    if isinstance(value, Secret):
        return value
    if not isinstance(value, str) or not value:
        raise KeyProblem(f"must name an environment variable, got {value!r}")
    return Secret(value, _context(info)["environ"].get(value))


def _is_address(value: str) -> bool:
    local, at, domain = value.partition("@")
    return bool(local and at and "." in domain) and " " not in value


def _address(value: str) -> str:
    value = value.strip()
    if not _is_address(value):
        raise KeyProblem(f"must be an email address, got {value!r}")
    return value.lower()


def _relay_sender(value: str) -> str:
    value = value.strip()
    if not (_is_address(value) or (value.startswith("@") and _is_address("x" + value))):
        raise KeyProblem(f"must be an email address or @domain, got {value!r}")
    return value.lower()


def _non_empty(value: str) -> str:
    value = value.strip()
    if not value:
        raise KeyProblem("must not be empty")
    return value


def _relative_path(value: Any, info: ValidationInfo) -> Path:
    if isinstance(value, str) and value:
        value = Path(value)
    if not isinstance(value, Path):
        raise KeyProblem(f"must be a path, got {value!r}")
    path = value.expanduser()
    return path if path.is_absolute() else _context(info)["base"] / path


def _optional_path(value: Any, info: ValidationInfo) -> Path | None:
    return None if value == "" else _relative_path(value, info)


def _optional_file(value: Any, info: ValidationInfo) -> Path | None:
    path = _optional_path(value, info)
    if path is not None and not path.is_file():
        raise KeyProblem(f"file not found: {path}")
    return path


def _catalogue_source(value: str, info: ValidationInfo) -> str:
    if not value or "://" in value:
        return value
    path = _relative_path(value, info)
    if not path.is_file():
        raise KeyProblem(f"file not found: {path}")
    return str(path)


Text = Annotated[str, Strict()]
"""A string, as written."""
Word = Annotated[str, Strict(), AfterValidator(_non_empty)]
"""A string that is not blank, without surrounding spaces."""
Switch = Annotated[bool, Strict()]
"""``true`` or ``false``, nothing else."""
Count = Annotated[int, Strict(), Field(ge=0)]
"""A whole number, 0 or more (0 switches a limit off where the key says so)."""
Positive = Annotated[int, Strict(), Field(ge=1)]
"""A whole number, 1 or more."""
Seconds = Annotated[float, Strict(), Field(ge=1, le=3600)]
"""A network timeout in seconds."""
Address = Annotated[str, Strict(), AfterValidator(_address)]
# a relay sender: an address, or "@domain" for every address of the domain
RelaySender = Annotated[str, Strict(), AfterValidator(_relay_sender)]
"""An email address, stripped and lower-cased."""
RelativePath = Annotated[Path, PlainValidator(_relative_path)]
"""A path; relative ones are taken from the config file's folder."""
OptionalPath = Annotated[Path | None, PlainValidator(_optional_path)]
"""A path, or ``""`` (none)."""
OptionalFile = Annotated[Path | None, PlainValidator(_optional_file)]
"""A file that must exist, or ``""`` (none)."""
CatalogueSource = Annotated[str, Strict(), AfterValidator(_catalogue_source)]
"""A catalogue: an http(s) URL, or a file that must exist; ``""`` for none."""
SecretFromEnv = Annotated[Secret, PlainValidator(_secret_from_env)]
"""A ``*_env`` key: the name of an environment variable, read at load time."""
SecretWhenConnecting = Annotated[Secret, PlainValidator(_secret_when_connecting)]
"""A ``*_env`` key for a server's password: required only by the code that connects
(:meth:`Secret.required`), so commands that only read and write the database run
without it."""


class Section(BaseModel):
    """A TOML table: typed, frozen, and no key it does not know."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def one_of(choices: tuple[str, ...], value: str) -> str:
    """*value* if it is one of *choices*; else the error that lists them."""
    if value not in choices:
        raise KeyProblem(f"must be one of {', '.join(choices)}; got {value!r}")
    return value
