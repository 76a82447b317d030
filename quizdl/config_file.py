"""config.toml in QUIZDL_HOME, read the one way: the app's [app] table (quizdl.tui.config)
and the backups' [backup] table (quizdl.store.backup). Light: the app reads it before its
first frame."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from quizdl.errors import BadInput

FILE_NAME = "config.toml"


def read_config(path: Path) -> dict[str, Any]:
    """The whole file ({} when there is none); BadInput names the file when it is not TOML."""
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BadInput(
            f"{path}: is not valid TOML ({exc}); fix or remove it",
            zh=f"{path}：不是有效的 TOML（{exc}）；请改正或删除它",
        ) from None


def config_table(path: Path, section: str) -> dict[str, Any]:
    """The [section] table of the file ({} when absent); BadInput when it is not a table."""
    table = read_config(path).get(section, {})
    if not isinstance(table, dict):
        raise BadInput(
            f"{path}: [{section}] must be a table", zh=f"{path}：[{section}] 必须是一个表"
        )
    return table
