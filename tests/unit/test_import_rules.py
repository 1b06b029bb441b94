"""The architecture, checked: which package may import which, and no import cycle.

Every import counts, at module level or inside a function: a lazy import is
still a dependency.  The layers, lowest first: ``domain`` < ``mail`` <
``printing`` < ``sorting`` (the pure core, no database, no I/O libraries) <
``config`` (the settings: the pure core and libraries only) < ``app``,
``adapters``, ``eval`` < ``web`` (the web desk: use cases only) < ``worker`` < ``cli``.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "intake"

# what each pure package may import of intake
PURE_ALLOWED = {
    "domain": {"domain"},
    "mail": {"domain", "mail"},
    "printing": {"domain", "mail", "printing"},
    "sorting": {"domain", "mail", "printing", "sorting"},
}
# the settings read the pure core's types, never the use cases, adapters or anything above
CONFIG_ALLOWED = {"domain", "mail", "printing", "sorting", "config"}
# libraries the pure core never touches: databases, sockets, the scheduler
PURE_FORBIDDEN_LIBRARIES = {"sqlmodel", "sqlalchemy", "psycopg", "imapclient", "smtplib",
                            "imaplib", "socket", "apscheduler", "feedparser", "urllib.request",
                            "http.client", "subprocess"}  # fmt: skip
# who talks to the database (CONTRIBUTING.md): the use cases open sessions, the adapters own
# the engine, the tables and the store; nothing else imports a database library or the tables
DATABASE_LAYERS = {"app", "adapters"}
DATABASE_IMPORTS = {"sqlmodel", "sqlalchemy", "psycopg", "intake.adapters.tables"}
# the config checks a database URL's shape with SQLAlchemy's parser: that opens nothing
URL_PARSING = {"sqlalchemy.engine", "sqlalchemy.engine.make_url", "sqlalchemy.exc",
               "sqlalchemy.exc.ArgumentError"}  # fmt: skip
# the composition root builds the store; everything else outside the two layers reaches the
# database only through a use case
STORE_USERS = {*DATABASE_LAYERS, "worker"}
# the entry point of ``python -m intake`` is the command line's, by definition
ENTRY_POINTS = {"intake.__main__"}
# the web desk is an edge like the command line: the composition root wires it, the command
# line starts it, and it reaches the rest of intake only through the use cases
WEB_USERS = {"web", "worker", "cli"}
WEB_FORBIDDEN = {"worker", "cli", "adapters"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module *path* imports, anywhere in it (``from a import b`` counts ``a.b`` too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges[name] = {m for m in imports_of(path) if m in modules and m != name}
    return edges


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_the_pure_core_imports_only_what_lies_below_it() -> None:
    broken = []
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        allowed = PURE_ALLOWED.get(layer(name))
        if allowed is None:
            continue
        for imported in imports_of(path):
            library = any(
                imported == lib or imported.startswith(lib + ".")
                for lib in PURE_FORBIDDEN_LIBRARIES
            )
            above = imported.startswith("intake.") and layer(imported) not in allowed
            if library or above:
                broken.append(f"{name} imports {imported}")
    assert broken == []


def test_the_settings_import_only_the_pure_core() -> None:
    broken = [
        f"{name} imports {target}"
        for name, targets in graph().items()
        if layer(name) == "config"
        for target in targets
        if layer(target) not in CONFIG_ALLOWED
    ]
    assert broken == []


def test_nothing_below_the_command_line_imports_it() -> None:
    broken = [
        f"{name} imports {target}"
        for name, targets in graph().items()
        if layer(name) != "cli" and name not in ENTRY_POINTS
        for target in targets
        if layer(target) == "cli"
    ]
    assert broken == []


def test_only_the_composition_root_and_the_command_line_import_the_web_desk() -> None:
    broken = [
        f"{name} imports {target}"
        for name, targets in graph().items()
        if layer(name) not in WEB_USERS and name not in ENTRY_POINTS
        for target in targets
        if layer(target) == "web"
    ]
    assert broken == []


def test_the_web_desk_reaches_intake_only_through_the_use_cases() -> None:
    broken = [
        f"{name} imports {target}"
        for name, targets in graph().items()
        if layer(name) == "web"
        for target in targets
        if layer(target) in WEB_FORBIDDEN
    ]
    assert broken == []


def test_no_import_cycle_anywhere() -> None:
    edges = graph()
    # a package's __init__ re-exporting its own modules is not a cycle of dependencies
    for name in edges:
        edges[name] = {t for t in edges[name] if not t.startswith(name + ".")}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert cycles == []


def test_every_folder_says_what_it_owns() -> None:
    for init in PACKAGE.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc) > 40, f"{init} has no docstring saying what it owns"


def test_no_module_grows_past_four_hundred_lines() -> None:
    long = [
        f"{p.relative_to(PACKAGE)}: {n}"
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 420
    ]
    assert long == []


def reaches_of(path: Path) -> set[str]:
    """Sessions opened and stores touched in *path*: ``….session(…)`` calls, ``….store``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        called = node.func if isinstance(node, ast.Call) else None
        if isinstance(called, ast.Attribute) and called.attr == "session":
            found.add("opens a session")
        if isinstance(node, ast.Attribute) and node.attr == "store":
            found.add("touches the store")
    return found


def imported_database(path: Path) -> set[str]:
    return {
        imported
        for imported in imports_of(path)
        for lib in DATABASE_IMPORTS
        if imported == lib or imported.startswith(lib + ".")
    }


def test_only_the_use_cases_and_the_adapters_talk_to_the_database() -> None:
    broken = []
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        where = layer(name)  # "app", "cli", …; "worker" for intake.worker
        if where in DATABASE_LAYERS:
            continue
        allowed = URL_PARSING if where == "config" else set()
        broken += [f"{name} imports {imported}"
                   for imported in sorted(imported_database(path) - allowed)]  # fmt: skip
        if where not in STORE_USERS:
            broken += [f"{name} imports intake.adapters.store"
                       for imported in imports_of(path) if imported == "intake.adapters.store"]  # fmt: skip
            broken += [f"{name} {reach}" for reach in sorted(reaches_of(path))]
    assert broken == []


def test_the_rules_see_a_violation(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from intake.app import desk\n    import sqlmodel\n")
    assert {"intake.app", "intake.app.desk", "sqlmodel"} <= imports_of(sample)
    sample.write_text(
        "from intake.adapters.tables import LetterRow\n"
        "def f(deps):\n    with deps.store.session() as s:\n        return s\n"
    )
    assert imported_database(sample) == {
        "intake.adapters.tables",
        "intake.adapters.tables.LetterRow",
    }
    assert reaches_of(sample) == {"opens a session", "touches the store"}
