"""When scheduled messages are due: a channel's digest (weekly on a day, or daily, at a time in
its time zone) and the reminders before and on a plan's publish day.

APScheduler's cron trigger does the calendar arithmetic (time zones, daylight saving); what was
sent is recorded by its key, so each period's message goes out once.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger

from bot.domain.digest import DAILY, DAYS, DigestSchedule
from bot.errors import UserError

# A digest whose time passed while planbot was down is still posted within this time, not later.
LATE_BY_AT_MOST = timedelta(hours=6)
# Reminders go out from this hour of the team's day.
REMINDER_HOUR = 9


def parse_schedule(words: list[str], default_tz: str = "UTC") -> DigestSchedule:
    """`mon 09:00`, `daily 8:30`, `fri 16:00 tz=Asia/Shanghai`; anything left out keeps its default."""
    fields: dict[str, str] = {"tz": default_tz}
    for word in words:
        lowered = word.lower()
        if lowered.startswith("tz="):
            fields["tz"] = word[3:]
        elif ":" in word:
            fields["at"] = _clock(word)
        elif lowered == DAILY or lowered[:3] in DAYS:
            fields["day"] = lowered
        else:
            raise UserError("digest_bad_schedule", value=word)
    try:
        ZoneInfo(fields["tz"])
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError("digest_bad_zone", value=fields["tz"]) from None
    return DigestSchedule(**fields)


def _clock(word: str) -> str:
    hour, _, minute = word.partition(":")
    try:
        parsed = time(int(hour), int(minute))
    except ValueError:
        raise UserError("digest_bad_schedule", value=word) from None
    return parsed.strftime("%H:%M")


def trigger_of(schedule: DigestSchedule) -> CronTrigger:
    hour, minute = (int(part) for part in schedule.at.split(":"))
    return CronTrigger(day_of_week="*" if schedule.day == DAILY else schedule.day, hour=hour, minute=minute,
                       timezone=ZoneInfo(schedule.tz))


def latest_run(schedule: DigestSchedule, now: datetime) -> datetime | None:
    """The digest's most recent scheduled time at or before ``now``, if it is not too long ago."""
    trigger = trigger_of(schedule)
    start = now - LATE_BY_AT_MOST
    run = trigger.get_next_fire_time(None, start)
    latest = None
    while run is not None and run <= now:
        latest = run
        run = trigger.get_next_fire_time(run, run + timedelta(seconds=1))
    return latest


def team_today(now: datetime, tz: str) -> tuple[date, bool]:
    """The team's date at ``now``, and whether reminders may go out yet (past REMINDER_HOUR)."""
    local = now.astimezone(ZoneInfo(tz))
    return local.date(), local.hour >= REMINDER_HOUR
