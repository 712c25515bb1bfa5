"""Quarters: the finest date the regional picture knows ("2026-Q3")."""

import re
from datetime import date, datetime

from django.utils import timezone

PATTERN = re.compile(r"^(\d{4})-Q([1-4])$")


def label(year: int, quarter: int) -> str:
    return f"{year}-Q{quarter}"


def of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def parse(text: str) -> tuple[int, int]:
    match = PATTERN.match(text)
    if not match:
        raise ValueError(text)
    return int(match.group(1)), int(match.group(2))


def bounds(year: int, quarter: int) -> tuple[datetime, datetime]:
    """Start and end (exclusive) in the municipality's time zone."""
    tz = timezone.get_default_timezone()
    start = datetime(year, 3 * quarter - 2, 1)
    end = datetime(year + 1, 1, 1) if quarter == 4 else datetime(year, 3 * quarter + 1, 1)
    return timezone.make_aware(start, tz), timezone.make_aware(end, tz)


def recent(today: date, count: int) -> list[tuple[int, int]]:
    """The last `count` quarters up to and including today's, oldest first."""
    year, quarter = of(today)
    result = []
    for _i in range(count):
        result.append((year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return result[::-1]


def display(text: str) -> str:
    """"2026-Q3" → "Q3 2026"."""
    year, quarter = parse(text)
    return f"Q{quarter} {year}"
