"""The report at a glance: headline KPI tiles, the goals' statuses, the findings and actions that
matter (``glance.json``, written by 07).

Numbers and codes only; words are added at display time (:mod:`helpers.report.glance`).

* Tiles (:func:`tiles`): each KPI of :data:`GLANCE_KPIS` per network and, for the KPIs whose
  networks' figures add up (:data:`ADDITIVE`), in total, the total only when every network's
  figure is known (unknown is never 0). A network whose export lacks a figure (reach on
  LinkedIn or X) reads unknown.
* Windows (:func:`glance_windows`): the last :data:`~helpers.method.observation.TREND_MONTHS`
  full months of the period against the same number of months just before (the previous period
  of the same length, never cut shorter: its figures are unknown when the period does not cover
  it).
* Each tile's change is relative (recent / before − 1); its direction and whether it is better
  follow the brief's ``analysis.change_threshold`` and the registry's ``higher_is_better``
  (:mod:`helpers.method.cycle`); its spark is the KPI's value in each full month of the period.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from helpers import kpis
from helpers.kpis._base import known_sum
from helpers.kpis._base import number as _number
from helpers.method import cycle
from helpers.method.observation import TREND_MONTHS, _full_months, _month_start, local_times, recent_window

#: The KPIs a tile shows, in this order: awareness, engagement, community, then the rate.
GLANCE_KPIS: tuple[str, ...] = (
    "reach", "impressions", "interactions", "followers", "video_views", "engagement_rate",
)  # fmt: skip
#: The KPIs whose networks' figures add up to a total (counts; a rate never adds up).
ADDITIVE: tuple[str, ...] = ("reach", "impressions", "interactions", "followers", "video_views")
#: Flows summed from a column of the posts table (the registry's ``sum(<column>)``).
COLUMN_FLOWS: tuple[str, ...] = ("reach", "impressions", "video_views")
#: The scope of a total tile.
TOTAL = "total"
#: The direction of a tile's change (:func:`helpers.method.cycle.direction`).
DIRECTIONS: tuple[str, ...] = ("up", "down", "stable", "unknown")
#: How many findings and actions the page shows: the three that matter.
TOP_FINDINGS = 3
TOP_ACTIONS = 3


@dataclass(frozen=True)
class GlanceWindows:
    """The recent window and the window of the same length just before (first and last days)."""

    recent_start: dt.date
    recent_end: dt.date
    before_start: dt.date
    before_end: dt.date

    def as_dict(self) -> dict[str, dict[str, str]]:
        """``{"recent": {"start", "end"}, "before": {"start", "end"}}``, ISO dates."""
        return {
            "recent": {"start": self.recent_start.isoformat(), "end": self.recent_end.isoformat()},
            "before": {"start": self.before_start.isoformat(), "end": self.before_end.isoformat()},
        }


def glance_windows(start: dt.date, end: dt.date, months: int = TREND_MONTHS) -> GlanceWindows | None:
    """The last ``months`` full months of the period against the ``months`` months just before.

    Unlike :func:`helpers.method.observation.trend_windows`, the window before is never cut to
    the period: both windows hold ``months`` whole months (the one before may start before the
    period; its figures are then unknown, :func:`tiles`).

    Returns:
        The windows, or ``None`` when the period holds fewer than ``months`` full months.
    """
    recent = recent_window(start, end, months)
    if recent is None:
        return None
    before_start = _month_start(recent[0], -months)
    return GlanceWindows(recent[0], recent[1], before_start, recent[0] - dt.timedelta(days=1))


def full_months(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of each full month of the period, in order (a spark's months)."""
    first, after_last, count = _full_months(start, end)
    return [_month_start(first, i) for i in range(count)]


def _month_end(first: dt.date) -> dt.date:
    return _month_start(first, 1) - dt.timedelta(days=1)


def network_value(
    kpi: str,
    posts: pd.DataFrame,
    days: pd.Series,
    followers: pd.DataFrame,
    conventions: Any,
    first: dt.date,
    last: dt.date,
) -> float:
    """One network's ``kpi`` over the days ``first``–``last`` (both included); NaN when unknown.

    Args:
        kpi: a key of :data:`GLANCE_KPIS`.
        posts: the network's posts of the period (its export decides what is known: a column it
            never fills reads unknown, a window without posts counts 0 for a flow it exports).
        days: each post's local day (naive midnight), aligned with ``posts``.
        followers: the network's followers table (for ``followers``, and the engagement rate by
            followers).
        conventions: the brief's ``kpi`` section (the engagement rate's convention).
        first, last: the window.

    Raises:
        KeyError: a KPI outside :data:`GLANCE_KPIS`.
    """
    if kpi not in GLANCE_KPIS:
        raise KeyError(f"no glance tile for KPI {kpi!r} (expected one of {', '.join(GLANCE_KPIS)})")
    if kpi == "followers":
        size = kpis.community_size(followers, at=last) if len(followers) else pd.Series(dtype=float)
        return float(size.sum(min_count=1)) if len(size) else math.nan
    inside = ((days >= pd.Timestamp(first)) & (days < pd.Timestamp(last) + pd.Timedelta(days=1))).to_numpy()
    window = posts[inside]
    if kpi == "engagement_rate":
        return _number(kpis.engagement(kpis.rated_posts(window), conventions, followers))
    if kpi == "interactions":
        return float(kpis.interactions(window).sum())
    column = pd.to_numeric(posts[kpi], errors="coerce") if kpi in posts.columns else None
    if column is None or not column.notna().any():
        return math.nan  # the network's export never gives it
    return 0.0 if window.empty else known_sum(column[inside])


def _change(kpi: str, before: float, value: float, change_threshold: float) -> dict[str, Any]:
    move = cycle.direction(before, value, change_threshold)
    verdict = cycle.verdict(kpi, move)
    return {
        "change": _json(cycle.relative_change(before, value)),
        "direction": move,
        "better": True if verdict == "better" else False if verdict == "worse" else None,
    }


def _json(value: float) -> float | None:
    """A figure for strict JSON: ``None`` where unknown."""
    return None if value is None or not np.isfinite(value) else float(value)


def _total(values: Sequence[float]) -> float:
    """The sum of every network's figure, unknown as soon as one is (never a partial total)."""
    return math.nan if not values or any(math.isnan(v) for v in values) else float(sum(values))


def tiles(
    posts: pd.DataFrame,
    followers: pd.DataFrame,
    channels: Sequence[str],
    conventions: Any,
    tz: str,
    start: dt.date,
    end: dt.date,
    change_threshold: float,
    months: int = TREND_MONTHS,
) -> list[dict[str, Any]]:
    """Every tile of the page: each KPI of :data:`GLANCE_KPIS` per network (in ``channels``' order)
    and, for :data:`ADDITIVE` ones, in total.

    Args:
        posts: the posts of the period (all of them; the engagement rate counts the rated ones,
            :func:`helpers.kpis.rated_posts`).
        followers: the followers table.
        channels: the brand's networks (the brief's).
        conventions: the brief's ``kpi`` section.
        tz: the client's zone (a post's day is its local day).
        start, end: the analysed period.
        change_threshold: the relative change under which a tile is ``stable`` (the brief's
            ``analysis.change_threshold``).
        months: months per window.

    Returns:
        One dict per tile: ``scope`` (a network or ``total``), ``kpi``, ``unit``, ``value`` (the
        recent window's), ``before``, ``change`` (relative), ``direction``, ``better`` and
        ``spark`` (``[{"month": "YYYY-MM", "value"}]``), unknown figures ``None``.
    """
    windows = glance_windows(start, end, months)
    covered = windows is not None and windows.before_start >= start
    spark_months = full_months(start, end)
    days = local_times(posts, tz).dt.tz_localize(None).dt.normalize() if len(posts) else pd.Series()
    out: list[dict[str, Any]] = []
    for kpi in GLANCE_KPIS:
        record = kpis.KPIS[kpi]
        unit = "percent" if record.percent else record.unit
        per: dict[str, tuple[float, float, list[float]]] = {}
        for channel in channels:
            mine = (posts["channel"] == channel).to_numpy() if len(posts) else np.zeros(0, dtype=bool)
            own_posts, own_days = posts[mine], days[mine]
            own_followers = followers[followers["channel"] == channel] if len(followers) else followers
            args = (kpi, own_posts, own_days, own_followers, conventions)
            value = network_value(*args, windows.recent_start, windows.recent_end) if windows else math.nan
            before = network_value(*args, windows.before_start, windows.before_end) if covered else math.nan
            per[channel] = (value, before, [network_value(*args, m, _month_end(m)) for m in spark_months])
        scopes = list(per.items())
        if kpi in ADDITIVE:
            sums = (
                _total([v[0] for v in per.values()]),
                _total([v[1] for v in per.values()]),
                [_total([v[2][i] for v in per.values()]) for i in range(len(spark_months))],
            )
            scopes.append((TOTAL, sums))
        for scope, (value, before, spark) in scopes:
            out.append(
                {
                    "scope": scope,
                    "kpi": kpi,
                    "unit": unit,
                    "value": _json(value),
                    "before": _json(before),
                    **_change(kpi, before, value, change_threshold),
                    "spark": [
                        {"month": m.strftime("%Y-%m"), "value": _json(v)}
                        for m, v in zip(spark_months, spark, strict=True)
                    ],
                }
            )
    return out


def top_findings(findings: Sequence[dict], n: int = TOP_FINDINGS) -> list[str]:
    """The ids of the findings that matter, in their rank: the first ``n`` marked ``top`` (those
    that drive the problem statement), then the next ranked ones if fewer are marked."""
    marked = [str(f["id"]) for f in findings if f.get("top")]
    rest = [str(f["id"]) for f in findings if not f.get("top")]
    return [*marked, *rest][:n]


def top_actions(actions: Sequence[dict], n: int = TOP_ACTIONS) -> list[int]:
    """Indices into ``actions.json`` of the next actions the page shows: the first ``n`` (they come
    in the order of the goals they serve)."""
    return list(range(min(n, len(actions))))


def goal_rows(tracking: pd.DataFrame) -> list[dict[str, Any]]:
    """Each goal of ``tracking.csv``: id, label, KPI, scope, status, actual and target (``None``
    where unknown).

    Raises:
        ValueError: the table lacks one of these columns.
    """
    wanted = ["id", "label", "kpi", "scope", "status", "actual", "target"]
    missing = [c for c in wanted if c not in tracking.columns]
    if missing:
        raise ValueError(
            f"tracking.csv lacks {', '.join(missing)} (columns: {', '.join(map(str, tracking.columns))})"
        )
    return [
        {
            **{c: ("" if pd.isna(r[c]) else str(r[c])) for c in ("id", "label", "kpi", "scope", "status")},
            "actual": _json(_number(r["actual"])),
            "target": _json(_number(r["target"])),
        }
        for r in tracking[wanted].to_dict("records")
    ]


def glance(
    tile_list: list[dict[str, Any]],
    windows: GlanceWindows | None,
    tracking: pd.DataFrame,
    findings: Sequence[dict],
    actions: Sequence[dict],
) -> dict[str, Any]:
    """The content of ``glance.json``: windows, tiles, goals, the top findings' ids and the
    indices of the next actions."""
    return {
        "windows": windows.as_dict()
        if windows
        else {"recent": {"start": None, "end": None}, "before": {"start": None, "end": None}},
        "tiles": tile_list,
        "goals": goal_rows(tracking),
        "findings": top_findings(findings),
        "actions": top_actions(actions),
    }
