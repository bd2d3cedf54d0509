"""The cities' clock: one time zone (Asia/Shanghai) for every calendar figure, and aware instants everywhere.

Kept apart from the engine so that pages and components, which may not touch the database, can still say
what day it is in Zhuzhou.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

CITY_TZ = ZoneInfo("Asia/Shanghai")


def now_utc() -> datetime:
    return datetime.now(UTC)


def today_local() -> date:
    """Today's date in the cities' zone (the date every as-of figure refers to)."""
    return datetime.now(CITY_TZ).date()
