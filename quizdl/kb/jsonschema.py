"""The JSON Schema of a content file, for editor completion and validation.

The committed copy is ``content/quizdl.schema.json``; a test fails when it is stale.
Regenerate with ``python -m quizdl.kb.jsonschema > content/quizdl.schema.json``.
"""

from __future__ import annotations

import json
from typing import Any

from quizdl.kb.schema import TopicFile

SCHEMA_FILE = "quizdl.schema.json"


def content_schema() -> dict[str, Any]:
    schema = TopicFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "quizdl topic file"
    return schema


def schema_text() -> str:
    return json.dumps(content_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
