"""Reading the house-style file: the one place its bytes come off the disk.

What the file may say, and what a mistake in it reads like, is
:mod:`intake.printing.housestyle`'s (pure); this module only reads it.
"""

from __future__ import annotations

from pathlib import Path

from intake.domain.errors import ConfigError
from intake.printing.housestyle import CONFIG_KEY, HouseStyle, parse_house_style


def load_house_style(path: Path) -> HouseStyle:
    """Read and validate the house-style file at *path*."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(CONFIG_KEY, f"house style file not found: {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(CONFIG_KEY, f"cannot read house style {path}: {exc}") from exc
    return parse_house_style(text, str(path))
