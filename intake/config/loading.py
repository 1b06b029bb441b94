"""Reading the config: the TOML file and the environment in, :class:`Settings` out.

``load_settings(text, environ, path=…, cwd=…)`` is a pure function of the
file's text and an environment mapping: it validates every key at start and
raises :class:`intake.domain.errors.ConfigError` naming the first bad one, so
a bad config fails with one clear line.  Relative paths are taken relative to
the config file (or *cwd* without one).  ``read_settings`` reads the file.

Two variables of the environment a service manager sets are read here:
``INTAKE_DATA_DIR``, when set, is the data folder whatever ``desk.data_dir``
says (the systemd units and the container image set it to the one folder the
service may write), and ``CREDENTIALS_DIRECTORY`` (systemd's ``LoadCredential=``,
or ``/run/secrets`` in a container) holds one file per secret, named after the
variable a ``*_env`` key names; a variable set in the environment wins.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from intake.config.errors import config_error
from intake.config.fields import LoadContext
from intake.config.schema import Settings
from intake.domain.errors import ConfigError

DATA_DIR_ENV = "INTAKE_DATA_DIR"
CREDENTIALS_ENV = "CREDENTIALS_DIRECTORY"
_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MAX_CREDENTIAL_BYTES = 64 * 1024  # a password, a key: never a whole file of data


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
    doc = _data_dir_from_environment(doc, environ, cwd)
    context = LoadContext(base=path.parent if path is not None else cwd, environ=environ, path=path)
    try:
        return Settings.model_validate(doc, context=context)
    except ValidationError as exc:
        raise config_error(exc, Settings) from None


def read_settings(path: Path | None, environ: Mapping[str, str], cwd: Path) -> Settings:
    """Read and validate the config file at *path* (``None``: defaults only), with the
    secrets of ``$CREDENTIALS_DIRECTORY`` (:func:`with_credentials`)."""
    environ = with_credentials(environ)
    if path is None:
        return load_settings(None, environ, cwd=cwd)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(str(path), "config file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), f"cannot read config file: {exc}") from exc
    return load_settings(text, environ, path=path.resolve(), cwd=cwd)


def _data_dir_from_environment(
    doc: dict[str, Any], environ: Mapping[str, str], cwd: Path
) -> dict[str, Any]:
    """*doc* with ``desk.data_dir`` set from ``$INTAKE_DATA_DIR`` (taken from *cwd* when
    relative), when that is set; a ``[desk]`` that is no table is left for its own error."""
    data_dir = environ.get(DATA_DIR_ENV, "")
    desk = doc.get("desk", {})
    if not data_dir or not isinstance(desk, dict):
        return doc
    return {**doc, "desk": {**desk, "data_dir": str(cwd / data_dir)}}


def with_credentials(environ: Mapping[str, str]) -> Mapping[str, str]:
    """*environ* and, under it, the secrets in ``$CREDENTIALS_DIRECTORY``: each file whose
    name is a variable's name gives that variable its text (one final line break dropped).

    :raises ConfigError: when the folder cannot be read, or a secret in it is unreadable.
    """
    directory = environ.get(CREDENTIALS_ENV, "")
    if not directory:
        return environ
    found: dict[str, str] = {}
    try:
        entries = sorted(Path(directory).iterdir())
    except OSError as exc:
        raise ConfigError(CREDENTIALS_ENV, f"cannot read {directory}: {exc.strerror}") from exc
    for entry in entries:
        if entry.name in environ or not _VARIABLE_NAME.fullmatch(entry.name):
            continue
        try:
            if not entry.is_file() or entry.stat().st_size > _MAX_CREDENTIAL_BYTES:
                continue
            text = entry.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(CREDENTIALS_ENV, f"cannot read the secret {entry}: {exc}") from exc
        found[entry.name] = text.removesuffix("\n").removesuffix("\r")
    return {**found, **environ}
