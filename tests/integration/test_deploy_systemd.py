"""deploy/: the systemd units start intake as written, with its data in the state directory.

systemd cannot run here, so ``test_the_unit_*`` do what it would (``unitfile.prepare``): the
directories, the environment, ``ExecStart=`` with the unit's umask and ``/etc`` read-only,
as ``ProtectSystem=strict`` makes it. ``systemd-analyze verify`` checks the units against
systemd's own parser, and ``systemd-sysusers`` creates the user from our file, both in a
scratch root. ``./run`` installs systemd's tools where they are missing.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from unitfile import DEPLOY, Host, mode, prepare, read_only, read_unit, tree

ROOT = DEPLOY.parent
INSTALLED_AT = "/opt/intake/venv/bin/intake"  # where deploy/README.md installs it
INTAKE = Path(sys.executable).parent / "intake"
LETTER = ROOT / "samples" / "inbox" / "02-letter-by-link.eml"
UNITS = {"intake.service": "", "intake@.service": "culture"}
START_SECONDS = 60.0


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:  # ./run installs systemd; a test that cannot check must say so loudly
        pytest.fail(f"{name} is not installed: apt-get install systemd (./run does)")
    return path


def unit_name(file: str, instance: str) -> str:
    return file.replace("@.", f"@{instance}.") if instance else file


def scratch_root(tmp_path: Path) -> Path:
    """A root with systemd's own units, intake where the README installs it, and ours."""
    root = tmp_path / "root"
    shutil.copytree(Path("/usr/lib/systemd/system"), root / "usr/lib/systemd/system",
                    symlinks=True)  # fmt: skip
    binary = root / INSTALLED_AT.lstrip("/")
    binary.parent.mkdir(parents=True)
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    (root / "etc/systemd/system").mkdir(parents=True)
    for file in UNITS:
        shutil.copy(DEPLOY / file, root / "etc/systemd/system" / file)
    return root


@pytest.mark.parametrize(("file", "instance"), UNITS.items())
def test_systemd_analyze_verify_passes_without_a_word(
    tmp_path: Path, file: str, instance: str
) -> None:
    root = scratch_root(tmp_path)
    verify = subprocess.run(
        [tool("systemd-analyze"), "verify", f"--root={root}", unit_name(file, instance)],
        capture_output=True, text=True, timeout=60, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    # an unknown key or a bad value is only a warning: the test takes any word as a failure
    assert (verify.returncode, verify.stdout + verify.stderr) == (0, "")
    # and verify does look: without the program it names, it fails
    (root / INSTALLED_AT.lstrip("/")).unlink()
    missing = subprocess.run(
        [tool("systemd-analyze"), "verify", f"--root={root}", unit_name(file, instance)],
        capture_output=True, text=True, timeout=60, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert missing.returncode != 0
    assert f"{INSTALLED_AT} is not executable" in missing.stderr


@pytest.mark.parametrize("file", UNITS)
def test_the_units_keep_their_hardening(file: str) -> None:
    security = subprocess.run(
        [tool("systemd-analyze"), "security", "--offline=yes", "--no-pager", str(DEPLOY / file)],
        capture_output=True, text=True, timeout=60, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    found = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", security.stdout)
    assert found, security.stdout + security.stderr
    # 1.3 when written ("OK"); systemd calls 0-2 OK... and 9.6 a unit with no hardening at all
    assert float(found.group(1)) <= 2.0, security.stdout
    service = read_unit(DEPLOY / file)["Service"]
    assert service["ProtectSystem"] == ["strict"]
    assert service["User"] == ["intake"]
    assert service["NoNewPrivileges"] == ["true"]


def test_the_sysusers_file_creates_the_intake_user(tmp_path: Path) -> None:
    (tmp_path / "etc").mkdir()
    made = subprocess.run(
        [tool("systemd-sysusers"), f"--root={tmp_path}", str(DEPLOY / "intake.sysusers.conf")],
        capture_output=True, text=True, timeout=60, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    (user,) = [
        line.split(":")
        for line in (tmp_path / "etc/passwd").read_text().splitlines()
        if line.startswith("intake:")
    ]
    _, _, uid, gid, _, home, shell = user
    assert int(uid) < 1000  # a system user
    assert (home, shell) == ("/var/lib/intake", "/usr/sbin/nologin")
    assert f"intake:x:{gid}:" in (tmp_path / "etc/group").read_text()


def example_config() -> str:
    """config/intake.example.toml as an operator installs it, on the local Maildir and outbox
    (no [imap], no [smtp]: nothing to reach here) and with the desk secret the unit's
    EnvironmentFile= must supply (the config fails to load without it)."""
    text = (ROOT / "config" / "intake.example.toml").read_text(encoding="utf-8")
    start, end = text.index("\n[imap]\n"), text.index("\n[local]\n")
    text = text[:start] + text[end:]
    assert '# secret_env = "INTAKE_DESK_SECRET"' in text
    return text.replace('# secret_env = "INTAKE_DESK_SECRET"', 'secret_env = "INTAKE_DESK_SECRET"')


Started = tuple[subprocess.Popen[bytes], Path, dict[str, str]]


def start(file: str, host: Host, *, drop: frozenset[str] = frozenset()) -> Started:
    """Lay out the host as systemd would for *file*, install the example config as the
    README says, put a reader's letter in the inbox and start ``ExecStart=``."""
    unit = read_unit(DEPLOY / file)
    service = prepare(unit, host)
    Path(service.environ["INTAKE_CONFIG"]).write_text(example_config())
    (service.config_dir / "secrets.env").write_text("INTAKE_DESK_SECRET=from-the-file\n")
    (service.config_dir / "secrets.env").chmod(0o600)
    inbox = service.state_dir / "inbox"
    for sub in ("new", "cur", "tmp"):
        (inbox / sub).mkdir(parents=True)
    shutil.copy(LETTER, inbox / "new" / "1700000000.letter.host")
    service = prepare(unit, host)  # again: EnvironmentFile= is there now
    assert service.argv[0] == INSTALLED_AT
    environ = {k: v for k, v in service.environ.items() if k not in drop}
    log = host.root / "stderr.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            read_only(host.etc, [str(INTAKE), *service.argv[1:]]),
            cwd=service.workdir, env=environ, umask=service.umask, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=stderr,
        )  # fmt: skip
    return process, log, environ


def wait_for(predicate: Callable[[], bool], process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if predicate():
            return
        if process.poll() is not None:
            pytest.fail(f"intake exited {process.returncode}: {log.read_text()}")
        time.sleep(0.2)
    process.kill()
    pytest.fail(f"intake did not get there in {START_SECONDS} s: {log.read_text()}")


@pytest.mark.parametrize(("file", "instance"), UNITS.items())
def test_the_unit_starts_intake_with_its_data_in_the_state_directory(
    tmp_path: Path, file: str, instance: str
) -> None:
    host = Host(tmp_path, instance)
    process, log, environ = start(file, host)
    service = prepare(read_unit(DEPLOY / file), host)
    state = service.state_dir
    try:
        wait_for(lambda: not any((state / "inbox" / "new").iterdir()), process, log)
        wait_for(lambda: "fetched=1" in log.read_text(), process, log)
    finally:
        process.send_signal(signal.SIGTERM)
        (timeout,) = read_unit(DEPLOY / file)["Service"]["TimeoutStopSec"]
        code = process.wait(timeout=int(timeout))
    assert code == 0, log.read_text()
    # the data is in the state directory, nothing was written beside the config
    assert tree(service.config_dir) == ["intake.toml", "secrets.env"]
    assert {"intake.db", "inbox", "outbox"} <= set(tree(state))
    assert mode(state) == 0o700
    assert mode(state / "intake.db") & 0o077 == 0  # UMask=0077: readers' letters stay private
    # and the letter is in that database: the desk commands see it with the same environment
    queue = subprocess.run(
        [str(INTAKE), "queue", "--json"], env=environ, cwd=tmp_path,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert queue.returncode == 0, queue.stderr
    assert [(letter["writer_email"], letter["subject"]) for letter in json.loads(queue.stdout)] == [
        ("gfinch@example.net", "The buses are late because the depot is empty")
    ]
    if instance:  # one desk's folders, named after the instance
        assert state == tmp_path / "var/lib/intake" / instance
        assert service.config_dir == tmp_path / "etc/intake" / instance


def test_without_the_data_folder_variable_the_read_only_config_folder_stops_it(
    tmp_path: Path,
) -> None:
    # what the old unit did: data beside the config, which ProtectSystem=strict makes read-only
    process, log, _ = start("intake.service", Host(tmp_path), drop=frozenset({"INTAKE_DATA_DIR"}))
    code = process.wait(timeout=60)
    assert code != 0
    assert "Read-only file system" in log.read_text()
