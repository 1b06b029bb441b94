"""deploy/Containerfile and deploy/compose.yaml: an image that runs intake as written.

Where a container engine answers, the image is built. Where none does (this machine has the
docker client and no daemon), the Containerfile is linted with hadolint (pinned in
constraints.txt) and the image's contract is checked without an engine: its final stage
runs as an unprivileged user with the data in the volume, and its command, run with the
image's environment (scratch folders standing in for /etc/intake, /run/secrets and the
volume), starts intake on PostgreSQL with the database password read from the secrets
folder. compose.yaml is checked against the image and the config it mounts.
"""

from __future__ import annotations

import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
import zipfile
from pathlib import Path

import pytest
import yaml
from unitfile import DEPLOY

ROOT = DEPLOY.parent
CONTAINERFILE = DEPLOY / "Containerfile"
INTAKE = Path(sys.executable).parent / "intake"
HADOLINT = Path(sys.executable).parent / "hadolint"
LETTER = ROOT / "samples" / "inbox" / "02-letter-by-link.eml"


def instructions(text: str) -> list[tuple[str, str]]:
    """The Containerfile's instructions, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", "\n".join(
        line for line in text.splitlines() if not line.lstrip().startswith("#")))  # fmt: skip
    found = []
    for line in joined.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def final_stage() -> list[tuple[str, str]]:
    steps = instructions(CONTAINERFILE.read_text(encoding="utf-8"))
    last_from = max(i for i, (word, _) in enumerate(steps) if word == "FROM")
    return steps[last_from:]


def image_environment() -> dict[str, str]:
    environ: dict[str, str] = {}
    for word, rest in final_stage():
        if word == "ENV":
            for assignment in shlex.split(rest):
                key, _, value = assignment.partition("=")
                environ[key] = value
    return environ


def one(word: str) -> str:
    (value,) = [rest for w, rest in final_stage() if w == word]
    return value


def test_the_containerfile_passes_hadolint(tmp_path: Path) -> None:
    lint = subprocess.run([str(HADOLINT), str(CONTAINERFILE)], capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip
    assert (lint.returncode, lint.stdout + lint.stderr) == (0, "")
    # and it does look: an image that runs as root is a finding (DL3002)
    worse = tmp_path / "Containerfile"
    worse.write_text(CONTAINERFILE.read_text().replace("USER 10001:10001", "USER root"))
    lint = subprocess.run([str(HADOLINT), "--no-color", str(worse)], capture_output=True,
                          text=True, timeout=60, check=False)  # fmt: skip
    assert lint.returncode != 0
    assert "DL3002 warning: Last USER should not be root" in lint.stdout


def test_the_image_runs_intake_unprivileged_with_its_data_in_the_volume() -> None:
    user = one("USER")
    assert user.split(":")[0] not in ("0", "root")
    environ = image_environment()
    assert json_list(one("VOLUME")) == [environ["INTAKE_DATA_DIR"]] == ["/var/lib/intake"]
    assert environ["INTAKE_CONFIG"] == "/etc/intake/intake.toml"
    assert json_list(one("ENTRYPOINT")) == ["intake"]
    assert json_list(one("CMD")) == ["run"]
    base = re.search(r"ARG PYTHON_IMAGE=(\S+)", CONTAINERFILE.read_text())
    assert base and re.fullmatch(r"\S+/python:3\.1[1-9]-slim-\w+", base.group(1))
    # the build stage copies everything the wheel force-includes
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    included = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    copied = {source for word, rest in instructions(CONTAINERFILE.read_text())
              if word == "COPY" and not rest.startswith("--from")
              for source in rest.split()[:-1]}  # fmt: skip
    assert set(included) <= copied
    assert {"intake", "pyproject.toml", "constraints.txt", "README.md"} <= copied


def json_list(text: str) -> list[str]:
    return list(yaml.safe_load(text))


def engine() -> tuple[str, str]:
    """A container engine that answers here, or ("", why none does)."""
    reasons = []
    for name in ("podman", "docker"):
        path = shutil.which(name)
        if path is None:
            reasons.append(f"no {name}")
            continue
        info = subprocess.run([path, "info"], capture_output=True, text=True, timeout=60,
                              check=False)  # fmt: skip
        if info.returncode == 0:
            return path, ""
        last = (info.stderr.strip().splitlines() or ["no answer"])[-1]
        reasons.append(f"{name} info: {last}")
    return "", "; ".join(reasons)


def test_the_image_builds_where_a_container_engine_answers() -> None:
    path, why_not = engine()
    if not path:
        pytest.skip(f"no container engine answers here ({why_not}); "
                    "test_the_containerfile_passes_hadolint lints it instead")  # fmt: skip
    build = subprocess.run(
        [path, "build", "-f", str(CONTAINERFILE), "-t", "localhost/intake:test", str(ROOT)],
        capture_output=True, text=True, timeout=1800, check=False,
    )  # fmt: skip
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    version = subprocess.run([path, "run", "--rm", "localhost/intake:test", "--version"],
                             capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert version.stdout.startswith("intake "), version.stderr


def test_what_the_build_stage_copies_is_enough_to_build_intake(tmp_path: Path) -> None:
    # the build stage's COPY lines, into an empty folder, and the wheel built from it alone
    src = tmp_path / "src"
    src.mkdir()
    for word, rest in instructions(CONTAINERFILE.read_text()):
        if word == "COPY" and not rest.startswith("--from"):
            *sources, target = rest.split()
            dest = src / target.removeprefix("./")
            for source in sources:  # into a folder (target/), or as the target itself
                into = dest / Path(source).name if target.endswith("/") else dest
                if (ROOT / source).is_dir():
                    shutil.copytree(ROOT / source, into,
                                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
                else:
                    shutil.copy(ROOT / source, into)
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"),
         str(src)],
        capture_output=True, text=True, timeout=300, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("intake-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"intake/cli/main.py", "intake/_data/config/intake.example.toml",
            "intake/_data/templates/publish/pair.md"} <= names  # fmt: skip


def compose() -> dict[str, object]:
    document = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def test_compose_runs_the_worker_on_postgres_with_the_image_contract() -> None:
    document = compose()
    services = document["services"]
    assert isinstance(services, dict)
    worker, db = services["worker"], services["db"]
    environ = image_environment()
    assert worker["command"] == ["run"]
    assert worker["depends_on"]["db"]["condition"] == "service_healthy"
    mounts = {volume.split(":")[1]: volume for volume in worker["volumes"]}
    assert mounts[environ["INTAKE_CONFIG"]].endswith(":ro")
    assert mounts[environ["INTAKE_DATA_DIR"]] == f"data:{environ['INTAKE_DATA_DIR']}"
    assert worker["read_only"] is True and worker["cap_drop"] == ["ALL"]
    # the secrets compose mounts in /run/secrets are the ones the image reads from there
    assert environ["CREDENTIALS_DIRECTORY"] == "/run/secrets"
    assert set(worker["secrets"]) == set(document["secrets"])
    assert "INTAKE_DATABASE_PASSWORD" in db["secrets"]
    assert db["environment"]["POSTGRES_PASSWORD_FILE"] == "/run/secrets/INTAKE_DATABASE_PASSWORD"
    assert re.fullmatch(r"\d+s", worker["stop_grace_period"])


def test_compose_serves_the_web_desk_from_the_same_image_on_the_host_s_loopback() -> None:
    document = compose()
    services = document["services"]
    assert isinstance(services, dict)
    worker, web = services["worker"], services["web"]
    assert web["command"] == ["web"]
    assert (web["image"], web["volumes"]) == (worker["image"], worker["volumes"])
    (published,) = web["ports"]
    assert published == f"127.0.0.1:{one('EXPOSE')}:{one('EXPOSE')}"  # a proxy on the host
    assert set(web["secrets"]) <= set(document["secrets"])
    assert "INTAKE_IMAP_PASSWORD" not in web["secrets"]  # the desk never reads the inbox
    for key in ("read_only", "cap_drop", "security_opt", "tmpfs"):
        assert web[key] == worker[key], key


def compose_config(database_url: str) -> str:
    """config/intake.example.toml as deploy/README.md has the operator change it for the
    compose file (the database, its password from a secret), on the local Maildir here."""
    text = (ROOT / "config" / "intake.example.toml").read_text(encoding="utf-8")
    start, end = text.index("\n[imap]\n"), text.index("\n[local]\n")
    text = text[:start] + text[end:]
    assert '# url = "postgresql+psycopg://user@host:5432/intake"' in text
    text = text.replace('# url = "postgresql+psycopg://user@host:5432/intake"',
                        f'url = "{database_url}"')  # fmt: skip
    text = text.replace('# password_env = "INTAKE_DATABASE_PASSWORD"',
                        'password_env = "INTAKE_DATABASE_PASSWORD"')  # fmt: skip
    return text


def image_host(tmp_path: Path, config_text: str) -> dict[str, str]:
    """The image's environment with its folders under *tmp_path* (``/etc/intake``,
    ``/run/secrets``, the volume), the config and the database password put in place."""
    environ = {key: re.sub(r"^/(etc/intake|run/secrets|var/lib/intake)", rf"{tmp_path}/\1", value)
               for key, value in image_environment().items()}  # fmt: skip
    environ["PATH"] = f"{INTAKE.parent}:/usr/bin:/bin"
    for folder in ("etc/intake", "run/secrets", "var/lib/intake"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "var/lib/intake").chmod(0o700)  # as the image makes the volume
    Path(environ["INTAKE_CONFIG"]).write_text(config_text)
    (Path(environ["CREDENTIALS_DIRECTORY"]) / "INTAKE_DATABASE_PASSWORD").write_text("pw\n")
    return environ


def start(argv: list[str], environ: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as stderr:
        return subprocess.Popen(argv, cwd=environ["INTAKE_DATA_DIR"], env=environ,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=stderr)  # fmt: skip


def test_the_image_command_runs_with_the_image_environment(
    tmp_path: Path, fresh_postgres_url: str
) -> None:
    environ = image_host(tmp_path, compose_config(fresh_postgres_url))
    data = Path(environ["INTAKE_DATA_DIR"])
    for sub in ("new", "cur", "tmp"):
        (data / "inbox" / sub).mkdir(parents=True)
    shutil.copy(LETTER, data / "inbox" / "new" / "1700000000.letter.host")
    log = tmp_path / "stderr.log"
    process = start(json_list(one("ENTRYPOINT")) + json_list(one("CMD")), environ, log)
    try:
        deadline = time.monotonic() + 60
        while "fetched=1" not in log.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            time.sleep(0.2)
        assert "fetched=1" in log.read_text()
        # compose's health check passes on a worker whose round succeeded
        health = compose()["services"]["worker"]["healthcheck"]["test"]  # type: ignore[index]
        assert health[:2] == ["CMD", "intake"]
        status = subprocess.run([str(INTAKE), *health[2:]], env=environ, cwd=tmp_path, capture_output=True,
                                text=True, timeout=60, check=False)  # fmt: skip
        assert status.returncode == 0, status.stdout + status.stderr
        assert status.stdout.startswith("intake: healthy")
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=45)
    assert code == 0, log.read_text()
    queue = subprocess.run([str(INTAKE), "queue", "--json"], env=environ, cwd=tmp_path,
                           capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert '"writer_email": "gfinch@example.net"' in queue.stdout, queue.stderr
    # the database is PostgreSQL's: nothing but the Maildir in the data volume
    assert not (data / "intake.db").exists()
    # the password came from the secrets folder: without it the config does not load
    (Path(environ["CREDENTIALS_DIRECTORY"]) / "INTAKE_DATABASE_PASSWORD").unlink()
    refused = subprocess.run([str(INTAKE), "queue"], env=environ, cwd=tmp_path,
                             capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert refused.returncode == 2
    assert "INTAKE_DATABASE_PASSWORD is not set" in refused.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_web_desk_command_runs_with_the_image_environment(
    tmp_path: Path, fresh_postgres_url: str
) -> None:
    # compose's web service: the same image, config and secrets, `intake web`; here on a
    # loopback port of our own (in the container: [web] host = "0.0.0.0", port 8025)
    port = free_port()
    config = compose_config(fresh_postgres_url)
    assert "\n[web]\n" in config and '\nhost = "127.0.0.1"\nport = 8025\n' in config
    config = config.replace('\nhost = "127.0.0.1"\nport = 8025\n',
                            f'\nhost = "127.0.0.1"\nport = {port}\n')  # fmt: skip
    environ = image_host(tmp_path, config)
    (web_command,) = compose()["services"]["web"]["command"]  # type: ignore[index]
    log = tmp_path / "web.log"
    process = start([*json_list(one("ENTRYPOINT")), web_command], environ, log)
    try:
        page = ""
        deadline = time.monotonic() + 60
        while "Sign in" not in page:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            try:  # the queue sends a browser without a session to the sign-in page
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    page = answer.read().decode()
            except OSError:
                time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=45)
    # it stops on SIGTERM at once (the server's own end, or the signal's: both clean stops
    # for docker and systemd); never a hang or an error exit
    assert code in (0, -signal.SIGTERM), log.read_text()
