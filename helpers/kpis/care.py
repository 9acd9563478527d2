"""Customer-care KPIs: response rate, response times (calendar or opening hours), resolution.

Definitions: ``helpers/kpis/registry.yaml`` (``docs/kpis.md``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from helpers.kpis._base import (
    NAN,
    By,
    _div,
    _flag,
    _grouped,
)

#: Message types that call for no reply (the care table's ``type``): thanks and compliments, and
#: what the team filed as "other" (spam, tags, off-topic). They leave the response rate's
#: denominator; questions, complaints and messages of unknown type stay in it.
NO_REPLY_NEEDED = frozenset({"praise", "other"})


def needs_reply(care: pd.DataFrame) -> np.ndarray:
    """Per message (positional), whether it calls for a reply: its ``type`` is not one of
    :data:`NO_REPLY_NEEDED` (case and spaces ignored). A message of unknown type, or a care table
    without a ``type`` column, counts as needing one: no message is dropped on a guess."""
    if "type" not in care.columns:
        return np.ones(len(care), dtype=bool)
    kind = care["type"].astype("string").str.strip().str.lower()
    return ~kind.isin(NO_REPLY_NEEDED).fillna(False).to_numpy(dtype=bool)


def response_rate(care: pd.DataFrame, by: By = None) -> Any:
    """Response rate: messages that need a reply and were answered (``answered_at`` set) / messages
    that need a reply (:func:`needs_reply`: praise and "other" messages are left out).

    Args:
        care: the care table.
        by: optional grouping.

    Returns:
        A float (fraction; NaN when no message needs a reply), or a Series per group.
    """
    needs = needs_reply(care).astype("float64")
    answered = care["answered_at"].notna().to_numpy(dtype="float64")
    frame = pd.DataFrame({"answered": answered * needs, "needs": needs})
    return _grouped(frame, by, lambda f: _div(f["answered"].sum(), f["needs"].sum()), "response_rate", care)


def _business_seconds(
    start: pd.Timestamp, end: pd.Timestamp, hours: tuple[int, int], days: frozenset[int]
) -> float:
    """Seconds of [start, end] falling in the opening hours of the given weekdays (naive times)."""
    seconds, day = 0.0, start.normalize()
    while day <= end:
        if day.weekday() in days:
            low = max(start, day + pd.Timedelta(hours=hours[0]))
            high = min(end, day + pd.Timedelta(hours=hours[1]))
            seconds += max((high - low).total_seconds(), 0.0)
        day += pd.Timedelta(days=1)
    return seconds


def _response_hours(care: pd.DataFrame, business_hours: tuple | None, tz: str) -> pd.Series:
    """Hours to answer, for every row (NaN when unanswered), positional index."""
    received = pd.to_datetime(care["received_at"], utc=True).reset_index(drop=True)
    answered = pd.to_datetime(care["answered_at"], utc=True).reset_index(drop=True)
    if business_hours is None:
        return (answered - received).dt.total_seconds() / 3600
    open_h, close_h, *rest = business_hours
    days = frozenset(rest[0] if rest else range(5))
    if not 0 <= open_h < close_h <= 24 or not days <= set(range(7)):
        raise ValueError(
            f"business_hours must be (start_hour, end_hour, weekdays) with "
            f"0 <= start < end <= 24 and weekdays in 0-6 (Monday = 0); got {business_hours!r}"
        )
    local_in = received.dt.tz_convert(tz).dt.tz_localize(None)
    local_out = answered.dt.tz_convert(tz).dt.tz_localize(None)
    hours = [
        _business_seconds(a, b, (open_h, close_h), days) / 3600 if pd.notna(b) else NAN
        for a, b in zip(local_in, local_out, strict=True)
    ]
    return pd.Series(hours, dtype="float64")


def response_times(care: pd.DataFrame, business_hours: tuple | None = None, tz: str = "UTC") -> pd.Series:
    """Hours between receipt and answer, for the answered messages.

    Args:
        care: the care table.
        business_hours: None for calendar hours, or ``(start_hour, end_hour, weekdays)``
            (weekdays optional, default Monday-Friday = ``range(5)``) to count only the
            opening hours, e.g. ``(9, 18, range(5))``.
        tz: time zone in which the opening hours are read (the client's).

    Returns:
        Hours per answered message, indexed like ``care``.

    Raises:
        ValueError: malformed ``business_hours``.
    """
    hours = _response_hours(care, business_hours, tz)
    hours.index = care.index
    return hours[care["answered_at"].notna().to_numpy()].rename("response_time_hours")


def response_time_median(
    care: pd.DataFrame, business_hours: tuple | None = None, by: By = None, tz: str = "UTC"
) -> Any:
    """Median response time in hours over answered messages (see :func:`response_times`).

    Args:
        care: the care table.
        business_hours: None, or ``(start_hour, end_hour, weekdays)`` as in :func:`response_times`.
        by: optional grouping.
        tz: time zone of the opening hours.

    Returns:
        A float (NaN without answered messages), or a Series per group.
    """
    return _response_time(care, "median", business_hours, by, tz)


def response_time_mean(
    care: pd.DataFrame, business_hours: tuple | None = None, by: By = None, tz: str = "UTC"
) -> Any:
    """Mean response time in hours over answered messages; arguments as :func:`response_time_median`."""
    return _response_time(care, "mean", business_hours, by, tz)


def _response_time(care: pd.DataFrame, stat: str, business_hours: tuple | None, by: By, tz: str) -> Any:
    frame = pd.DataFrame({"h": _response_hours(care, business_hours, tz)})
    return _grouped(frame, by, lambda f: float(getattr(f["h"], stat)()), f"response_time_{stat}", care)


def resolution_rate(care: pd.DataFrame, by: By = None) -> Any:
    """Resolution rate: messages resolved / messages received (unknown counts as unresolved).

    Args:
        care: the care table.
        by: optional grouping.

    Returns:
        A float (fraction), or a Series per group.
    """
    frame = pd.DataFrame({"resolved": _flag(care, "resolved", True)})
    return _grouped(frame, by, lambda f: _div(f["resolved"].sum(), len(f)), "resolution_rate", care)
