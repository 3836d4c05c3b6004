"""Time as the Pemda sees it.

Everything is stored in UTC; the Pemda's zone (WIB = Asia/Jakarta, WITA = Asia/Makassar,
WIT = Asia/Jayapura) decides what "today" means for a due date and what a person reads.
The clock is an object so that tests and the dry run can move it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}


def zone(name: str) -> tzinfo:
    """Accept 'WIB'/'WITA'/'WIT' or an IANA name."""
    return ZoneInfo(ZONES.get(name.upper(), name) if name.upper() in ZONES else name)


class Clock:
    def __init__(self, zone_name: str = "WIB") -> None:
        self.zone_name = zone_name.upper() if zone_name.upper() in ZONES else zone_name
        self.tz = zone(zone_name)

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().astimezone(self.tz).date()

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)


class ManualClock(Clock):
    """A clock that stands still until moved: for tests, the dry run and the worker's tests.

    Timers read the engine's clock (engine.timers), so advancing this fires them without
    sleeping and without touching SpiffWorkflow's internals.
    """

    def __init__(self, start: datetime, zone_name: str = "WIB") -> None:
        super().__init__(zone_name)
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self.moment = start.astimezone(UTC)

    def now(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> datetime:
        from datetime import timedelta

        self.moment += timedelta(**delta)
        return self.moment

    def set(self, moment: datetime) -> None:
        self.moment = moment.astimezone(UTC)
