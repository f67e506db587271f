"""A channel's digest schedule: weekly on a day, or daily, at a time in a time zone."""

from zoneinfo import ZoneInfo

from pydantic import BaseModel, field_validator

from bot.domain.language import Lang

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAILY = "daily"


class DigestSchedule(BaseModel):
    day: str = "mon"         # a weekday (mon … sun) or "daily"
    at: str = "09:00"        # HH:MM
    tz: str = "UTC"
    lang: Lang | None = None  # whoever turned it on reads this language (else the team's default)

    @field_validator("day")
    @classmethod
    def _day(cls, value: str) -> str:
        value = value.lower()[:3] if value.lower() != DAILY else DAILY
        if value not in (*DAYS, DAILY):
            raise ValueError(value)
        return value

    @field_validator("tz")
    @classmethod
    def _zone(cls, value: str) -> str:
        ZoneInfo(value)
        return value
