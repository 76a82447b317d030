"""`quizdl` with no command: the app in a terminal, the text summary anywhere else (so a
script or CI never hangs), and the language the app starts in."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from quizdl.commands.app import app_language


def test_without_a_terminal_quizdl_prints_the_summary(tmp_path: Path) -> None:
    env = {"QUIZDL_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    out = subprocess.run(
        [sys.executable, "-m", "quizdl"],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("quizdl: ") and "topics" in out.stdout
    assert not (tmp_path / "quizdl.db").exists()  # the summary does not open the database
    again = subprocess.run(
        [sys.executable, "-m", "quizdl", "summary"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert again.returncode == 0 and again.stdout == out.stdout


@pytest.mark.parametrize(
    ("flag", "variable", "configured", "locale", "expected"),
    [
        ("en", "", "zh", "zh_CN.UTF-8", "en"),  # --lang wins
        (None, "zh", "en", "en_US.UTF-8", "zh"),  # then QUIZDL_LANG
        (None, "", "zh", "en_US.UTF-8", "zh"),  # then the app's settings
        (None, "", None, "zh_CN.UTF-8", "zh"),  # then the locale
        (None, "", None, "en_GB.UTF-8", "en"),
    ],
)
def test_the_language_the_app_starts_in(
    monkeypatch: pytest.MonkeyPatch,
    flag: str | None,
    variable: str,
    configured: str | None,
    locale: str,
    expected: str,
) -> None:
    monkeypatch.setenv("QUIZDL_LANG", variable)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", locale)
    args = argparse.Namespace(lang=flag)
    assert app_language(args, configured) == expected  # type: ignore[arg-type]


def test_the_app_is_built_before_the_study_stack_is_imported() -> None:
    # What runs before the app's first frame: the study's modules (SQLAlchemy and the ORM
    # models, pydantic and the knowledge base, the engine and numpy, the scheduler, the
    # statistics) are imported by the study factory, on the study thread, while the app
    # shows that it is opening. Importing them first held the first frame back 0.4 s.
    code = (
        "import sys\n"
        "import quizdl.cli, quizdl.commands.app, quizdl.tui.app, quizdl.tui.config\n"
        "from quizdl.tui.screens.problem import StartScreen\n"
        "heavy = ['numpy', 'sympy', 'alembic', 'fsrs', 'sqlalchemy', 'pydantic',\n"
        "         'quizdl.kb.loader', 'quizdl.kb.text', 'quizdl.engine', 'quizdl.study',\n"
        "         'quizdl.stats', 'quizdl.store.db', 'quizdl.store.models', 'quizdl.schedule']\n"
        "print(' '.join(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == ""
