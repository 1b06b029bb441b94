"""A poll loads only what a poll uses (issue 16: 6): its memory starts with its imports.

``intake poll`` runs in a process of its own on a desk with a letter waiting (fetched,
read, sorted, routed and its author asked); afterwards the process lists the modules it
loaded.  The web desk (Starlette, uvicorn, the metrics), Alembic (with Mako and
Pygments, needed only to migrate) and PostgreSQL's dialect must not be among them: the
composition root, the schema and the store import them inside the functions that use them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from deskkit import make_desk
from deskletters import BUS, letter

# loaded by `intake web`, `intake run` with [web] or [health], a migration, or a desk on
# PostgreSQL; never by a poll on SQLite
NOT_FOR_A_POLL = ("intake.web", "starlette", "uvicorn", "prometheus_client", "alembic", "mako",
                  "pygments", "sqlalchemy.dialects.postgresql")  # fmt: skip

_POLL = (
    "import json, sys\n"
    "from intake.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(json.dumps(sorted(sys.modules)))\n"
    "sys.exit(code)\n"
)


def loaded_by(package: str, modules: list[str]) -> list[str]:
    return [m for m in modules if m == package or m.startswith(package + ".")]


def test_a_poll_never_loads_the_web_desk_nor_alembic(tmp_path: Path) -> None:
    desk = make_desk(tmp_path, cli=True)  # the schema made here: the poll has none to migrate
    desk.deliver(letter(1, BUS))
    env = {k: v for k, v in os.environ.items() if k != "INTAKE_CONFIG"}
    done = subprocess.run(
        [sys.executable, "-c", _POLL, "--config", str(tmp_path / "intake.toml"), "poll", "--once"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "fetched=1 letters=1" in done.stdout
    modules: list[str] = json.loads(done.stdout.splitlines()[-1])
    assert loaded_by("intake.app.inbound", modules)  # the list is the poll's own
    assert {p: loaded_by(p, modules) for p in NOT_FOR_A_POLL} == {p: [] for p in NOT_FOR_A_POLL}


def test_the_check_sees_a_module_the_web_desk_loads() -> None:
    modules = ["intake.cli", "intake.web.server", "starlette.routing", "intake.webhooks"]
    assert loaded_by("intake.web", modules) == ["intake.web.server"]
    assert loaded_by("starlette", modules) == ["starlette.routing"]
