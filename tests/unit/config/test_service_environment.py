"""What a service manager hands intake: the data folder and the secrets as files.

systemd's units and the container image set ``INTAKE_DATA_DIR`` to the one folder the
service may write, and pass secrets as files in ``$CREDENTIALS_DIRECTORY``
(``LoadCredential=``, or compose's ``/run/secrets``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from intake.config import load_settings, read_settings
from intake.config.loading import with_credentials
from intake.domain.errors import ConfigError

IMAP = """
[imap]
host = "imap.news.test"
username = "letters"
password_env = "INTAKE_IMAP_PASSWORD"
"""


def test_the_data_folder_from_the_environment_wins_over_the_file(tmp_path: Path) -> None:
    text = '[desk]\ndata_dir = "intake-data"\n'
    state = tmp_path / "var" / "lib" / "intake"
    settings = load_settings(
        text, {"INTAKE_DATA_DIR": str(state)}, path=tmp_path / "etc" / "intake.toml", cwd=tmp_path
    )
    assert settings.desk.data_dir == state
    # everything under the data folder follows it
    assert settings.database.url == f"sqlite:///{state / 'intake.db'}"
    assert settings.local.maildir == state / "inbox"
    assert settings.publish.out_dir == state / "published"


def test_without_the_variable_the_data_folder_is_beside_the_config(tmp_path: Path) -> None:
    settings = load_settings(None, {}, path=tmp_path / "etc" / "intake.toml", cwd=tmp_path)
    assert settings.desk.data_dir == tmp_path / "etc" / "intake-data"


def test_a_relative_data_folder_in_the_environment_starts_at_the_working_folder(
    tmp_path: Path,
) -> None:
    settings = load_settings(
        None, {"INTAKE_DATA_DIR": "state"}, path=tmp_path / "etc" / "x.toml", cwd=tmp_path / "w"
    )
    assert settings.desk.data_dir == tmp_path / "w" / "state"


def test_a_secret_file_in_the_credentials_directory_is_the_password(tmp_path: Path) -> None:
    creds = tmp_path / "credentials"
    creds.mkdir()
    (creds / "INTAKE_IMAP_PASSWORD").write_text("s3cret word\n")  # as `echo … >` writes it
    config = tmp_path / "intake.toml"
    config.write_text(IMAP)
    settings = read_settings(config, {"CREDENTIALS_DIRECTORY": str(creds)}, tmp_path)
    assert settings.imap is not None
    assert settings.imap.password == "s3cret word"


def test_the_environment_wins_over_a_credential_file(tmp_path: Path) -> None:
    creds = tmp_path / "credentials"
    creds.mkdir()
    (creds / "INTAKE_IMAP_PASSWORD").write_text("from-file")
    environ = with_credentials(
        {"CREDENTIALS_DIRECTORY": str(creds), "INTAKE_IMAP_PASSWORD": "from-env"}
    )
    assert environ["INTAKE_IMAP_PASSWORD"] == "from-env"


def test_only_files_named_like_variables_are_read(tmp_path: Path) -> None:
    creds = tmp_path / "credentials"
    (creds / "sub").mkdir(parents=True)
    (creds / "not-a-name").write_text("x")
    (creds / "TOO_BIG").write_bytes(b"x" * (65 * 1024))
    (creds / "GOOD").write_text("yes\r\n")
    environ = with_credentials({"CREDENTIALS_DIRECTORY": str(creds)})
    assert {k: v for k, v in environ.items() if k != "CREDENTIALS_DIRECTORY"} == {"GOOD": "yes"}


def test_a_missing_credentials_directory_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"CREDENTIALS_DIRECTORY: cannot read .*missing"):
        with_credentials({"CREDENTIALS_DIRECTORY": str(tmp_path / "missing")})


def test_a_password_missing_everywhere_names_the_variable(tmp_path: Path) -> None:
    creds = tmp_path / "credentials"
    creds.mkdir()
    config = tmp_path / "intake.toml"
    config.write_text(IMAP)
    settings = read_settings(config, {"CREDENTIALS_DIRECTORY": str(creds)}, tmp_path)
    assert settings.imap is not None
    with pytest.raises(ConfigError, match="INTAKE_IMAP_PASSWORD is not set"):
        _ = settings.imap.password
