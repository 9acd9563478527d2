"""Step 1, observation: the competitors over time, month by month, and their shifts.

The benchmark of :mod:`helpers.method.observation` is one snapshot of the period; this module
follows every brand of the brief (the client and its competitors) month by month:

* **community**: the followers at the end of each month per network and in total (the client's
  from its followers table, the competitors' from the competitors table), and the month's growth
  (followers at the end of the month / at the end of the month before − 1). A month without a
  record is unknown, and so are its growth and the next month's: never 0. The total of a month is
  unknown when one of the brand's networks is;
* **voice**: per month, each brand's mentions, share of voice and net sentiment, with the
  definitions of the benchmark (:func:`helpers.kpis.share_of_voice`,
  :func:`helpers.kpis.net_sentiment`);
* **shifts**: the last :data:`helpers.method.observation.TREND_MONTHS` full months against the
  as many months before (:func:`helpers.method.observation.trend_windows`), through
  :func:`helpers.method.evidence.change`:

  - share of voice: each mention of the window (any brand) is a unit, counting 1 in the numerator
    when it names the brand, 1 in the denominator: the window's share is the ratio of the sums
    and its interval resamples the window's mentions;
  - growth: each month of the window is a unit, its gain (followers − followers the month
    before) over the month-before community: the window's growth is its mean monthly growth
    weighted by community (ratio of sums) and the interval resamples its months. Each window
    needs every one of its months known (``min_months``, by default the window's length).
    On three months a window, the bootstrap calls a change only when every month of one window
    lies apart from every month of the other: the least a change must show on so few units, not
    a guarantee (months of pure noise fall apart so about one time in ten, hence the threshold
    on top, and a growth finding only on a network, never on the brand's total, which repeats
    them);

* **findings**: a competitor whose share of voice or growth on a network moved by the brief's
  ``analysis.change_threshold`` or more, its interval excluding no change, is a threat when it
  rises and an opportunity when it falls (:func:`notable_shifts`, :func:`shift_findings`);
* **themes**: each competitor's leading terms in its mentions
  (:func:`helpers.method.themes.top_terms`), when it has enough of them.

Numbers and codes only; words are added at display time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from helpers import kpis
from helpers.client.brief import Brief
from helpers.method import evidence, themes
from helpers.method import observation as obs_

#: Channel key of a brand's rows for all its networks together.
ALL = "all"
#: The columns of ``competitors_monthly.csv``: one row per month, brand and network (``all`` for
#: the brand as a whole: its total community, and its mentions, share of voice and net sentiment,
#: which are the brand's whatever the network).
MONTHLY_COLUMNS = [
    "month", "brand", "client", "channel", "followers", "gained", "growth", "mentions",
    "share_of_voice", "net_sentiment",
]  # fmt: skip
#: The metrics of :func:`shifts`.
METRICS = ("share_of_voice", "follower_growth")
#: The columns of ``competitor_shifts.csv``: one row per brand, metric and network.
SHIFT_COLUMNS = [
    "brand", "client", "metric", "channel", "before_start", "before_end", "recent_start", "recent_end",
    "before", "recent", "change", "low", "high", "units_before", "units_recent", "direction",
    "community_share",
]  # fmt: skip
#: Mentions a competitor needs in the period before its leading themes are drawn from them.
MIN_THEME_MENTIONS = 20
#: Leading terms kept per competitor.
THEME_TERMS = 5


def _months(start: dt.date, end: dt.date) -> pd.DatetimeIndex:
    """The first day of every month the period touches."""
    return pd.date_range(pd.Timestamp(start).to_period("M").to_timestamp(), pd.Timestamp(end), freq="MS")


def _floats(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").astype("float64")


def _month_ends_client(followers: pd.DataFrame, months: pd.DatetimeIndex) -> pd.DataFrame:
    """The client's followers at the end of each month (month × channel): per profile the last
    record of the month, summed over the network's profiles; NaN when a profile of the network
    has no record that month."""
    if followers.empty:
        return pd.DataFrame(index=months)
    rows = followers[["date", "channel", "followers"]].assign(
        account=followers["account"].fillna("") if "account" in followers.columns else "",
        followers=_floats(followers["followers"]),
        month=obs_.month_key(pd.to_datetime(followers["date"])),
    )
    rows = rows[rows["followers"].notna()].sort_values("date")
    last = rows.groupby(["channel", "account", "month"])["followers"].last().unstack("month")
    last = last.reindex(columns=months)
    # a profile without a record in a month makes its network's month unknown, not smaller
    return last.groupby(level="channel").sum(min_count=1).where(last.notna().groupby(level="channel").all()).T


def _month_ends_competitors(comp: pd.DataFrame, name: str, months: pd.DatetimeIndex) -> pd.DataFrame:
    """A competitor's followers at the end of each month (month × channel), from the competitors
    table (one row per month, its community at the end of the month)."""
    theirs = comp[comp["brand"] == name] if len(comp) else comp
    if theirs.empty:
        return pd.DataFrame(index=months)
    rows = theirs.assign(
        month=obs_.month_key(pd.to_datetime(theirs["date"])), followers=_floats(theirs["followers"])
    )
    table = rows.pivot_table(
        index="month", columns="channel", values="followers", aggfunc="sum", dropna=False
    )
    return table.reindex(months)


def _community_rows(ends: pd.DataFrame, brand: str, client: bool) -> list[dict]:
    """Per network and in total: followers, the month's gain and growth (NaN when either end is
    unknown; the total is unknown when one of the brand's networks is)."""
    if ends.empty or ends.shape[1] == 0:
        return []
    ends = ends.copy()
    ends[ALL] = ends.sum(axis=1, min_count=1).where(ends.notna().all(axis=1))
    rows = []
    for channel in ends.columns:
        series = ends[channel]
        before = series.shift(1)
        gained = series - before
        growth = gained / before.where(before > 0)
        for month, value in series.items():
            rows.append({
                "month": month, "brand": brand, "client": client, "channel": channel, "followers": value,
                "gained": gained[month], "growth": growth[month],
            })  # fmt: skip
    return rows


def community_monthly(
    brief: Brief, followers: pd.DataFrame, competitors: pd.DataFrame, start: dt.date, end: dt.date
) -> pd.DataFrame:
    """Every brand's community at the end of each month of the period, per network and in total.

    Args:
        brief: the brief (the client's name and its competitors, in the brief's order).
        followers: the client's followers table (a record per day and profile).
        competitors: the competitors table (a row per month, brand and network).
        start, end: the analysed period.

    Returns:
        ``month`` (first day), ``brand``, ``client``, ``channel`` (a network or :data:`ALL`),
        ``followers`` (at the end of the month), ``gained`` (followers − followers at the end of
        the month before) and ``growth`` (gained / followers the month before). Unknown stays NaN:
        a month without a record, the first month (nothing before it), a total over a network
        unknown that month.
    """
    months = _months(start, end)
    rows = _community_rows(_month_ends_client(followers, months), brief.client.name, True)
    for name in brief.competitor_names:
        rows += _community_rows(_month_ends_competitors(competitors, name, months), name, False)
    columns = ["month", "brand", "client", "channel", "followers", "gained", "growth"]
    return pd.DataFrame(rows, columns=columns)


def voice_monthly(
    mentions: pd.DataFrame,
    brands: Sequence[str],
    tz: str,
    start: dt.date,
    end: dt.date,
    include_neutral: bool,
) -> pd.DataFrame:
    """Each brand's mentions, share of voice and net sentiment, month by month.

    Args:
        mentions: the mentions table (every brand).
        brands: the brands to report (the client first); a mention naming none of them still
            counts in the month's total, as in the benchmark's share of voice.
        tz: the client's zone (a mention's month is its local month).
        start, end: the analysed period (every month of it gets a row).
        include_neutral: the brief's net-sentiment convention.

    Returns:
        ``month``, ``brand``, ``mentions`` (0 when none that month), ``share_of_voice`` (of the
        month's mentions; NaN for a month without any mention) and ``net_sentiment`` (NaN without
        a mention of the brand that month).
    """
    months = _months(start, end)
    grid = pd.MultiIndex.from_product([months, list(brands)], names=["month", "brand"])
    out = pd.DataFrame(index=grid, columns=["mentions", "share_of_voice", "net_sentiment"], dtype=float)
    out["mentions"] = 0.0
    named = mentions[mentions["brand"].notna()] if len(mentions) else mentions
    if len(named):
        keyed = named.assign(month=obs_.month_key(named["published_at"].dt.tz_convert(tz)))
        counts = keyed.groupby(["month", "brand"]).size()
        sov = kpis.share_of_voice(keyed, by="month")
        net = kpis.net_sentiment(keyed, include_neutral=include_neutral, by=["month", "brand"])
        totals = keyed.groupby("month").size().reindex(months).fillna(0)
        out["mentions"] = counts.reindex(grid).fillna(0).astype(float)
        shares = sov.reindex(grid).to_numpy()
        known = totals.reindex(grid.get_level_values("month")).to_numpy() > 0
        out["share_of_voice"] = np.where(known, np.nan_to_num(shares, nan=0.0), np.nan)
        out["net_sentiment"] = net.reindex(grid).to_numpy()
    else:
        out["share_of_voice"] = np.nan
    out["mentions"] = out["mentions"].astype(int)
    return out.reset_index()


def monthly(brief: Brief, data: Any, start: dt.date, end: dt.date, tz: str) -> pd.DataFrame:
    """``competitors_monthly.csv``: :func:`community_monthly` with, on each brand's :data:`ALL`
    rows, its :func:`voice_monthly` figures (:data:`MONTHLY_COLUMNS`). A brand without any
    follower record still gets its :data:`ALL` rows for its voice."""
    brands = [brief.client.name, *brief.competitor_names]
    community = community_monthly(brief, data.tables["followers"], data.tables["competitors"], start, end)
    voice = voice_monthly(
        data.tables["mentions"], brands, tz, start, end, brief.kpi.net_sentiment_neutral
    ).assign(channel=ALL)
    voice["client"] = voice["brand"] == brief.client.name
    merged = community.merge(voice, on=["month", "brand", "client", "channel"], how="outer")
    order = {b: i for i, b in enumerate(brands)}
    merged["_brand"] = merged["brand"].map(order)
    merged["_all"] = merged["channel"] != ALL
    merged = merged.sort_values(["_brand", "_all", "channel", "month"]).drop(columns=["_brand", "_all"])
    return merged.reset_index(drop=True).reindex(columns=MONTHLY_COLUMNS)


def _in(months: pd.Series, first: dt.date, last: dt.date) -> np.ndarray:
    return ((months >= pd.Timestamp(first)) & (months <= pd.Timestamp(last))).to_numpy()


def voice_shift(
    mentions: pd.DataFrame,
    brand: str,
    tz: str,
    windows: obs_.TrendWindows,
    rule: evidence.Rule,
    rng: np.random.Generator | None = None,
) -> dict[str, Any]:
    """A brand's share of voice in the recent window against the window before
    (:func:`helpers.method.evidence.change`, each mention naming a brand a unit: 1 over 1 when
    it names ``brand``, 0 over 1 otherwise)."""
    named = mentions[mentions["brand"].notna()] if len(mentions) else mentions
    if named.empty:
        empty = (np.array([]), np.array([]))
        return evidence.change(empty, empty, "ratio_of_sums", rule, rng)
    days = named["published_at"].dt.tz_convert(tz).dt.tz_localize(None)
    mine = (named["brand"] == brand).to_numpy(dtype=float)
    ones = np.ones(len(named))
    before = obs_._in_window(days, windows.before_start, windows.before_end)
    recent = obs_._in_window(days, windows.recent_start, windows.recent_end)
    return evidence.change(
        (mine[before], ones[before]), (mine[recent], ones[recent]), "ratio_of_sums", rule, rng
    )


def growth_shift(
    rows: pd.DataFrame,
    windows: obs_.TrendWindows,
    rule: evidence.Rule,
    min_months: int = obs_.TREND_MONTHS,
    rng: np.random.Generator | None = None,
) -> dict[str, Any]:
    """A brand's monthly follower growth on one network (or in total) in the recent window against
    the window before: each month a unit, its gain over the month-before community (ratio of sums:
    the window's community-weighted mean monthly growth), the window's months resampled
    (:func:`helpers.method.evidence.change` with ``min_months`` as its sample rule).

    Args:
        rows: that brand's and network's rows of :func:`community_monthly` (``month``,
            ``gained``, ``followers``).
        windows: the trend's windows.
        rule: the interval method (its ``min_posts`` is replaced by ``min_months``).
        min_months: months of known growth each window needs, else ``too_few``.
    """
    if min_months < 1:
        raise ValueError(f"min_months must be at least 1, got {min_months}")
    rule = dataclasses.replace(rule, min_posts=min_months)
    months = pd.to_datetime(rows["month"])
    gained = _floats(rows["gained"]).to_numpy()
    base = (_floats(rows["followers"]) - _floats(rows["gained"])).to_numpy()  # the month before
    base = np.where(base > 0, base, np.nan)
    before = _in(months, windows.before_start, windows.before_end)
    recent = _in(months, windows.recent_start, windows.recent_end)
    return evidence.change(
        (gained[before], base[before]), (gained[recent], base[recent]), "ratio_of_sums", rule, rng
    )


def shifts(
    brief: Brief,
    mentions: pd.DataFrame,
    community: pd.DataFrame,
    tz: str,
    start: dt.date,
    end: dt.date,
    rule: evidence.Rule | None = None,
    months: int = obs_.TREND_MONTHS,
    min_months: int | None = None,
) -> pd.DataFrame:
    """``competitor_shifts.csv``: every brand's share of voice (all networks) and follower growth
    (per network and in total), the recent window against the one before.

    Args:
        brief: the brief (the client and its competitors).
        mentions: the mentions table.
        community: :func:`community_monthly` (or the monthly table, whose rows it contains).
        tz: the client's zone.
        start, end: the analysed period (the windows are :func:`helpers.method.observation.trend_windows`).
        rule: the sample rule and interval method: each window needs ``rule.min_posts`` mentions.
        months: months per window.
        min_months: months of known growth each window needs (default: ``months``, all of them).

    Returns:
        :data:`SHIFT_COLUMNS`; ``units_before``/``units_recent`` count mentions for share of
        voice, months for growth; ``direction`` is ``rise``, ``fall``, ``not_distinguishable`` or
        ``too_few``; ``community_share`` is a network's share of the brand's followers at the end
        of the recent window (its last month with both known; 1 for the brand as a whole and for
        share of voice), which weighs its finding. Empty when the period is too short for two
        windows.
    """
    rule = rule or evidence.Rule()
    windows = obs_.trend_windows(start, end, months)
    if windows is None:
        return pd.DataFrame(columns=SHIFT_COLUMNS)
    rng = rule.rng()
    rows = []
    for name in [brief.client.name, *brief.competitor_names]:
        head = {"brand": name, "client": name == brief.client.name}
        moved = voice_shift(mentions, name, tz, windows, rule, rng)
        rows.append({**head, "metric": "share_of_voice", "channel": ALL, **windows.as_dict(), **moved})
        theirs = community[(community["brand"] == name) & community["followers"].notna()]
        shares = _community_shares(theirs, windows.recent_end)
        for channel in sorted(theirs["channel"].unique(), key=lambda c: (c == ALL, c)):
            part = community[(community["brand"] == name) & (community["channel"] == channel)]
            moved = growth_shift(part, windows, rule, min_months or months, rng)
            rows.append({
                **head, "metric": "follower_growth", "channel": channel, **windows.as_dict(), **moved,
                "community_share": shares.get(channel, np.nan),
            })  # fmt: skip
    table = pd.DataFrame(rows).rename(
        columns={"posts_before": "units_before", "posts_recent": "units_recent"}
    )
    return table.reindex(columns=SHIFT_COLUMNS)


def _community_shares(rows: pd.DataFrame, last: dt.date) -> dict[str, float]:
    """Each network's share of the brand's followers (its :data:`ALL` total) in the last month up
    to ``last`` where the total is known; 1 for :data:`ALL`."""
    months = pd.to_datetime(rows["month"])
    totals = rows[(rows["channel"] == ALL) & (months <= pd.Timestamp(last))].sort_values("month")
    if totals.empty:
        return {ALL: 1.0}
    month = totals["month"].iloc[-1]
    at = rows[rows["month"] == month].set_index("channel")["followers"].astype(float)
    total = float(at[ALL])
    return (at / total).to_dict() if total > 0 else {ALL: 1.0}


def notable_shifts(table: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """The competitors' shifts that count as findings: share of voice, or growth on one network
    (the total repeats its networks), that moved by ``threshold`` or more either way (the brief's
    ``analysis.change_threshold``) with an interval excluding no change (``rise``/``fall``).
    Growth needs a positive growth before (the relative change of a shrinking community's growth
    says nothing). Largest change first."""
    if table.empty:
        return table
    passing = table[
        ~table["client"].astype(bool)
        & table["direction"].isin(["rise", "fall"])
        & (_floats(table["change"]).abs() >= threshold)
        & (
            (table["metric"] == "share_of_voice")
            | ((table["channel"] != ALL) & (_floats(table["before"]) > 0))
        )
    ]
    order = _floats(passing["change"]).abs().sort_values(ascending=False).index
    return passing.loc[order].reset_index(drop=True)


def _share(row: Any) -> float:
    """The weight share of a shift's finding: the network's share of the community, 1 when it is
    unknown or the row is share of voice."""
    share = getattr(row, "community_share", np.nan)
    return 1.0 if row.metric == "share_of_voice" or pd.isna(share) else float(share)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).casefold()).strip("-")


#: The fields of a finding (:class:`helpers.method.synthesis.Finding`, which builds on this module).
FINDING_FIELDS = ("id", "kind", "objective", "kpi", "scope", "value", "reference", "gap", "weight",
                  "message", "values", "kinds")  # fmt: skip


def shift_findings(table: pd.DataFrame | None, weights: dict[str, float], threshold: float) -> list[dict]:
    """A finding per notable shift (:func:`notable_shifts`): a competitor gaining share of voice
    or growing faster is a threat, one losing ground an opportunity. Each quotes both windows,
    both figures and the change's interval.

    Args:
        table: ``competitor_shifts.csv`` (:func:`shifts`), or None (a run folder without it).
        weights: the objectives' weights (:func:`helpers.method.synthesis.objective_weights`).
        threshold: the brief's ``analysis.change_threshold``.

    A growth finding on a network weighs its objective's weight × the network's share of the
    competitor's community (``community_share``): a brand's growth split network by network
    weighs, all networks together, what its total would, so a shift on a network where the
    competitor has few followers weighs little.

    Returns:
        The findings' fields (:data:`FINDING_FIELDS`), largest change first:
        :func:`helpers.method.synthesis.key_findings` makes them findings and sets their
        severity; :func:`helpers.report.words.finding_text` writes them as they are.
    """
    if table is None or table.empty:
        return []
    found = []
    for row in notable_shifts(table, threshold).itertuples():
        rise = row.direction == "rise"
        voice = row.metric == "share_of_voice"
        objective = "awareness" if voice else "community"
        code = f"rival_{'sov' if voice else 'growth'}_{'rise' if rise else 'fall'}"
        share = "percent:0" if voice else "percent:1:signed"
        moved = "percent:0:abs" if voice else "percent:0:signed"
        found.append({
            "id": f"{code}_{_slug(row.brand)}" + ("" if voice else f"_{row.channel}"),
            "subject": f"competitor:{row.brand}",
            "kind": "threat" if rise else "opportunity",
            "objective": objective,
            "kpi": row.metric,
            "scope": row.brand if voice else f"{row.brand}:{row.channel}",
            "value": float(row.recent),
            "reference": float(row.before),
            "gap": float(row.change),
            "weight": round(weights[objective] * _share(row), 4),
            "message": f"findings.{code}",
            "values": {
                "brand": str(row.brand), "channel": str(row.channel), "change": float(row.change),
                "recent": float(row.recent), "before": float(row.before), "low": float(row.low),
                "high": float(row.high), "recent_window": f"{row.recent_start}/{row.recent_end}",
                "before_window": f"{row.before_start}/{row.before_end}",
            },
            "kinds": {
                "brand": "text", "channel": "channel", "change": moved, "recent": share, "before": share,
                "low": "percent:0:signed", "high": "percent:0:signed", "recent_window": "window",
                "before_window": "window",
            },
        })  # fmt: skip
    return found


#: The columns of :func:`leading_themes`.
THEME_COLUMNS = ["brand", "mentions", "rank", "term", "share"]


def leading_themes(
    mentions: pd.DataFrame,
    brief: Brief,
    n: int = THEME_TERMS,
    min_mentions: int = MIN_THEME_MENTIONS,
    langs: Sequence[str] = ("fr", "en"),
) -> pd.DataFrame:
    """Each competitor's leading terms in the texts of its mentions
    (:func:`helpers.method.themes.top_terms`, every brand's name excluded: each mention carries
    one), for competitors with at least ``min_mentions`` mentions with a text.

    Returns:
        :data:`THEME_COLUMNS`: ``mentions`` (the competitor's mentions with a text), ``rank``
        (1 first), ``term`` and ``share`` (the share of those mentions that contain it), in the
        brief's order of competitors. A competitor with fewer mentions has no row.
    """
    if min_mentions < 1:
        raise ValueError(f"min_mentions must be at least 1, got {min_mentions}")
    if mentions.empty or "text" not in mentions.columns:
        return pd.DataFrame(columns=THEME_COLUMNS)
    names = [brief.client.name, *brief.competitor_names]
    names += [h for c in brief.competitors for h in c.handles.values()]
    names += [p.account for p in brief.profiles if p.account]
    rows = []
    for name in brief.competitor_names:
        texts = mentions.loc[mentions["brand"] == name, "text"].dropna().astype(str)
        texts = [t for t in texts if t.strip()]
        if len(texts) < min_mentions:
            continue
        for rank, (term, share) in enumerate(themes.top_terms(texts, n, langs, exclude=names), start=1):
            rows.append({"brand": name, "mentions": len(texts), "rank": rank, "term": term, "share": share})
    return pd.DataFrame(rows, columns=THEME_COLUMNS)
