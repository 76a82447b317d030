"""Opening a card's YAML in the learner's editor, at the card's line."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path


def editor_command(path: Path, line: int) -> list[str]:
    """$VISUAL, else $EDITOR, else vi; `+LINE` is understood by vi, vim, nano, emacs, micro,
    helix and most others."""
    chosen = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    return [*shlex.split(chosen), f"+{line}", str(path)]


def run_editor(path: Path, line: int) -> int:
    """Run the editor and wait for it; returns its exit status."""
    return subprocess.run(editor_command(path, line), check=False).returncode
