"""Changing a profile's study settings (daily limits, desired retention, rollover hour):
validated, stored in the profile, and applied to the running Study at once."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pydantic import ValidationError

from quizdl.errors import BadInput
from quizdl.schedule.fsrs_adapter import FsrsScheduler
from quizdl.store.models import Profile
from quizdl.study.service import Study
from quizdl.study.settings import StudySettings


def changed_settings(current: StudySettings, **changes: Any) -> StudySettings:
    """`current` with `changes`, validated; BadInput names the setting and what is allowed."""
    try:
        return StudySettings.model_validate({**current.model_dump(), **changes})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BadInput(
            f"setting {where!r}: {first['msg']} (found {first.get('input')!r})"
        ) from None


def save_settings(study: Study, settings: StudySettings) -> None:
    """Store `settings` in the study's profile (only values that differ from the defaults,
    so that a later change of a default reaches the learner) and use them from now on."""
    with study.db.transaction() as session:
        profile = session.get(Profile, study.profile_id)
        if profile is None:  # pragma: no cover - the Study created it
            raise BadInput(f"profile {study.profile_id} is gone from the database")
        profile.settings = settings.model_dump(mode="json", exclude_defaults=True)
        params = (profile.fsrs_parameters or {}).get("w")
    study.settings = settings
    study.scheduler = FsrsScheduler(
        settings.scheduler(tuple(params) if params else None), study.rng
    )
    study.clock = replace(study.clock, rollover_hour=settings.rollover_hour)
