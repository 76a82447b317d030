"""Bilingual text: every learner-facing string exists in English and Chinese.

A plain string is accepted only where the text is language-neutral (a formula, a number,
a short term such as "ReLU"); prose must be given as ``{en: ..., zh: ...}``.
Math is written in a LaTeX subset between ``$...$`` and drawn in Unicode by
:mod:`quizdl.kb.mathtext`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ConfigDict

from quizdl.kb import mathtext
from quizdl.lang import LANGS as LANGS
from quizdl.lang import Lang as Lang

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
_WORD = re.compile(r"[A-Za-z]{2,}")
_MATH_SPAN = re.compile(r"\$[^$]*\$")
# A plain string may hold at most this many words outside math: "Leaky ReLU" is a
# term, "the gradient vanishes" is prose that needs a translation.
MAX_NEUTRAL_WORDS = 3


@dataclass(frozen=True, slots=True)
class Text:
    """A string in English and Chinese."""

    __pydantic_config__ = ConfigDict(extra="forbid", str_strip_whitespace=False)

    en: str
    zh: str

    def get(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    def render(self, lang: Lang) -> str:
        """The text in `lang` with its math drawn in Unicode."""
        return mathtext.render(self.get(lang))

    @classmethod
    def same(cls, text: str) -> Text:
        """Language-neutral text, identical in both languages."""
        return cls(en=text, zh=text)


def neutral_problem(text: str) -> str | None:
    """Why `text` cannot stand as a plain (language-neutral) string, or None if it can."""
    outside_math = _MATH_SPAN.sub(" ", text)
    if _CJK.search(outside_math):
        return (
            f"plain string {_clip(text)!r} contains Chinese text; "
            "write it as {en: ..., zh: ...} with both languages"
        )
    words = _WORD.findall(outside_math)
    if len(words) > MAX_NEUTRAL_WORDS:
        return (
            f"plain string {_clip(text)!r} reads as English prose ({len(words)} words); "
            "a plain string is only for language-neutral text such as a formula; "
            "write it as {en: ..., zh: ...}"
        )
    return None


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _coerce(value: Any) -> Any:
    if isinstance(value, str):
        problem = neutral_problem(value)
        if problem:
            raise ValueError(problem)
        return {"en": value, "zh": value}
    if isinstance(value, dict):
        for lang in LANGS:
            if lang in value and isinstance(value[lang], str) and not value[lang].strip():
                raise ValueError(f"the {lang!r} text is empty")
    return value


def _check_math(text: Text) -> Text:
    for lang in LANGS:
        problems = mathtext.math_problems(text.get(lang))
        if problems:
            raise ValueError(f"math in the {lang!r} text: " + "; ".join(problems))
    return text


LocalText = Annotated[
    Text,
    BeforeValidator(_coerce, json_schema_input_type=str | Text),
    AfterValidator(_check_math),
]
"""The field type for learner-facing text in content models."""
