"""Step 1, observation: the audit of the brand's profiles, its competitors and its listening.

Functions take the canonical tables (already cut to the analysed period) and the brief's
conventions, and return tables; the notebook shows them and the sentences say what they mean.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from helpers import kpis
from helpers.client.brief import Brief, KpiConventions
from helpers.client.loading import ClientData
from helpers.client.schemas import COMPETITOR_INTERACTIONS
from helpers.kpis._base import known_sum as _known_sum
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
    """Per owned channel: community, growth, frequency (every post), engagement (the posts
    :func:`helpers.kpis.rated_posts` keeps: feed posts, organic where the export flags paid
    ones), care."""
    brief = data.brief
    posts, followers, care = data.tables["posts"], data.tables["followers"], data.tables["care"]
    growth = kpis.growth_rate(followers, run_start, run_end)
    size_start = kpis.community_size(followers, at=pd.Timestamp(run_start))
    size_end = kpis.community_size(followers, at=pd.Timestamp(run_end))
    weekly = kpis.posts_per_week(posts, run_start, run_end, by="channel")
    rated = kpis.rated_posts(posts)  # feed posts, organic where flagged (helpers/kpis/scope.py)
    rate = engagement(rated, brief.kpi, followers, by="channel")
    per_1000 = kpis.interactions_per_1000(rated, followers, by="channel")
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


#: Full months in each window of a trend: the last ``TREND_MONTHS`` full months of the period
#: (the recent window, a quarter) against the ``TREND_MONTHS`` months before. A goal's baseline
#: for a rate is measured on the same recent window (:func:`helpers.method.goals.baseline_window`).
TREND_MONTHS = 3

#: The columns of ``engagement_trend.csv``, one row per network.
TREND_COLUMNS = [
    "channel",
    "before_start",
    "before_end",
    "recent_start",
    "recent_end",
    "before",
    "recent",
    "change",
    "low",
    "high",
    "posts_before",
    "posts_recent",
    "direction",
]


@dataclass(frozen=True)
class TrendWindows:
    """The two windows of a trend, first and last days included (dates in the client's zone)."""

    before_start: dt.date
    before_end: dt.date
    recent_start: dt.date
    recent_end: dt.date

    def as_dict(self) -> dict[str, str]:
        """The four dates in ISO form, as ``engagement_trend.csv`` and the findings hold them."""
        return {f.name: getattr(self, f.name).isoformat() for f in fields(self)}


def _month_start(day: dt.date, shift: int = 0) -> dt.date:
    """First day of ``day``'s month, moved ``shift`` months (negative: back)."""
    index = day.year * 12 + day.month - 1 + shift
    return dt.date(index // 12, index % 12 + 1, 1)


def _full_months(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date, int]:
    """The first day of the period's first full month, the day after its last full month, and
    how many full months lie between (a month is full when its first and last days are both in
    the period)."""
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    first = start if start.day == 1 else _month_start(start, 1)
    after_last = _month_start(end, 1) if (end + dt.timedelta(days=1)).day == 1 else _month_start(end)
    return first, after_last, (after_last.year - first.year) * 12 + after_last.month - first.month


def recent_window(start: dt.date, end: dt.date, months: int = TREND_MONTHS) -> tuple[dt.date, dt.date] | None:
    """The last ``months`` full months of the period ``start``–``end``: first and last days, or
    ``None`` when the period holds fewer full months. A trend's recent window, and the window a
    goal's baseline is measured on.

    Raises:
        ValueError: ``months`` below 1, or ``end`` before ``start``.
    """
    if months < 1:
        raise ValueError(f"a trend window needs at least one month, got {months}")
    _, after_last, full = _full_months(start, end)
    if full < months:
        return None
    return _month_start(after_last, -months), after_last - dt.timedelta(days=1)


def trend_windows(start: dt.date, end: dt.date, months: int = TREND_MONTHS) -> TrendWindows | None:
    """The windows of a trend over the period ``start``–``end``: the last ``months`` full months
    (:func:`recent_window`) against the ``months`` months before, cut at the period's first full
    month.

    Returns:
        The windows, or ``None`` when the period holds fewer than ``months`` + 1 full months
        (no recent window, or nothing before it to compare with).

    Raises:
        ValueError: ``months`` below 1, or ``end`` before ``start``.
    """
    recent = recent_window(start, end, months)
    first, _, full = _full_months(start, end)
    if recent is None or full < months + 1:
        return None
    before_start = max(first, _month_start(recent[0], -months))
    return TrendWindows(before_start, recent[0] - dt.timedelta(days=1), *recent)


def _in_window(days: pd.Series, first: dt.date, last: dt.date) -> np.ndarray:
    """Whether each naive local timestamp falls on a day from ``first`` to ``last``."""
    return ((days >= pd.Timestamp(first)) & (days < pd.Timestamp(last) + pd.Timedelta(days=1))).to_numpy()


def trend_change(
    posts: pd.DataFrame,
    conventions: KpiConventions,
    tz: str,
    start: dt.date,
    end: dt.date,
    followers: pd.DataFrame | None = None,
    rule: evidence.Rule | None = None,
    months: int = TREND_MONTHS,
) -> pd.DataFrame:
    """Per network, the engagement rate of the recent window against the window before, each
    computed on its posts with the brief's convention (ratio of sums or mean of per-post rates,
    never a mean of monthly rates), with the change's bootstrap interval and direction
    (:func:`helpers.method.evidence.change`).

    Args:
        posts: the posts of the period.
        conventions: the brief's ``kpi`` section.
        tz: the client's zone (a post's day is its local day).
        start, end: the analysed period (the windows are :func:`trend_windows`).
        followers: the followers table, needed when the denominator is followers.
        rule: the sample rule and interval method (each window needs ``min_posts`` posts).
        months: months per window.

    Returns:
        :data:`TREND_COLUMNS`: the windows' first and last days (ISO), both rates, ``change``
        (recent / before − 1), its interval ``low``–``high``, the posts of each window and the
        ``direction`` (rise, fall, not_distinguishable, too_few). Empty when the period is too
        short for two windows.
    """
    windows = trend_windows(start, end, months)
    if windows is None or posts.empty:
        return pd.DataFrame(columns=TREND_COLUMNS)
    convention = kpis.EngagementConvention.of(conventions)
    num = kpis.interactions(posts).to_numpy(dtype=float)
    den = convention.denominators(posts, followers).to_numpy(dtype=float)
    days = local_times(posts, tz).dt.tz_localize(None)
    before = _in_window(days, windows.before_start, windows.before_end)
    recent = _in_window(days, windows.recent_start, windows.recent_end)
    channels = posts["channel"].to_numpy()
    rows = []
    for channel in sorted(posts["channel"].dropna().unique()):
        mine = channels == channel
        b, r = before & mine, recent & mine
        moved = evidence.change((num[b], den[b]), (num[r], den[r]), convention.aggregation, rule)
        rows.append({"channel": channel, **windows.as_dict(), **moved})
    return pd.DataFrame(rows, columns=TREND_COLUMNS)


def notable_trends(trend: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """The trends that count as findings: a change of at least ``threshold`` either way (the
    brief's ``analysis.change_threshold``) whose interval excludes 0 (direction ``rise`` or
    ``fall``), so a jump within month-to-month noise never is one. Largest change first."""
    if trend.empty:
        return trend
    passing = trend[trend["direction"].isin(["rise", "fall"]) & (trend["change"].abs() >= threshold)]
    order = passing["change"].abs().sort_values(ascending=False).index
    return passing.loc[order].reset_index(drop=True)


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


#: Weeks in a month, to turn the competitors' monthly figures into weekly ones.
WEEKS_PER_MONTH = 52.18 / 12
#: Columns of :func:`network_benchmark`.
NETWORK_COLUMNS = [
    "channel", "brand", "client", "followers", "posts", "posts_per_week", "interactions_per_post",
    "interactions_per_post_low", "interactions_per_post_high", "interactions_per_post_per_1000",
]  # fmt: skip


def _floats(values: pd.Series) -> pd.Series:
    """Numbers as float64, an empty or unreadable cell NaN."""
    return pd.to_numeric(values, errors="coerce").astype("float64")


def _per_1000(per_post: float, followers: float) -> float:
    """Interactions per post per 1,000 followers; NaN when either is unknown or the community is 0."""
    if pd.isna(per_post) or pd.isna(followers) or followers <= 0:
        return float("nan")
    return float(per_post) * 1000 / float(followers)


def network_benchmark(
    brief: Brief, data: ClientData, run_start: dt.date, run_end: dt.date, rule: evidence.Rule | None = None
) -> pd.DataFrame:
    """Per network, the brand and each competitor present on it, like for like.

    One row per network and brand (the brand's networks in the brief's order, then the networks
    only competitors use; on each, the client first): ``followers`` (the community at the end of
    the period: the brand's last follower record, a competitor's last month), ``posts`` and
    ``posts_per_week`` over the period (a competitor's mean month × :data:`WEEKS_PER_MONTH`),
    ``interactions_per_post`` (ratio of the sums over the period) and
    ``interactions_per_post_per_1000`` (interactions per post × 1,000 / that community, the same
    computation for every brand, since the competitors table gives no community at posting
    time). The brand's interactions per post get a bootstrap interval
    (:func:`helpers.method.evidence.interval`, NaN under the rule's ``min_posts``); a competitor's
    are monthly totals, without posts to resample. Unknown stays NaN (a network without a follower
    record has no per-1,000 figure), never 0.

    Like for like: the brand's side counts its feed posts (stories, which carry no comments or
    saves by design, are analysed apart) and, on them, the interactions the competitors' table
    counts (:data:`helpers.client.schemas.COMPETITOR_INTERACTIONS`: reactions, comments, shares;
    no saves, which benchmark tools do not see).
    """
    rule = rule or evidence.Rule()
    posts, followers, comp = data.tables["posts"], data.tables["followers"], data.tables["competitors"]
    comp = comp[comp["brand"].isin(brief.competitor_names)] if len(comp) else comp
    size = kpis.community_size(followers, at=pd.Timestamp(run_end)) if len(followers) else pd.Series()
    posts = kpis.feed_posts(posts)
    weekly = kpis.posts_per_week(posts, run_start, run_end, by="channel")
    counted = posts[list(COMPETITOR_INTERACTIONS)].apply(pd.to_numeric, errors="coerce")
    inter = counted.fillna(0.0).sum(axis=1).astype("float64")
    rows = []
    others = sorted(set(comp["channel"]) - set(brief.channels)) if len(comp) else []
    channels = [*brief.channels, *others]
    for channel in channels:
        if channel in brief.channels:
            mine = (posts["channel"] == channel).to_numpy()
            n = int(mine.sum())
            per_post = float(inter[mine].sum()) / n if n else float("nan")
            low, high = (
                evidence.interval(inter[mine].to_numpy(), np.ones(n), "ratio_of_sums", rule)
                if n >= rule.min_posts
                else (float("nan"), float("nan"))
            )
            community = float(size.get(channel, np.nan))
            rows.append({
                "channel": channel, "brand": brief.client.name, "client": True, "followers": community,
                "posts": n, "posts_per_week": float(weekly.get(channel, 0.0)),
                "interactions_per_post": per_post,
                "interactions_per_post_low": low, "interactions_per_post_high": high,
                "interactions_per_post_per_1000": _per_1000(per_post, community),
            })  # fmt: skip
        on = comp[comp["channel"] == channel] if len(comp) else comp
        for name in brief.competitor_names:
            theirs = on[on["brand"] == name].sort_values("date") if len(on) else on
            if theirs.empty:
                continue
            community = float(_floats(theirs["followers"]).iloc[-1])
            n_posts = _floats(theirs["posts"])
            total = float(n_posts.sum(min_count=1))
            sums = float(_floats(theirs["interactions"]).sum(min_count=1))
            per_post = sums / total if total and not np.isnan(total) else float("nan")
            rows.append({
                "channel": channel, "brand": name, "client": False, "followers": community,
                "posts": total, "posts_per_week": float(n_posts.mean()) / WEEKS_PER_MONTH,
                "interactions_per_post": per_post, "interactions_per_post_low": float("nan"),
                "interactions_per_post_high": float("nan"),
                "interactions_per_post_per_1000": _per_1000(per_post, community),
            })  # fmt: skip
    return pd.DataFrame(rows, columns=NETWORK_COLUMNS)


def brand_mix_reference(networks: pd.DataFrame, column: str = "interactions_per_post") -> dict[str, float]:
    """The brand's pooled figure and the competitors' median pooled with the BRAND's network mix.

    Pooling every post of every brand compares mixes, not performance: a competitor strong on
    Instagram, where posts get more interactions, looks ahead of a brand that posts on X. So the
    competitors' side is, per network, the median of the competitors present there, weighted by
    the brand's share of POSTS on that network (posts, not interactions: the weights say where the
    brand publishes, and must not depend on the figure compared). Networks without a competitor
    (or without a known median) are left out and the weights renormalised over the others;
    ``coverage`` says which share of the brand's posts the comparison covers.

    Args:
        networks: :func:`network_benchmark`.
        column: the per-post figure to pool.

    Returns:
        ``brand`` (the brand's own pooled figure, its posts-weighted mean over the covered
        networks, i.e. its ratio of sums there), ``reference`` (the weighted median), ``gap``
        ((brand − reference) / reference), ``coverage`` (0 to 1), ``networks`` (how many were
        pooled); NaN when nothing can be compared.
    """
    out = {"brand": math.nan, "reference": math.nan, "gap": math.nan, "coverage": 0.0, "networks": 0}
    own = networks[networks["client"].astype(bool)].set_index("channel")
    if own.empty or own["posts"].sum() <= 0:
        return out
    medians = networks[~networks["client"].astype(bool)].groupby("channel")[column].median()
    known = own[own[column].notna() & (own["posts"] > 0)]
    shared = [c for c in known.index if pd.notna(medians.get(c))]
    if not shared:
        return out
    weights = own.loc[shared, "posts"].astype(float)
    coverage = float(weights.sum() / own["posts"].sum())
    weights = weights / weights.sum()
    brand = float((weights * own.loc[shared, column].astype(float)).sum())
    reference = float((weights * medians.reindex(shared).astype(float)).sum())
    gap = (brand - reference) / abs(reference) if reference else math.nan
    return {"brand": brand, "reference": reference, "gap": gap, "coverage": coverage, "networks": len(shared)}



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


#: Mention sources (the listening export's own source type) whose authors are media, not people.
MEDIA_SOURCES = frozenset({"news"})
#: Words that, as a whole word of an author's name ("ouest-eco-mag", "Daily Ops News"), mark a
#: medium when the export gives no source type for it. Conservative: whole words only, so a person
#: whose name merely contains one ("magali") stays a person.
MEDIA_WORDS = frozenset(
    {
        "actu", "actus", "daily", "gazette", "hebdo", "journal", "mag", "magazine", "media", "medias",
        "médias", "news", "newsletter", "podcast", "presse", "press", "radio", "review", "times", "tv",
        "weekly",
    }
)  # fmt: skip
#: The kinds of author :func:`author_kinds` gives.
AUTHOR_KINDS = ("individual", "media", "brand")


def _squash(text: str) -> str:
    """Lower case, letters and digits only: ``"Maison Argile"`` and ``"maison-argile"`` meet."""
    return "".join(ch for ch in str(text).casefold() if ch.isalnum())


def _words(text: str) -> set[str]:
    return {w for w in "".join(ch if ch.isalnum() else " " for ch in str(text).casefold()).split() if w}


def brand_names(brief: Brief) -> set[str]:
    """Every name the brief gives the client and its competitors (names, accounts, handles), squashed
    (:func:`_squash`): an author who is one of them speaks for a brand."""
    names = {brief.client.name, *brief.competitor_names}
    names |= {p.account for p in brief.profiles}
    names |= {h for c in brief.competitors for h in c.handles.values()}
    return {_squash(n) for n in names if _squash(n)}


def author_kinds(mentions: pd.DataFrame, brands: set[str] = frozenset()) -> pd.Series:
    """Each author's kind: ``brand``, ``media`` or ``individual`` (index: author).

    The rules, in this order:

    * ``brand``: the author's name, squashed, is one of ``brands`` (:func:`brand_names`: the
      client's and the competitors' names, accounts and handles);
    * ``media``: one of the author's mentions comes from a source in :data:`MEDIA_SOURCES` (the
      listening export's source type, ``news``), or the name holds a whole word of
      :data:`MEDIA_WORDS`;
    * ``individual`` otherwise: only individuals are tiered as influencers.
    """
    rows = mentions[mentions["author"].notna() & mentions["author"].astype(str).str.strip().ne("")]
    if rows.empty:
        return pd.Series(dtype=object, name="kind")
    source = rows["channel"].isin(MEDIA_SOURCES) if "channel" in rows.columns else False
    news = rows.assign(_media=source).groupby("author")["_media"].any()

    def kind(author: str) -> str:
        if _squash(author) in brands:
            return "brand"
        if news.get(author, False) or _words(author) & MEDIA_WORDS:
            return "media"
        return "individual"

    return pd.Series({a: kind(a) for a in news.index}, name="kind", dtype=object)


def influencer_tier(followers: float, tiers) -> str:
    """``macro``, ``micro``, ``nano`` or ``public`` (under ``nano``) from the brief's thresholds;
    ``unknown`` when the follower count is unknown (no count is not a small count)."""
    if pd.isna(followers):
        return "unknown"
    if followers >= tiers.macro:
        return "macro"
    if followers >= tiers.micro:
        return "micro"
    if followers >= tiers.nano:
        return "nano"
    return "public"


def authors(mentions: pd.DataFrame, brand: str, tiers, brands: set[str] = frozenset()) -> pd.DataFrame:
    """Every author of the brand's mentions, one row each: ``author``, ``kind``
    (:func:`author_kinds`), ``mentions``, ``author_followers`` (the author's LARGEST known count over
    all their mentions, not the first one in file order; NaN when none is known), ``reach`` (known
    reach summed, NaN when none), ``positive`` (share of positive mentions) and ``tier``:
    :func:`influencer_tier` of that count for an individual, ``media`` or ``brand`` otherwise.
    Mentions without an author are left out."""
    columns = ["author", "kind", "mentions", "author_followers", "reach", "positive", "tier"]
    own = mentions[(mentions["brand"] == brand) & mentions["author"].notna()]
    own = own[own["author"].astype(str).str.strip().ne("")]
    if own.empty:
        return pd.DataFrame(columns=columns)
    own = own.assign(_followers=pd.to_numeric(own["author_followers"], errors="coerce").astype("float64"))
    grouped = own.groupby("author").agg(
        mentions=("mention_id", "size"),
        author_followers=("_followers", "max"),
        reach=("reach", _known_sum),
        positive=("sentiment", lambda s: (s == "positive").mean()),
    )
    grouped["kind"] = author_kinds(own, brands).reindex(grouped.index).fillna("individual")
    grouped["tier"] = [
        influencer_tier(f, tiers) if k == "individual" else k
        for f, k in zip(grouped["author_followers"], grouped["kind"], strict=True)
    ]
    return grouped.reset_index()[columns]


def top_authors(
    mentions: pd.DataFrame, brand: str, tiers, n: int = 10, brands: set[str] = frozenset()
) -> pd.DataFrame:
    """Who talks most about the brand (:func:`authors`, most mentions first, then most reach)."""
    table = authors(mentions, brand, tiers, brands)
    if table.empty:
        return table
    return table.sort_values(["mentions", "reach"], ascending=False).head(n).reset_index(drop=True)


#: The order :func:`tier_counts` gives its counts in.
TIERS = ("macro", "micro", "nano", "public", "unknown", "media", "brand")


def tier_counts(mentions: pd.DataFrame, brand: str, tiers, brands: set[str] = frozenset()) -> pd.Series:
    """Distinct authors of the brand's mentions per tier (:data:`TIERS`; every tier present, 0
    when none): individuals by their largest known follower count, ``unknown`` without any count,
    media and brands apart (:func:`authors`)."""
    table = authors(mentions, brand, tiers, brands)
    return table["tier"].value_counts().reindex(list(TIERS), fill_value=0).astype(int)


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
