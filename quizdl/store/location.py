"""Where the database is: the URL from --db or QUIZDL_DB_URL, else SQLite in quizdl's home
folder. No SQLAlchemy here: the app reads it before its first frame."""

from __future__ import annotations

import os
from pathlib import Path

DB_URL_VARIABLE = "QUIZDL_DB_URL"
HOME_VARIABLE = "QUIZDL_HOME"


def home_dir() -> Path:
    """QUIZDL_HOME, else the platform's user data folder."""
    configured = os.environ.get(HOME_VARIABLE)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_path

    return user_data_path("quizdl", appauthor=False)


def default_url(explicit: str | None = None) -> str:
    """--db, else QUIZDL_DB_URL, else SQLite at $QUIZDL_HOME/quizdl.db."""
    url = explicit or os.environ.get(DB_URL_VARIABLE)
    if url:
        return url
    return f"sqlite:///{home_dir() / 'quizdl.db'}"
