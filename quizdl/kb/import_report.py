"""What an import did, and what in its result a person should look at."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizdl.kb.yaml_style import dig

UNTRANSLATED = "untranslated"
"""The tag of a card whose text the importer could only copy from Chinese notes."""
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    """Topic and card ids added."""
    kept: list[str] = field(default_factory=list)
    """Ids already present and kept as they are."""
    flagged: list[str] = field(default_factory=list)
    """What a person should look at: material gone from the notes, definitions that changed,
    missing images, text that needs an English version."""
    files: list[Path] = field(default_factory=list)
    """YAML files written."""


def format_report(report: ImportReport) -> str:
    """The report as `quizdl import` prints it."""
    out = [f"added {len(report.added)}:" if report.added else "added nothing"]
    out += [f"  + {item}" for item in report.added]
    out.append(f"kept {len(report.kept)} as they were (never overwritten)")
    out.append(f"flagged {len(report.flagged)}:" if report.flagged else "flagged nothing")
    out += [f"  ! {line}" for line in report.flagged]
    out.append(f"wrote {len(report.files)} file(s)" + (":" if report.files else ""))
    out += [f"  {path}" for path in report.files]
    return "\n".join(out)


def review_flags(topic_files: Iterable[Any]) -> list[str]:
    """Flags for the merged topics (round-trip YAML data): images missing on disk, and
    titles and cards still waiting for an English text."""
    flags: list[str] = []
    untranslated: list[str] = []
    titles: list[str] = []
    for data in topic_files:
        topic_id = dig(data, "topic", "id")
        title = dig(data, "topic", "title")
        if CJK.search(str(title if isinstance(title, str) else dig(title, "en"))):
            titles.append(str(topic_id))
        for ref in dig(data, "topic", "references") or []:
            if dig(ref, "kind") == "image" and dig(ref, "exists") is False:
                flags.append(f"missing image in {topic_id}: {dig(ref, 'target')}")
        for card in dig(data, "cards") or []:
            tags = dig(card, "tags") or []
            english = f"{dig(card, 'front', 'en')}{dig(card, 'back', 'en')}"
            if UNTRANSLATED in tags and CJK.search(english):
                untranslated.append(str(dig(card, "id")))
    if titles:
        flags.append(f"{len(titles)} topic title(s) need an English text: {', '.join(titles)}")
    if untranslated:
        flags.append(
            f"{len(untranslated)} card(s) need an English text "
            f"(tagged {UNTRANSLATED}): {', '.join(untranslated)}"
        )
    return flags
