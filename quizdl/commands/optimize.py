"""`quizdl optimize [--revlog CSV] [--apply] [--json]`: fit FSRS parameters to a review
history and report how well they predict recall, before and after.

Without --revlog the history is the profile's own review log, with its study days cut at
the profile's rollover hour in its time zone. --revlog reads an external log instead
(columns card_id, review_rating 1-4, review_time as ISO 8601 or milliseconds since the
epoch; study days cut at 4:00 UTC). The parameters are saved to the profile only with
--apply, and only when they predict unseen reviews better than the current ones.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizdl.clock import Clock, local_zone
from quizdl.commands.common import language
from quizdl.errors import BadInput, QuizdlError
from quizdl.kb.text import Lang, Text
from quizdl.schedule.metrics import Scores
from quizdl.schedule.optimize import Evaluation, History, LoggedReview, optimize

if TYPE_CHECKING:
    from quizdl.store.opening import OpenedDatabase

REVLOG_ROLLOVER_HOUR = 4  # study days of an external log end at 4:00 UTC
REQUIRED_COLUMNS = ("card_id", "review_rating", "review_time")
STORED_DIGITS = 6  # decimals of a saved parameter (fsrs-rs fits in 32-bit floats)


def run(args: argparse.Namespace) -> int:
    lang = language(args)
    current: list[float] | None = None
    relearning_steps: int | None = None
    if args.revlog:
        path = Path(args.revlog)
        source = {"revlog": str(path)}
        history = History.build(read_revlog(path), Clock(UTC, REVLOG_ROLLOVER_HOUR).study_day)
    else:
        source = {"profile": args.profile}
        history, current, relearning_steps = _own_history(args)
    evaluation = optimize(
        history,
        current,
        relearning_steps=relearning_steps,
        progress=_progress(lang) if sys.stderr.isatty() and not args.json else None,
        lang=lang,
    )
    applied = False
    if args.apply and evaluation.improved:
        _save(args, evaluation.parameters_after)
        applied = True
    if args.json:
        print(json.dumps(_as_json(source, evaluation, applied), ensure_ascii=False, indent=2))
    else:
        print(_as_text(source, evaluation, applied, lang))
    return 0


def read_revlog(path: Path) -> list[LoggedReview]:
    """A review log in CSV; every problem names the file and line."""
    try:
        with path.open(encoding="utf-8", newline="") as file:
            reader = csv.DictReader(file)
            missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise BadInput(
                    f"{path}:1: missing column(s) {', '.join(missing)} (expected a header with "
                    f"{', '.join(REQUIRED_COLUMNS)}; found {', '.join(reader.fieldnames or [])})"
                )
            return [_review(path, reader.line_num, row) for row in reader]
    except FileNotFoundError:
        raise BadInput(f"{path}: no such file (expected a review log in CSV)") from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise BadInput(f"{path}: is not a UTF-8 CSV file ({error})") from None


def _review(path: Path, line: int, row: dict[str, str]) -> LoggedReview:
    rating = (row.get("review_rating") or "").strip()
    if rating not in ("1", "2", "3", "4"):
        raise BadInput(f"{path}:{line}: review_rating must be 1, 2, 3 or 4, found {rating!r}")
    card = (row.get("card_id") or "").strip()
    if not card:
        raise BadInput(f"{path}:{line}: card_id is empty")
    return LoggedReview(
        card, _time(path, line, (row.get("review_time") or "").strip()), int(rating)
    )


def _time(path: Path, line: int, text: str) -> datetime:
    if text.isdigit():  # milliseconds since the epoch, as Anki and fsrs-rs write them
        return datetime.fromtimestamp(int(text) / 1000, tz=UTC)
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BadInput(
            f"{path}:{line}: review_time {text!r} is not an ISO 8601 time "
            "(e.g. 2024-03-29T20:32:32+00:00) nor milliseconds since 1970"
        ) from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _open(args: argparse.Namespace, *, create: bool) -> OpenedDatabase:
    """The database at the current schema (backed up first if a migration is due)."""
    from quizdl.store import backup
    from quizdl.store.db import default_url
    from quizdl.store.opening import open_database

    url = default_url(getattr(args, "db", None))
    return open_database(url, create=create, notify=backup.notice_printer(language(args)))


def _own_history(args: argparse.Namespace) -> tuple[History, list[float] | None, int]:
    from sqlalchemy import select

    from quizdl.store import migrate
    from quizdl.store.models import Profile, Review
    from quizdl.study.settings import StudySettings

    opened = _open(args, create=False)
    database = opened.database
    try:
        if opened.is_new:  # no database yet: nothing to fit, nothing made
            return History.build([], Clock().study_day), None, 1
        with database.sessions() as session:
            profile = session.scalars(select(Profile).where(Profile.name == args.profile)).first()
            if profile is None:
                names = session.scalars(select(Profile.name).order_by(Profile.name)).all()
                raise BadInput(
                    f"no profile named {args.profile!r} in {migrate.describe(database)} "
                    f"(profiles: {', '.join(names) or 'none yet'})"
                )
            settings = StudySettings.from_stored(profile.settings)
            stored = (profile.fsrs_parameters or {}).get("w")
            rows = session.execute(
                select(Review.card_id, Review.reviewed_at, Review.rating).where(
                    Review.profile_id == profile.id
                )
            ).all()
    finally:
        database.dispose()
    zone = local_zone(settings.timezone)
    day = Clock(zone, settings.rollover_hour).study_day
    history = History.build((LoggedReview(r[0], r[1], r[2]) for r in rows), day)
    current = [float(x) for x in stored] if stored else None
    return history, current, len(settings.relearning_steps_minutes)


def _save(args: argparse.Namespace, parameters: tuple[float, ...]) -> None:
    """Save {"w": [...]} to the profile in one transaction, after checking that the
    scheduler (py-fsrs) accepts the parameters."""
    from fsrs import Scheduler

    from quizdl.study import repo

    rounded = [round(x, STORED_DIGITS) for x in parameters]
    try:
        Scheduler(parameters=rounded)
    except ValueError as error:
        raise QuizdlError(f"the fitted parameters were not saved: {error}") from None
    database = _open(args, create=True).database
    try:
        with database.transaction() as session:
            profile = repo.ensure_profile(session, args.profile, Clock.from_env().now())
            profile.fsrs_parameters = {"w": rounded}
    finally:
        database.dispose()


def _progress(lang: Lang) -> Callable[[int, int], None]:
    word = Text(en="fitting", zh="拟合中").get(lang)

    def report(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        print(f"\r{word} {done}/{total}", end=end, file=sys.stderr, flush=True)

    return report


def _as_json(source: dict[str, str], e: Evaluation, applied: bool) -> dict[str, Any]:
    return {
        "source": source,
        "reviews": e.reviews,
        "cards": e.cards,
        "predicted_reviews": e.targets,
        "time_series_split": {
            "folds": e.folds,
            "before": e.before.as_dict(),
            "after": e.after.as_dict(),
        },
        "in_sample": {"before": e.in_sample_before.as_dict(), "after": e.in_sample_after.as_dict()},
        "parameters": {"before": list(e.parameters_before), "after": list(e.parameters_after)},
        "improved": e.improved,
        "applied": applied,
        "seconds": round(e.seconds, 3),
    }


def _row(label: str, scores: Scores) -> str:
    auc = "-" if scores.auc is None else f"{scores.auc:.3f}"
    return f"  {label:<22}{scores.log_loss:>9.4f}{scores.rmse_bins:>12.4f}{auc:>8}"


def _as_text(source: dict[str, str], e: Evaluation, applied: bool, lang: Lang) -> str:
    where = source.get("revlog") or source["profile"]
    current = Text(en="current parameters", zh="当前参数").get(lang)
    fitted = Text(en="fitted parameters", zh="拟合参数").get(lang)
    header = f"  {'':<22}{'log loss':>9}{'RMSE(bins)':>12}{'AUC':>8}"
    lines = [
        Text(
            en=f"{where}: {e.reviews} reviews of {e.cards} cards; {e.targets} of them on a later "
            "day than the card's previous review are predicted",
            zh=f"{where}：{e.cards} 张卡片的 {e.reviews} 次复习；"
            f"其中 {e.targets} 次与该卡上一次复习不在同一天，用于预测",
        ).get(lang),
        "",
        Text(
            en=f"time-series split, {e.folds} folds (fit on earlier reviews, predict later ones; "
            f"{e.before.reviews} predictions):",
            zh=f"时间序列划分，{e.folds} 折（用较早的复习拟合，预测较晚的复习；"
            f"共 {e.before.reviews} 次预测）：",
        ).get(lang),
        header,
        _row(current, e.before),
        _row(fitted, e.after),
        Text(
            en=f"in-sample (fit and scored on all {e.targets}; flatters the fit):",
            zh=f"样本内（在全部 {e.targets} 次上拟合并评分；会高估拟合效果）：",
        ).get(lang),
        header,
        _row(current, e.in_sample_before),
        _row(fitted, e.in_sample_after),
        "",
        Text(en="fitted parameters:", zh="拟合参数：").get(lang),
        "  " + ", ".join(f"{x:.4f}" for x in e.parameters_after),
        "",
        _verdict(e, applied).get(lang),
        Text(en=f"({e.seconds:.1f} s)", zh=f"（用时 {e.seconds:.1f} 秒）").get(lang),
    ]
    return "\n".join(lines)


def _verdict(e: Evaluation, applied: bool) -> Text:
    if applied:
        return Text(
            en="saved to the profile; they apply from the next session.",
            zh="已保存到学习档案，下次复习时生效。",
        )
    if not e.improved:
        return Text(
            en="not saved: the fitted parameters predict later reviews no better than the "
            "current ones.",
            zh="未保存：拟合参数对较晚复习的预测并不比当前参数更好。",
        )
    return Text(
        en="not saved: run again with --apply to save them to the profile.",
        zh="未保存：加上 --apply 重新运行即可保存到学习档案。",
    )
