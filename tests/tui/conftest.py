"""Fixtures of the app tests (the helpers are in tui_helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import Maker


@pytest.fixture
def maker(tmp_path: Path) -> Maker:
    return Maker(tmp_path)
