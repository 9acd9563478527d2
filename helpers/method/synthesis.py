"""Step 2, synthesis: score the audit against the competitors and rank what matters.

A finding is a fact from the audit with its figures: its KPI, scope, value, reference, the
size of the gap, and the objective it bears on.

Severity = size of the gap × weight of the KPI's objective for the brief:

* size = |ln(value / reference)| when both are positive (a halving weighs as much as a
  doubling, and one outlier ratio cannot crush the rest), |relative gap| otherwise;
* weight = the brief's ``synthesis.objective_weights`` for the objective, by default 1 when the
  brief sets a goal on it and 0.5 otherwise, × ``synthesis.strength_weight`` (0.5) for a
  strength, which the strategy keeps rather than fixes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from helpers import kpis
from helpers.client.brief import Brief
from helpers.method import competition, evidence, observation
from helpers.method.observation import brand_mix_reference
from helpers.method.themes import theme_findings


@dataclass
class Finding:
    """One ranked fact of the audit, with the figures that support it."""

    id: str
    kind: str  # strength | weakness | opportunity | threat
    objective: str
    kpi: str
    scope: str
    value: float
    reference: float
    gap: float
    weight: float
    severity: float = 0.0
    message: str = ""  # catalogue key of the sentence
    values: dict = field(default_factory=dict)  # the figures and ids the sentence quotes
    kinds: dict = field(default_factory=dict)  # how each value is written (helpers/report/words.py)
    subject: str = ""  # what it is about, when not its sentence and KPI (see :func:`subject_of`)

    def as_dict(self) -> dict:
        return asdict(self)


def subject_of(finding: Finding | dict) -> str:
    """What a finding is about: its own ``subject`` when it sets one (a competitor's findings share
    the competitor), else its sentence and KPI (every theme that engages is one subject, every
    per-network follower gap another)."""
    get = finding.get if isinstance(finding, dict) else lambda k, d=None: getattr(finding, k, d)
    return get("subject", "") or f"{get('message', '')}|{get('kpi', '')}"


def top_findings(ranked: Sequence[Finding | dict], n: int) -> list[int]:
    """Positions, in ``ranked`` (most severe first), of the ``n`` findings that drive the problem
    statement and the summary: the most severe finding of each subject (:func:`subject_of`) first,
    so five findings cover five subjects rather than one theme seen on three networks; when fewer
    subjects than ``n`` exist, the next most severe findings fill the rest. Sorted."""
    chosen: list[int] = []
    seen: set[str] = set()
    for i, f in enumerate(ranked):
        if len(chosen) < n and subject_of(f) not in seen:
            chosen.append(i)
            seen.add(subject_of(f))
    chosen += [i for i in range(len(ranked)) if i not in chosen][: max(n - len(chosen), 0)]
    return sorted(chosen)


OBJECTIVES = ("awareness", "community", "engagement", "satisfaction", "leads")


def objective_weights(brief: Brief) -> dict[str, float]:
    """The brief's weights, else 1.0 for objectives the brief sets goals on and 0.5 for the others."""
    aimed = {g.objective for g in brief.goals}
    chosen = brief.synthesis.objective_weights
    return {o: chosen.get(o, 1.0 if o in aimed else 0.5) for o in OBJECTIVES}


def gap_size(value: float, reference: float, gap: float) -> float:
    """|ln(value / reference)| when both are positive, else |gap|; NaN gives 0."""
    if pd.notna(value) and pd.notna(reference) and value > 0 and reference > 0:
        return abs(math.log(value / reference))
    return 0.0 if pd.isna(gap) else abs(float(gap))


def severity(finding: Finding, strength_weight: float) -> float:
    """Size of the gap × the finding's weight (× ``strength_weight`` for a strength)."""
    factor = strength_weight if finding.kind == "strength" else 1.0
    return round(gap_size(finding.value, finding.reference, finding.gap) * finding.weight * factor, 4)


#: KPIs the scorecard compares network by network when a per-network benchmark is given
#: (:func:`helpers.method.observation.network_benchmark`): a pooled sum over networks compares
#: presences, not performance.
NETWORK_KPIS = ("followers", "posts_per_week", "interactions_per_post", "interactions_per_post_per_1000")
#: Pooled KPIs the per-network rows replace: the community share of voice is the pooled followers
#: again (the same gap, counted twice).
SUPERSEDED = ("community_share_of_voice",)
#: Per-post KPIs that also get one pooled row, the competitors weighted by the brand's network mix
#: (:func:`helpers.method.observation.brand_mix_reference`); shown, not a finding (the networks'
#: rows are).
MIX_POOLED = ("interactions_per_post",)
#: Per-network KPIs whose brand figure has an interval (the brand's posts resampled).
WITH_INTERVAL = ("interactions_per_post", "interactions_per_post_per_1000")
#: Scorecard KPIs shown for context, never a finding: posting pace is an effort, not a result
#: (posting more than a competitor is neither a strength nor a weakness in itself; the plan sets it).
CONTEXT_KPIS = ("posts_per_week",)
#: Competitors a network's median needs before its gap becomes a finding: the median of one
#: competitor is that one brand's figure, shown in the scorecard but not a market reference.
MIN_COMPETITORS = 2
#: Verdicts of the scorecard.
SCORE_VERDICTS = ("strength", "weakness", "on_par", "not_distinguishable", "too_few", "unknown")


def score_verdict(
    value: float,
    median: float,
    higher: bool,
    threshold: float = 0.0,
    interval: tuple[float, float] | None = None,
    posts: int | None = None,
    min_posts: int = 1,
) -> tuple[float, str]:
    """The gap (brand − median) / |median| and its verdict.

    ``unknown`` when either figure is unknown (or the median 0); ``too_few`` when the brand's
    figure rests on fewer than ``min_posts`` posts; ``not_distinguishable`` when the brand's
    interval includes the median (:func:`helpers.method.evidence.verdict`); ``on_par`` when the
    gap is under ``threshold`` either way (the brief's ``analysis.change_threshold``); else
    ``strength`` or ``weakness`` by the KPI's direction.
    """
    gap = (value - median) / abs(median) if pd.notna(value) and pd.notna(median) and median else np.nan
    if pd.isna(gap):
        return gap, "unknown"
    if posts is not None and interval is not None:
        side = evidence.verdict(int(posts), float(interval[0]), float(interval[1]), float(median), min_posts)
        if side in ("too_few", "not_distinguishable"):
            return gap, side
    if abs(gap) < threshold:
        return gap, "on_par"
    better = (gap >= 0) if higher else (gap <= 0)
    return gap, "strength" if better else "weakness"


def _network_rows(networks: pd.DataFrame, kpi: str, threshold: float, min_posts: int) -> list[dict]:
    record = kpis.KPIS[kpi]
    rows = []
    own = networks[networks["client"].astype(bool)]
    others = networks[~networks["client"].astype(bool)]
    total = float(own["posts"].sum())
    for mine in own.itertuples(index=False):
        theirs = others.loc[others["channel"] == mine.channel, kpi]
        if theirs.empty:
            continue  # no competitor on this network: nothing to compare
        median, value = float(theirs.median()), float(getattr(mine, kpi))
        low = high = np.nan
        if kpi in WITH_INTERVAL:
            scale = 1.0 if kpi == "interactions_per_post" else value / mine.interactions_per_post
            low, high = mine.interactions_per_post_low * scale, mine.interactions_per_post_high * scale
        gap, verdict = score_verdict(
            value, median, record.higher_is_better, threshold,
            (low, high) if kpi in WITH_INTERVAL else None,
            int(mine.posts) if kpi in WITH_INTERVAL else None, min_posts,
        )  # fmt: skip
        rows.append({
            "kpi": kpi, "scope": mine.channel, "objective": record.objective, "brand": value,
            "competitors_median": median, "low": low, "high": high, "gap": gap, "verdict": verdict,
            "competitors": int(theirs.notna().sum()), "posts_share": mine.posts / total if total else np.nan,
        })  # fmt: skip
    return rows


def scorecard(
    benchmark: pd.DataFrame,
    brand: str,
    networks: pd.DataFrame | None = None,
    threshold: float = 0.0,
    min_posts: int = 1,
) -> pd.DataFrame:
    """Each KPI of the brand against the competitors' median, like for like.

    The KPIs are the registry's ``scorecard``, in its order, each with its objective, direction
    and unit from the registry. With a per-network benchmark (``networks``,
    :func:`helpers.method.observation.network_benchmark`), the KPIs of :data:`NETWORK_KPIS` are
    compared network by network (``scope`` = the network; only networks where a competitor
    publishes), per post and per post per 1,000 followers with the brand's interval; the pooled
    KPIs they replace (:data:`SUPERSEDED`) are left out, and :data:`MIX_POOLED` get one more row,
    ``scope`` ``all``, whose reference is the competitors' per-network medians weighted by the
    brand's share of posts per network (``coverage``: the share of the brand's posts it covers).
    The other KPIs (share of voice, net sentiment: the brand as a whole) come from ``benchmark``.

    Args:
        benchmark: one row per brand (:func:`helpers.method.observation.competitor_benchmark`).
        brand: the client's name.
        networks: the per-network benchmark, or None for the pooled figures alone.
        threshold: a gap under this, either way, is ``on_par`` (``analysis.change_threshold``).
        min_posts: posts the brand's per-post figure needs on a network (``analysis.min_posts``).

    Returns:
        ``kpi``, ``scope``, ``objective``, ``brand``, ``competitors_median``, ``low``, ``high``
        (the brand's interval, NaN without one), ``gap``, ``verdict`` (:data:`SCORE_VERDICTS`,
        :func:`score_verdict`), ``competitors`` (how many a median is taken over) and
        ``coverage`` (1 but for a mix-weighted row), ``posts_share`` (the network's share of the
        brand's posts; 1 for the brand as a whole).
    """
    columns = ["kpi", "scope", "objective", "brand", "competitors_median", "low", "high", "gap", "verdict",
               "competitors", "coverage", "posts_share"]  # fmt: skip
    own = benchmark[benchmark["brand"] == brand].iloc[0]
    others = benchmark[benchmark["brand"] != brand]
    per_network = networks is not None and not networks.empty
    rows = []
    for column in kpis.REGISTRY.scorecard:
        record = kpis.KPIS[column]
        if per_network and column in NETWORK_KPIS and column in networks.columns:
            rows += [{**r, "coverage": 1.0} for r in _network_rows(networks, column, threshold, min_posts)]
            if column in MIX_POOLED:
                mix = brand_mix_reference(networks, column)
                higher = record.higher_is_better
                gap, verdict = score_verdict(mix["brand"], mix["reference"], higher, threshold)
                rows.append({
                    "kpi": column, "scope": "all", "objective": record.objective, "brand": mix["brand"],
                    "competitors_median": mix["reference"], "low": np.nan, "high": np.nan, "gap": gap,
                    "verdict": verdict, "competitors": len(others), "coverage": mix["coverage"],
                    "posts_share": 1.0,
                })  # fmt: skip
            continue
        if (per_network and column in SUPERSEDED) or column not in benchmark.columns or others.empty:
            continue
        median, value = float(others[column].median()), float(own[column])
        gap, verdict = score_verdict(value, median, record.higher_is_better, threshold)
        rows.append({
            "kpi": column, "scope": "all", "objective": record.objective, "brand": value,
            "competitors_median": median, "low": np.nan, "high": np.nan, "gap": gap, "verdict": verdict,
            "competitors": int(others[column].notna().sum()), "coverage": 1.0, "posts_share": 1.0,
        })  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _trends(trend: pd.DataFrame, weights: dict, threshold: float) -> list[Finding]:
    """A finding per network whose engagement moved by ``threshold`` or more, beyond the noise
    (:func:`helpers.method.observation.notable_trends`): a fall is a weakness, a rise an
    opportunity. Each quotes both windows, both rates and the change's interval."""
    found = []
    for row in observation.notable_trends(trend, threshold).itertuples():
        rise = row.direction == "rise"
        found.append(
            Finding(
                f"{'rise' if rise else 'decline'}_{row.channel}",
                "opportunity" if rise else "weakness",
                "engagement",
                "engagement_rate",
                row.channel,
                row.recent,
                row.before,
                row.change,
                weights["engagement"],
                message="findings.rise" if rise else "findings.decline",
                values={
                    "channel": row.channel,
                    "change": float(row.change),
                    "recent": float(row.recent),
                    "before": float(row.before),
                    "low": float(row.low),
                    "high": float(row.high),
                    "recent_window": f"{row.recent_start}/{row.recent_end}",
                    "before_window": f"{row.before_start}/{row.before_end}",
                    "posts_recent": int(row.posts_recent),
                    "posts_before": int(row.posts_before),
                },
                kinds={"channel": "channel", "change": "percent:0:abs", "recent": "percent:2",
                       "before": "percent:2", "low": "percent:0:signed", "high": "percent:0:signed",
                       "recent_window": "window", "before_window": "window",
                       "posts_recent": "number:0", "posts_before": "number:0"},
            )
        )
    return found


def _require(table: pd.DataFrame, name: str, columns: set[str]) -> None:
    if missing := columns - set(table.columns):
        raise ValueError(f"{name}: missing column(s) {sorted(missing)} (run 01_observation again)")


def distinguished(row: pd.Series, threshold: float, min_posts: int = 1) -> bool:
    """Whether a ranked option (a format, a slot) is an opportunity: its verdict is ``above``
    (its whole interval above its reference, :mod:`helpers.method.evidence`) on at least
    ``min_posts`` posts, and its lift reaches ``threshold`` (the brief's ``analysis.lift_threshold``).
    A lift whose interval includes the reference is noise, however large."""
    return (
        row["verdict"] == "above"
        and row["posts"] >= min_posts
        and pd.notna(row["lift"])
        and row["lift"] >= threshold
    )


def leading_formats(formats: pd.DataFrame, min_posts: int, threshold: float) -> list[tuple[str, pd.Series]]:
    """Per network, its best format that is an opportunity (:func:`distinguished`: verdict
    ``above`` the network's other formats on at least ``min_posts`` posts, lift of ``threshold``
    or more), best low bound first: ``(channel, row of formats.csv)``."""
    if formats.empty:
        return []
    _require(formats, "formats", {"channel", "format", "posts", "lift", "low", "reference", "verdict"})
    leading = []
    for channel, part in formats.groupby("channel"):
        part = part[[distinguished(row, threshold, min_posts) for _, row in part.iterrows()]]
        if not part.empty:
            leading.append((channel, part.sort_values("low", ascending=False).iloc[0]))
    return leading


def _best_formats(formats: pd.DataFrame, weights: dict, min_posts: int, threshold: float) -> list[Finding]:
    return [
        Finding(
            f"format_{channel}",
            "opportunity",
            "engagement",
            "engagement_rate",
            f"{channel}:{best['format']}",
            best["engagement_rate"],
            best["reference"],
            best["lift"],
            weights["engagement"],
            message="findings.format",
            values={
                "channel": channel,
                "format": best["format"],
                "lift": float(best["lift"]),
                "rate": float(best["engagement_rate"]),
                "low": float(best["low"]),
                "high": float(best["high"]),
                "posts": int(best["posts"]),
                "share": float(best["share"]),
            },
            kinds={"channel": "channel", "format": "format", "lift": "percent:0", "rate": "percent:2",
                   "low": "percent:2", "high": "percent:2", "posts": "number:0", "share": "percent:0"},
        )
        for channel, best in leading_formats(formats, min_posts, threshold)
    ]


def _best_slot(slots: pd.DataFrame, weights: dict, threshold: float) -> list[Finding]:
    """The best slot of the audit (``best_slots.csv``, ranked by the low bound) when it is an
    opportunity (:func:`distinguished`)."""
    if slots.empty:
        return []
    _require(slots, "best_slots", {"weekday", "hour", "posts", "lift", "low", "verdict"})
    chosen = [row for _, row in slots.iterrows() if distinguished(row, threshold)]
    if not chosen:
        return []
    top = chosen[0]
    return [
        Finding(
            "best_slot",
            "opportunity",
            "engagement",
            "engagement_rate",
            f"{int(top['weekday'])}:{int(top['hour'])}",
            top["engagement_rate"],
            top["engagement_rate"] / (1 + top["lift"]),
            top["lift"],
            weights["engagement"],
            message="findings.best_slot",
            values={
                "day": int(top["weekday"]),
                "hour": int(top["hour"]),
                "lift": float(top["lift"]),
                "rate": float(top["engagement_rate"]),
                "low": float(top["low"]),
                "high": float(top["high"]),
                "posts": int(top["posts"]),
            },
            kinds={"day": "weekday", "hour": "text", "lift": "percent:0", "rate": "percent:2",
                   "low": "percent:2", "high": "percent:2", "posts": "text"},
        )
    ]


def _voice(benchmark: pd.DataFrame, brand: str, weights: dict) -> list[Finding]:
    if "share_of_voice" not in benchmark.columns:
        return []
    ranked = benchmark.sort_values("share_of_voice", ascending=False)
    leader = ranked.iloc[0]
    own = benchmark[benchmark["brand"] == brand].iloc[0]
    if leader["brand"] == brand:
        return []
    gap = (own["share_of_voice"] - leader["share_of_voice"]) / leader["share_of_voice"]
    return [
        Finding(
            "sov_leader",
            "threat",
            "awareness",
            "share_of_voice",
            "all",
            own["share_of_voice"],
            leader["share_of_voice"],
            gap,
            weights["awareness"],
            message="findings.sov_leader",
            values={
                "leader": str(leader["brand"]),
                "leader_sov": float(leader["share_of_voice"]),
                "brand": brand,
                "brand_sov": float(own["share_of_voice"]),
            },
            kinds={"leader": "text", "leader_sov": "percent:0", "brand": "text", "brand_sov": "percent:0"},
        )
    ]


def _engagement_rows(card: pd.DataFrame) -> pd.DataFrame:
    """The scorecard's rows that may become findings. Where it compares networks, each network
    has one engagement row: interactions per post per 1,000 followers (like for like across
    audiences), or interactions per post where the community is unknown; the pooled
    mix-weighted row is shown, never a finding (the networks' rows say the same thing network
    by network)."""
    engagement = card[card["kpi"].isin(["interactions_per_post", "interactions_per_post_per_1000"])]
    networks = engagement[engagement["scope"] != "all"]
    if networks.empty:
        return card
    keep = []
    for _, part in networks.groupby("scope", sort=False):
        normalised = part[(part["kpi"] == "interactions_per_post_per_1000") & (part["verdict"] != "unknown")]
        raw = part[part["kpi"] == "interactions_per_post"]
        keep += list(normalised.index if len(normalised) else raw.index)
    return card.drop(index=[i for i in engagement.index if i not in keep])


def _scorecard_findings(card: pd.DataFrame, weights: dict) -> list[Finding]:
    """A finding for each scorecard row that is a ``strength`` or a ``weakness`` (the gap passes
    the threshold and, for a per-post figure, the brand's interval excludes the median): network
    by network where the scorecard has networks (one engagement row each,
    :func:`_engagement_rows`) whose median covers :data:`MIN_COMPETITORS` competitors or more,
    share of voice aside (:func:`_voice`) and posting pace left as context
    (:data:`CONTEXT_KPIS`).

    A network's finding weighs its objective's weight × the network's share of the brand's posts:
    one comparison split network by network weighs, all networks together, what the pooled
    comparison would (a gap on a network carrying a fifth of the posts weighs a fifth), so the
    split does not multiply a benchmark's weight against the other findings."""
    found = []
    card = _engagement_rows(card) if len(card) else card
    for row in card.itertuples():
        if row.kpi == "share_of_voice" or row.kpi in CONTEXT_KPIS:
            continue  # share of voice has its own finding against the leader
        if row.verdict not in ("strength", "weakness"):
            continue
        if row.scope != "all" and row.competitors < MIN_COMPETITORS:
            continue
        network = row.scope != "all"
        values = {"kpi": row.kpi, "brand": float(row.brand), "median": float(row.competitors_median),
                  "gap": float(row.gap)}  # fmt: skip
        kinds = {"kpi": "scorecard_name", "brand": "scorecard", "median": "scorecard", "gap": "percent:0:abs"}
        if network:
            values.update(channel=row.scope, competitors=int(row.competitors))
            kinds.update(channel="channel", competitors="number:0")
        share = float(row.posts_share) if network and pd.notna(row.posts_share) else 1.0
        found.append(
            Finding(
                f"score_{row.kpi}" + (f"_{row.scope}" if network else ""),
                row.verdict,
                row.objective,
                row.kpi,
                row.scope,
                row.brand,
                row.competitors_median,
                row.gap,
                round(weights[row.objective] * share, 4),
                message=f"findings.score_{'network_' if network else ''}{row.verdict}",
                values=values,
                kinds=kinds,
            )
        )
    return found


def _care(audit: pd.DataFrame, weights: dict, target: float = 0.9) -> list[Finding]:
    rate = audit["response_rate"].mean()
    if pd.isna(rate) or rate >= target:
        return []
    return [
        Finding(
            "care_response",
            "weakness",
            "satisfaction",
            "response_rate",
            "all",
            rate,
            target,
            (rate - target) / target,
            weights["satisfaction"],
            message="findings.care_response",
            values={"rate": float(rate), "target": float(target)},
            kinds={"rate": "percent:0", "target": "percent:0"},
        )
    ]


def key_findings(
    brief: Brief,
    audit: pd.DataFrame,
    trend: pd.DataFrame,
    formats: pd.DataFrame,
    slots: pd.DataFrame,
    benchmark: pd.DataFrame,
    change_threshold: float = 0.15,
    lift_threshold: float = 0.3,
    min_posts: int = 5,
    networks: pd.DataFrame | None = None,
    themes: pd.DataFrame | None = None,
    shifts: pd.DataFrame | None = None,
) -> list[Finding]:
    """Every finding of the audit, ranked by severity; the sentences are written at display time
    (:func:`helpers.report.words.finding_text`).

    Args:
        trend: ``engagement_trend.csv`` (:func:`helpers.method.observation.trend_change`).
        change_threshold: a network's engagement change between the trend's two windows that
            counts as a fall (a weakness) or a rise (an opportunity) when its interval also
            excludes 0 (the brief's ``analysis.change_threshold``).
        lift_threshold: lift of a format or of the best slot that counts as an opportunity
            (``analysis.lift_threshold``).
        min_posts: posts a format needs before its lift counts (``analysis.min_posts``).
        networks: the per-network benchmark (``benchmark_networks.csv``): the scorecard's
            findings then compare network by network, a gap counting from ``change_threshold``
            (:func:`scorecard`).
        themes: ``themes.csv`` (:func:`helpers.method.themes.theme_table`): a theme of the
            brand's posts that engages is an opportunity (:func:`helpers.method.themes.theme_findings`).
        shifts: the competitors' shifts (``competitor_shifts.csv``,
            :func:`helpers.method.competition.shifts`): a competitor whose share of voice or growth
            moved by ``change_threshold`` or more beyond the noise is a threat or an opportunity.
    """
    weights = objective_weights(brief)
    card = scorecard(benchmark, brief.client.name, networks, change_threshold, min_posts)
    found = (
        _trends(trend, weights, change_threshold)
        + _best_formats(formats, weights, min_posts, lift_threshold)
        + _best_slot(slots, weights, lift_threshold)
        + _voice(benchmark, brief.client.name, weights)
        + _scorecard_findings(card, weights)
        + _care(audit, weights)
        + [Finding(**record) for record in theme_findings(themes, weights, lift_threshold, min_posts)]
        + [Finding(**f) for f in competition.shift_findings(shifts, weights, change_threshold)]
    )
    for finding in found:
        finding.severity = severity(finding, brief.synthesis.strength_weight)
    return sorted(found, key=lambda f: f.severity, reverse=True)


def _merge(entries: Any, from_data: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The strategist's entries of a SWOT or PESTEL section, each heading in the brief's order,
    followed by the data's. An entry is ``{"source": "brief", "text": ...}`` (the strategist's own
    words) or ``{"source": "data", ...}`` with a phrase or a finding, written when shown
    (:func:`helpers.report.words.entry_text`)."""
    return {
        heading: [{"source": "brief", "text": e} for e in getattr(entries, heading)]
        + [{"source": "data", **item} for item in from_data.get(heading, [])]
        for heading in type(entries).model_fields
    }


def swot(brief: Brief, findings: list[Finding]) -> dict[str, list[dict]]:
    """The brief's SWOT entries merged with the findings, each data entry a finding citing its figure."""
    quadrants = {
        "strength": "strengths",
        "weakness": "weaknesses",
        "opportunity": "opportunities",
        "threat": "threats",
    }
    from_data: dict[str, list[dict]] = {}
    for finding in findings:
        from_data.setdefault(quadrants[finding.kind], []).append({"finding": finding.as_dict()})
    return _merge(brief.swot, from_data)


def _phrase(message: str, values: dict, kinds: dict) -> dict:
    return {"message": message, "values": values, "kinds": kinds}


def _pestel_formats(formats: pd.DataFrame, min_posts: int, threshold: float) -> list[dict]:
    return [
        _phrase(
            "pestel_data.format",
            {
                "channel": channel,
                "format": best["format"],
                "lift": float(best["lift"]),
                "posts": int(best["posts"]),
            },
            {"channel": "channel", "format": "format", "lift": "percent:0", "posts": "number:0"},
        )
        for channel, best in leading_formats(formats, min_posts, threshold)
    ]


def _pestel_audience(ages: pd.DataFrame) -> list[dict]:
    lines = []
    for channel in ages.columns:
        shares = ages[channel].dropna()
        if not shares.empty:
            lines.append(
                _phrase(
                    "pestel_data.audience",
                    {"channel": channel, "age": str(shares.idxmax()), "share": float(shares.max())},
                    {"channel": "channel", "share": "percent:0"},
                )
            )
    return lines


def _pestel_season(monthly: pd.Series, threshold: float = 0.2) -> list[dict]:
    monthly = monthly.dropna()
    if len(monthly) < 6 or monthly.mean() <= 0:
        return []
    lift = monthly.max() / monthly.mean() - 1
    if lift < threshold:
        return []
    peak = pd.Timestamp(monthly.idxmax())
    return [
        _phrase(
            "pestel_data.season",
            {"month": peak.date().isoformat(), "count": float(monthly.max()), "lift": float(lift)},
            {"month": "month", "count": "number:0", "lift": "percent:0"},
        )
    ]


def _pestel_emotion(emotions: pd.Series) -> list[dict]:
    if emotions.empty:
        return []
    top = emotions.sort_values(ascending=False)
    return [
        _phrase(
            "pestel_data.emotion",
            {"emotion": str(top.index[0]), "share": float(top.iloc[0])},
            {"emotion": "emotion:upper", "share": "percent:0"},
        )
    ]


def pestel(
    brief: Brief,
    formats: pd.DataFrame,
    ages: pd.DataFrame,
    brand_mentions_monthly: pd.Series,
    emotions: pd.Series,
    min_posts: int = 5,
    lift_threshold: float = 0.3,
) -> dict[str, list[dict]]:
    """The brief's PESTEL entries with the ones the data supports, each citing its figure.

    Data speaks to three factors: technological (formats that carry engagement on a network),
    sociocultural (the audience's leading age band per network, the dominant emotion of the
    conversation) and economic (the month the conversation peaks, a buying season).

    Args:
        brief: the client's brief (its ``pestel`` entries come first, marked as the strategist's).
        formats: ``formats.csv`` of the audit (channel, format, posts, engagement_rate, lift).
        ages: audience shares, age bands (rows) × channels (columns).
        brand_mentions_monthly: the brand's mentions per month (index: month start).
        emotions: share of each emotion among the brand's mentions that carry one.
        min_posts: posts a format needs before its lift speaks for a trend.
        lift_threshold: lift over the network's other formats that makes a format worth citing.
    """
    found = {
        "technological": _pestel_formats(formats, min_posts, lift_threshold),
        "sociocultural": _pestel_audience(ages) + _pestel_emotion(emotions),
        "economic": _pestel_season(brand_mentions_monthly),
    }
    return _merge(brief.pestel, found)
