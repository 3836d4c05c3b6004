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
