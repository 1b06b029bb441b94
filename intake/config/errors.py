"""A failed validation as one line naming ``section.key``: what an operator reads at start.

pydantic reports every problem with its location and a type; this module
names the key (``imap.port``, ``authors.aliases.a@b.test``; a list's index is
left out: ``desk.editors``) and says what the key must be, in the words the
example config uses.  Only the first problem is reported: fixing one key at a
time is how a config file is edited.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from intake.config.fields import KeyProblem
from intake.domain.errors import ConfigError

_SEE_EXAMPLE = "(see config/intake.example.toml)"


def _key(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc if isinstance(part, str) and part != "[key]")


def _field(model: type[BaseModel], loc: tuple[int | str, ...]) -> Any:
    """The pydantic field at *loc*, or None (a dict key, a list item)."""
    found = None
    for part in loc:
        fields = getattr(model, "model_fields", {})
        found = next(
            (f for name, f in fields.items() if part in (name, f.alias)),
            None,
        )
        if found is None:
            return None
        model = next((a for a in getattr(found.annotation, "__args__", ())
                      if isinstance(a, type) and issubclass(a, BaseModel)),
                     found.annotation)  # fmt: skip
    return found


def _problem(error: ErrorDetails, root: type[BaseModel]) -> str:
    kind, value, ctx = error["type"], error["input"], error.get("ctx", {})
    if kind == "value_error" and isinstance(ctx.get("error"), KeyProblem):
        return str(ctx["error"].problem)
    if kind == "missing":
        field = _field(root, error["loc"])
        why = getattr(field, "description", None)
        return f"is required: {why}" if why else "is required"
    if kind == "extra_forbidden":
        what = "section" if len(error["loc"]) == 1 else "key"
        return f"unknown {what} {_SEE_EXAMPLE}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "must be a table" + (f" ([{error['loc'][0]}])" if len(error["loc"]) == 1 else "")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"must be a whole number, got {value!r}"
    if kind in ("float_type", "float_parsing"):
        return f"must be a number, got {value!r}"
    if kind in ("bool_type", "bool_parsing"):
        return f"must be true or false, got {value!r}"
    if kind in ("string_type", "string_sub_type"):
        return f"must be a string, got {value!r}"
    if kind in ("list_type", "tuple_type"):
        return f"must be a list, got {value!r}"
    if kind == "greater_than_equal":
        return f"must be at least {ctx['ge']}, got {value!r}"
    if kind == "less_than_equal":
        return f"must be at most {ctx['le']}, got {value!r}"
    return str(error["msg"])


def config_error(exc: ValidationError, root: type[BaseModel]) -> ConfigError:
    """The first problem of *exc* (validating *root*) as a :class:`ConfigError`."""
    error = exc.errors()[0]
    loc = error["loc"]
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, KeyProblem) and cause.key:
        loc = (*loc, cause.key)
    return ConfigError(_key(loc) or "config", _problem(error, root))
