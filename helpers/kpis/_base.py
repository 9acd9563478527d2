"""What the KPI functions share: reading columns, grouping, dividing (no KPI here).

Rates are fractions; a zero or empty denominator gives ``nan``, never an error. Functions
taking ``by`` return a float when ``by`` is None, else a Series per group.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

By = str | Sequence[Any] | pd.Series | np.ndarray | None
NAN = float("nan")


def _check(what: str, value: Any, allowed: Sequence[str] | dict) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r} (expected one of {', '.join(allowed)})")


def _num(table: pd.DataFrame, column: str, fill: bool = True) -> pd.Series:
    """A column as float64, positional index; missing column or NaN -> 0 (when ``fill``)."""
    if column not in table.columns:
        return pd.Series(0.0 if fill else NAN, index=range(len(table)))
    values = pd.to_numeric(table[column], errors="coerce").astype("float64").reset_index(drop=True)
    return values.fillna(0.0) if fill else values


def _flag(table: pd.DataFrame, column: str, value: Any = True) -> pd.Series:
    """1.0 where ``column == value`` (string columns compared case-insensitively), else 0.0."""
    col = table[column].reset_index(drop=True)
    if isinstance(value, str):
        col = col.astype("string").str.lower()
    return col.eq(value).astype("boolean").fillna(False).astype("float64")


def _days(values: pd.Series) -> pd.Series:
    """Timestamps or dates as naive UTC days (datetime64[ns]), positional index."""
    days = pd.to_datetime(values.reset_index(drop=True))
    if days.dt.tz is not None:
        days = days.dt.tz_convert("UTC").dt.tz_localize(None)
    return days.dt.normalize().astype("datetime64[ns]")


def _day(value: Any) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return stamp.normalize()


def number(value: Any) -> float:
    """One figure as a float: NaN for ``None`` (strict JSON's unknown) or a value that is not a
    number, never an error and never 0."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return NAN


def known_sum(values: pd.Series) -> float:
    """The sum of the known values; NaN (unknown) when none is known, never 0."""
    return float(pd.to_numeric(values, errors="coerce").astype("float64").sum(min_count=1))


def _div(num: float, den: float) -> float:
    return float(num) / float(den) if den and not np.isnan(den) else NAN


def _keys(table: pd.DataFrame, by: By) -> list[pd.Series]:
    """Grouping keys as Series with a positional index."""
    items = list(by) if isinstance(by, list | tuple) else [by]
    keys = []
    for item in items:
        if isinstance(item, str):
            if item not in table.columns:
                raise KeyError(f"cannot group by {item!r}: no such column ({', '.join(table.columns)})")
            key = table[item]
        elif isinstance(item, pd.Series):
            key = item if item.index.equals(table.index) else item.reindex(table.index)
        else:
            key = pd.Series(np.asarray(item), name="group")
            if len(key) != len(table):
                raise ValueError(f"grouping key has {len(key)} values for {len(table)} rows")
        keys.append(key.reset_index(drop=True))
    return keys


def _grouped(
    frame: pd.DataFrame,
    by: By,
    reduce: Callable[[pd.DataFrame], float],
    name: str,
    table: pd.DataFrame | None = None,
) -> Any:
    """``reduce(frame)`` when ``by`` is None, else a Series of ``reduce`` per group.

    ``frame`` has a positional index matching the rows of ``table`` (the keys' source).
    """
    if by is None:
        return reduce(frame)
    grouped = frame.groupby(_keys(frame if table is None else table, by), sort=True)
    out = grouped.size().astype("float64") if frame.empty else grouped.apply(reduce)
    return out.rename(name)


def _ratio_frame(num: pd.Series, den: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"num": num.to_numpy(), "den": den.to_numpy()})


def _sum_ratio(frame: pd.DataFrame) -> float:
    """sum(num) / sum(den) over the rows whose denominator is known."""
    known = frame["den"].notna()
    return _div(frame.loc[known, "num"].sum(), frame.loc[known, "den"].sum())
