"""Changing a profile's study settings (daily limits, desired retention, rollover hour):
validated, stored in the profile, and applied to the running Study at once."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pydantic import ValidationError

from quizdl.errors import BadInput
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
    """Store `settings` in the study's profile and use them from now on, the hour the day
    starts included (Study.save_settings keeps the clock it was given)."""
    study.save_settings(settings)
    study.clock = replace(study.clock, rollover_hour=settings.rollover_hour)
