"""Notable dates of the planning horizon: the commercial and cultural moments of the client's
country (Valentine's Day, Mother's Day, the sales, Black Friday...) and the brief's own dates.

Public holidays come from the ``holidays`` package (:func:`helpers.method.planning.public_holidays`);
these are the other dates a content calendar is built around. They are read from
``data/calendar/notable_dates.csv`` (one rule per line, ``*`` for every country), so an agency
adds a country or a moment without touching code. A rule is one of:

* ``MM-DD``: a fixed date;
* ``nth-N-DOW-MM[±D]``: the N-th weekday DOW (mon..sun) of month MM, shifted by D days;
* ``last-DOW-MM[±D]``: the last weekday DOW of month MM, shifted by D days;
* ``easter±D``: D days from (Western) Easter Sunday;
* ``mothers-fr``: the last Sunday of May, or the first Sunday of June when it is Pentecost.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from dateutil.easter import easter

from helpers.client.brief import Brief
from helpers.config import DATA_DIR

NOTABLE_DATES = DATA_DIR / "calendar" / "notable_dates.csv"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_RULE = re.compile(r"(?:nth-(?P<n>[1-5])|last)-(?P<dow>[a-z]{3})-(?P<month>\d\d)(?P<shift>[+-]\d+)?")
_EASTER_RULE = re.compile(r"easter(?P<shift>[+-]\d+)?")
_FIXED_RULE = re.compile(r"(?P<month>\d\d)-(?P<day>\d\d)")


class RuleError(ValueError):
    """A notable-date rule that cannot be read."""


@dataclass(frozen=True)
class Moment:
    date: dt.date
    name: str
    kind: str  # commercial | cultural | awareness | brand


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def date_of(rule: str, year: int) -> dt.date:
    """The date a rule gives in ``year``.

    Raises:
        RuleError: the rule matches none of the documented forms.
    """
    rule = rule.strip().lower()
    if rule == "mothers-fr":
        last = _last_weekday(year, 5, 6)
        return last + dt.timedelta(days=7) if last == easter(year) + dt.timedelta(days=49) else last
    if m := _FIXED_RULE.fullmatch(rule):
        return dt.date(year, int(m["month"]), int(m["day"]))
    if m := _EASTER_RULE.fullmatch(rule):
        return easter(year) + dt.timedelta(days=int(m["shift"] or 0))
    if (m := _WEEKDAY_RULE.fullmatch(rule)) and m["dow"] in DAYS:
        weekday, month = DAYS.index(m["dow"]), int(m["month"])
        if m["n"]:
            day = _nth_weekday(year, month, weekday, int(m["n"]))
        else:
            day = _last_weekday(year, month, weekday)
        return day + dt.timedelta(days=int(m["shift"] or 0))
    raise RuleError(
        f"unknown date rule {rule!r}: expected MM-DD, nth-N-DOW-MM[±D], last-DOW-MM[±D], "
        "easter±D or mothers-fr"
    )


def notable_dates(brief: Brief, path: Path = NOTABLE_DATES, lang: str | None = None) -> list[Moment]:
    """The country's moments and the brief's own dates inside the planning horizon, by date.

    Names are in ``lang`` (``fr`` or ``en``; the brief's language by default): a report in
    English names French moments in English.

    Raises:
        RuleError: a line of the file has a rule that cannot be read (the message names the line).
    """
    start, end = brief.horizon.start, brief.horizon.end
    country, lang = brief.client.country.upper(), lang or brief.client.lang
    found: list[Moment] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if row["country"] not in ("*", country):
                continue
            for year in range(start.year, end.year + 1):
                try:
                    day = date_of(row["rule"], year)
                except RuleError as exc:
                    raise RuleError(f"{path}, line {line}: {exc}") from None
                if start <= day <= end:
                    found.append(Moment(day, row[f"name_{lang}"], row["kind"]))
    found += [Moment(d.date, d.name, "brand") for d in brief.planning.notable_dates if start <= d.date <= end]
    return sorted(found, key=lambda m: (m.date, m.name))
