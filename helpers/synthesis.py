"""Step 2, synthesis: score the audit against the competitors and rank what matters.

A finding is a fact from the audit with its figures: its KPI, scope, value, reference, the
size of the gap, and the objective it bears on. Severity = |gap| × weight of the objective
for the brief (1.0 when the brief sets a goal on that objective, 0.5 otherwise), so the
findings that threaten the brief's own goals come first.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from helpers.brief import Brief
from helpers.i18n import fmt_number, fmt_percent, label, t, weekday_names

#: Scorecard KPIs: column of the benchmark table, objective, whether higher is better.
SCORECARD = (
    ("followers", "community", True),
    ("community_share_of_voice", "community", True),
    ("posts_per_week", "engagement", True),
    ("interactions_per_post", "engagement", True),
    ("share_of_voice", "awareness", True),
    ("net_sentiment", "satisfaction", True),
)
PERCENT_COLUMNS = {"community_share_of_voice", "share_of_voice", "net_sentiment"}


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
    values: dict = field(default_factory=dict)  # formatted figures for the sentence
    text: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def objective_weights(brief: Brief) -> dict[str, float]:
    """1.0 for objectives the brief sets goals on, 0.5 for the others."""
    aimed = {g.objective for g in brief.goals}
    return {
        o: (1.0 if o in aimed else 0.5)
        for o in ("awareness", "community", "engagement", "satisfaction", "leads")
    }


def _fmt(column: str, value: float, lang: str) -> str:
    if column in PERCENT_COLUMNS:
        return fmt_percent(value, lang)
    return fmt_number(value, lang, 0 if abs(value) >= 100 else 1)


def scorecard(benchmark: pd.DataFrame, brand: str, lang: str) -> pd.DataFrame:
    """Each KPI of the brand against the competitors' median: strength or weakness."""
    own = benchmark[benchmark["brand"] == brand].iloc[0]
    others = benchmark[benchmark["brand"] != brand]
    rows = []
    for column, objective, higher in SCORECARD:
        if column not in benchmark.columns or others.empty:
            continue
        median = float(others[column].median())
        value = float(own[column])
        gap = (value - median) / abs(median) if median else np.nan
        better = (gap >= 0) if higher else (gap <= 0)
        rows.append(
            {
                "kpi": column,
                "objective": objective,
                "brand": value,
                "competitors_median": median,
                "gap": gap,
                "verdict": "strength" if better else "weakness",
                "brand_text": _fmt(column, value, lang),
                "median_text": _fmt(column, median, lang),
            }
        )
    return pd.DataFrame(rows)


def _declines(trend: pd.DataFrame, weights: dict, lang: str, threshold: float) -> list[Finding]:
    found = []
    for row in trend.itertuples():
        if pd.notna(row.change) and row.change <= -threshold:
            found.append(
                Finding(
                    f"decline_{row.channel}",
                    "weakness",
                    "engagement",
                    "engagement_rate",
                    row.channel,
                    row.recent,
                    row.before,
                    row.change,
                    weights["engagement"],
                    message="findings.decline",
                    values={
                        "channel": label("channel", row.channel, lang),
                        "change": fmt_percent(abs(row.change), lang, 0),
                        "recent": fmt_percent(row.recent, lang, 2),
                        "before": fmt_percent(row.before, lang, 2),
                    },
                )
            )
    return found


def _best_formats(
    formats: pd.DataFrame, weights: dict, lang: str, min_posts: int, threshold: float
) -> list[Finding]:
    found = []
    for channel, part in formats.groupby("channel"):
        part = part[part["posts"] >= min_posts]
        if part.empty:
            continue
        best = part.sort_values("engagement_rate", ascending=False).iloc[0]
        if best["lift"] >= threshold:
            found.append(
                Finding(
                    f"format_{channel}",
                    "opportunity",
                    "engagement",
                    "engagement_rate",
                    f"{channel}:{best['format']}",
                    best["engagement_rate"],
                    best["engagement_rate"] / (1 + best["lift"]),
                    best["lift"],
                    weights["engagement"],
                    message="findings.format",
                    values={
                        "channel": label("channel", channel, lang),
                        "format": label("format", best["format"], lang),
                        "lift": fmt_percent(best["lift"], lang, 0),
                        "rate": fmt_percent(best["engagement_rate"], lang, 2),
                        "posts": fmt_number(best["posts"], lang),
                        "share": fmt_percent(best["share"], lang, 0),
                    },
                )
            )
    return found


def _best_slot(slots: pd.DataFrame, weights: dict, lang: str, threshold: float) -> list[Finding]:
    if slots.empty or slots.iloc[0]["lift"] < threshold:
        return []
    top = slots.iloc[0]
    day = weekday_names(lang, short=False)[int(top["weekday"])]
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
                "day": day,
                "hour": int(top["hour"]),
                "lift": fmt_percent(top["lift"], lang, 0),
                "rate": fmt_percent(top["engagement_rate"], lang, 2),
                "low": fmt_percent(top["low"], lang, 2),
                "high": fmt_percent(top["high"], lang, 2),
                "posts": int(top["posts"]),
            },
        )
    ]


def _voice(benchmark: pd.DataFrame, brand: str, weights: dict, lang: str) -> list[Finding]:
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
                "leader_sov": fmt_percent(leader["share_of_voice"], lang, 0),
                "brand": brand,
                "brand_sov": fmt_percent(own["share_of_voice"], lang, 0),
            },
        )
    ]


def _scorecard_findings(card: pd.DataFrame, weights: dict, lang: str) -> list[Finding]:
    found = []
    for row in card.itertuples():
        if row.kpi == "share_of_voice" or pd.isna(row.gap):
            continue  # share of voice has its own finding against the leader
        found.append(
            Finding(
                f"score_{row.kpi}",
                row.verdict,
                row.objective,
                row.kpi,
                "all",
                row.brand,
                row.competitors_median,
                row.gap,
                weights[row.objective],
                message=f"findings.score_{row.verdict}",
                values={
                    "kpi": t(f"scorecard.{row.kpi}", lang),
                    "brand": row.brand_text,
                    "median": row.median_text,
                    "gap": fmt_percent(abs(row.gap), lang, 0),
                },
            )
        )
    return found


def _care(audit: pd.DataFrame, weights: dict, lang: str, target: float = 0.9) -> list[Finding]:
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
            values={"rate": fmt_percent(rate, lang, 0), "target": fmt_percent(target, lang, 0)},
        )
    ]


def key_findings(
    brief: Brief,
    audit: pd.DataFrame,
    trend: pd.DataFrame,
    formats: pd.DataFrame,
    slots: pd.DataFrame,
    benchmark: pd.DataFrame,
    lang: str,
    decline_threshold: float = 0.15,
    lift_threshold: float = 0.3,
    min_posts: int = 10,
) -> list[Finding]:
    """Every finding of the audit, ranked by severity, each with its sentence."""
    weights = objective_weights(brief)
    card = scorecard(benchmark, brief.client.name, lang)
    found = (
        _declines(trend, weights, lang, decline_threshold)
        + _best_formats(formats, weights, lang, min_posts, lift_threshold)
        + _best_slot(slots, weights, lang, lift_threshold)
        + _voice(benchmark, brief.client.name, weights, lang)
        + _scorecard_findings(card, weights, lang)
        + _care(audit, weights, lang)
    )
    for finding in found:
        finding.severity = round(abs(finding.gap) * finding.weight, 4)
        finding.text = t(finding.message, lang, **finding.values)
    return sorted(found, key=lambda f: f.severity, reverse=True)


def swot(brief: Brief, findings: list[Finding], lang: str) -> dict[str, list[dict]]:
    """The brief's SWOT entries merged with the findings, each data entry citing its figure."""
    quadrants = {
        "strength": "strengths",
        "weakness": "weaknesses",
        "opportunity": "opportunities",
        "threat": "threats",
    }
    merged: dict[str, list[dict]] = {q: [] for q in quadrants.values()}
    for quadrant in quadrants.values():
        for entry in getattr(brief.swot, quadrant):
            merged[quadrant].append({"text": entry, "source": t("synthesis.source_brief", lang)})
    data_source = t("synthesis.source_data", lang)
    for finding in findings:
        merged[quadrants[finding.kind]].append({"text": finding.text, "source": data_source})
    return merged
