"""A profile's study settings: daily limits, FSRS options, the day's rollover, leeches."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from quizdl.errors import BadInput
from quizdl.schedule.fsrs_adapter import SchedulerSettings

Minutes = Annotated[float, Field(gt=0, le=60 * 24 * 30)]


class StudySettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    new_per_day: Annotated[int, Field(ge=0, le=9999)] = 20
    reviews_per_day: Annotated[int, Field(ge=0, le=99999)] = 200
    desired_retention: Annotated[float, Field(ge=0.7, le=0.99)] = 0.9
    learning_steps_minutes: list[Minutes] = [1.0, 10.0]
    relearning_steps_minutes: list[Minutes] = [10.0]
    maximum_interval_days: Annotated[int, Field(ge=1, le=36500)] = 36500
    rollover_hour: Annotated[int, Field(ge=0, le=23)] = 4
    timezone: str | None = None
    learn_ahead_minutes: Annotated[int, Field(ge=0, le=1440)] = 20
    bury_siblings: bool = True
    leech_threshold: Annotated[int, Field(ge=1, le=99)] = 8
    leech_action: Literal["suspend", "tag"] = "suspend"
    fuzz: bool = True

    @classmethod
    def from_stored(cls, data: dict[str, Any]) -> StudySettings:
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise BadInput(f"stored setting {where!r} is invalid: {first['msg']}") from None

    def scheduler(self, parameters: tuple[float, ...] | None = None) -> SchedulerSettings:
        base = SchedulerSettings()
        return SchedulerSettings(
            desired_retention=self.desired_retention,
            learning_steps=tuple(timedelta(minutes=m) for m in self.learning_steps_minutes),
            relearning_steps=tuple(timedelta(minutes=m) for m in self.relearning_steps_minutes),
            maximum_interval=self.maximum_interval_days,
            parameters=parameters or base.parameters,
            fuzz=self.fuzz,
        )
