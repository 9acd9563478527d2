"""Which posts a rate counts: feed posts apart from stories, organic posts apart from paid ones.

The one place that selects the posts every ranking and trend of the engagement rate receives
(:func:`rated_posts`): the channel audit, the monthly rates and their trend, the formats, the
posting slots and the goals' engagement series. The posts left out are not lost: they are
reported in their own small tables (:func:`story_table`, :func:`paid_split`).

* Stories (formats in :data:`APART_FORMATS`) carry no comment and no save by design (a reply to a
  story is a private message): put beside feed posts they pull a network's rate down and rank
  as a weak format for a reason that is not the content's.
* Paid posts reach people the brand paid to reach: where the export flags them (``paid`` true),
  they are left out of the rate, which is then the organic one. A post whose flag is unknown is
  kept: the network's rate may include paid posts, and :func:`paid_coverage` says so.

The platforms' own engagement rates (``native_rates`` in ``helpers/kpis/registry.yaml``) are
computed by :func:`native_rates`, beside the brief's convention, so a client can reconcile the
report with the dashboards.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from helpers.kpis._base import NAN, _num
from helpers.kpis._base import known_sum as _known_sum
from helpers.kpis.posts import EngagementConvention
from helpers.kpis.registry import REGISTRY

#: Formats analysed apart from the feed: a story has no comments or saves by design.
APART_FORMATS: tuple[str, ...] = ("story",)

COVERAGE_COLUMNS = ["channel", "posts", "stories", "paid", "organic", "unflagged"]
SPLIT_COLUMNS = ["channel", "organic_posts", "organic_rate", "paid_posts", "paid_rate"]
STORY_COLUMNS = ["channel", "stories", "reach", "impressions", "reach_per_story", "reactions", "shares"]
NATIVE_COLUMNS = ["channel", "posts", "engagement_rate", "native_rate"]


def _check(posts: pd.DataFrame, *columns: str) -> None:
    missing = [c for c in columns if c not in posts.columns]
    if missing:
        raise ValueError(
            f"the posts table lacks {', '.join(missing)} (columns: {', '.join(map(str, posts.columns))})"
        )


def is_story(posts: pd.DataFrame) -> pd.Series:
    """True for the posts analysed apart from the feed (formats in :data:`APART_FORMATS`)."""
    _check(posts, "format")
    return posts["format"].isin(APART_FORMATS).astype(bool)


def is_paid(posts: pd.DataFrame) -> pd.Series:
    """True where the export flags the post as paid (sponsored, promoted); False where it says
    organic or does not say (see :func:`paid_coverage` for the posts whose flag is unknown)."""
    if "paid" not in posts.columns:
        return pd.Series(False, index=posts.index)
    return posts["paid"].astype("boolean").fillna(False).astype(bool)


def feed_posts(posts: pd.DataFrame) -> pd.DataFrame:
    """The feed posts: every post but the stories."""
    return posts[~is_story(posts)]


def rated_posts(posts: pd.DataFrame) -> pd.DataFrame:
    """The posts whose engagement rate is ranked and trended: feed posts, organic ones where the
    export flags paid posts (posts with an unknown flag are kept).

    Args:
        posts: the posts table.

    Returns:
        The selected rows (same columns and index labels).

    Raises:
        ValueError: the table has no ``format`` column.
    """
    return posts[~is_story(posts) & ~is_paid(posts)]


def paid_coverage(posts: pd.DataFrame, channels: list[str] | None = None) -> pd.DataFrame:
    """Per network, what the rate leaves out: posts, stories, paid feed posts, organic feed posts
    and feed posts whose export does not say whether they were paid (``unflagged``).

    Args:
        posts: the posts table.
        channels: the networks to list, in this order (default: those with posts).
    """
    _check(posts, "channel", "format")
    story, paid = is_story(posts), is_paid(posts)
    known = posts["paid"].notna() if "paid" in posts.columns else pd.Series(False, index=posts.index)
    frame = pd.DataFrame(
        {
            "channel": posts["channel"].astype(str),
            "posts": 1,
            "stories": story.astype(int),
            "paid": (~story & paid).astype(int),
            "organic": (~story & known & ~paid).astype(int),
            "unflagged": (~story & ~known).astype(int),
        }
    )
    table = frame.groupby("channel").sum()
    order = channels if channels is not None else list(table.index)
    table = table.reindex(order).fillna(0).astype(int)
    return table.rename_axis("channel").reset_index()[COVERAGE_COLUMNS]


def paid_split(posts: pd.DataFrame, conventions: Any, followers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Organic against paid feed posts, per network whose export flags at least one paid post:
    posts and the brief's engagement rate of each group (the rate unknown for a group without
    posts, never 0).

    Args:
        posts: the posts table.
        conventions: the brief's ``kpi`` section (or an :class:`EngagementConvention`).
        followers: the followers table, when the rate's denominator is followers.
    """
    rule = EngagementConvention.of(conventions)
    feed = feed_posts(posts)
    paid = is_paid(feed)
    known = feed["paid"].notna() if "paid" in feed.columns else pd.Series(False, index=feed.index)
    rows = []
    for channel in sorted(feed.loc[paid, "channel"].astype(str).unique()):
        own = (feed["channel"] == channel).to_numpy()
        organic, sponsored = feed[own & known.to_numpy() & ~paid.to_numpy()], feed[own & paid.to_numpy()]
        rows.append(
            {
                "channel": channel,
                "organic_posts": len(organic),
                "organic_rate": rule.rate(organic, followers) if len(organic) else NAN,
                "paid_posts": len(sponsored),
                "paid_rate": rule.rate(sponsored, followers) if len(sponsored) else NAN,
            }
        )
    return pd.DataFrame(rows, columns=SPLIT_COLUMNS)



def story_table(posts: pd.DataFrame) -> pd.DataFrame:
    """Per network with stories: stories, their summed reach and impressions (unknown where the
    export gives none), the mean reach per story over the stories whose reach is known, and the
    reactions and shares they drew (what a story's export counts; replies are private messages)."""
    stories = posts[is_story(posts)]
    rows = []
    for channel, part in stories.groupby(stories["channel"].astype(str), sort=True):
        reach = pd.to_numeric(part["reach"], errors="coerce") if "reach" in part else pd.Series(dtype=float)
        rows.append(
            {
                "channel": channel,
                "stories": len(part),
                "reach": _known_sum(reach),
                "impressions": _known_sum(part["impressions"]) if "impressions" in part else NAN,
                "reach_per_story": float(reach.mean()) if reach.notna().any() else NAN,
                "reactions": _known_sum(part["reactions"]) if "reactions" in part else NAN,
                "shares": _known_sum(part["shares"]) if "shares" in part else NAN,
            }
        )
    return pd.DataFrame(rows, columns=STORY_COLUMNS)


def counted_interactions(posts: pd.DataFrame, channel: str, lang: str) -> list[str]:
    """What a network's engagement rate counts, in ``lang``: the registry's names of the
    interaction columns that the network's posts report (at least one known value).

    Raises:
        KeyError: a network the registry does not know.
    """
    if channel not in REGISTRY.networks:
        raise KeyError(f"unknown network {channel!r}; the registry knows {', '.join(REGISTRY.networks)}")
    own = posts[posts["channel"] == channel] if "channel" in posts.columns else posts.iloc[0:0]
    reported = tuple(c for c in REGISTRY.interaction_columns if c in own.columns and own[c].notna().any())
    return REGISTRY.interactions_on(channel, lang, reported) if reported else []


def native_rate(posts: pd.DataFrame, channel: str) -> float:
    """The platform's own engagement rate of a network's posts (the registry's ``native_rates``):
    the sum of its counted columns over the sum of its denominator, over the posts where every
    one of them is known. NaN when the network has no native definition, or when the export
    lacks a column it needs (unknown, never 0)."""
    spec = REGISTRY.native_rates.get(channel)
    if spec is None:
        return NAN
    own = posts[posts["channel"] == channel]
    needed = [*spec.counts, spec.denominator]
    if own.empty or any(c not in own.columns or own[c].isna().all() for c in needed):
        return NAN
    values = pd.DataFrame({c: _num(own, c, fill=False) for c in needed})
    known = values.notna().all(axis=1)
    num = values.loc[known, list(spec.counts)].sum(axis=1).sum()
    den = values.loc[known, spec.denominator].sum()
    return float(num / den) if den > 0 else NAN


def native_rates(
    posts: pd.DataFrame,
    conventions: Any,
    channels: list[str],
    followers: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per network, the brief's engagement rate (on :func:`rated_posts`) beside the platform's
    own rate on the same posts, so a client can reconcile the report with the dashboards.

    Args:
        posts: the posts table.
        conventions: the brief's ``kpi`` section (or an :class:`EngagementConvention`).
        channels: the networks to list, in this order.
        followers: the followers table, when the rate's denominator is followers.
    """
    rule = EngagementConvention.of(conventions)
    rated = rated_posts(posts)
    rows = []
    for channel in channels:
        own = rated[rated["channel"] == channel]
        rows.append(
            {
                "channel": channel,
                "posts": len(own),
                "engagement_rate": rule.rate(own, followers) if len(own) else NAN,
                "native_rate": native_rate(own, channel) if len(own) else NAN,
            }
        )
    table = pd.DataFrame(rows, columns=NATIVE_COLUMNS)
    return table.astype({"engagement_rate": "float64", "native_rate": "float64"}).replace(
        [np.inf, -np.inf], NAN
    )
