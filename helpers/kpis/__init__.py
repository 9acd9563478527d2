"""KPIs of the method (see DOMAIN.md): one registry of definitions, one function per KPI.

Every function is pure: it reads canonical tables (:mod:`helpers.client.schemas`) and returns a
figure. Rates are fractions (0.045 means 4.5 %); a zero or empty denominator gives
``nan``, never an error. Counts missing in optional columns count as 0 in sums.
Functions taking ``by`` return a float when ``by`` is None, else a Series per group
(``by`` is a column name, a list of column names, or a Series/array aligned with the rows).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

By = str | Sequence[Any] | pd.Series | np.ndarray | None
NAN = float("nan")


# --------------------------------------------------------------------------- registry
@dataclass(frozen=True)
class KpiDef:
    """A KPI's definition, in French and English.

    ``unit`` is one of percent, count, hours, per_1000, ratio, currency; ``objective`` one
    of awareness, community, engagement, satisfaction, leads, roi.
    """

    id: str
    objective: str
    name_fr: str
    name_en: str
    numerator_fr: str
    numerator_en: str
    denominator_fr: str
    denominator_en: str
    aggregation_fr: str
    aggregation_en: str
    unit: str
    higher_is_better: bool = True

    def _text(self, field: str, lang: str) -> str:
        if lang not in ("fr", "en"):
            raise ValueError(f"unknown language {lang!r} (expected 'fr' or 'en')")
        return getattr(self, f"{field}_{lang}")

    def name(self, lang: str) -> str:
        """The KPI's name in ``lang`` ("fr" or "en")."""
        return self._text("name", lang)

    def definition(self, lang: str) -> str:
        """One sentence: "numerator / denominator, aggregation." in ``lang``."""
        num, den = self._text("numerator", lang), self._text("denominator", lang)
        ratio = f"{num} / {den}" if den else num
        return f"{ratio[0].upper()}{ratio[1:]}, {self._text('aggregation', lang)}."


_NONE = ("", "")
_SUM = ("somme sur la période", "summed over the period")
_RATIO = ("rapport des totaux sur la période", "ratio of the totals over the period")
_INTER = (
    "interactions (réactions + commentaires + partages + enregistrements)",
    "interactions (reactions + comments + shares + saves)",
)
_FOLLOWERS_AT_POST = ("abonnés au moment de la publication", "followers at posting time")
_RECEIVED = ("messages reçus", "messages received")


def _def(
    kpi_id: str,
    objective: str,
    unit: str,
    name: tuple[str, str],
    num: tuple[str, str],
    den: tuple[str, str],
    agg: tuple[str, str],
    higher_is_better: bool = True,
) -> KpiDef:
    return KpiDef(kpi_id, objective, *name, *num, *den, *agg, unit, higher_is_better)


_ER_DENOMINATORS = {
    "reach": (("portée", "reach"), ("portée", "by reach")),
    "impressions": (("impressions", "impressions"), ("impressions", "by impressions")),
    "followers": (_FOLLOWERS_AT_POST, ("abonnés", "by followers")),
}
_ER_AGGREGATIONS = {
    "ratio_of_sums": ("rapport des sommes sur la période", "ratio of the sums over the period"),
    "mean_of_rates": (
        "moyenne des taux par publication (dénominateur nul exclu)",
        "mean of the per-post rates (posts with a zero denominator left out)",
    ),
}

KPIS: dict[str, KpiDef] = {
    k.id: k
    for k in (
        _def(
            "impressions",
            "awareness",
            "count",
            ("Impressions", "Impressions"),
            ("nombre d'affichages des publications", "times the posts were displayed"),
            _NONE,
            _SUM,
        ),
        _def(
            "reach",
            "awareness",
            "count",
            ("Portée", "Reach"),
            ("personnes distinctes touchées par chaque publication", "distinct people reached by each post"),
            _NONE,
            (
                "somme sur les publications (surestime la portée unique)",
                "summed over the posts (overstates unique reach)",
            ),
        ),
        _def(
            "mentions",
            "awareness",
            "count",
            ("Mentions", "Mentions"),
            (
                "messages citant la marque, partages et retweets compris",
                "messages naming the brand, shares and retweets included",
            ),
            _NONE,
            ("décompte sur la période", "counted over the period"),
        ),
        _def(
            "people_talking",
            "awareness",
            "count",
            ("Personnes parlant de la marque", "People talking"),
            ("auteurs distincts des mentions", "distinct authors of the mentions"),
            _NONE,
            ("décompte sur la période", "counted over the period"),
        ),
        _def("interactions", "engagement", "count", ("Interactions", "Interactions"), _INTER, _NONE, _SUM),
        _def(
            "share_of_voice",
            "awareness",
            "percent",
            ("Part de voix", "Share of voice"),
            ("mentions de la marque", "mentions of the brand"),
            ("mentions de la marque et de ses concurrents", "mentions of the brand and its competitors"),
            _RATIO,
        ),
        _def(
            "followers",
            "community",
            "count",
            ("Abonnés", "Followers"),
            ("taille de la communauté (fans, abonnés)", "community size (fans, followers, subscribers)"),
            _NONE,
            (
                "dernier relevé à la date, additionné sur les comptes",
                "latest record at the date, summed over the profiles",
            ),
        ),
        _def(
            "follower_growth",
            "community",
            "percent",
            ("Croissance des abonnés", "Follower growth rate"),
            (
                "abonnés en fin de période − abonnés en début de période",
                "followers at the end − at the start",
            ),
            ("abonnés en début de période", "followers at the start"),
            (
                "dernier relevé à chaque date, comptes présents aux deux dates",
                "latest record at each date, profiles present at both dates",
            ),
        ),
        _def(
            "community_share_of_voice",
            "community",
            "percent",
            ("Part de voix communautaire", "Community share of voice"),
            ("abonnés de la marque", "the brand's followers"),
            ("abonnés de la marque et de ses concurrents", "followers of the brand and its competitors"),
            ("à la date du relevé", "at the date of the survey"),
        ),
        _def(
            "channel_share",
            "community",
            "percent",
            ("Poids du réseau dans la communauté", "Channel share"),
            ("abonnés sur le réseau", "followers on the channel"),
            ("abonnés tous réseaux confondus", "followers across all channels"),
            ("dernier relevé à la date", "latest record at the date"),
        ),
        _def(
            "engagement_rate",
            "engagement",
            "percent",
            ("Taux d'engagement (portée)", "Engagement rate (by reach)"),
            _INTER,
            ("portée", "reach"),
            _ER_AGGREGATIONS["ratio_of_sums"],
        ),
        _def(
            "interactions_per_1000",
            "engagement",
            "per_1000",
            ("Interactions pour 1 000 abonnés", "Interactions per 1,000 followers"),
            ("interactions × 1 000", "interactions × 1,000"),
            _FOLLOWERS_AT_POST,
            _RATIO,
        ),
        _def(
            "virality",
            "engagement",
            "percent",
            ("Viralité", "Virality"),
            ("partages", "shares"),
            ("impressions", "impressions"),
            _RATIO,
        ),
        _def(
            "posts_per_week",
            "engagement",
            "ratio",
            ("Publications par semaine", "Posts per week"),
            ("publications de la période", "posts published in the period"),
            ("semaines de la période", "weeks in the period"),
            ("premier et dernier jours inclus", "first and last days included"),
        ),
        _def(
            "interactions_per_post",
            "engagement",
            "ratio",
            ("Interactions par publication", "Interactions per post"),
            _INTER,
            ("publications de la période", "posts published in the period"),
            _RATIO,
        ),
        _def(
            "comments",
            "engagement",
            "count",
            ("Commentaires", "Comments"),
            ("commentaires reçus par les publications", "comments on the posts"),
            _NONE,
            _SUM,
        ),
        _def(
            "net_sentiment",
            "satisfaction",
            "percent",
            ("Sentiment net", "Net sentiment"),
            ("mentions positives − mentions négatives", "positive − negative mentions"),
            ("mentions positives + négatives", "positive + negative mentions"),
            _RATIO,
        ),
        _def(
            "positive_share",
            "satisfaction",
            "percent",
            ("Part de mentions positives", "Positive share"),
            ("mentions positives", "positive mentions"),
            ("toutes les mentions", "all mentions"),
            _RATIO,
        ),
        _def(
            "reputation_score",
            "satisfaction",
            "ratio",
            ("Score de réputation", "Reputation score"),
            ("sentiment net × part de voix", "net sentiment × share of voice"),
            _NONE,
            ("par marque, sur la période", "per brand, over the period"),
        ),
        _def(
            "response_rate",
            "satisfaction",
            "percent",
            ("Taux de réponse", "Response rate"),
            ("messages ayant reçu une réponse", "messages answered"),
            _RECEIVED,
            _RATIO,
        ),
        _def(
            "response_time_median",
            "satisfaction",
            "hours",
            ("Délai de réponse médian", "Median response time"),
            ("heures entre réception et réponse", "hours between receipt and answer"),
            _NONE,
            ("médiane sur les messages répondus", "median over the answered messages"),
            False,
        ),
        _def(
            "response_time_mean",
            "satisfaction",
            "hours",
            ("Délai de réponse moyen", "Mean response time"),
            ("heures entre réception et réponse", "hours between receipt and answer"),
            _NONE,
            ("moyenne sur les messages répondus", "mean over the answered messages"),
            False,
        ),
        _def(
            "resolution_rate",
            "satisfaction",
            "percent",
            ("Taux de résolution", "Resolution rate"),
            ("messages résolus", "messages resolved"),
            _RECEIVED,
            _RATIO,
        ),
        _def(
            "leads",
            "leads",
            "count",
            ("Leads issus des réseaux sociaux", "Social leads"),
            ("leads marketing attribués aux réseaux sociaux", "marketing leads attributed to social"),
            _NONE,
            _SUM,
        ),
        _def(
            "sqls",
            "leads",
            "count",
            ("Leads qualifiés (SQL)", "Sales-qualified leads (SQL)"),
            ("leads qualifiés par les ventes dans le CRM", "leads qualified by sales in the CRM"),
            _NONE,
            _SUM,
        ),
        _def(
            "lead_to_sql",
            "leads",
            "percent",
            ("Taux de conversion lead → SQL", "Lead-to-SQL rate"),
            ("leads qualifiés (SQL)", "sales-qualified leads (SQL)"),
            ("leads", "leads"),
            _RATIO,
        ),
        _def(
            "roi",
            "roi",
            "percent",
            ("Retour sur investissement (ROI)", "Return on investment (ROI)"),
            ("retour − coût", "return − cost"),
            ("coût", "cost"),
            ("sur la période ou la campagne", "over the period or the campaign"),
        ),
    )
}


def _engagement_variant(
    base: KpiDef, denominator: str = "reach", aggregation: str = "ratio_of_sums"
) -> KpiDef:
    _check("denominator", denominator, _ER_DENOMINATORS)
    _check("aggregation", aggregation, _ER_AGGREGATIONS)
    (den_fr, den_en), (tag_fr, tag_en) = _ER_DENOMINATORS[denominator]
    mean = aggregation == "mean_of_rates"
    name_fr = f"Taux d'engagement{' moyen' if mean else ''} ({tag_fr})"
    name_en = f"{'Average e' if mean else 'E'}ngagement rate ({tag_en})"
    agg_fr, agg_en = _ER_AGGREGATIONS[aggregation]
    return replace(
        base,
        name_fr=name_fr,
        name_en=name_en,
        denominator_fr=den_fr,
        denominator_en=den_en,
        aggregation_fr=agg_fr,
        aggregation_en=agg_en,
    )


def _sentiment_variant(base: KpiDef, include_neutral: bool = False) -> KpiDef:
    if not include_neutral:
        return base
    return replace(
        base,
        name_fr="Sentiment net (neutres inclus)",
        name_en="Net sentiment (neutral included)",
        denominator_fr="mentions positives + négatives + neutres",
        denominator_en="positive + negative + neutral mentions",
    )


_VARIANTS: dict[str, Callable[..., KpiDef]] = {
    "engagement_rate": _engagement_variant,
    "net_sentiment": _sentiment_variant,
}


def kpi(kpi_id: str, **variant: Any) -> KpiDef:
    """The definition of a KPI, for the convention chosen in the brief.

    Args:
        kpi_id: a key of :data:`KPIS`.
        **variant: for ``engagement_rate``: ``denominator`` (reach|impressions|followers)
            and ``aggregation`` (ratio_of_sums|mean_of_rates); for ``net_sentiment``:
            ``include_neutral``. The record's names and definition then state the variant.

    Returns:
        The KPI's definition.

    Raises:
        KeyError: unknown KPI id (the message lists the known ids).
        ValueError: a variant the KPI does not have, or an unknown variant value.
    """
    if kpi_id not in KPIS:
        raise KeyError(f"unknown KPI {kpi_id!r}; known KPIs: {', '.join(sorted(KPIS))}")
    if not variant:
        return KPIS[kpi_id]
    if kpi_id not in _VARIANTS:
        raise ValueError(f"KPI {kpi_id!r} has no variants (got {', '.join(variant)})")
    try:
        return _VARIANTS[kpi_id](KPIS[kpi_id], **variant)
    except TypeError as exc:
        raise ValueError(f"KPI {kpi_id!r}: unknown variant in {sorted(variant)}") from exc


def for_conventions(kpi_id: str, conventions: Any) -> KpiDef:
    """A KPI's definition in the variant the brief's ``kpi`` conventions choose.

    Args:
        kpi_id: a key of :data:`KPIS`.
        conventions: the brief's ``kpi`` section (``engagement_rate``, ``aggregation``,
            ``net_sentiment_neutral``); KPIs without variants ignore it.
    """
    if kpi_id == "engagement_rate":
        return kpi(kpi_id, denominator=conventions.engagement_rate, aggregation=conventions.aggregation)
    if kpi_id == "net_sentiment":
        return kpi(kpi_id, include_neutral=conventions.net_sentiment_neutral)
    return kpi(kpi_id)


# --------------------------------------------------------------------------- internals
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


# --------------------------------------------------------------------------- posts
def interactions(posts: pd.DataFrame) -> pd.Series:
    """Interactions per post: reactions + comments + shares + saves (NaN counts as 0).

    Args:
        posts: the posts table.

    Returns:
        A float Series aligned with ``posts``.
    """
    parts = sum(_num(posts, c) for c in ("reactions", "comments", "shares", "saves"))
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


def _denominator(posts: pd.DataFrame, denominator: str, followers: pd.DataFrame | None) -> pd.Series:
    _check("engagement-rate denominator", denominator, _ER_DENOMINATORS)
    if denominator != "followers":
        return _num(posts, denominator, fill=False)  # unknown reach is left out, not taken as 0
    if followers is None:
        raise ValueError(
            "the engagement rate by followers needs the followers table: "
            "pass followers=<followers table>, or use denominator='reach' or 'impressions'"
        )
    return followers_at(posts, followers).reset_index(drop=True)


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
    den = _denominator(posts, denominator, followers).to_numpy()
    num = interactions(posts).to_numpy()
    rates = np.divide(num, den, out=np.full(len(num), NAN), where=den > 0)
    return pd.Series(rates, index=posts.index, name="engagement_rate")


def engagement_rate(
    posts: pd.DataFrame,
    denominator: str = "reach",
    aggregation: str = "ratio_of_sums",
    followers: pd.DataFrame | None = None,
    by: By = None,
) -> Any:
    """Engagement rate: interactions / reach, impressions or followers at posting time.

    ``ratio_of_sums`` is sum(interactions) / sum(denominator) over the posts whose
    denominator is known; ``mean_of_rates`` is the mean of the per-post rates over the
    posts whose denominator is > 0.

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
    _check("aggregation", aggregation, _ER_AGGREGATIONS)
    if aggregation == "ratio_of_sums":
        frame = _ratio_frame(interactions(posts), _denominator(posts, denominator, followers))
        return _grouped(frame, by, _sum_ratio, "engagement_rate", posts)
    frame = pd.DataFrame({"rate": post_engagement_rates(posts, denominator, followers).to_numpy()})
    return _grouped(frame, by, lambda f: float(f["rate"].mean()), "engagement_rate", posts)


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


# --------------------------------------------------------------------------- community
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


# --------------------------------------------------------------------------- listening
def share_of_voice(mentions: pd.DataFrame, weight: str | None = None, by: By = None) -> pd.Series:
    """Share of voice per brand: the brand's mentions / all mentions.

    Args:
        mentions: the mentions table (client and competitors).
        weight: None counts mentions; a numeric column (e.g. "reach") weights them (NaN as 0).
        by: optional extra grouping (e.g. a month key): shares are then within each group.

    Returns:
        Fractions indexed by brand (or by the ``by`` key(s) then brand).

    Raises:
        ValueError: ``weight`` is not a column of the table.
    """
    if weight is not None and weight not in mentions.columns:
        raise ValueError(f"cannot weight share of voice by {weight!r}: no such column")
    values = pd.Series(1.0, index=range(len(mentions))) if weight is None else _num(mentions, weight)
    outer = [] if by is None else _keys(mentions, by)
    sums = values.groupby([*outer, mentions["brand"].reset_index(drop=True)], sort=True).sum()
    if outer:
        totals = sums.groupby(level=list(range(len(outer)))).transform("sum")
    else:
        totals = pd.Series(sums.sum(), index=sums.index)
    return (sums / totals.where(totals > 0)).rename("share_of_voice")


def people_talking(mentions: pd.DataFrame, by: By = "brand") -> Any:
    """People talking: distinct (non-empty) authors of the mentions.

    Args:
        mentions: the mentions table.
        by: grouping, "brand" by default; None for all mentions.

    Returns:
        An int, or a Series per group.
    """
    authors = (
        mentions["author"].astype("string").str.strip().replace("", pd.NA)
        if "author" in mentions.columns
        else pd.Series(pd.NA, index=mentions.index, dtype="string")
    )
    frame = pd.DataFrame({"author": authors.reset_index(drop=True)})
    return _grouped(frame, by, lambda f: int(f["author"].nunique()), "people_talking", mentions)


def _sentiments(mentions: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({s: _flag(mentions, "sentiment", s) for s in ("positive", "negative", "neutral")})


def net_sentiment(mentions: pd.DataFrame, include_neutral: bool = False, by: By = None) -> Any:
    """Net sentiment: (positive − negative) / (positive + negative [+ neutral]).

    Args:
        mentions: the mentions table.
        include_neutral: count neutral mentions in the denominator (brief convention).
        by: optional grouping (e.g. "brand").

    Returns:
        A float between −1 and 1, or a Series per group.
    """

    def reduce(f: pd.DataFrame) -> float:
        den = f["positive"].sum() + f["negative"].sum() + (f["neutral"].sum() if include_neutral else 0)
        return _div(f["positive"].sum() - f["negative"].sum(), den)

    return _grouped(_sentiments(mentions), by, reduce, "net_sentiment", mentions)


def positive_share(mentions: pd.DataFrame, by: By = None) -> Any:
    """Share of positive mentions: positive / all mentions.

    Args:
        mentions: the mentions table.
        by: optional grouping.

    Returns:
        A float (fraction), or a Series per group.
    """
    return _grouped(
        _sentiments(mentions), by, lambda f: _div(f["positive"].sum(), len(f)), "positive_share", mentions
    )


def reputation_formula(net: Any, sov: Any) -> Any:
    """The reputation score formula, kept apart so it can become configurable.

    Args:
        net: net sentiment (a float or a Series per brand).
        sov: share of voice (same shape).

    Returns:
        net sentiment × share of voice.
    """
    return net * sov


def reputation_score(
    mentions: pd.DataFrame, include_neutral: bool = False, weight: str | None = None
) -> pd.DataFrame:
    """Reputation score per brand: ``reputation_formula`` = net_sentiment × share_of_voice.

    Sentiment is weighted by each brand's share of voice, so a much-discussed brand's
    opinion counts more. The score lies between −1 and 1.

    Args:
        mentions: the mentions table (client and competitors).
        include_neutral: count neutral mentions in the net-sentiment denominator.
        weight: weight of the share of voice (None: mention counts; "reach").

    Returns:
        A DataFrame indexed by brand with columns share_of_voice, net_sentiment, reputation_score.
    """
    frame = pd.concat(
        [share_of_voice(mentions, weight), net_sentiment(mentions, include_neutral, by="brand")], axis=1
    )
    frame["reputation_score"] = reputation_formula(frame["net_sentiment"], frame["share_of_voice"])
    return frame


# --------------------------------------------------------------------------- care
def response_rate(care: pd.DataFrame, by: By = None) -> Any:
    """Response rate: messages answered (answered_at set) / messages received.

    Args:
        care: the care table.
        by: optional grouping.

    Returns:
        A float (fraction), or a Series per group.
    """
    frame = pd.DataFrame({"answered": care["answered_at"].notna().to_numpy(dtype="float64")})
    return _grouped(frame, by, lambda f: _div(f["answered"].sum(), len(f)), "response_rate", care)


def _business_seconds(
    start: pd.Timestamp, end: pd.Timestamp, hours: tuple[int, int], days: frozenset[int]
) -> float:
    """Seconds of [start, end] falling in the opening hours of the given weekdays (naive times)."""
    seconds, day = 0.0, start.normalize()
    while day <= end:
        if day.weekday() in days:
            low = max(start, day + pd.Timedelta(hours=hours[0]))
            high = min(end, day + pd.Timedelta(hours=hours[1]))
            seconds += max((high - low).total_seconds(), 0.0)
        day += pd.Timedelta(days=1)
    return seconds


def _response_hours(care: pd.DataFrame, business_hours: tuple | None, tz: str) -> pd.Series:
    """Hours to answer, for every row (NaN when unanswered), positional index."""
    received = pd.to_datetime(care["received_at"], utc=True).reset_index(drop=True)
    answered = pd.to_datetime(care["answered_at"], utc=True).reset_index(drop=True)
    if business_hours is None:
        return (answered - received).dt.total_seconds() / 3600
    open_h, close_h, *rest = business_hours
    days = frozenset(rest[0] if rest else range(5))
    if not 0 <= open_h < close_h <= 24 or not days <= set(range(7)):
        raise ValueError(
            f"business_hours must be (start_hour, end_hour, weekdays) with "
            f"0 <= start < end <= 24 and weekdays in 0-6 (Monday = 0); got {business_hours!r}"
        )
    local_in = received.dt.tz_convert(tz).dt.tz_localize(None)
    local_out = answered.dt.tz_convert(tz).dt.tz_localize(None)
    hours = [
        _business_seconds(a, b, (open_h, close_h), days) / 3600 if pd.notna(b) else NAN
        for a, b in zip(local_in, local_out, strict=True)
    ]
    return pd.Series(hours, dtype="float64")


def response_times(care: pd.DataFrame, business_hours: tuple | None = None, tz: str = "UTC") -> pd.Series:
    """Hours between receipt and answer, for the answered messages.

    Args:
        care: the care table.
        business_hours: None for calendar hours, or ``(start_hour, end_hour, weekdays)``
            (weekdays optional, default Monday-Friday = ``range(5)``) to count only the
            opening hours, e.g. ``(9, 18, range(5))``.
        tz: time zone in which the opening hours are read (the client's).

    Returns:
        Hours per answered message, indexed like ``care``.

    Raises:
        ValueError: malformed ``business_hours``.
    """
    hours = _response_hours(care, business_hours, tz)
    hours.index = care.index
    return hours[care["answered_at"].notna().to_numpy()].rename("response_time_hours")


def response_time_median(
    care: pd.DataFrame, business_hours: tuple | None = None, by: By = None, tz: str = "UTC"
) -> Any:
    """Median response time in hours over answered messages (see :func:`response_times`).

    Args:
        care: the care table.
        business_hours: None, or ``(start_hour, end_hour, weekdays)`` as in :func:`response_times`.
        by: optional grouping.
        tz: time zone of the opening hours.

    Returns:
        A float (NaN without answered messages), or a Series per group.
    """
    return _response_time(care, "median", business_hours, by, tz)


def response_time_mean(
    care: pd.DataFrame, business_hours: tuple | None = None, by: By = None, tz: str = "UTC"
) -> Any:
    """Mean response time in hours over answered messages; arguments as :func:`response_time_median`."""
    return _response_time(care, "mean", business_hours, by, tz)


def _response_time(care: pd.DataFrame, stat: str, business_hours: tuple | None, by: By, tz: str) -> Any:
    frame = pd.DataFrame({"h": _response_hours(care, business_hours, tz)})
    return _grouped(frame, by, lambda f: float(getattr(f["h"], stat)()), f"response_time_{stat}", care)


def resolution_rate(care: pd.DataFrame, by: By = None) -> Any:
    """Resolution rate: messages resolved / messages received (unknown counts as unresolved).

    Args:
        care: the care table.
        by: optional grouping.

    Returns:
        A float (fraction), or a Series per group.
    """
    frame = pd.DataFrame({"resolved": _flag(care, "resolved", True)})
    return _grouped(frame, by, lambda f: _div(f["resolved"].sum(), len(f)), "resolution_rate", care)


# --------------------------------------------------------------------------- leads, ROI
def lead_to_sql(leads: pd.DataFrame, by: By = None) -> Any:
    """Lead-to-SQL rate: sum(sqls) / sum(leads).

    Args:
        leads: the leads table.
        by: optional grouping.

    Returns:
        A float (fraction), or a Series per group.
    """
    frame = _ratio_frame(_num(leads, "sqls"), _num(leads, "leads"))
    return _grouped(frame, by, _sum_ratio, "lead_to_sql", leads)


def roi(return_value: Any, cost: Any) -> Any:
    """Return on investment: (return − cost) / cost.

    Args:
        return_value: what the action brought (a number or a Series).
        cost: what it cost (same shape); 0 gives NaN.

    Returns:
        A float (1.5 means +150 %), or a Series when given Series.
    """
    if isinstance(return_value, pd.Series) or isinstance(cost, pd.Series):
        index = (cost if isinstance(cost, pd.Series) else return_value).index
        cost_s = pd.Series(cost, index=index).astype("float64")
        return ((return_value - cost_s) / cost_s.where(cost_s != 0)).rename("roi")
    return _div(float(return_value) - float(cost), float(cost))
