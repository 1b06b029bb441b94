"""The test tree itself: every test module's name is unique across the suites.

pytest imports test modules by their basename (the suites have no ``__init__.py``), so
two ``test_x.py`` in different folders break collection of the whole run while each
folder alone passes.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_every_test_module_name_is_unique() -> None:
    names = Counter(path.name for path in TESTS.rglob("test_*.py"))
    assert [name for name, count in names.items() if count > 1] == []
