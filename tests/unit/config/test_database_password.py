"""The database password: from the environment if wished, and never printed (issue 13, finding 9)."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from intake.cli.terminal import VisibleFormatter, say, say_json
from intake.config import load_settings
from intake.domain.errors import ConfigError
from intake.domain.maskedurls import mask_passwords
from intake.worker import build_deps

SECRET = "p@ss:w/rd %s3cret"  # every character a URL would have to quote
WITH_ENV = """
[database]
url = "postgresql+psycopg://intake@db.news.test:5432/letters"
password_env = "INTAKE_DATABASE_PASSWORD"
"""


def load(text: str, environ: dict[str, str], tmp_path: Path):  # type: ignore[no-untyped-def]
    return load_settings(text, environ, path=tmp_path / "intake.toml", cwd=tmp_path)


def test_the_password_from_the_environment_goes_into_the_url(tmp_path: Path) -> None:
    settings = load(WITH_ENV, {"INTAKE_DATABASE_PASSWORD": SECRET}, tmp_path)
    url = make_url(settings.database.connect_url)
    assert url.password == SECRET
    assert (url.username, url.host, url.port, url.database) == (
        "intake", "db.news.test", 5432, "letters")  # fmt: skip
    assert settings.database.url == "postgresql+psycopg://intake@db.news.test:5432/letters"
    assert SECRET not in repr(settings)
    # and it is what the store connects with (no connection is opened to build it)
    engine = build_deps(settings, {"INTAKE_DATABASE_PASSWORD": SECRET}).store.engine
    assert engine.url.password == SECRET
    engine.dispose()


def test_without_password_env_the_url_is_used_as_written(tmp_path: Path) -> None:
    settings = load('[database]\nurl = "postgresql+psycopg://u:inline@db/x"\n', {}, tmp_path)
    assert settings.database.connect_url == "postgresql+psycopg://u:inline@db/x"


@pytest.mark.parametrize(
    ("text", "environ", "message"),
    [
        (WITH_ENV, {}, "database.password_env: environment variable INTAKE_DATABASE_PASSWORD"),
        (WITH_ENV.replace("intake@", "intake:inline@"), {"INTAKE_DATABASE_PASSWORD": SECRET},
         "database.password_env: is set, but database.url holds a password too"),
        (WITH_ENV.replace("intake@", ""), {"INTAKE_DATABASE_PASSWORD": SECRET},
         "database.password_env: needs a user name in database.url"),
    ],
)  # fmt: skip
def test_password_env_mistakes_name_the_key(
    tmp_path: Path, text: str, environ: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load(text, environ, tmp_path)
    assert message in str(caught.value)
    assert SECRET not in str(caught.value) and "inline" not in str(caught.value)


def test_a_bad_url_is_not_repeated_in_the_error(tmp_path: Path) -> None:
    for url in ("postgresql+psycopg://u:s3cret@db:notaport/x", "u:s3cret@db"):
        with pytest.raises(ConfigError) as caught:
            load(f'[database]\nurl = "{url}"\n', {}, tmp_path)
        assert "database.url" in str(caught.value) and "s3cret" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("database ready at postgresql+psycopg://intake:s3cret@db:5432/x",
         "database ready at postgresql+psycopg://intake:***@db:5432/x"),
        ("(postgresql://:s3cret@db/x) and https://u:p@h/ too",
         "(postgresql://:***@db/x) and https://u:***@h/ too"),
        ("sqlite:///srv/intake/intake.db", "sqlite:///srv/intake/intake.db"),
        ("https://news.test:8443/a@b and mailto:x@y", "https://news.test:8443/a@b and mailto:x@y"),
        ("postgresql://intake@db/x", "postgresql://intake@db/x"),
    ],
)  # fmt: skip
def test_passwords_in_urls_are_masked(text: str, shown: str) -> None:
    assert mask_passwords(text) == shown


def test_masking_is_linear_in_the_text() -> None:
    hostile = "://a:" + "x" * 1_000_000 + " " + "://:" * 300_000
    started = time.perf_counter()
    mask_passwords(hostile)
    assert time.perf_counter() - started < 2


def test_every_printer_masks_them(capsys: pytest.CaptureFixture[str]) -> None:
    url = "postgresql+psycopg://intake:s3cret@db/x"
    say(f"ready at {url}")
    say(f"failed: {url}", err=True)
    say_json({"url": url})
    record = logging.LogRecord("intake", logging.ERROR, __file__, 1, "cannot connect to %s",
                               (url,), None)  # fmt: skip
    logged = VisibleFormatter(logging.Formatter("%(message)s")).format(record)
    out, err = capsys.readouterr()
    for text in (out, err, logged):
        assert "s3cret" not in text and "intake:***@db" in text
