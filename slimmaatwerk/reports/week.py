"""ISO weeks as the command line names them (``2026-W10``) and the seven 04:00-04:00 days they hold."""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..errors import InputError

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def parse_week(text: str) -> date:
    """The Monday of an ISO week; one clear error for anything else."""
    match = _WEEK.match(text.strip())
    if match is None:
        raise InputError(f"--week: {text!r} is not an ISO week (YYYY-Www, e.g. 2026-W10)")
    try:
        return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        raise InputError(f"--week: {text!r} does not exist (weeks run from W01 to W52 or W53)") from None


def week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_days(monday: date) -> list[date]:
    return [monday + timedelta(days=i) for i in range(7)]
