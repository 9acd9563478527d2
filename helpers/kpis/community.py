"""Community KPIs from the followers table: size, growth, shares.

Definitions: ``helpers/kpis/registry.yaml`` (``docs/kpis.md``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from helpers.kpis._base import (
    NAN,
    By,
    _day,
    _days,
    _grouped,
    _num,
    _sum_ratio,
)


def _profiles(followers: pd.DataFrame) -> pd.DataFrame:
    """Follower records with a known value, sorted by date: date, channel, account, followers."""
    account = followers["account"] if "account" in followers.columns else pd.Series("", index=followers.index)
    return (
        pd.DataFrame(
            {
                "date": _days(followers["date"]),
                "channel": followers["channel"].reset_index(drop=True),
                "account": account.reset_index(drop=True),
                "followers": _num(followers, "followers", fill=False),
            }
        )
        .dropna(subset=["date", "followers"])
        .sort_values("date", kind="stable")
    )


def _latest(followers: pd.DataFrame, at: Any = None) -> pd.DataFrame:
    """The latest record at or before ``at`` per profile: columns channel, account, followers."""
    frame = _profiles(followers)
    if at is not None:
        frame = frame[frame["date"] <= _day(at)]
    return frame.drop_duplicates(["channel", "account"], keep="last")


def community_size(followers: pd.DataFrame, at: Any = None) -> pd.Series:
    """Community size per channel: latest record at or before ``at``, summed over profiles.

    Args:
        followers: the followers table.
        at: the date (None: the latest record).

    Returns:
        Followers per channel (channels without a record by ``at`` are absent).
    """
    return _latest(followers, at).groupby("channel", sort=True)["followers"].sum().rename("followers")


def growth_rate(followers: pd.DataFrame, start: Any, end: Any, by: By = "channel") -> Any:
    """Follower growth: (followers at end − followers at start) / followers at start.

    Each date uses each profile's last record at or before it. Profiles with no record
    at or before ``start`` are left out (like-for-like); NaN when none remains.

    Args:
        followers: the followers table.
        start: first date.
        end: last date.
        by: "channel" (default), "account", a list of both, or None for the whole community.

    Returns:
        A float (fraction) when ``by`` is None, else a Series per group.
    """
    profiles = ["channel", "account"]
    first = _latest(followers, start).rename(columns={"followers": "den"})[[*profiles, "den"]]
    last = _latest(followers, end).rename(columns={"followers": "end"})[[*profiles, "end"]]
    frame = first.merge(last, on=profiles, how="outer")
    frame["num"] = frame["end"] - frame["den"]
    return _grouped(frame.reset_index(drop=True), by, _sum_ratio, "follower_growth")


def monthly_growth(followers: pd.DataFrame) -> pd.DataFrame:
    """Followers at each month's end and month-over-month growth, per channel.

    Args:
        followers: the followers table.

    Returns:
        Columns channel, month (first day, datetime64), followers (last record of the month,
        summed over profiles) and growth (vs the previous calendar month; NaN without it).
    """
    frame = _profiles(followers)
    frame["month"] = frame["date"].dt.to_period("M").dt.to_timestamp()
    frame = frame.drop_duplicates(["channel", "account", "month"], keep="last")
    monthly = frame.groupby(["channel", "month"], as_index=False, sort=True)["followers"].sum()
    previous = monthly.assign(month=monthly["month"] + pd.offsets.MonthBegin(1))
    previous = previous.rename(columns={"followers": "previous"})
    out = monthly.merge(previous, on=["channel", "month"], how="left")
    prev = out["previous"].where(out["previous"] > 0)
    out["growth"] = (out["followers"] - prev) / prev
    return out.drop(columns="previous")


def channel_share(followers: pd.DataFrame, at: Any = None) -> pd.Series:
    """Each channel's share of the brand's total community at ``at``.

    Args:
        followers: the followers table.
        at: the date (None: the latest record).

    Returns:
        Fractions per channel summing to 1 (NaN when the community is empty).
    """
    return community_share_of_voice(community_size(followers, at)).rename("channel_share")


def community_share_of_voice(community: pd.Series) -> pd.Series:
    """Community share of voice: each brand's followers / all brands' followers.

    Args:
        community: followers per brand (index = brand), the client's and competitors'.

    Returns:
        Fractions per brand (NaN when the total is 0).
    """
    values = pd.to_numeric(community, errors="coerce").astype("float64").fillna(0.0)
    total = values.sum()
    return (values / total if total > 0 else values * NAN).rename("community_share_of_voice")
