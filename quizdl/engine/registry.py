"""The registry of generator families: every module in quizdl.engine.families that
defines ``FAMILIES`` (a tuple of Family). Discovered once, on first use."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from quizdl.engine import families as _families_pkg
from quizdl.engine.question import Family


@cache
def families() -> dict[str, Family]:
    """All families by id, sorted by id."""
    found: dict[str, Family] = {}
    for info in sorted(pkgutil.iter_modules(_families_pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{_families_pkg.__name__}.{info.name}")
        for family in getattr(module, "FAMILIES", ()):
            if family.id in found:
                raise RuntimeError(f"generator id {family.id!r} is defined twice")
            found[family.id] = family
    return dict(sorted(found.items()))


def get(family_id: str) -> Family | None:
    return families().get(family_id)
