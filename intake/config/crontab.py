"""Crontab lines (``[digest] cron``) as APScheduler triggers, weekdays as cron counts them.

The config checks a line here when it loads, and the worker and the digest
use case build their trigger here, so a line that loads is a line that runs.
"""

from __future__ import annotations

import re

from apscheduler.triggers.cron import CronTrigger

_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _weekday_names(field: str) -> str:
    # crontab counts weekdays from Sunday = 0 (or 7); APScheduler 3 from Monday = 0, so
    # "1-5" would silently mean Tuesday to Saturday.  Names mean the same to both.
    parts: list[str] = []
    for part in field.split(","):
        span = re.fullmatch(r"([0-7])-([0-7])", part)
        if span:
            first, last = int(span[1]), int(span[2])
            parts.extend(_WEEKDAYS[d] for d in range(first, last + 1))
        elif re.fullmatch(r"[0-7]", part):
            parts.append(_WEEKDAYS[int(part)])
        else:
            parts.append(part)
    return ",".join(dict.fromkeys(parts))


def cron_trigger(cron: str, timezone: str) -> CronTrigger:
    """The trigger for a crontab line (minute hour day month weekday), weekdays as cron
    counts them.

    :raises ValueError: for a line that is not a crontab schedule.
    """
    fields = cron.split()
    if len(fields) != 5:
        raise ValueError(f"expected 5 fields, got {len(fields)}")
    minute, hour, day, month, weekday = fields
    return CronTrigger(minute=minute, hour=hour, day=day, month=month,
                       day_of_week=_weekday_names(weekday), timezone=timezone)  # fmt: skip
