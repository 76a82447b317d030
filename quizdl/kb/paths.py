"""Where the shipped content lives: inside the wheel, or beside the package in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def shipped_content_dir() -> Path:
    installed = _PACKAGE / "_content"  # the wheel carries content/ as quizdl/_content
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / "content"  # a source checkout or an editable install
