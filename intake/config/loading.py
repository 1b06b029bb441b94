"""Reading the config: the TOML file and the environment in, :class:`Settings` out.

``load_settings(text, environ, path=…, cwd=…)`` is a pure function of the
file's text and an environment mapping: it validates every key at start and
raises :class:`intake.domain.errors.ConfigError` naming the first bad one, so
a bad config fails with one clear line.  Relative paths are taken relative to
the config file (or *cwd* without one).  ``read_settings`` reads the file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from intake.config.errors import config_error
from intake.config.fields import LoadContext
from intake.config.schema import Settings
from intake.domain.errors import ConfigError


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
    context = LoadContext(base=path.parent if path is not None else cwd, environ=environ, path=path)
    try:
        return Settings.model_validate(doc, context=context)
    except ValidationError as exc:
        raise config_error(exc, Settings) from None


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
