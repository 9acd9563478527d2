"""Posts above a threshold: how many of the brand's posts generate more than N interactions.

An indicator of the method: per network and month, the count and the share of the brand's feed
posts (:func:`helpers.kpis.rated_posts`: stories and flagged paid posts apart) whose interactions
(the registry's interaction columns, :func:`helpers.kpis.interactions`) are above N.

N is the brief's ``analysis.interactions_threshold`` when it sets one (the same for every
network). Unset, N is network-relative: :data:`RELATIVE_MULTIPLE` times the network's median
interactions per post over the period, so "above N" means "clearly above this network's usual
post", whatever the network's size. A post counts when its interactions are strictly above N.

Unknown is never 0: a post whose every interaction column is unknown is left out of the count
and of its denominator (``unknown`` counts them). Each share gets the workbook's interval
(:func:`helpers.method.evidence.interval`, a share being the ratio of sums of a 0/1 flag per
post) when it rests on at least ``rule.min_posts`` posts, else none (``too_few``).

Numbers and ids only; words are added at display time.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from helpers import kpis
from helpers.method import evidence
from helpers.method.observation import month_key

#: The default, network-relative N: this many times the network's median interactions per post
#: over the period (2: a post that does twice as well as the network's usual post).
RELATIVE_MULTIPLE = 2.0
#: Where N comes from: the brief's ``analysis.interactions_threshold``, or the network's median.
BASES = ("brief", "relative")
#: The columns of :func:`thresholds`.
THRESHOLD_COLUMNS = ["channel", "threshold", "basis", "median"]
#: The columns of :func:`posts_above` (one row per network and month) and of :func:`by_network`.
COLUMNS = ["channel", "month", "threshold", "basis", "posts", "unknown", "above", "share", "low", "high"]
NETWORK_COLUMNS = ["channel", "threshold", "basis", "posts", "unknown", "above", "share", "low", "high"]


def known_interactions(posts: pd.DataFrame) -> pd.Series:
    """Each post's interactions (:func:`helpers.kpis.interactions`), NaN where none of the
    interaction columns is known (such a post is unknown, not a post with 0 interactions)."""
    columns = [c for c in kpis.REGISTRY.interaction_columns if c in posts.columns]
    values = kpis.interactions(posts)
    if not columns:
        return values * math.nan
    known = posts[columns].notna().any(axis=1)
    return values.where(known)


def thresholds(posts: pd.DataFrame, threshold: float | None = None) -> pd.DataFrame:
    """N per network: ``threshold`` for every network when given (``basis`` ``brief``), else
    :data:`RELATIVE_MULTIPLE` × the network's median interactions per post (``relative``; NaN
    for a network without a post whose interactions are known).

    Raises:
        ValueError: ``threshold`` is negative or not finite.
    """
    if threshold is not None and not (math.isfinite(threshold) and threshold >= 0):
        raise ValueError(f"the interactions threshold must be a number ≥ 0, got {threshold!r}")
    if posts.empty:
        return pd.DataFrame(columns=THRESHOLD_COLUMNS)
    values = known_interactions(posts)
    rows = []
    for channel, part in values.groupby(posts["channel"].astype(str), sort=True):
        median = float(part.median()) if part.notna().any() else math.nan
        if threshold is None:
            rows.append({"channel": channel, "threshold": RELATIVE_MULTIPLE * median, "basis": "relative"})
        else:
            rows.append({"channel": channel, "threshold": float(threshold), "basis": "brief"})
        rows[-1]["median"] = median
    return pd.DataFrame(rows, columns=THRESHOLD_COLUMNS)


def _share(flags: np.ndarray, rule: evidence.Rule, rng: np.random.Generator) -> dict:
    """Posts, posts above, their share and its interval (none under the sample rule)."""
    n = len(flags)
    above = int(flags.sum())
    share = above / n if n else math.nan
    low = high = math.nan
    if n >= rule.min_posts:
        low, high = evidence.interval(flags, np.ones(n), "ratio_of_sums", rule, rng)
    return {"posts": n, "above": above, "share": share, "low": low, "high": high}


def _flagged(posts: pd.DataFrame, threshold: float | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    limits = thresholds(posts, threshold)
    values = known_interactions(posts)
    limit = posts["channel"].astype(str).map(limits.set_index("channel")["threshold"])
    frame = pd.DataFrame(
        {
            "channel": posts["channel"].astype(str),
            "interactions": values,
            "flag": (values > limit).astype(float).where(values.notna() & limit.notna()),
        }
    )
    return frame, limits


def posts_above(
    posts: pd.DataFrame, tz: str, threshold: float | None = None, rule: evidence.Rule | None = None
) -> pd.DataFrame:
    """Per network and month (months in the client's zone), the posts whose interactions are
    known, how many are above the network's N (:func:`thresholds`), their share and its interval.

    Args:
        posts: the posts to count (the run's feed posts, :func:`helpers.kpis.rated_posts`).
        tz: the client's time zone (a post's month is its local month).
        threshold: the brief's ``analysis.interactions_threshold``; ``None`` for the
            network-relative N.
        rule: the sample rule (a month under ``min_posts`` posts gets no interval).

    Returns:
        The columns of :data:`COLUMNS`, by network then month; ``unknown`` counts the posts whose
        interactions are unknown (left out of ``posts``); ``share`` is NaN for a month without a
        post whose interactions are known.
    """
    rule = rule or evidence.Rule()
    if posts.empty:
        return pd.DataFrame(columns=COLUMNS)
    frame, limits = _flagged(posts, threshold)
    frame["month"] = month_key(posts["published_at"].dt.tz_convert(tz))
    limits = limits.set_index("channel")
    rng = rule.rng()
    rows = []
    for (channel, month), part in frame.groupby(["channel", "month"], sort=True):
        known = part["flag"].dropna().to_numpy()
        rows.append(
            {
                "channel": channel,
                "month": month,
                "threshold": limits.loc[channel, "threshold"],
                "basis": limits.loc[channel, "basis"],
                "unknown": int(part["flag"].isna().sum()),
                **_share(known, rule, rng),
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def by_network(
    posts: pd.DataFrame, threshold: float | None = None, rule: evidence.Rule | None = None
) -> pd.DataFrame:
    """The same count over the whole period, one row per network (the columns of
    :data:`NETWORK_COLUMNS`)."""
    rule = rule or evidence.Rule()
    if posts.empty:
        return pd.DataFrame(columns=NETWORK_COLUMNS)
    frame, limits = _flagged(posts, threshold)
    limits = limits.set_index("channel")
    rng = rule.rng()
    rows = []
    for channel, part in frame.groupby("channel", sort=True):
        rows.append(
            {
                "channel": channel,
                "threshold": limits.loc[channel, "threshold"],
                "basis": limits.loc[channel, "basis"],
                "unknown": int(part["flag"].isna().sum()),
                **_share(part["flag"].dropna().to_numpy(), rule, rng),
            }
        )
    return pd.DataFrame(rows, columns=NETWORK_COLUMNS)
