"""`intake init` on a real PostgreSQL: the password may come from the environment, and the
database URL it prints never shows one (issue 13, finding 9).

The test server trusts local connections, so it accepts any password: that
the password reaches the connection is shown in tests/unit/config/test_database_password.py
(the engine's URL); here, that init works with it and prints none.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

SECRET = "s3cret-Not-To-Print"


def init(tmp_path: Path, database: str, **environ: str) -> tuple[str, str]:
    """Run ``intake init`` with *database* as the ``[database]`` table; its (config, output)."""
    config = tmp_path / "intake.toml"
    config.write_text(
        f'[desk]\naddress = "letters@news.test"\ndata_dir = "data"\n[database]\n{database}',
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "INTAKE_CONFIG"} | environ
    done = subprocess.run(
        [sys.executable, "-m", "intake", "--config", str(config), "init"],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return config.read_text(encoding="utf-8"), done.stdout + done.stderr


def tables(url: str) -> set[str]:
    parts = make_url(url)
    with psycopg.connect(host=parts.host, port=parts.port, user="postgres",
                         dbname=parts.database) as conn:  # fmt: skip
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {row[0] for row in rows}


def test_init_with_the_password_in_the_url_prints_it_masked(
    tmp_path: Path, fresh_postgres_url: str
) -> None:
    url = fresh_postgres_url.replace("postgres@", f"postgres:{SECRET}@")
    _, out = init(tmp_path, f'url = "{url}"\n')
    assert SECRET not in out
    assert f"database ready at {url.replace(SECRET, '***')}" in out
    assert "letter" in tables(fresh_postgres_url)


def test_init_with_the_password_from_the_environment(
    tmp_path: Path, fresh_postgres_url: str
) -> None:
    config, out = init(
        tmp_path, f'url = "{fresh_postgres_url}"\npassword_env = "INTAKE_DATABASE_PASSWORD"\n',
        INTAKE_DATABASE_PASSWORD=SECRET,
    )  # fmt: skip
    assert SECRET not in config and SECRET not in out
    assert f"database ready at {fresh_postgres_url}" in out
    assert "letter" in tables(fresh_postgres_url)
