"""Test kit: read a systemd unit file, and lay out what systemd would before it starts one.

systemd itself cannot run here, so the deployment tests do by hand what it does for
``intake.service``: expand the specifiers (``%S``, ``%E``, ``%i``), create the
configuration and state directories, build the environment from ``Environment=`` and
``EnvironmentFile=``, and run ``ExecStart=`` with the unit's ``UMask=``, its
configuration directory read-only as ``ProtectSystem=strict`` makes it.
"""

from __future__ import annotations

import os
import shlex
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def read_unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """The unit's sections, each key with every value it was given, in order."""
    sections: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    section = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        key, _, value = line.partition("=")
        sections[section][key.strip()].append(value.strip())
    return sections


@dataclass(frozen=True)
class Host:
    """A stand-in for the machine's folders: ``<root>/etc`` and ``<root>/var/lib``."""

    root: Path
    instance: str = ""

    @property
    def etc(self) -> Path:
        return self.root / "etc"

    @property
    def state(self) -> Path:
        return self.root / "var" / "lib"

    def expand(self, value: str) -> str:
        """*value* with the specifiers the intake units use (systemd.unit(5), "Specifiers")."""
        out, chars = [], iter(value)
        for char in chars:
            if char != "%":
                out.append(char)
                continue
            spec = next(chars)
            known = {"S": str(self.state), "E": str(self.etc), "i": self.instance, "%": "%"}
            if spec not in known:
                raise ValueError(f"specifier %{spec} in {value!r}: teach the test kit")
            out.append(known[spec])
        return "".join(out)


@dataclass(frozen=True)
class Service:
    """What systemd would hand ``ExecStart=``: its argument list, environment and folder."""

    argv: list[str]
    environ: dict[str, str]
    workdir: Path
    umask: int
    config_dir: Path
    state_dir: Path


def prepare(unit: dict[str, dict[str, list[str]]], host: Host) -> Service:
    """Create the unit's configuration and state directories under *host* as systemd would
    (the state directory with ``StateDirectoryMode=``) and return how it would start."""
    service = unit["Service"]
    (config_name,) = service["ConfigurationDirectory"]
    (state_name,) = service["StateDirectory"]
    config_dir = host.etc / host.expand(config_name)
    state_dir = host.state / host.expand(state_name)
    config_dir.mkdir(parents=True, exist_ok=True)
    state_dir.mkdir(parents=True, exist_ok=True)
    state_dir.chmod(int(service.get("StateDirectoryMode", ["0755"])[0], 8))
    environ = {
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "LANG": "C.UTF-8",
        "STATE_DIRECTORY": str(state_dir),
        "CONFIGURATION_DIRECTORY": str(config_dir),
    }
    for assignments in service["Environment"]:
        for assignment in shlex.split(host.expand(assignments)):
            key, _, value = assignment.partition("=")
            environ[key] = value
    for env_file in service.get("EnvironmentFile", []):
        optional = env_file.startswith("-")
        path = Path(host.expand(env_file.removeprefix("-")))
        if not path.exists() and optional:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith(("#", ";")):
                key, _, value = line.partition("=")
                environ[key.strip()] = value.strip()
    (exec_start,) = service["ExecStart"]
    return Service(
        argv=shlex.split(host.expand(exec_start)),
        environ=environ,
        workdir=Path(host.expand(service["WorkingDirectory"][0])),
        umask=int(service["UMask"][0], 8),
        config_dir=config_dir,
        state_dir=state_dir,
    )


def read_only(folder: Path, argv: list[str]) -> list[str]:
    """*argv* run in a mount namespace where *folder* is read-only (as ``ProtectSystem=strict``
    makes ``/etc``, for root too)."""
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" "$1" && shift && exec "$@"'
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh",
            str(folder), *argv]  # fmt: skip


def tree(folder: Path) -> list[str]:
    """Every path under *folder*, relative, sorted."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def mode(path: Path) -> int:
    return os.stat(path).st_mode & 0o777
