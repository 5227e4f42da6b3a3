"""Business minutes of a calendar by interval arithmetic, never minute by minute.

Time is counted in whole minutes of the clock: minute ``m`` is the span from ``m * 60`` to
``m * 60 + 60`` seconds after the Unix epoch (UTC; every zone in use today is offset from UTC
by whole minutes, so these are the local clock's minutes too). A minute counts when its start
lies inside the day's hours in local wall-clock time and inside the span in which a clock
runs. A span ``[a, b)`` of instants therefore covers the minutes ``ceil(a) .. ceil(b) - 1``
(``ceil`` to the minute), which makes counting additive: splitting a span anywhere changes
nothing.

Each local date's opening hours become intervals of UTC minutes. On a day with a daylight
saving change the hours stay local wall-clock hours, and the count is the real minutes whose
local start lies inside them: 08:00–16:00 on the spring-forward or fall-back day is 480
minutes (both ends are outside 02:00–03:00); 00:00–24:00 is 1380 minutes on the spring day and
1500 on the autumn day; hours that begin or end inside the skipped hour begin or end at the
change, and on the autumn day the repeated hour counts both times it lies inside the hours.

The intervals of whole local years are compiled once per calendar, with the cumulative
business minutes before each interval, anchored so that values never change when more years
are added. Business minutes before an instant, ``F(m)``, is then one binary search, the
minutes between two instants ``F(b) - F(a)``, and the instant at which ``n`` more minutes have
run from ``a`` the inverse of ``F`` at ``F(a) + n`` (another binary search).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import UTC, date, datetime, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_pkg

from faelles.sla.errors import InputError
from faelles.sla.model import Calendar

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "BusinessCalendar",
    "business_calendar",
    "country_codes",
    "minute_of",
    "zone",
]

MIN_YEAR = 1900
MAX_YEAR = 2199
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_DAY = 86400
#: How many years past the last event ``due`` is searched for before the target is declared
#: unreachable (a calendar whose open days are all closed dates).
_SEARCH_YEARS = 50


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def minute_of(at: datetime) -> int:
    """The first whole minute (since the epoch) that starts at or after ``at`` (aware)."""
    td = at - _EPOCH
    micro = (td.days * _DAY + td.seconds) * 1_000_000 + td.microseconds
    return -(-micro // 60_000_000)


@cache
def zone(name: str) -> ZoneInfo:
    """The time zone ``name``; ``InputError`` if the tz database does not know it."""
    try:
        if not name or name != name.strip() or ".." in name:
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InputError(
            "input.timezone", "calendar.timezone", f"unknown time zone {name[:40]!r}"
        ) from None


@cache
def country_codes() -> frozenset[str]:
    """Country codes the ``holidays`` package has public holidays for."""
    return frozenset(holidays_pkg.list_supported_countries())


@lru_cache(maxsize=4096)
def _country_holidays(code: str, year: int) -> frozenset[date]:
    return frozenset(holidays_pkg.country_holidays(code, years=year).keys())


class _Table:
    """Compiled intervals of the local years ``first .. last`` (inclusive).

    ``starts``/``ends`` are UTC minutes; ``cum[i]`` is the business minutes before interval
    ``i`` counted from the anchor (may be negative for years before it) and ``cum_end[i]``
    those up to its end. ``lo``/``hi`` bound the minutes for which the table answers exactly
    (one whole year of margin on each side).
    """

    __slots__ = ("cum", "cum_end", "ends", "first", "hi", "last", "lo", "starts")

    def __init__(
        self,
        first: int,
        last: int,
        starts: list[int],
        ends: list[int],
        cum: list[int],
    ) -> None:
        self.first = first
        self.last = last
        self.starts = starts
        self.ends = ends
        self.cum = cum
        self.cum_end = [c + e - s for c, s, e in zip(cum, starts, ends, strict=True)]
        self.lo = _utc_minute(first + 1)
        self.hi = _utc_minute(last)


def _utc_minute(year: int) -> int:
    return (date(year, 1, 1).toordinal() - _EPOCH_ORDINAL) * 1440


class BusinessCalendar:
    """A compiled calendar: counts business minutes and finds the instant a target falls due.

    Build it with :func:`business_calendar`, which caches one per calendar value.
    """

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self.zone = zone(calendar.timezone)
        self._hours = calendar.hours
        extra = () if isinstance(calendar.holidays, str) else calendar.holidays
        self._closed = frozenset(calendar.closed) | frozenset(extra)
        self._country = calendar.holidays if isinstance(calendar.holidays, str) else None
        if self._country is not None and self._country not in country_codes():
            raise InputError(
                "input.holidays",
                "calendar.holidays",
                f"unknown holiday calendar {self._country[:20]!r} (a country code such as "
                '"DK", or a list of dates)',
            )
        if not any(self._hours):
            raise InputError(
                "input.hours",
                "calendar.hours",
                "no weekday has opening hours: nothing can fall due",
            )
        self._table: _Table | None = None

    # -- counting -------------------------------------------------------------------------

    def before(self, m: int) -> int:
        """``F(m)``: business minutes that start before minute ``m``, from the anchor."""
        t = self._table
        if t is None or not t.lo <= m < t.hi:
            t = self._cover(m)
        i = bisect_right(t.starts, m) - 1
        if i < 0:
            return t.cum[0] if t.cum else 0
        end = t.ends[i]
        return t.cum[i] + (m if m < end else end) - t.starts[i]

    def between(self, a: int, b: int) -> int:
        """Business minutes that start in ``[a, b)`` (UTC minutes); 0 when ``b <= a``."""
        if b <= a:
            return 0
        return self.before(b) - self.before(a)

    def after(self, a: int, n: int) -> int:
        """The minute at which ``n`` business minutes starting at or after ``a`` have run:
        the end of the ``n``-th one (``a`` itself when ``n`` is 0)."""
        if n <= 0:
            return a
        target = self.before(a) + n
        t = self._table
        assert t is not None
        for _ in range(_SEARCH_YEARS + 1):
            i = bisect_left(t.cum_end, target)
            if i < len(t.cum_end):
                return t.starts[i] + target - t.cum[i]
            t = self._extend(t.first, t.last + 1)
        raise InputError(
            "input.hours",
            "calendar",
            f"the target is not reached within {_SEARCH_YEARS} years of opening hours",
        )

    def to_datetime(self, m: int) -> datetime:
        """Minute ``m`` as an aware time in the calendar's zone."""
        return datetime.fromtimestamp(m * 60, self.zone)

    def open_minutes(self, day: date) -> int:
        """Business minutes of one local date (for tests and reports)."""
        return sum(e - s for s, e in self._day(day))

    # -- compiling ------------------------------------------------------------------------

    def _cover(self, m: int) -> _Table:
        year = datetime.fromtimestamp(m * 60, UTC).year
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise InputError("input.time", "", f"times must lie in the years {MIN_YEAR}–{MAX_YEAR}")
        t = self._table
        if t is None:
            return self._extend(year - 1, year + 1)
        return self._extend(min(t.first, year - 1), max(t.last, year + 1))

    def _extend(self, first: int, last: int) -> _Table:
        t = self._table
        if t is None:
            starts, ends = self._years(first, last)
            cum = _cumulative(starts, ends, 0)
            table = _Table(first, last, starts, ends, cum)
        else:
            starts, ends, cum = t.starts, t.ends, t.cum
            if first < t.first:
                s0, e0 = self._years(first, t.first - 1)
                total = sum(e - s for s, e in zip(s0, e0, strict=True))
                anchor = (cum[0] if cum else 0) - total
                cum = _cumulative(s0, e0, anchor) + cum
                starts, ends = s0 + starts, e0 + ends
            if last > t.last:
                s1, e1 = self._years(t.last + 1, last)
                base = t.cum_end[-1] if t.cum_end else (cum[0] if cum else 0)
                cum = cum + _cumulative(s1, e1, base)
                starts, ends = starts + s1, ends + e1
            table = _Table(min(first, t.first), max(last, t.last), starts, ends, cum)
        self._table = table  # one assignment: a reader sees the old or the new table whole
        return table

    def _years(self, first: int, last: int) -> tuple[list[int], list[int]]:
        starts: list[int] = []
        ends: list[int] = []
        day = date(first, 1, 1)
        stop = date(last, 12, 31)
        one = timedelta(days=1)
        while day <= stop:
            for s, e in self._day(day):
                if ends and s < ends[-1]:  # never overlap the day before (defensive)
                    s = ends[-1]
                if s < e:
                    starts.append(s)
                    ends.append(e)
            day += one
        return starts, ends

    def _day(self, day: date) -> list[tuple[int, int]]:
        hours = self._hours[day.weekday()]
        if not hours or day in self._closed:
            return []
        if self._country is not None and day in _country_holidays(self._country, day.year):
            return []
        base = (day.toordinal() - _EPOCH_ORDINAL) * _DAY  # local midnight read as UTC
        pieces = self._pieces(base)
        out: list[tuple[int, int]] = []
        for start, end in hours:
            for lo, hi, offset in pieces:
                a = max(base + start * 60 - offset, lo)
                b = min(base + end * 60 - offset, hi)
                if a < b:
                    ma, mb = -(-a // 60), -(-b // 60)
                    if ma < mb:
                        out.append((ma, mb))
        out.sort()
        return out

    def _pieces(self, base: int) -> list[tuple[int, int, int]]:
        """The day's UTC time split where the zone's offset changes: ``(from, to, offset)``
        in seconds. The window reaches a day beyond each side of the local date, more than
        any offset, so every instant whose local time falls on the date is covered."""
        lo, hi = base - _DAY, base + 2 * _DAY
        off_lo, off_hi = self._offset(lo), self._offset(hi)
        if off_lo == off_hi:
            return [(lo, hi, off_lo)]
        # One change inside the window: find its first second by bisection.
        a, b = lo, hi
        while b - a > 1:
            mid = (a + b) // 2
            if self._offset(mid) == off_lo:
                a = mid
            else:
                b = mid
        return [(lo, b, off_lo), (b, hi, off_hi)]

    def _offset(self, second: int) -> int:
        off = datetime.fromtimestamp(second, self.zone).utcoffset()
        assert off is not None
        return int(off.total_seconds())


def _cumulative(starts: list[int], ends: list[int], base: int) -> list[int]:
    cum: list[int] = []
    total = base
    for s, e in zip(starts, ends, strict=True):
        cum.append(total)
        total += e - s
    return cum


@lru_cache(maxsize=256)
def business_calendar(calendar: Calendar) -> BusinessCalendar:
    """The compiled calendar for ``calendar`` (cached; tables grow as years are asked for)."""
    return BusinessCalendar(calendar)
