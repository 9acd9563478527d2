"""Engagement KPIs of the posts: interactions, engagement rate, virality, frequency.

Definitions: ``helpers/kpis/registry.yaml`` (``docs/kpis.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from helpers.kpis._base import (
    NAN,
    By,
    _day,
    _days,
    _grouped,
    _num,
    _ratio_frame,
    _sum_ratio,
)
from helpers.kpis.registry import REGISTRY, KpiDef


def interactions(posts: pd.DataFrame) -> pd.Series:
    """Interactions per post: the sum of the registry's interaction columns (reactions + comments
    + shares + saves; NaN counts as 0).

    Args:
        posts: the posts table.

    Returns:
        A float Series aligned with ``posts``.
    """
    parts = sum(_num(posts, c) for c in REGISTRY.interaction_columns)
    return pd.Series(np.asarray(parts, dtype="float64"), index=posts.index, name="interactions")


def followers_at(posts: pd.DataFrame, followers: pd.DataFrame) -> pd.Series:
    """Followers of each post's profile on the last record at or before the post's (UTC) day.

    Args:
        posts: the posts table.
        followers: the followers table (matched on channel, and on account when both have it).

    Returns:
        A float Series aligned with ``posts``; NaN where no earlier record exists.
    """
    out = np.full(len(posts), NAN)
    on = [c for c in ("channel", "account") if c in posts.columns and c in followers.columns]
    left = pd.DataFrame({"_row": np.arange(len(posts)), "_day": _days(posts["published_at"])})
    right = pd.DataFrame(
        {"_day": _days(followers["date"]), "_followers": _num(followers, "followers", fill=False)}
    )
    for col in on:
        left[col] = posts[col].astype(str).to_numpy()
        right[col] = followers[col].astype(str).to_numpy()
    left = left.dropna(subset=["_day"]).sort_values("_day")
    right = right.dropna(subset=["_day", "_followers"]).sort_values("_day")
    if len(left) and len(right):
        merged = pd.merge_asof(left, right, on="_day", by=on or None, direction="backward")
        out[merged["_row"].to_numpy()] = merged["_followers"].to_numpy()
    return pd.Series(out, index=posts.index, name="followers")


#: The registry's name for the followers of a post's profile at posting time.
FOLLOWERS_AT_POST = "followers_at_post"


@dataclass(frozen=True)
class EngagementConvention:
    """How the engagement rate is computed: its denominator and its aggregation over the posts.

    The one place that applies a brief's choice: the pandas functions, the goals' monthly
    series and the DuckDB path (:meth:`sql`) all go through it. The options are the registry's
    (``variants.engagement_rate`` in ``helpers/kpis/registry.yaml``):

    * ``denominator``: ``reach``, ``impressions`` or ``followers`` (followers at posting time);
    * ``aggregation``: ``ratio_of_sums`` is sum(interactions) / sum(denominator) over the posts
      whose denominator is known; ``mean_of_rates`` is the mean of the per-post rates over the
      posts whose denominator is > 0.

    Raises:
        ValueError: an option the registry does not know.
    """

    denominator: str = "reach"
    aggregation: str = "ratio_of_sums"

    def __post_init__(self) -> None:
        for axis in REGISTRY.axes("engagement_rate"):
            value = getattr(self, axis.name)
            if value not in axis.options:
                raise ValueError(
                    f"unknown engagement-rate {axis.name} {value!r} "
                    f"(expected one of {', '.join(map(str, axis.options))})"
                )

    @classmethod
    def of(cls, conventions: Any) -> EngagementConvention:
        """The convention a brief's ``kpi`` section chooses (a convention is returned as is)."""
        if isinstance(conventions, cls):
            return conventions
        axes = REGISTRY.axes("engagement_rate")
        return cls(**{axis.name: getattr(conventions, axis.convention) for axis in axes})

    @property
    def column(self) -> str:
        """The denominator's column: ``reach``, ``impressions`` or ``followers_at_post``."""
        axis = next(a for a in REGISTRY.axes("engagement_rate") if a.name == "denominator")
        return str(axis.options[self.denominator]["column"])

    @property
    def definition(self) -> KpiDef:
        """The engagement rate's record in this variant (names and definition say it)."""
        return REGISTRY.kpi("engagement_rate", denominator=self.denominator, aggregation=self.aggregation)

    def denominators(self, posts: pd.DataFrame, followers: pd.DataFrame | None = None) -> pd.Series:
        """Each post's denominator, aligned with ``posts``; NaN where unknown (never taken as 0).

        Raises:
            ValueError: the denominator is followers and ``followers`` is None.
        """
        if self.column != FOLLOWERS_AT_POST:
            values = _num(posts, self.column, fill=False).to_numpy()
            return pd.Series(values, index=posts.index, name=self.column)
        if followers is None:
            raise ValueError(
                "the engagement rate by followers needs the followers table: "
                "pass followers=<followers table>, or use denominator='reach' or 'impressions'"
            )
        return followers_at(posts, followers).rename(self.column)

    def per_post(self, posts: pd.DataFrame, followers: pd.DataFrame | None = None) -> pd.Series:
        """Each post's rate, interactions / denominator; NaN where the denominator is 0 or unknown."""
        den = self.denominators(posts, followers).to_numpy()
        num = interactions(posts).to_numpy()
        rates = np.divide(num, den, out=np.full(len(num), NAN), where=den > 0)
        return pd.Series(rates, index=posts.index, name="engagement_rate")

    def rate(self, posts: pd.DataFrame, followers: pd.DataFrame | None = None, by: By = None) -> Any:
        """The engagement rate of the posts: a float, or a Series per group when ``by`` is given."""
        if self.aggregation == "ratio_of_sums":
            den = self.denominators(posts, followers).reset_index(drop=True)
            frame = _ratio_frame(interactions(posts), den)
            return _grouped(frame, by, _sum_ratio, "engagement_rate", posts)
        frame = pd.DataFrame({"rate": self.per_post(posts, followers).to_numpy()})
        return _grouped(frame, by, lambda f: float(f["rate"].mean()), "engagement_rate", posts)

    def sql(self, interactions: str = "interactions", where: str = "") -> str:
        """The same rate as a DuckDB aggregate over rows holding ``interactions`` and the
        denominator's column (:attr:`column`; NULL where unknown), on the rows where the SQL
        condition ``where`` holds (all rows when empty)."""
        den = self.column
        also = f" AND ({where})" if where else ""
        if self.aggregation == "mean_of_rates":
            return f"avg(CASE WHEN {den} > 0{also} THEN {interactions} / {den} END)"
        known = f"FILTER (WHERE {den} IS NOT NULL{also})"
        return f"sum({interactions}) {known} / NULLIF(sum({den}) {known}, 0)"


def engagement(
    posts: pd.DataFrame, conventions: Any, followers: pd.DataFrame | None = None, by: By = None
) -> Any:
    """Engagement rate with the convention of a brief's ``kpi`` section (or an
    :class:`EngagementConvention`).

    Args:
        posts: the posts table.
        conventions: the brief's ``kpi`` section (``engagement_rate``, ``aggregation``).
        followers: the followers table, required when the denominator is followers.
        by: optional grouping (column name(s) or a key aligned with ``posts``).

    Returns:
        A float (fraction), or a Series per group.
    """
    return EngagementConvention.of(conventions).rate(posts, followers, by)


def post_engagement_rates(
    posts: pd.DataFrame, denominator: str = "reach", followers: pd.DataFrame | None = None
) -> pd.Series:
    """Engagement rate of each post: interactions / denominator.

    Args:
        posts: the posts table.
        denominator: "reach", "impressions" or "followers" (followers at posting time).
        followers: the followers table, required when ``denominator="followers"``.

    Returns:
        A float Series aligned with ``posts``; NaN where the denominator is 0 or unknown.

    Raises:
        ValueError: unknown denominator, or "followers" without the followers table.
    """
    return EngagementConvention(denominator).per_post(posts, followers)


def engagement_rate(
    posts: pd.DataFrame,
    denominator: str = "reach",
    aggregation: str = "ratio_of_sums",
    followers: pd.DataFrame | None = None,
    by: By = None,
) -> Any:
    """Engagement rate: interactions / reach, impressions or followers at posting time.

    See :class:`EngagementConvention` for the denominators and aggregations.

    Args:
        posts: the posts table.
        denominator: "reach", "impressions" or "followers".
        aggregation: "ratio_of_sums" or "mean_of_rates".
        followers: the followers table, required when ``denominator="followers"``.
        by: optional grouping (column name(s) or a key aligned with ``posts``).

    Returns:
        A float (fraction), or a Series per group; NaN when no denominator is available.

    Raises:
        ValueError: unknown denominator or aggregation, or "followers" without the table.
    """
    return EngagementConvention(denominator, aggregation).rate(posts, followers, by)


def interactions_per_1000(posts: pd.DataFrame, followers: pd.DataFrame, by: By = None) -> Any:
    """Interactions per 1,000 followers: sum(interactions) / sum(followers at posting time) × 1000.

    Posts without a follower record at or before their day are left out.

    Args:
        posts: the posts table.
        followers: the followers table.
        by: optional grouping.

    Returns:
        A float, or a Series per group.
    """
    frame = _ratio_frame(interactions(posts) * 1000, followers_at(posts, followers))
    return _grouped(frame, by, _sum_ratio, "interactions_per_1000", posts)


def virality(posts: pd.DataFrame, by: By = None) -> Any:
    """Virality: sum(shares) / sum(impressions).

    Args:
        posts: the posts table.
        by: optional grouping.

    Returns:
        A float (fraction), or a Series per group.
    """
    frame = _ratio_frame(_num(posts, "shares"), _num(posts, "impressions"))
    return _grouped(frame, by, _sum_ratio, "virality", posts)


def posts_per_week(posts: pd.DataFrame, start: Any, end: Any, by: By = None) -> Any:
    """Posting frequency: posts published in [start, end] (UTC days, inclusive) / weeks in it.

    Args:
        posts: the posts table.
        start: first day of the period.
        end: last day of the period (included).
        by: optional grouping; groups with no post in the period get 0.

    Returns:
        A float, or a Series per group.

    Raises:
        ValueError: ``end`` before ``start``.
    """
    first, last = _day(start), _day(end)
    if last < first:
        raise ValueError(f"end {last.date()} is before start {first.date()}")
    weeks = ((last - first).days + 1) / 7
    days = _days(posts["published_at"])
    frame = pd.DataFrame({"in": days.between(first, last).astype("float64")})
    return _grouped(frame, by, lambda f: float(f["in"].sum()) / weeks, "posts_per_week", posts)
