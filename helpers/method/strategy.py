"""Step 5, strategy: which networks, when, in which formats, for whom.

The network choice is a scored matrix. Each criterion is scored from 0 to 1:

* audience fit: share of the network's audience in the target personas' age bands
  (and genders, when the personas name them), from the audience table;
* objective fit: share of the goals' objectives the network serves well (method table);
* business-model fit: how well the network serves a B2C or a B2B brand (method table);
* observed performance: the network's engagement rate over the best owned network's;
* competitor presence: share of the competitors present on the network.

The score is the mean of the available criteria weighted by the brief's ``network_weights``;
a criterion without data (e.g. performance on a network the brand does not use yet, or audience
fit on a network that gives no age data) is unknown, never 0: it is left out of that network's
mean, and the report says which criteria each network was scored on.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from helpers.client.brief import Brief, KpiConventions
from helpers.method.observation import audience_share, best_times

#: What each network is good at in the method (objectives it serves well).
NETWORK_OBJECTIVES: dict[str, set[str]] = {
    "instagram": {"awareness", "community", "engagement"},
    "facebook": {"community", "satisfaction", "engagement"},
    "linkedin": {"leads", "awareness"},
    "x": {"awareness", "satisfaction"},
    "tiktok": {"awareness", "engagement"},
    "youtube": {"awareness", "engagement"},
}
#: Fit of each network with a B2C or a B2B brand (the method: Instagram first in B2C, LinkedIn in B2B).
BUSINESS_MODEL_FIT: dict[str, dict[str, float]] = {
    "B2C": {"instagram": 1.0, "facebook": 0.8, "tiktok": 0.8, "youtube": 0.6, "x": 0.4, "linkedin": 0.3},
    "B2B": {"linkedin": 1.0, "x": 0.6, "youtube": 0.5, "facebook": 0.4, "instagram": 0.4, "tiktok": 0.2},
}
#: What works per network in the method, used when the data cannot tell.
METHOD_FORMATS: dict[str, str] = {
    "facebook": "video",
    "instagram": "photo",
    "linkedin": "video",
    "x": "video",
    "tiktok": "video",
    "youtube": "video",
}
CRITERIA = (
    "audience_fit",
    "objective_fit",
    "business_model_fit",
    "observed_performance",
    "competitor_presence",
)


def audience_fit(brief: Brief, audience: pd.DataFrame, channel: str) -> float:
    """Share of the channel's audience in the personas' age bands × their genders' share.

    Unknown (NaN), never 0, when the channel gives no age breakdown (LinkedIn often gives none)
    or the personas name no age band: the matrix then ranks the network on its other criteria.
    A channel that gives ages but no genders is scored on its ages alone.
    """
    ages = {a for p in brief.targets for a in p.ages}
    genders = {g for p in brief.targets for g in p.genders}
    age_share = audience_share(audience, channel, "age", ages) if ages else math.nan
    if math.isnan(age_share):
        return math.nan
    gender_share = audience_share(audience, channel, "gender", genders) if genders else math.nan
    return float(age_share * (1.0 if math.isnan(gender_share) else gender_share))


def scored_on(row: pd.Series) -> list[str]:
    """The criteria of a row of :func:`network_matrix` that have data (the score is their mean)."""
    return [c for c in CRITERIA if pd.notna(row.get(c))]


def network_matrix(brief: Brief, audience: pd.DataFrame, rates: pd.Series) -> pd.DataFrame:
    """Scores (0–1) per network (rows) and criterion (columns), plus the weighted ``score``.

    Args:
        brief: objectives, personas, business model, competitors, weights.
        audience: the audience table.
        rates: engagement rate per owned network (the brief's convention).
    """
    networks = list(dict.fromkeys(list(brief.channels) + list(brief.candidate_networks)))
    objectives = {g.objective for g in brief.goals} or {"awareness"}
    best_rate = rates.max() if len(rates) else math.nan
    n_comp = len(brief.competitors)
    rows = []
    for net in networks:
        observed = float(rates[net] / best_rate) if net in rates.index and best_rate else math.nan
        rows.append(
            {
                "network": net,
                "audience_fit": audience_fit(brief, audience, net),
                "objective_fit": len(objectives & NETWORK_OBJECTIVES.get(net, set())) / len(objectives),
                "business_model_fit": BUSINESS_MODEL_FIT[brief.client.business_model].get(net, 0.3),
                "observed_performance": observed,
                "competitor_presence": (sum(net in c.handles for c in brief.competitors) / n_comp)
                if n_comp
                else math.nan,
            }
        )
    table = pd.DataFrame(rows).set_index("network")
    weights = brief.network_weights.model_dump()
    w = pd.Series({c: weights[c] for c in CRITERIA})
    scores = table[list(CRITERIA)]
    # The weighted mean over the criteria a network has data for: an unknown criterion is left
    # out of both the sum and the weights, never counted as 0.
    weighted = scores.mul(w).sum(axis=1, skipna=True, min_count=1)
    table["score"] = weighted / scores.notna().mul(w).sum(axis=1).replace(0, math.nan)
    return table.sort_values("score", ascending=False)


def best_slots_per_network(
    posts: pd.DataFrame,
    tz: str,
    conventions: KpiConventions,
    followers: pd.DataFrame | None = None,
    min_posts: int = 5,
    top: int = 3,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Best weekday × hour slots per network (local time), for the calendar.

    Each network's slots are ranked as in the audit's heatmap: by the low bound of their
    bootstrap interval at ``confidence``, among slots with at least ``min_posts`` posts (the
    brief's ``analysis.min_posts``, the same rule as the audit).

    Returns:
        channel, rank, weekday (0 = Monday), hour, posts, score (engagement rate), low, high.
    """
    frames = []
    for channel, part in posts.groupby("channel", sort=True):
        slots = best_times(
            part, tz, conventions, followers, min_posts=min_posts, top=top, confidence=confidence
        )[2]
        frames.append(slots.assign(channel=channel, rank=range(1, len(slots) + 1)))
    if not frames:
        return pd.DataFrame(columns=["channel", "rank", "weekday", "hour", "posts", "score", "low", "high"])
    table = pd.concat(frames, ignore_index=True).rename(columns={"engagement_rate": "score"})
    return table[["channel", "rank", "weekday", "hour", "posts", "score", "low", "high"]]


def format_mix(
    formats: pd.DataFrame, channels: list[str], lead_share: float = 0.5, min_posts: int = 5
) -> pd.DataFrame:
    """The mix to plan per network: the best format gets ``lead_share``, the others the rest
    in proportion to their engagement rate, among the formats measured on at least ``min_posts``
    posts (the brief's ``analysis.min_posts``). Networks without such a format take the method's."""
    rows = []
    for channel in channels:
        # a format whose rate is unknown is not measured: it neither leads nor takes a share by a 0
        measured = (formats["posts"] >= min_posts) & formats["engagement_rate"].notna()
        part = formats[(formats["channel"] == channel) & measured]
        if part.empty:
            rows.append({"channel": channel, "format": METHOD_FORMATS.get(channel, "photo"), "share": 1.0})
            continue
        part = part.sort_values("engagement_rate", ascending=False)
        best, rest = part.iloc[0], part.iloc[1:]
        rows.append({"channel": channel, "format": best["format"], "share": lead_share if len(rest) else 1.0})
        total = rest["engagement_rate"].sum()
        for row in rest.itertuples():
            rows.append(
                {
                    "channel": channel,
                    "format": row.format,
                    "share": (1 - lead_share) * row.engagement_rate / total,
                }
            )
    return pd.DataFrame(rows)


def seasonality(monthly: pd.Series, horizon_start: dt.date, horizon_end: dt.date) -> pd.DataFrame:
    """For each month of the horizon, the same month a year earlier against the period's mean.

    Args:
        monthly: a monthly series of the analysed period (index: first day of each month).

    Returns:
        One row per horizon month: ``month``, ``reference`` (a year earlier), ``value`` there
        and ``index`` = value / mean of the series (1.2 = a month 20 % above the average);
        NaN where the period does not cover that month.
    """
    monthly = monthly.dropna()
    mean = monthly.mean() if not monthly.empty else float("nan")
    rows = []
    month = pd.Timestamp(horizon_start).to_period("M")
    while month <= pd.Timestamp(horizon_end).to_period("M"):
        reference = (month - 12).to_timestamp()
        value = monthly.get(reference, float("nan"))
        rows.append(
            {
                "month": month.to_timestamp(),
                "reference": reference,
                "value": value,
                "index": value / mean if mean else float("nan"),
            }
        )
        month += 1
    return pd.DataFrame(rows, columns=["month", "reference", "value", "index"])
