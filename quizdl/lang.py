"""The two languages and how the command line picks one. Light on purpose: the app reads
it before its first frame, ahead of pydantic and the knowledge base."""

from __future__ import annotations

import argparse
import locale
import os
from dataclasses import dataclass
from typing import Literal

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")


def language(args: argparse.Namespace) -> Lang:
    """--lang, else QUIZDL_LANG, else the locale (Chinese locales give Chinese)."""
    chosen = getattr(args, "lang", None) or os.environ.get("QUIZDL_LANG", "")
    if chosen in ("en", "zh"):
        return "zh" if chosen == "zh" else "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    current = locale.getlocale()[0] or ""
    return "zh" if current.lower().startswith("zh") else "en"


def colon(lang: Lang) -> str:
    """What follows a label: ": " in English, a full-width "：" (no space) in Chinese."""
    return "：" if lang == "zh" else ": "


@dataclass(frozen=True)
class Said:
    """One thing to tell the learner, in both languages (a notice, not an error: errors are
    QuizdlError, which carries its Chinese the same way). str() is the English."""

    en: str
    zh: str

    def __str__(self) -> str:
        return self.en

    def said(self, lang: str) -> str:
        """The words in `lang`: Chinese when asked for, else English."""
        return self.zh if lang == "zh" else self.en
