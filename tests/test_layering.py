"""The fence around the interface: nothing outside quizdl/tui imports textual, and
quizdl/tui reaches the database only through the study, stats and export modules."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "quizdl"
DB_MODULES = ("quizdl.store", "sqlalchemy", "alembic", "psycopg", "sqlite3")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _matches(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def test_only_tui_imports_textual() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE.parent)} imports {name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if "tui" not in path.relative_to(PACKAGE).parts[:1]
        for name in sorted(imported_modules(path))
        if _matches(name, "textual")
    ]
    assert offenders == []


def test_tui_reaches_the_database_only_through_domain_modules() -> None:
    tui = PACKAGE / "tui"
    offenders = [
        f"{path.relative_to(PACKAGE.parent)} imports {name}"
        for path in sorted(tui.rglob("*.py"))
        for name in sorted(imported_modules(path))
        if any(_matches(name, db) for db in DB_MODULES)
    ]
    assert offenders == []


def test_headless_modules_load_without_textual_or_sympy() -> None:
    # Importing the domain must not pull in the interface or the heavy symbolic library.
    modules = ["quizdl.cli", "quizdl.kb.loader", "quizdl.engine.registry", "quizdl.engine.question"]
    code = (
        "import sys\n"
        f"for m in {modules!r}: __import__(m)\n"
        "from quizdl.engine import registry\n"
        "registry.families()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'sympy'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
