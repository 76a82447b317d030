"""How the command line picks the language: --lang, then QUIZDL_LANG, then the locale."""

from __future__ import annotations

import argparse

import pytest

from quizdl.lang import LANGS, language


@pytest.mark.parametrize(
    ("flag", "variable", "lc_all", "lang", "expected"),
    [
        ("zh", "en", "en_US.UTF-8", "en_US.UTF-8", "zh"),  # --lang wins
        (None, "zh", "en_US.UTF-8", "en_US.UTF-8", "zh"),  # then QUIZDL_LANG
        (None, "", "zh_TW.UTF-8", "en_US.UTF-8", "zh"),  # then LC_ALL before LANG
        (None, "", "", "zh_CN.UTF-8", "zh"),
        (None, "", "", "en_GB.UTF-8", "en"),
        (None, "fr", "", "de_DE.UTF-8", "en"),  # an unknown choice is not taken
    ],
)
def test_the_language_comes_from_flag_then_environment_then_locale(
    monkeypatch: pytest.MonkeyPatch,
    flag: str | None,
    variable: str,
    lc_all: str,
    lang: str,
    expected: str,
) -> None:
    monkeypatch.setenv("QUIZDL_LANG", variable)
    monkeypatch.setenv("LC_ALL", lc_all)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", lang)
    assert language(argparse.Namespace(lang=flag)) == expected
    assert expected in LANGS
