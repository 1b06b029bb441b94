"""Config: every documented key is read, and a bad one fails naming the key."""

from __future__ import annotations

import re
import tomllib
from inspect import isclass
from pathlib import Path
from typing import get_args

import pytest

from intake.config import Settings, load_settings, read_settings
from intake.config.fields import Section
from intake.domain.errors import ConfigError

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "config" / "intake.example.toml"


def load(text: str, environ: dict[str, str] | None = None, tmp: Path = Path("/srv/intake")):
    return load_settings(text, environ or {}, path=tmp / "intake.toml", cwd=Path("/"))


def test_no_config_means_the_embedded_default(tmp_path: Path) -> None:
    settings = load_settings(None, {}, cwd=tmp_path)
    assert settings.imap is None and settings.smtp is None
    assert settings.local.maildir == tmp_path / "intake-data" / "inbox"
    assert settings.local.outbox_dir == tmp_path / "intake-data" / "outbox"
    assert settings.database.url == f"sqlite:///{tmp_path / 'intake-data' / 'intake.db'}"


def test_documented_keys_work_exactly_as_written() -> None:
    settings = load(
        """
        [desk]
        publication = "The Nation"
        address = "Letters@News.test"
        editors = ["ed@news.test", "Chief@news.test"]
        [imap]
        host = "imap.news.test"
        port = 10143
        security = "starttls"
        username = "letters@news.test"
        password_env = "IMAP_PW"
        folder = "Letters"
        [smtp]
        host = "smtp.news.test"
        port = 10025
        security = "none"
        from = "desk@news.test"
        [database]
        url = "postgresql+psycopg://postgres@127.0.0.1/intake"
        [publish]
        out_dir = "out"
        """,
        {"IMAP_PW": "s3cret"},
    )
    assert settings.desk.address == "letters@news.test"
    assert settings.desk.editors == ("ed@news.test", "chief@news.test")
    assert settings.imap is not None and settings.imap.password == "s3cret"
    assert (settings.imap.port, settings.imap.security, settings.imap.folder) == (
        10143,
        "starttls",
        "Letters",
    )
    assert settings.smtp is not None and settings.smtp.from_address == "desk@news.test"
    assert settings.smtp.username == "" and settings.smtp.password == ""
    assert settings.database.url.startswith("postgresql+psycopg://")
    assert settings.publish.out_dir == Path("/srv/intake/out")


def test_secrets_never_show_in_repr() -> None:
    settings = load('[imap]\nhost="h"\nusername="u"\npassword_env="PW"', {"PW": "hunter2"})
    assert "hunter2" not in repr(settings)


def test_smtp_defaults_from_to_the_desk_address_and_port_to_the_security_mode() -> None:
    settings = load('[desk]\naddress="letters@news.test"\n[smtp]\nhost="h"\nsecurity="ssl"')
    assert settings.smtp is not None
    assert settings.smtp.from_address == "letters@news.test"
    assert settings.smtp.port == 465


@pytest.mark.parametrize(
    ("text", "environ", "key"),
    [
        (
            '[imap]\nhost="h"\nusername="u"\npassword_env="PW"\nsecurity="tls"',
            {"PW": "x"},
            "imap.security",
        ),
        ('[imap]\nusername="u"\npassword_env="PW"', {"PW": "x"}, "imap.host"),
        ('[imap]\nhost="h"\nusername="u"\npassword_env="PW"\nport="993"', {"PW": "x"}, "imap.port"),
        ('[smtp]\nhost="h"\nusername="u"', {}, "smtp.password_env"),
        ('[desk]\naddress="not an address"', {}, "desk.address"),
        ('[desk]\neditors="ed@news.test"', {}, "desk.editors"),
        ('[desk]\ntimezone="Mars/Olympus"', {}, "desk.timezone"),
        ('[desk]\npublisher="typo"', {}, "desk.publisher"),
        ('[imapp]\nhost="h"', {}, "imapp"),
        ('[database]\nurl="intake.db"', {}, "database.url"),
        ('[articles]\nsource="/nonexistent/articles.csv"', {}, "articles.source"),
        ('[publish]\nformat="pdf"', {}, "publish.format"),
        ('[publish]\napproval="sometimes"', {}, "publish.approval"),
        ("[classify]\nreview_below=1.5", {}, "classify.review_below"),
        ("[desk\n", {}, "intake.toml"),
    ],
)
def test_bad_config_fails_with_one_line_naming_the_key(
    text: str, environ: dict[str, str], key: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load(text, environ)
    assert key in str(caught.value)
    assert "\n" not in str(caught.value).strip()


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[imap]\nhost="h"\nusername="u"\npassword_env="PW"\nport="993"',
         "imap.port: must be a whole number, got '993'"),
        ('[imap]\nhost="h"\nusername="u"',
         ("imap.password_env: is required: the name of the environment variable holding "
         "the password")),
        ('[imap]\nhost="h"\nusername="u"\npassword_env="PW"\nsecurity="tls"',
         "imap.security: must be one of ssl, starttls, none; got 'tls'"),
        ('[imap]\nhost="h"\nusername="u"\npassword_env="PW"\npassword="hunter2"',
         "imap.password: unknown key (see config/intake.example.toml)"),
        ('[smtp]\nhost="h"\nusername="u"',
         ("smtp.password_env: is required with a username: the name of the environment "
         "variable holding the password")),
        ('[smtp]\nhost="h"\nfrom="desk"', "smtp.from: must be an email address, got 'desk'"),
        ('[desk]\neditors=["ed@news.test", "chief"]',
         "desk.editors: must be an email address, got 'chief'"),
        ('[digest]\nenabled = "yes"', "digest.enabled: must be true or false, got 'yes'"),
        ("[outbox]\nmax_attempts = 0", "outbox.max_attempts: must be at least 1, got 0"),
        ("[classify]\nreview_below = 1.5", "classify.review_below: must be at most 1.0, got 1.5"),
        ('[publish]\nformat = "pdf"', "publish.format: must be one of md, html, txt, json; got 'pdf'"),
        ("desk = 3", "desk: must be a table ([desk])"),
        ('[imapp]\nhost = "h"', "imapp: unknown section (see config/intake.example.toml)"),
        ('[authors.aliases]\n"a@b.test" = "c@d.test"',
         "authors.aliases.a@b.test: must be a list, got 'c@d.test'"),
    ],
)  # fmt: skip
def test_the_line_an_operator_reads(text: str, line: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(text, {"PW": "x"})
    assert str(caught.value) == f"config: {line}"


def test_a_mailbox_password_is_required_only_by_the_code_that_connects() -> None:
    text = ('[imap]\nhost="h"\nusername="u"\npassword_env="NOT_SET"\n'
            '[smtp]\nhost="h"\nusername="u"\npassword_env="ALSO_NOT_SET"\n')  # fmt: skip
    settings = load(text, {})  # the desk's commands run without them
    assert settings.imap is not None and settings.smtp is not None
    with pytest.raises(ConfigError) as caught:
        _ = settings.imap.password
    assert str(caught.value) == "config: imap.password_env: environment variable NOT_SET is not set"
    with pytest.raises(ConfigError, match=r"smtp\.password_env: environment variable ALSO_NOT_SET"):
        _ = settings.smtp.password
    assert load(text, {"NOT_SET": "a", "ALSO_NOT_SET": "b"}).imap.password == "a"  # type: ignore[union-attr]


def test_missing_config_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        read_settings(tmp_path / "nope.toml", {}, tmp_path)


def section_model(section: str) -> type[Section]:
    """The model of ``[section]`` (``[imap]`` is optional: its model inside the ``| None``)."""
    annotation = Settings.model_fields[section].annotation
    (model,) = [t for t in (annotation, *get_args(annotation)) if isclass(t)
                and issubclass(t, Section)]  # fmt: skip
    return model


def schema_keys() -> dict[str, list[str]]:
    """Every key the schema reads, by section, as written in TOML (aliases included)."""
    return {
        section: [f.alias or name for name, f in section_model(section).model_fields.items()]
        for section in Settings.model_fields
    }


def test_the_schema_walk_sees_every_section_and_key() -> None:
    keys = schema_keys()
    assert {"desk", "digest", "imap", "smtp", "policy", "outbox"} <= set(keys)
    assert "from" in keys["smtp"] and "aliases" in keys["authors"] and "idle" in keys["imap"]


def documented_keys() -> set[tuple[str, str]]:
    """(section, key) for every ``key =`` or ``# key =`` line and ``[section.key]`` table."""
    section, found = "", set()
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        if header := re.fullmatch(r"\[(\w+)(?:\.(\w+))?\]", line):
            section = header[1]
            if header[2]:
                found.add((header[1], header[2]))
        elif key := re.match(r"(?:# )?(\w+) = ", line):
            found.add((section, key[1]))
    return found


def test_example_config_documents_every_key_of_the_schema_and_no_other() -> None:
    schema = {(section, key) for section, names in schema_keys().items() for key in names}
    documented = documented_keys()
    assert sorted(schema - documented) == []
    assert sorted(documented - schema) == []


def as_toml(default: object) -> object:
    """A schema default as TOML writes it (no path type, no tuple, no null)."""
    if default is None:
        return ""
    if isinstance(default, Path):
        return str(default)
    if isinstance(default, tuple):
        return list(default)
    return default


def test_readme_configuration_table_states_the_schema_defaults() -> None:
    """Where README's table gives a key's default in brackets, it is the schema's."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stated = [
        (row[1], key, value)
        for row in re.finditer(r"^\| `\[(\w+)\]` \|(.*)\|$", readme, re.MULTILINE)
        for key, value in re.findall(r"`(\w+)` \((true|false|[0-9.]+|`\"[^\"`]*\"`)", row[2])
    ]
    assert len(stated) >= 19
    wrong = []
    for section, key, value in stated:
        default = section_model(section).model_fields[key].get_default(call_default_factory=True)
        written = value.strip("`").strip('"') if value.startswith("`") else tomllib.loads(
            f"v = {value}")["v"]  # fmt: skip
        if written != default:
            wrong.append(f"{section}.{key}: README says {value}, the schema {default!r}")
    assert wrong == []


# keys whose value in the example shows what to write, not the default
ILLUSTRATIVE = {"desk.publication", "desk.address", "desk.editors", "authors.authserv_id",
                "smtp.username", "smtp.password_env"}  # fmt: skip


def test_example_config_values_are_the_schema_defaults() -> None:
    """Where the example sets a key that has a default, it sets the default: they cannot drift."""
    document = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    compared, drifted = 0, []
    for section, table in document.items():
        model = section_model(section)
        fields = {f.alias or name: f for name, f in model.model_fields.items()}
        for key, value in table.items():
            default = fields[key].get_default(call_default_factory=True)
            if fields[key].is_required() or f"{section}.{key}" in ILLUSTRATIVE:
                continue
            compared += 1
            if value != as_toml(default):
                drifted.append(f"{section}.{key} = {value!r}, default {default!r}")
    assert drifted == []
    assert compared >= 35


def test_author_and_writer_keys() -> None:
    settings = load(
        """
        [authors]
        reminder_days = 2
        max_reminders = 2
        decline_words = ["No Reply", "pass"]
        authserv_id = "Mail.News.Test"
        [authors.aliases]
        "Michelle.Chen@news.test" = ["m.chen@home.example"]
        [writers]
        acknowledge = true
        """
    )
    assert settings.authors.reminder_days == 2 and settings.authors.max_reminders == 2
    assert settings.authors.decline_words == ("no reply", "pass")
    assert settings.authors.authserv_id == "mail.news.test"
    assert settings.authors.aliases == {"michelle.chen@news.test": ("m.chen@home.example",)}
    assert settings.writers.acknowledge is True and settings.writers.ask_for_details is True


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[authors.aliases]\n"not-an-address" = ["a@b.test"]', "authors.aliases.not-an-address"),
        ('[authors.aliases]\n"a@b.test" = "c@d.test"', "authors.aliases.a@b.test"),
        ("[authors]\ndecline_words = []\n[authors.x]\n", "authors.x"),
        ('[writers]\nacknowledge = "yes"', "writers.acknowledge"),
    ],
)
def test_bad_author_and_writer_keys(text: str, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(text)
    assert key in str(caught.value)
