"""ISO-style reporting periods: a month ``2026-03``, a quarter ``2026-Q1``, a year ``2026``.

``parse`` refuses anything else with a message saying what is expected; periods know their kind, their first
and last day, the periods they contain and the one they belong to, and their integer key (the ``month`` /
``quarter`` / ``year`` columns of facts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

MONTH, QUARTER, YEAR = "m", "q", "y"
KINDS = (MONTH, QUARTER, YEAR)
EPOCH = date(1970, 1, 1)
_FORMS = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])))?$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    key: int  # month: year*12+m-1; quarter: year*4+q-1; year: the year

    def __str__(self) -> str:
        if self.kind == MONTH:
            return f"{self.key // 12:04d}-{self.key % 12 + 1:02d}"
        if self.kind == QUARTER:
            return f"{self.key // 4:04d}-Q{self.key % 4 + 1}"
        return f"{self.key:04d}"

    @property
    def start(self) -> date:
        if self.kind == MONTH:
            return date(self.key // 12, self.key % 12 + 1, 1)
        if self.kind == QUARTER:
            return date(self.key // 4, (self.key % 4) * 3 + 1, 1)
        return date(self.key, 1, 1)

    @property
    def end(self) -> date:
        return self.following().start - timedelta(days=1)

    def following(self) -> Period:
        return Period(self.kind, self.key + 1)

    def previous(self) -> Period:
        return Period(self.kind, self.key - 1)

    def parent(self) -> Period | None:
        if self.kind == MONTH:
            return Period(QUARTER, (self.key // 12) * 4 + (self.key % 12) // 3)
        if self.kind == QUARTER:
            return Period(YEAR, self.key // 4)
        return None

    def children(self) -> list[Period]:
        if self.kind == YEAR:
            return [Period(QUARTER, self.key * 4 + q) for q in range(4)]
        if self.kind == QUARTER:
            return [Period(MONTH, (self.key // 4) * 12 + (self.key % 4) * 3 + m) for m in range(3)]
        return []


def parse(text: str) -> Period:
    found = _FORMS.match((text or "").strip())
    if not found:
        raise PeriodError(
            _("%(text)s is not a period: write a year (2026), a quarter (2026-Q1) or a month (2026-03).")
            % {"text": repr(text)}
        )
    year = int(found.group("year"))
    if not 1900 <= year <= 2200:
        raise PeriodError(_("The year %(year)s is out of range.") % {"year": year})
    if found.group("month"):
        month = int(found.group("month"))
        if not 1 <= month <= 12:
            raise PeriodError(_("There is no month %(month)s.") % {"month": found.group("month")})
        return Period(MONTH, year * 12 + month - 1)
    if found.group("quarter"):
        return Period(QUARTER, year * 4 + int(found.group("quarter")) - 1)
    return Period(YEAR, year)


def keys(day: date) -> tuple[int, int, int, int]:
    """The day number, month, quarter and year keys of ``day``."""
    return (day - EPOCH).days, day.year * 12 + day.month - 1, day.year * 4 + (day.month - 1) // 3, day.year


def of(day: date, kind: str) -> Period:
    _day, month, quarter, year = keys(day)
    return Period(kind, {MONTH: month, QUARTER: quarter, YEAR: year}[kind])


def last(kind: str, count: int, until: date) -> list[Period]:
    """The ``count`` periods of ``kind`` up to the one containing ``until``, oldest first."""
    newest = of(until, kind)
    return [Period(kind, newest.key - n) for n in range(count - 1, -1, -1)]
