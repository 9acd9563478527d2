"""Step 1, observation: the audit of the brand's profiles, its competitors and its listening.

Functions take the canonical tables (already cut to the analysed period) and the brief's
conventions, and return tables; the notebook shows them and the sentences say what they mean.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from helpers import kpis
from helpers.client.brief import Brief, KpiConventions
from helpers.client.loading import ClientData
from helpers.method import evidence

SUSPICIOUS_RULES = {
    "posts": [
        ("reach_above_impressions", lambda t: t["reach"] > t["impressions"]),
        ("interactions_above_reach", lambda t: kpis.interactions(t) > t["reach"]),
    ],
    "care": [("answered_before_received", lambda t: t["answered_at"] < t["received_at"])],
    "leads": [("sqls_above_leads", lambda t: t["sqls"] > t["leads"])],
}


def engagement_kpi(conventions: KpiConventions) -> kpis.KpiDef:
    """The engagement-rate definition the brief chose."""
    return kpis.for_conventions("engagement_rate", conventions)


def engagement(
    posts: pd.DataFrame, conventions: KpiConventions, followers: pd.DataFrame | None = None, by=None
):
    """Engagement rate with the brief's denominator and aggregation (:func:`helpers.kpis.engagement`)."""
    return kpis.engagement(posts, conventions, followers, by)


def local_times(posts: pd.DataFrame, tz: str) -> pd.Series:
    return posts["published_at"].dt.tz_convert(tz)


def month_key(times: pd.Series) -> pd.Series:
    """First day of the month (naive), whatever the zone of ``times``."""
    naive = times.dt.tz_localize(None) if getattr(times.dt, "tz", None) is not None else times
    return naive.dt.to_period("M").dt.to_timestamp()


def rule_flags(data: ClientData) -> pd.DataFrame:
    """Values that break a rule of the domain (reach above impressions...), kept and listed."""
    rows = []
    for name, rules in SUSPICIOUS_RULES.items():
        table = data.tables[name]
        if table.empty:
            continue
        for issue, rule in rules:
            hit = rule(table).fillna(False).astype(bool)
            for i in table.index[hit]:
                source = table.loc[i, "source"] if "source" in table.columns else f"{name}.csv"
                rows.append(
                    {"file": source, "row": "", "column": "", "table": name, "value": "", "issue": issue}
                )
    return pd.DataFrame(rows, columns=["file", "row", "column", "table", "value", "issue"])


def suspicious_values(data: ClientData) -> pd.DataFrame:
    """Every flagged value: from the importers (negative counts, collab posts...) and the rules."""
    frames = [f for f in (data.flags, rule_flags(data)) if len(f)]
    if not frames:
        return pd.DataFrame(columns=["file", "row", "column", "table", "value", "issue"])
    return pd.concat(frames, ignore_index=True)


def data_quality(data: ClientData) -> pd.DataFrame:
    """Per table: files read, rows read and kept in the period, time span, repeats, flags."""
    read: dict[str, list[int]] = {}
    for source in data.sources:
        for table in source.table.split("+"):
            if table in data.tables:
                read.setdefault(table, []).append(source.rows)
    flagged = suspicious_values(data)["table"].value_counts()
    rows = []
    for name, files in read.items():
        table = data.tables[name]
        time_col = next((c for c in ("published_at", "received_at", "date") if c in table.columns), None)
        rows.append(
            {
                "table": name,
                "files": len(files),
                "rows_in_file": sum(files),
                "repeated": int(data.duplicates.get(name, 0)),
                "rows_in_period": len(table),
                "first": table[time_col].min() if time_col and len(table) else None,
                "last": table[time_col].max() if time_col and len(table) else None,
                "suspicious": int(flagged.get(name, 0)),
            }
        )
    return pd.DataFrame(rows)


def channel_audit(run_start: dt.date, run_end: dt.date, data: ClientData) -> pd.DataFrame:
    """Per owned channel: community, growth, frequency, engagement, care."""
    brief = data.brief
    posts, followers, care = data.tables["posts"], data.tables["followers"], data.tables["care"]
    growth = kpis.growth_rate(followers, run_start, run_end)
    size_start = kpis.community_size(followers, at=pd.Timestamp(run_start))
    size_end = kpis.community_size(followers, at=pd.Timestamp(run_end))
    weekly = kpis.posts_per_week(posts, run_start, run_end, by="channel")
    rate = engagement(posts, brief.kpi, followers, by="channel")
    per_1000 = kpis.interactions_per_1000(posts, followers, by="channel")
    answered = kpis.response_rate(care, by="channel") if len(care) else pd.Series(dtype=float)
    delay = kpis.response_time_median(care, by="channel") if len(care) else pd.Series(dtype=float)
    rows = []
    for channel in brief.channels:
        rows.append(
            {
                "channel": channel,
                "followers_start": size_start.get(channel, np.nan),
                "followers_end": size_end.get(channel, np.nan),
                "follower_growth": growth.get(channel, np.nan),
                "posts": int((posts["channel"] == channel).sum()),
                "posts_per_week": weekly.get(channel, 0.0),
                "engagement_rate": rate.get(channel, np.nan),
                "interactions_per_1000": per_1000.get(channel, np.nan),
                "response_rate": answered.get(channel, np.nan),
                "response_time_median": delay.get(channel, np.nan),
            }
        )
    return pd.DataFrame(rows)


def monthly_engagement(
    posts: pd.DataFrame, conventions: KpiConventions, tz: str, followers: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Engagement rate per month (rows) and channel (columns), months in the client's zone."""
    if posts.empty:
        return pd.DataFrame()
    keyed = posts.assign(month=month_key(local_times(posts, tz)))
    rates = engagement(keyed, conventions, followers, by=["month", "channel"])
    return rates.unstack("channel").sort_index()


def trend_change(monthly: pd.DataFrame, last_months: int = 3) -> pd.DataFrame:
    """Per channel: mean of the last ``last_months`` months against the months before."""
    rows = []
    for channel in monthly.columns:
        series = monthly[channel].dropna()
        if len(series) <= last_months:
            continue
        recent, before = series.iloc[-last_months:].mean(), series.iloc[:-last_months].mean()
        rows.append(
            {
                "channel": channel,
                "before": before,
                "recent": recent,
                "change": (recent - before) / before if before else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=["channel", "before", "recent", "change"])


def post_arrays(
    posts: pd.DataFrame, conventions: KpiConventions, followers: pd.DataFrame | None = None
) -> tuple[np.ndarray, np.ndarray, str]:
    """Each post's interactions and denominator under the brief's convention, and its aggregation:
    the inputs of :mod:`helpers.method.evidence` (NaN where a denominator is unknown)."""
    rule = kpis.EngagementConvention.of(conventions)
    num = kpis.interactions(posts).to_numpy(dtype=float)
    den = rule.denominators(posts, followers).to_numpy(dtype=float)
    return num, den, rule.aggregation


#: The columns of :func:`format_performance`.
FORMAT_COLUMNS = [
    "channel", "format", "posts", "share", "engagement_rate", "low", "high", "reference", "lift", "verdict",
]  # fmt: skip


def format_performance(
    posts: pd.DataFrame,
    conventions: KpiConventions,
    followers: pd.DataFrame | None = None,
    rule: evidence.Rule | None = None,
) -> pd.DataFrame:
    """Per channel and format: posts, share of the channel's posts, engagement rate with its
    interval, and how it compares with the network's other formats.

    Each format is compared with the rest of its network (the rate of the network's other
    formats' posts, same convention): ``reference`` is that rate, ``lift`` = rate / reference − 1,
    and ``verdict`` (:func:`helpers.method.evidence.compare_groups`) is ``above``/``below`` only
    when the format's whole interval at ``rule.confidence`` is on that side of the reference,
    ``not_distinguishable`` when it includes it, ``too_few`` under ``rule.min_posts`` posts (no
    interval then). A network's only format has no reference: ``not_distinguishable`` at best.

    Args:
        posts: the posts (one network or several).
        conventions: the brief's ``kpi`` section (denominator and aggregation).
        followers: the followers table (when the denominator is followers).
        rule: the sample rule and interval method (:meth:`helpers.method.evidence.Rule.of`).

    Returns:
        :data:`FORMAT_COLUMNS`, per network the formats that pass the sample rule first, best
        interval first.
    """
    if posts.empty:
        return pd.DataFrame(columns=FORMAT_COLUMNS)
    rule = rule or evidence.Rule()
    num, den, aggregation = post_arrays(posts, conventions, followers)
    frames = []
    for channel in sorted(posts["channel"].dropna().unique()):
        mask = (posts["channel"] == channel).to_numpy()
        keys = posts.loc[mask, ["format"]].reset_index(drop=True)
        n, d = num[mask], den[mask]
        fmt = keys["format"].to_numpy()
        # the reference of each format: the rate of the network's other formats
        rest = pd.Series({f: evidence.rate(n[fmt != f], d[fmt != f], aggregation) for f in set(fmt)})
        table = evidence.compare_groups(keys, n, d, aggregation, rest, rule)
        table.insert(0, "channel", channel)
        table.insert(3, "share", table["posts"] / mask.sum())
        frames.append(table)
    out = pd.concat(frames, ignore_index=True).rename(columns={"rate": "engagement_rate"})
    return out[FORMAT_COLUMNS]


def top_posts(
    posts: pd.DataFrame,
    conventions: KpiConventions,
    tz: str,
    n: int = 5,
    followers: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The ``n`` posts with the most interactions, with their own engagement rate."""
    if posts.empty:
        return pd.DataFrame()
    table = posts.assign(
        interactions=kpis.interactions(posts),
        engagement_rate=kpis.EngagementConvention.of(conventions).per_post(posts, followers),
        published=local_times(posts, tz),
    )
    top = table.nlargest(n, "interactions")
    return top[["published", "channel", "format", "text", "reach", "interactions", "engagement_rate"]]


#: The columns of the slots of :func:`best_times`.
SLOT_COLUMNS = ["weekday", "hour", "posts", "engagement_rate", "low", "high", "reference", "lift", "verdict"]


def compare_slots(
    posts: pd.DataFrame,
    tz: str,
    conventions: KpiConventions,
    followers: pd.DataFrame | None = None,
    rule: evidence.Rule | None = None,
) -> pd.DataFrame:
    """Every weekday × hour slot of the posts (client's time zone) against the rate of all of them.

    The one ranking of slots, overall (01) and per network (05, on one network's posts):
    :func:`helpers.method.evidence.compare_groups` with the rate of all ``posts`` as reference.

    Returns:
        :data:`SLOT_COLUMNS` for every slot with a post (weekday 0 = Monday), ranked: slots that
        pass ``rule.min_posts`` first, by the low bound of their interval, then the others
        (``too_few``, no interval).
    """
    rule = rule or evidence.Rule()
    if posts.empty:
        return pd.DataFrame(columns=SLOT_COLUMNS)
    local = local_times(posts, tz)
    keys = pd.DataFrame({"weekday": local.dt.day_of_week.to_numpy(), "hour": local.dt.hour.to_numpy()})
    num, den, aggregation = post_arrays(posts, conventions, followers)
    overall = evidence.rate(num, den, aggregation)
    table = evidence.compare_groups(keys, num, den, aggregation, overall, rule)
    table = table.rename(columns={"rate": "engagement_rate"}).astype({"weekday": int, "hour": int})
    return table[SLOT_COLUMNS]


def best_times(
    posts: pd.DataFrame,
    tz: str,
    conventions: KpiConventions,
    followers: pd.DataFrame | None = None,
    rule: evidence.Rule | None = None,
    top: int = 3,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Engagement by weekday × hour in the client's time zone, with sample sizes.

    Returns:
        ``(rates, counts, slots)``: rates and counts as weekday (rows, 0 = Monday) × hour
        tables, and the ``top`` slots among those with at least ``rule.min_posts`` posts
        (:func:`compare_slots`: each with its interval at ``rule.confidence``, its lift over the
        rate of all posts and its verdict against it), ranked by the low bound of their
        interval, so a slot that shines on a handful of posts does not beat one that is
        consistently good. A slot under the sample rule is never among them.
    """
    local = local_times(posts, tz)
    keyed = posts.assign(weekday=local.dt.day_of_week, hour=local.dt.hour)
    rates = engagement(keyed, conventions, followers, by=["weekday", "hour"]).unstack("hour")
    counts = keyed.groupby(["weekday", "hour"]).size().unstack("hour")
    hours = range(int(keyed["hour"].min()), int(keyed["hour"].max()) + 1)
    rates = rates.reindex(index=range(7), columns=hours)
    counts = counts.reindex(index=range(7), columns=hours).fillna(0).astype(int)
    slots = compare_slots(posts, tz, conventions, followers, rule)
    slots = slots[slots["verdict"] != "too_few"].head(top).reset_index(drop=True)
    return rates, counts, slots


def competitor_benchmark(
    brief: Brief,
    data: ClientData,
    run_start: dt.date,
    run_end: dt.date,
) -> pd.DataFrame:
    """The brand and each competitor: community, posts and interactions a week, voice, sentiment.

    The brand's own figures come from its posts and followers; the competitors' from the
    competitors table (last month's community, monthly means of posts and interactions).
    Share of voice and net sentiment come from the mentions of every brand.
    """
    posts, followers = data.tables["posts"], data.tables["followers"]
    comp, mentions = data.tables["competitors"], data.tables["mentions"]
    weeks = ((run_end - run_start).days + 1) / 7
    own = {
        "brand": brief.client.name,
        # unknown (NaN), not 0, without a followers table
        "followers": float(kpis.community_size(followers, at=pd.Timestamp(run_end)).sum(min_count=1)),
        "posts_per_week": len(posts) / weeks,
        "interactions_per_week": float(kpis.interactions(posts).sum()) / weeks,
    }
    rows = [own]
    if len(comp):
        last = comp[comp["date"] == comp["date"].max()].groupby("brand")["followers"].sum()
        monthly = comp.groupby(["brand", "date"])[["posts", "interactions"]].sum().groupby("brand").mean()
        per_week = 12 / 52.18  # monthly figures to weekly
        for name in brief.competitor_names:
            if name in last.index:
                rows.append(
                    {
                        "brand": name,
                        "followers": float(last[name]),
                        "posts_per_week": float(monthly.loc[name, "posts"]) * per_week,
                        "interactions_per_week": float(monthly.loc[name, "interactions"]) * per_week,
                    }
                )
    table = pd.DataFrame(rows)
    table["interactions_per_post"] = table["interactions_per_week"] / table["posts_per_week"]
    table["community_share_of_voice"] = (
        kpis.community_share_of_voice(table.set_index("brand")["followers"])
        .reindex(table["brand"])
        .to_numpy()
    )
    # a brand whose community is unknown has an unknown share (the others' are among the known ones)
    table.loc[table["followers"].isna(), "community_share_of_voice"] = np.nan
    if len(mentions):
        sov = kpis.share_of_voice(mentions)
        sentiment = kpis.net_sentiment(mentions, include_neutral=brief.kpi.net_sentiment_neutral, by="brand")
        table["mentions"] = table["brand"].map(mentions["brand"].value_counts()).fillna(0).astype(int)
        table["share_of_voice"] = table["brand"].map(sov).fillna(0.0)
        table["net_sentiment"] = table["brand"].map(sentiment)
    return table


def _known_sum(values: pd.Series) -> float:
    """The sum of the known values; NaN when none is known (a reach the tool does not give is
    unknown, not 0)."""
    return float(pd.to_numeric(values, errors="coerce").astype("float64").sum(min_count=1))


def listening_monthly(mentions: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Mentions per month (rows) and brand (columns)."""
    if mentions.empty:
        return pd.DataFrame()
    keyed = mentions.assign(month=month_key(mentions["published_at"].dt.tz_convert(tz)))
    return keyed.groupby(["month", "brand"]).size().unstack("brand").fillna(0).astype(int)


def sentiment_monthly(mentions: pd.DataFrame, brand: str, tz: str, include_neutral: bool) -> pd.DataFrame:
    """For one brand: mentions, reach (NaN for a month whose mentions give none) and net sentiment
    per month."""
    own = mentions[mentions["brand"] == brand]
    if own.empty:
        return pd.DataFrame(columns=["mentions", "reach", "net_sentiment"])
    keyed = own.assign(month=month_key(own["published_at"].dt.tz_convert(tz)))
    out = keyed.groupby("month").agg(mentions=("mention_id", "size"), reach=("reach", _known_sum))
    out["net_sentiment"] = kpis.net_sentiment(keyed, include_neutral=include_neutral, by="month")
    return out


def emotions(mentions: pd.DataFrame, brand: str) -> pd.Series:
    """Share of each emotion among the brand's mentions that carry one."""
    own = mentions[(mentions["brand"] == brand) & mentions["emotion"].fillna("").ne("")]
    return own["emotion"].value_counts(normalize=True)


def influencer_tier(followers: float, tiers) -> str:
    """``macro``, ``micro``, ``nano`` or ``public`` from the brief's thresholds."""
    if pd.isna(followers):
        return "public"
    if followers >= tiers.macro:
        return "macro"
    if followers >= tiers.micro:
        return "micro"
    if followers >= tiers.nano:
        return "nano"
    return "public"


def top_authors(mentions: pd.DataFrame, brand: str, tiers, n: int = 10) -> pd.DataFrame:
    """Who talks most about the brand, with their influencer tier and sentiment."""
    own = mentions[mentions["brand"] == brand]
    if own.empty:
        return pd.DataFrame()
    grouped = own.groupby("author").agg(
        mentions=("mention_id", "size"),
        author_followers=("author_followers", "max"),
        reach=("reach", _known_sum),
        positive=("sentiment", lambda s: (s == "positive").mean()),
    )
    grouped["tier"] = grouped["author_followers"].map(lambda f: influencer_tier(f, tiers))
    return grouped.sort_values(["mentions", "reach"], ascending=False).head(n).reset_index()


def tier_counts(mentions: pd.DataFrame, brand: str, tiers) -> pd.Series:
    """Distinct authors per influencer tier among the brand's mentions."""
    own = mentions[mentions["brand"] == brand].drop_duplicates("author")
    return own["author_followers"].map(lambda f: influencer_tier(f, tiers)).value_counts()


def audience_share(audience: pd.DataFrame, channel: str, dimension: str, values) -> float:
    """Share of a network's audience whose ``dimension`` (``age``, ``gender``...) is among ``values``.

    Unknown (NaN), never 0, when the network gives no breakdown by that dimension: LinkedIn, for
    one, often gives no age data, and "no data" is not "nobody". A value the network's breakdown
    does not list counts for 0 (the platform lists the bands its audience falls in).
    """
    rows = audience[(audience["channel"] == channel) & (audience["dimension"] == dimension)]
    rows = rows[rows["share"].notna()]
    if rows.empty:
        return float("nan")
    return float(rows.loc[rows["value"].isin(list(values)), "share"].sum())


def audience_shares(audience: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """One dimension of the audience: values (rows) × channels (columns), shares."""
    part = audience[audience["dimension"] == dimension]
    return part.pivot_table(index="value", columns="channel", values="share", aggfunc="sum", sort=False)


def follower_activity(activity: pd.DataFrame, channels: list[str]) -> pd.DataFrame:
    """Mean followers online per network, weekday (Monday 0) and hour, over the days the network
    counted: a second signal for the best time to post, beside the engagement of past posts.

    Args:
        activity: the ``activity`` table (date, hour, channel, account, active_followers).
        channels: the brand's networks (others are left out).

    Returns:
        One row per network, weekday and hour: ``channel``, ``weekday``, ``hour``,
        ``active_followers`` (the mean), ``days`` (days observed), most followers online first
        within each network. Empty when no network counts its followers online.
    """
    columns = ["channel", "weekday", "hour", "active_followers", "days"]
    rows = activity[activity["channel"].isin(channels) & activity["active_followers"].notna()]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows = rows.assign(
        weekday=pd.to_datetime(rows["date"]).dt.day_of_week, active=rows["active_followers"].astype(float)
    )
    grouped = rows.groupby(["channel", "weekday", "hour"])
    out = grouped["active"].mean().rename("active_followers").to_frame()
    out["days"] = grouped["date"].nunique()
    out = out.reset_index()
    return out.sort_values(["channel", "active_followers"], ascending=[True, False]).reset_index(drop=True)[
        columns
    ]
