"""The app's own settings (language, theme) in config.toml under QUIZDL_HOME.

Study settings (daily limits, retention, rollover) belong to the profile in the database,
not here. Keys this module does not know are kept as they are when the file is written,
so that other parts of quizdl may keep their settings in the same file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from quizdl.config_file import config_table, read_config
from quizdl.errors import BadInput
from quizdl.lang import Lang

DEFAULT_THEME = "textual-dark"
SECTION = "app"


@dataclass(frozen=True)
class AppSettings:
    lang: Lang | None = None
    """None: follow --lang, QUIZDL_LANG or the locale."""
    theme: str = DEFAULT_THEME


def load_settings(path: Path) -> AppSettings:
    """The [app] table of config.toml; BadInput names the file and key that are wrong."""
    table = config_table(path, SECTION)
    lang = table.get("lang")
    if lang not in (None, "en", "zh"):
        raise BadInput(
            f'{path}: {SECTION}.lang must be "en" or "zh", found {lang!r}',
            zh=f'{path}：{SECTION}.lang 必须是 "en" 或 "zh"，现在是 {lang!r}',
        )
    theme = table.get("theme", DEFAULT_THEME)
    if not isinstance(theme, str) or not theme:
        raise BadInput(
            f"{path}: {SECTION}.theme must be a theme name, found {theme!r}",
            zh=f"{path}：{SECTION}.theme 必须是主题名，现在是 {theme!r}",
        )
    return AppSettings("zh" if lang == "zh" else "en" if lang == "en" else None, theme)


def save_settings(path: Path, settings: AppSettings) -> None:
    """Write the [app] table, keeping everything else in the file."""
    data = read_config(path)
    table: dict[str, Any] = {"theme": settings.theme}
    if settings.lang is not None:
        table["lang"] = settings.lang
    data[SECTION] = table
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(tomli_w.dumps(data), encoding="utf-8")
    temporary.replace(path)  # a crash mid-write never leaves half a file
