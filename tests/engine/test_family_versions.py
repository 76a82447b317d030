"""The version contract of a question family: its version is raised whenever its output
for a seed changes (`Family`), since each review stores (generator, version, seed) to
regenerate the question. The output of every family over a range of seeds, both
languages, is kept as a fingerprint beside its version in family_fingerprints.json: a
change of output under the same version fails here.

After raising a family's version (or adding a family), record the fingerprints again:

    python tests/engine/test_family_versions.py --update
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from quizdl.commands.gen import question_json
from quizdl.engine import registry
from quizdl.engine.question import Family

RECORD = Path(__file__).with_name("family_fingerprints.json")
UPDATE = "python tests/engine/test_family_versions.py --update"
SEEDS = range(100)
DIGITS = 9
"""Floats are compared to this many significant figures: the last bits of a logarithm
may differ between machines, the questions shown may not."""


def rounded(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.{DIGITS}g}")
    if isinstance(value, list | tuple):
        return [rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    return value


def fingerprint(family: Family) -> str:
    digest = hashlib.sha256()
    for seed in SEEDS:
        question = family.generate(seed)
        for lang in ("en", "zh"):
            shown = rounded(question_json(question, lang))
            digest.update(json.dumps(shown, ensure_ascii=False, sort_keys=True).encode())
    return digest.hexdigest()


def recorded() -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = json.loads(RECORD.read_text(encoding="utf-8"))
    return result


@pytest.mark.parametrize("family_id", sorted(registry.families()))
def test_a_family_output_changes_only_with_its_version(family_id: str) -> None:
    family = registry.families()[family_id]
    kept = recorded().get(family_id)
    assert kept is not None, f"{family_id} is new: record it ({UPDATE})"
    if kept["version"] == family.version:
        assert fingerprint(family) == kept["fingerprint"], (
            f"{family_id}'s questions changed under version {family.version}: raise its version"
            f" (Family.version), then record the fingerprints again ({UPDATE})"
        )
    else:
        assert family.version > kept["version"], f"{family_id}'s version went down"
        pytest.fail(f"{family_id} is now version {family.version}: record it again ({UPDATE})")


def test_every_recorded_family_exists() -> None:
    assert set(recorded()) <= set(registry.families())


def update() -> None:
    families = registry.families()
    record = {
        fid: {"version": families[fid].version, "fingerprint": fingerprint(families[fid])}
        for fid in sorted(families)
    }
    RECORD.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"recorded {len(record)} families in {RECORD}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit(__doc__)
    update()
