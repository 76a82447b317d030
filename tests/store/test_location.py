"""Where the database is, without SQLAlchemy (the app reads it before its first frame)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizdl.store import db, location


def test_the_database_url_comes_from_flag_then_environment_then_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(location.HOME_VARIABLE, str(tmp_path / "home"))
    monkeypatch.delenv(location.DB_URL_VARIABLE, raising=False)
    assert location.default_url() == f"sqlite:///{tmp_path / 'home' / 'quizdl.db'}"
    monkeypatch.setenv(location.DB_URL_VARIABLE, "sqlite:////from/environment.db")
    assert location.default_url() == "sqlite:////from/environment.db"
    assert location.default_url("sqlite:////from/flag.db") == "sqlite:////from/flag.db"


def test_home_expands_the_user_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv(location.HOME_VARIABLE, "~/quizdl-data")
    assert location.home_dir() == tmp_path / "quizdl-data"
    monkeypatch.delenv(location.HOME_VARIABLE)
    assert location.home_dir().name == "quizdl"


def test_the_database_module_names_the_same_places() -> None:
    assert db.default_url is location.default_url
    assert db.home_dir is location.home_dir
    assert (db.HOME_VARIABLE, db.DB_URL_VARIABLE) == ("QUIZDL_HOME", "QUIZDL_DB_URL")
