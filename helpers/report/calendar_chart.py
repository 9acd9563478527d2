"""The content calendar drawn month by month: a grid of the planned posts, coloured by network.

The calendar itself is planned by :mod:`helpers.method.planning`; this module only draws it.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import pandas as pd

from helpers.method.planning import CHANNEL_LABELS
from helpers.report.charts import CHANNEL_COLOURS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


MONTH_LABELS: dict[str, object] = {
    "weekdays": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "months": tuple(_cal.month_name[1:]),
    "title": "{month} {year}",
    "more": "+{n}",
}
_SHORT = {"facebook": "FB", "instagram": "IG", "linkedin": "IN", "x": "X", "tiktok": "TT", "youtube": "YT"}
_HOLIDAY_RED = "#B3261E"
_MOMENT_BLUE = "#1F4E79"


def _day_posts(calendar: pd.DataFrame, first: dt.date, last: dt.date) -> dict[dt.date, list[dict]]:
    inside = calendar.loc[calendar["date"].map(lambda d: first <= d <= last).astype(bool)]
    by_day: dict[dt.date, list[dict]] = {}
    for post in inside.sort_values(["start", "post_no"], kind="stable").to_dict("records"):
        by_day.setdefault(post["date"], []).append(post)
    return by_day


def _draw_posts(
    ax: Axes,
    cell: tuple[int, int],
    posts: list[dict],
    more: str,
    max_lines: int,
    formats: Mapping[str, str] | None = None,
    time: Callable[[dt.datetime], str] | None = None,
) -> None:
    col, row = cell
    formats = formats or {}
    for k, post in enumerate(posts[:max_lines]):
        shown = formats.get(post["format"], post["format"])
        when = time(post["start"]) if time is not None else f"{post['start']:%H:%M}"
        text = f"{when} {_SHORT.get(post['channel'], post['channel'])} {shown}"
        box = {"boxstyle": "round,pad=0.15", "ec": "none", "fc": CHANNEL_COLOURS.get(post["channel"], "#555")}
        ax.text(col + 0.05, row + 0.33 + 0.16 * k, text, fontsize=5, color="white", va="center", bbox=box)
    if len(posts) > max_lines:
        hidden = more.format(n=len(posts) - max_lines)
        ax.text(col + 0.95, row + 0.95, hidden, fontsize=5, ha="right", va="bottom", color="#333")


def _short(name: str) -> str:
    return name if len(name) <= 16 else name[:15] + "…"


def _draw_grid(
    ax: Axes,
    grid: list[list[dt.date]],
    month: int,
    holidays: Mapping[dt.date, str],
    moments: Mapping[dt.date, str] | None = None,
) -> None:
    """Day cells: holidays shaded red and named, notable dates shaded blue and named."""
    from matplotlib.patches import Rectangle

    moments = moments or {}
    for row, week in enumerate(grid):
        for col, day in enumerate(week):
            inside = day.month == month
            holiday, moment = inside and day in holidays, inside and day in moments and day not in holidays
            face = "#FBE3E3" if holiday else "#E3ECF6" if moment else ("white" if inside else "#F2F2F2")
            ax.add_patch(Rectangle((col, row), 1, 1, fc=face, ec="#BBBBBB", lw=0.6))
            colour = "#222" if inside else "#999"
            ax.text(col + 0.05, row + 0.06, str(day.day), fontsize=6.5, va="top", color=colour)
            if holiday or moment:
                name, ink = (holidays[day], _HOLIDAY_RED) if holiday else (moments[day], _MOMENT_BLUE)
                ax.text(col + 0.22, row + 0.07, _short(str(name)), fontsize=4.5, va="top", color=ink)


def month_view(
    calendar: pd.DataFrame,
    month: str | dt.date | pd.Period,
    *,
    holidays: Mapping[dt.date, str] | None = None,
    moments: Mapping[dt.date, str] | None = None,
    labels: Mapping[str, object] | None = None,
    max_lines: int = 4,
    width: float = 7.0,
) -> Figure:
    """A month grid (Monday to Sunday) of the planned posts, coloured by network.

    Args:
        calendar: the planned posts.
        month: the month to draw, e.g. ``"2027-03"``.
        holidays: date -> name to mark (e.g. :func:`public_holidays`); defaults to the
            calendar's ``holiday`` column (filled under the "target" rule only).
        moments: date -> name of the notable dates to mark (:func:`helpers.method.moments.notable_dates`).
        labels: ``weekdays`` (7 names from Monday), ``months`` (12 names), ``title``
            (format with ``{month}`` and ``{year}``), ``more`` (``{n}`` hidden posts) and
            ``formats`` (format -> word shown), ``time`` (a function writing a post's start time,
            :func:`helpers.report.i18n.fmt_time`); English by default (``MONTH_LABELS``).
        max_lines: posts written per day before a "+n".
        width: figure width in inches.

    Returns:
        The matplotlib figure (not attached to pyplot).
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    period = pd.Period(month, freq="M")
    words = {**MONTH_LABELS, **(labels or {})}
    grid = _cal.Calendar(firstweekday=0).monthdatescalendar(period.year, period.month)
    if holidays is None:
        holidays = {d: h for d, h in zip(calendar["date"], calendar["holiday"], strict=True) if h}
    fig = Figure(figsize=(width, 0.45 + len(grid) * width / 7 * 0.8), layout="constrained")
    ax = fig.add_subplot()
    ax.set(xlim=(0, 7), ylim=(len(grid), -0.3))
    ax.axis("off")
    for col, name in enumerate(words["weekdays"]):
        ax.text(col + 0.5, -0.15, name, ha="center", va="center", fontsize=7, weight="bold")
    _draw_grid(ax, grid, period.month, holidays, moments)
    by_day = _day_posts(calendar, grid[0][0], grid[-1][-1])
    for row, week in enumerate(grid):
        for col, day in enumerate(week):
            if day.month == period.month:
                posts = by_day.get(day, [])
                more, formats, time = str(words["more"]), words.get("formats"), words.get("time")
                _draw_posts(ax, (col, row), posts, more, max_lines, formats, time)
    title = str(words["title"]).format(month=list(words["months"])[period.month - 1], year=period.year)
    fig.suptitle(title, fontsize=10)
    shown = list(dict.fromkeys(calendar["channel"]))
    handles = [Patch(color=CHANNEL_COLOURS.get(c, "#555"), label=CHANNEL_LABELS.get(c, c)) for c in shown]
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), fontsize=6, frameon=False)
    return fig


#: The phone drawing of a month (:func:`month_agenda`): its width in inches (440 px at the report's
#: 110 dpi, shown at 360 px on a 390 px phone), the height of one line and its font size in points.
AGENDA_WIDTH = 4.0
AGENDA_LINE = 0.24
AGENDA_FONT = 8
#: Characters of a holiday's or notable date's name the agenda writes before cutting it with "…".
AGENDA_NAME_CHARS = 24


def month_agenda(
    calendar: pd.DataFrame,
    month: str | dt.date | pd.Period,
    *,
    holidays: Mapping[dt.date, str] | None = None,
    moments: Mapping[dt.date, str] | None = None,
    labels: Mapping[str, object] | None = None,
) -> Figure:
    """The month of :func:`month_view` drawn for a phone: one line per planned post, day by day
    (only the days with a post, a public holiday or a notable date), the day and its holiday (red)
    or notable date (blue) on its first line. Same arguments as :func:`month_view`."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    period = pd.Period(month, freq="M")
    words = {**MONTH_LABELS, **(labels or {})}
    formats = words.get("formats") or {}
    if holidays is None:
        holidays = {d: h for d, h in zip(calendar["date"], calendar["holiday"], strict=True) if h}
    moments = moments or {}
    first = dt.date(period.year, period.month, 1)
    last = dt.date(period.year, period.month, period.days_in_month)
    by_day = _day_posts(calendar, first, last)
    days = [
        first + dt.timedelta(days=i)
        for i in range(period.days_in_month)
        if (first + dt.timedelta(days=i)) in by_day.keys() | holidays.keys() | moments.keys()
    ]
    lines = sum(max(1, len(by_day.get(day, []))) for day in days)
    fig = Figure(figsize=(AGENDA_WIDTH, 0.9 + AGENDA_LINE * max(lines, 1)), layout="constrained")
    ax = fig.add_subplot()
    ax.set(xlim=(0, AGENDA_WIDTH), ylim=(max(lines, 1), 0))
    ax.axis("off")
    weekdays = list(words["weekdays"])
    row = 0
    for day in days:
        posts = by_day.get(day, [])
        ax.axhline(row, color="#DDDDDD", lw=0.6)
        holiday, moment = holidays.get(day), moments.get(day)
        ink = "#222" if holiday is None else _HOLIDAY_RED
        ax.text(
            0.02,
            row + 0.5,
            f"{weekdays[day.weekday()]} {day.day}",
            fontsize=AGENDA_FONT,
            va="center",
            color=ink,
            weight="bold",
        )
        name, colour = (holiday, _HOLIDAY_RED) if holiday else (moment, _MOMENT_BLUE)
        if name:
            shown = str(name)
            if len(shown) > AGENDA_NAME_CHARS:
                shown = shown[: AGENDA_NAME_CHARS - 1] + "…"
            ax.text(
                AGENDA_WIDTH - 0.02,
                row + 0.5,
                shown,
                fontsize=AGENDA_FONT - 1,
                va="center",
                ha="right",
                color=colour,
            )
        for k, post in enumerate(posts):
            text = f"{post['start']:%H:%M} {_SHORT.get(post['channel'], post['channel'])} "
            text += str(formats.get(post["format"], post["format"]))
            box = {
                "boxstyle": "round,pad=0.2",
                "ec": "none",
                "fc": CHANNEL_COLOURS.get(post["channel"], "#555"),
            }
            ax.text(0.95, row + k + 0.5, text, fontsize=AGENDA_FONT, color="white", va="center", bbox=box)
        row += max(1, len(posts))
    title = str(words["title"]).format(month=list(words["months"])[period.month - 1], year=period.year)
    fig.suptitle(title, fontsize=11)
    shown = list(dict.fromkeys(calendar["channel"]))
    handles = [Patch(color=CHANNEL_COLOURS.get(c, "#555"), label=CHANNEL_LABELS.get(c, c)) for c in shown]
    if handles:
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncol=min(len(handles), 4),
            fontsize=AGENDA_FONT,
            frameon=False,
        )
    return fig
