"""`quizdl` with no command: the Textual app. When stdin or stdout is not a terminal
(a script, CI, a pipe) it prints the text summary instead, so that nothing hangs.

The app is on screen before the study is opened: the study's modules (SQLAlchemy's ORM,
the engine, numpy, the scheduler) are imported by the factory, on the study thread, while
the app shows that it is opening.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from quizdl.lang import Lang, language

if TYPE_CHECKING:
    from quizdl.study.opening import Opened


def run(args: argparse.Namespace) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        from quizdl.commands import summary

        return summary.run(args)
    from quizdl.config_file import FILE_NAME as CONFIG_FILE
    from quizdl.store.location import default_url, home_dir
    from quizdl.tui.app import make_app
    from quizdl.tui.config import load_settings

    config_path = home_dir() / CONFIG_FILE
    settings = load_settings(config_path)
    lang = app_language(args, settings.lang)
    url = default_url(getattr(args, "db", None))
    content = tuple(Path(p) for p in getattr(args, "content", []))
    profile = getattr(args, "profile", "default")

    def open_study() -> Opened:
        from quizdl.study.opening import open_study

        return open_study(url, content=content, profile=profile, lang=lang)

    app = make_app(
        settings,
        open_study,
        lang=lang,
        config_path=config_path,
        warm_up=warm_up,
        prepare=prepare_questions,
    )
    app.run()
    return 0


def warm_up() -> None:
    """sympy's first use is slow (see engine.answers.symbolic.warm_up); the app pays it when
    the learner is not waiting."""
    from quizdl.engine.answers.symbolic import warm_up

    warm_up()


def prepare_questions() -> None:
    """The first generated question loads numpy (60 to 80 ms, see question.prepare); the
    app does it while the learner reads a card."""
    from quizdl.engine.question import prepare

    prepare()


def app_language(args: argparse.Namespace, configured: Lang | None) -> Lang:
    """--lang, else QUIZDL_LANG, else the language saved in the app's settings, else the
    locale."""
    explicit = getattr(args, "lang", None) or os.environ.get("QUIZDL_LANG", "")
    if explicit not in ("en", "zh") and configured is not None:
        return configured
    return language(args)
