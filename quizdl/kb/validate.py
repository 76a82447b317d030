"""Turning pydantic validation errors into plain-words problems at file:line:col."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from quizdl.kb import schema
from quizdl.kb.problems import Problem
from quizdl.kb.yamlsrc import Document, PathKey

_MODELS: tuple[type[BaseModel], ...] = (
    schema.TopicFile,
    schema.TopicMeta,
    schema.Source,
    schema.Reference,
    schema.BasicCard,
    schema.ClozeCard,
    schema.ChoiceCard,
    schema.TypedCard,
    schema.OrderingCard,
    schema.GeneratedCard,
)
KNOWN_KEYS: frozenset[str] = frozenset(
    {name for model in _MODELS for name in model.model_fields} | {"en", "zh"}
)
_KIND_MODELS: dict[str, type[BaseModel]] = {
    "basic": schema.BasicCard,
    "cloze": schema.ClozeCard,
    "choice": schema.ChoiceCard,
    "typed": schema.TypedCard,
    "ordering": schema.OrderingCard,
    "generated": schema.GeneratedCard,
}
_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "dataclass_type": "a mapping with keys 'en' and 'zh'",
    "dataclass_exact_type": "a mapping with keys 'en' and 'zh'",
}


def describe_found(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    shown = repr(value)
    if len(shown) > 50:
        shown = shown[:49] + "…'"
    kind = "text" if isinstance(value, str) else type(value).__name__
    return f"{kind} {shown}"


def _data_path(doc: Document, loc: tuple[int | str, ...]) -> PathKey:
    """The path in the YAML data for a pydantic location: union tags and wrapper names
    that pydantic inserts (the card kind, 'function-after[...]', ...) are skipped."""
    node: Any = doc.data
    path: list[str | int] = []
    for part in loc:
        # Parts that are not in the data (a missing key, the union tag pydantic inserts
        # such as the card kind) are skipped: the problem is reported at the parent.
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
    return tuple(path)


def _required_keys(data: Any) -> str:
    if isinstance(data, dict) and isinstance(data.get("kind"), str):
        model = _KIND_MODELS.get(data["kind"])
        if model is not None:
            names = [n for n, f in model.model_fields.items() if f.is_required()]
            return f" (a {data['kind']} card needs: {', '.join(names)})"
    return ""


def _node(doc: Document, path: PathKey) -> Any:
    node: Any = doc.data
    for part in path:
        node = node[part]  # the path came from walking the data, so it exists
    return node


def problems_from_errors(doc: Document, errors: list[ErrorDetails]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[PathKey] = set()
    for error in errors:
        loc = tuple(error["loc"])
        path = _data_path(doc, loc)
        kind = error["type"]
        field_name = next((p for p in reversed(loc) if isinstance(p, str)), "")
        if kind == "missing":
            message = f"missing required key {field_name!r}{_required_keys(_node(doc, path))}"
            if field_name in ("en", "zh"):
                message = f"missing the {field_name!r} text: give both {{en: ..., zh: ...}}"
            problem = doc.problem(path, message)
        elif kind in ("extra_forbidden", "unexpected_keyword_argument"):
            key = str(loc[-1])
            close = difflib.get_close_matches(key, sorted(KNOWN_KEYS), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            if not close and error.get("input") is None:
                hint = "; a comma inside {...} starts a new key: put the text in quotes"
            problem = doc.problem(path, f"unknown key {key!r}{hint}", key=True)
        elif kind == "union_tag_invalid":
            found = _node(doc, path).get("kind")
            problem = doc.problem(
                (*path, "kind"),
                f"unknown card kind {found!r}; expected one of {', '.join(schema.CARD_KINDS)}",
            )
        elif kind == "union_tag_not_found":
            problem = doc.problem(
                path, f"missing required key 'kind' (one of {', '.join(schema.CARD_KINDS)})"
            )
        else:
            problem = doc.problem(path, _message(kind, error, field_name))
        if path in seen and kind not in (
            "missing",
            "extra_forbidden",
            "unexpected_keyword_argument",
        ):
            continue  # a value failing several branches of a union: report it once
        seen.add(path)
        problems.append(problem)
    return problems


def _message(kind: str, error: ErrorDetails, field_name: str) -> str:
    found = describe_found(error.get("input"))
    where = f"{field_name}: " if field_name else ""
    if kind in _TYPE_WORDS:
        return f"{where}expected {_TYPE_WORDS[kind]}, found {found}"
    if kind == "string_pattern_mismatch":
        if field_name == "id":
            return (
                f"id: {found} is not a valid id; expected lowercase letters, digits and "
                "hyphens, as topic-id/card-slug for a card (e.g. gan/optimal-discriminator)"
            )
        pattern = (error.get("ctx") or {}).get("pattern", "")
        return f"{where}{found} does not have the expected form ({pattern})"
    if kind in ("too_short", "too_long"):
        return f"{where}{error['msg'].lower()}"
    if kind in ("value_error", "assertion_error"):
        message = error["msg"]
        for prefix in ("Value error, ", "Assertion failed, "):
            message = message.removeprefix(prefix)
        return message if message.startswith(field_name) else f"{where}{message}"
    if kind == "string_too_short":
        return f"{where}must not be empty"
    return f"{where}{error['msg']} (found {found})"
