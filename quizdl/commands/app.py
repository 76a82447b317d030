"""`quizdl` with no command: the Textual app. When stdin or stdout is not a terminal
(a script, CI, a pipe) it prints the text summary instead, so that nothing hangs."""

from __future__ import annotations

import argparse
import os
import sys
from functools import partial
from pathlib import Path

from quizdl.commands.common import language
from quizdl.kb.text import Lang


def run(args: argparse.Namespace) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        from quizdl.commands import summary

        return summary.run(args)
    from quizdl.engine.answers.symbolic import warm_up
    from quizdl.store.db import default_url, home_dir
    from quizdl.study.opening import open_study
    from quizdl.tui.app import make_app
    from quizdl.tui.config import load_settings

    config_path = home_dir() / "config.toml"
    settings = load_settings(config_path)
    lang = app_language(args, settings.lang)
    factory = partial(
        open_study,
        default_url(getattr(args, "db", None)),
        content=tuple(Path(p) for p in getattr(args, "content", [])),
        profile=getattr(args, "profile", "default"),
        lang=lang,
    )
    app = make_app(settings, factory, lang=lang, config_path=config_path, warm_up=warm_up)
    app.run()
    return 0


def app_language(args: argparse.Namespace, configured: Lang | None) -> Lang:
    """--lang, else QUIZDL_LANG, else the language saved in the app's settings, else the
    locale."""
    explicit = getattr(args, "lang", None) or os.environ.get("QUIZDL_LANG", "")
    if explicit not in ("en", "zh") and configured is not None:
        return configured
    return language(args)
