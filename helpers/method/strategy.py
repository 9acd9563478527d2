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
from helpers.method import evidence
from helpers.method.observation import audience_share, compare_slots

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


#: The columns of :func:`best_slots_per_network` (``slots.csv``).
SLOT_COLUMNS = [
    "channel", "rank", "weekday", "hour", "posts", "engagement_rate", "low", "high", "lift", "verdict",
]  # fmt: skip
#: How much a format whose rate is above the rest of its network's, but which does not lead the
#: mix, may grow over its past share (0.2: at most its past share × 1.2).
MAX_GROWTH = 0.2
#: The share of a network's posts the format with evidence may take (0.5: half the posts).
LEAD_SHARE = 0.5
#: How many times its past share the format with evidence may take in one plan (2: at most
#: double): the plan tests a lift measured on a few posts before it bets the network on it.
LEAD_MAX_FACTOR = 2.0
#: The columns of :func:`format_mix` (``format_mix.csv``).
MIX_COLUMNS = ["channel", "format", "share", "past_share", "verdict"]


def best_slots_per_network(
    posts: pd.DataFrame,
    tz: str,
    conventions: KpiConventions,
    followers: pd.DataFrame | None = None,
    rule: evidence.Rule | None = None,
    top: int | None = 3,
) -> pd.DataFrame:
    """Best weekday × hour slots per network (local time), for the calendar.

    The audit's one ranking (:func:`helpers.method.observation.compare_slots`) on each network's
    own posts: each slot is compared with the network's rate. A slot is kept only when it passes
    the sample rule (``rule.min_posts`` posts on that network, the brief's
    ``analysis.min_posts``) and its interval does not put it below the network's rate (verdict
    ``above`` or ``not_distinguishable``): a day or hour the network rarely used has too few
    posts to pass, so the calendar is never sent there by the data.

    Args:
        top: slots kept per network, best first (``None``: every slot that passes).

    Returns:
        :data:`SLOT_COLUMNS`: channel, rank (1 = best, by the low bound of the interval),
        weekday (0 = Monday), hour, posts, engagement rate, interval at ``rule.confidence``,
        lift over the network's rate and verdict.
    """
    frames = []
    for channel, part in posts.groupby("channel", sort=True):
        slots = compare_slots(part, tz, conventions, followers, rule)
        slots = slots[slots["verdict"].isin(["above", "not_distinguishable"])].head(top)
        frames.append(slots.assign(channel=channel, rank=range(1, len(slots) + 1)))
    if not frames:
        return pd.DataFrame(columns=SLOT_COLUMNS)
    return pd.concat(frames, ignore_index=True)[SLOT_COLUMNS]


def format_mix(
    formats: pd.DataFrame, channels: list[str], lead_share: float = LEAD_SHARE, min_posts: int = 5
) -> pd.DataFrame:
    """The mix to plan per network: a format's share grows only with evidence.

    The rule, per network, from the audit's formats (``formats.csv``: posts and the verdict of
    each format against the network's other formats, :func:`helpers.method.observation.format_performance`):

    * every format starts from its **past share** (its posts over the network's posts);
    * the **lead**: the format whose verdict is ``above`` (its whole interval above the rest of
      the network) on at least ``min_posts`` posts, best low bound first, grows towards
      ``lead_share`` but at most to its past share × :data:`LEAD_MAX_FACTOR` (never below its
      past share): 9 reels out of 200 posts do not become half of a network's plan;
    * another ``above`` format may grow to at most its past share × (1 + :data:`MAX_GROWTH`);
    * every other format (``not_distinguishable``, ``below``, under the sample rule, or whose rate
      is unknown) is never raised above its past share;
    * the formats other than the lead share what the lead leaves in proportion to those
      weights, so the shares sum to 1. Without a lead, the mix is the past mix.

    A network without any format in ``formats`` takes the method's (:data:`METHOD_FORMATS`),
    with no past share and no verdict.

    Args:
        formats: columns ``channel``, ``format``, ``posts``, ``verdict`` (and ``low`` to order
            several ``above`` formats).
        channels: the networks to plan.
        lead_share: the share the lead format may take (0.5: half the posts).
        min_posts: posts a format needs to lead or grow (the brief's ``analysis.min_posts``).

    Returns:
        :data:`MIX_COLUMNS`, the lead first within each network.

    Raises:
        ValueError: a column is missing, or ``lead_share`` is not between 0 and 1.
    """
    if missing := {"channel", "format", "posts", "verdict"} - set(formats.columns):
        raise ValueError(f"formats: missing column(s) {sorted(missing)}")
    if not 0 < lead_share <= 1:
        raise ValueError(f"lead_share must be between 0 and 1 (0.5 = half the posts), got {lead_share}")
    rows = []
    for channel in channels:
        part = formats[(formats["channel"] == channel) & (formats["posts"] > 0)]
        if part.empty:
            rows.append({"channel": channel, "format": METHOD_FORMATS.get(channel, "photo"), "share": 1.0,
                         "past_share": math.nan, "verdict": None})  # fmt: skip
            continue
        if "low" in part.columns:
            part = part.sort_values("low", ascending=False, na_position="last", kind="stable")
        past = part["posts"].astype(float) / part["posts"].sum()
        evidenced = (part["verdict"] == "above") & (part["posts"] >= min_posts)
        lead = part.index[evidenced][0] if evidenced.any() else None
        weights = past.where(~evidenced, past * (1 + MAX_GROWTH))
        share = pd.Series(0.0, index=part.index)
        if lead is None:
            share = past
        else:
            grown = min(lead_share, past[lead] * LEAD_MAX_FACTOR)
            share[lead] = 1.0 if len(part) == 1 else max(past[lead], grown)
            others = weights.drop(lead)
            if len(others):
                share[others.index] = (1 - share[lead]) * others / others.sum()
        order = ([lead] if lead is not None else []) + [i for i in part.index if i != lead]
        for i in order:
            rows.append({"channel": channel, "format": part.loc[i, "format"], "share": float(share[i]),
                         "past_share": float(past[i]), "verdict": part.loc[i, "verdict"]})  # fmt: skip
    return pd.DataFrame(rows, columns=MIX_COLUMNS)


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
