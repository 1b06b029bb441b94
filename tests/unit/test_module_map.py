"""CONTRIBUTING.md's module map and README's layout name every module intake has.

New modules landed in parallel drift out of both maps unless a test reads them.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "intake"


def modules_by_folder() -> dict[str, list[str]]:
    """Each folder of intake/ with the modules directly in it (no ``__init__``)."""
    return {
        folder.name: sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__")
        for folder in sorted(PACKAGE.iterdir())
        if (folder / "__init__.py").is_file()
    }


def test_contributing_module_map_names_every_module_in_its_folders_row() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `intake/(\w+)/` \|(.*)$", text, re.MULTILINE))
    missing = [
        f"intake/{folder}/{module}"
        for folder, modules in modules_by_folder().items()
        for module in modules
        if folder not in rows or not re.search(rf"`{module}[`.]", rows[folder])
    ]
    assert missing == []
    for top in sorted(p.name for p in PACKAGE.glob("*.py") if not p.stem.startswith("__")):
        assert f"| `intake/{top}` |" in text


def test_readme_layout_names_every_module() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = text.split("## Layout", 1)[1].split("```")[1]
    words = set(re.findall(r"\w+", layout))
    missing = [
        f"intake/{folder}/{module}"
        for folder, modules in modules_by_folder().items()
        for module in modules
        if module not in words
    ]
    assert missing == []
