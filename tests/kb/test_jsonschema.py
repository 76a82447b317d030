from __future__ import annotations

from quizdl.kb.jsonschema import SCHEMA_FILE, content_schema, schema_text
from quizdl.kb.paths import shipped_content_dir


def test_committed_schema_is_current() -> None:
    committed = shipped_content_dir() / SCHEMA_FILE
    assert committed.read_text(encoding="utf-8") == schema_text(), (
        "content/quizdl.schema.json is stale: run "
        "'python -m quizdl.kb.jsonschema > content/quizdl.schema.json'"
    )


def test_schema_forbids_unknown_keys_and_requires_both_languages() -> None:
    defs = content_schema()["$defs"]
    assert defs["BasicCard"]["additionalProperties"] is False
    assert defs["Text"]["required"] == ["en", "zh"]
    assert defs["Text"]["additionalProperties"] is False
