"""Sections of ``02_synthesis``: the scorecard, SWOT and PESTEL, the ranked findings."""

from __future__ import annotations

import pandas as pd

from helpers.method import observation as obs_
from helpers.method import synthesis as syn
from helpers.report.display import Block, bullets, heading, say, table
from helpers.report.i18n import fmt_number
from helpers.report.pages.common import finding, headers, kpi_value, lab, pct
from helpers.report.words import entry_text
from helpers.run.context import Run


def findings(run: Run) -> tuple[pd.DataFrame, list[syn.Finding]]:
    """Read what ``01`` wrote and rank the findings."""
    audit = run.load("audit")
    trend = run.load("engagement_trend")
    formats = run.load("formats")
    slots = run.load("best_slots")
    benchmark = run.load("benchmark")
    card = syn.scorecard(benchmark, run.brief.client.name)
    ranked = syn.key_findings(run.brief, audit, trend, formats, slots, benchmark)
    return card, ranked


def scorecard(run: Run, card: pd.DataFrame) -> Block:
    shown = card.assign(
        kpi=[run.t(f"scorecard.{k}") for k in card["kpi"]],
        brand_text=[kpi_value(run, k, v) for k, v in zip(card["kpi"], card["brand"], strict=True)],
        median_text=[
            kpi_value(run, k, v) for k, v in zip(card["kpi"], card["competitors_median"], strict=True)
        ],
    )
    cols = ["kpi", "brand_text", "median_text", "gap", "verdict"]
    strengths = int((card["verdict"] == "strength").sum())
    return (
        heading(run.t("synthesis.scorecard"))
        + table(
            shown[cols],
            {"gap": pct(run, 0, True), "verdict": lab(run, "verdict")},
            {**headers(run, cols), "brand_text": run.brief.client.name},
            classes={"verdict": lambda v: "wb-ok" if v == "strength" else "wb-bad"},
            note=run.t("synthesis.scorecard_note"),
        )
        + say(run.t("synthesis.scorecard_say", strengths=strengths, total=len(card)))
    )


def _entries(run: Run, entries: list[dict]) -> Block:
    return bullets(entry_text(e, run.lang, run.brief.kpi) for e in entries)


def swot(run: Run, ranked: list[syn.Finding]) -> Block:
    """The brief's SWOT with every finding, each data entry citing its figure."""
    merged = syn.swot(run.brief, ranked)
    block = heading(run.t("synthesis.swot"))
    for quadrant, entries in merged.items():
        block += heading(run.t(f"swot.{quadrant}"), 3) + _entries(run, entries)
    return block


def pestel_entries(run: Run) -> dict[str, list[dict]]:
    """The brief's PESTEL with the factors the data documents (formats, audience, emotions, season)."""
    formats = run.load("formats")
    mentions = run.table("mentions")
    brand = run.brief.client.name
    monthly = obs_.listening_monthly(mentions, run.tz)
    own = monthly[brand] if brand in monthly.columns else pd.Series(dtype=float)
    merged = syn.pestel(
        run.brief,
        formats,
        obs_.audience_shares(run.table("audience"), "age"),
        own,
        obs_.emotions(mentions, brand) if not mentions.empty else pd.Series(dtype=float),
    )
    return merged


def pestel(run: Run, merged: dict[str, list[dict]]) -> Block:
    """The PESTEL of :func:`pestel_entries`, factor by factor, each entry with its source."""
    block = heading(run.t("synthesis.pestel"))
    for factor, entries in merged.items():
        if entries:
            block += heading(run.t(f"pestel.{factor}"), 3) + _entries(run, entries)
    return block


def key_findings(run: Run, ranked: list[syn.Finding], top: int = 8) -> Block:
    """The ranked findings, most severe first, with how severity is computed."""
    rows = pd.DataFrame(
        [
            {
                "rank": i + 1,
                "finding": finding(run, f),
                "kind": f.kind,
                "objective": f.objective,
                "severity": f.severity,
            }
            for i, f in enumerate(ranked[:top])
        ]
    )
    if rows.empty:
        return heading(run.t("synthesis.findings")) + say(run.t("synthesis.no_findings"))
    return (
        heading(run.t("synthesis.findings"))
        + table(
            rows,
            {
                "kind": lab(run, "kind"),
                "objective": lab(run, "objective"),
                "severity": lambda v: f"{v:.2f}".replace(".", "," if run.lang == "fr" else "."),
            },
            headers(run, rows.columns),
            note=run.t(
                "synthesis.severity_note",
                strength=fmt_number(run.brief.synthesis.strength_weight, run.lang, 1),
            ),
        )
        + say(
            run.t(
                "synthesis.findings_say",
                n=len(ranked),
                kept=min(run.brief.synthesis.top, len(ranked)),
                top=finding(run, ranked[0]),
            )
        )
    )


def save(run: Run, ranked: list[syn.Finding], pestel: dict) -> None:
    """``findings.json`` (all, ranked, the top ones marked) for ``03``, and the summary's lines."""
    top = run.brief.synthesis.top
    run.save("findings", [{**f.as_dict(), "top": i < top} for i, f in enumerate(ranked)])
    run.add_summary("findings", [finding(run, f) for f in ranked[:top]])
    run.save("pestel", pestel)
    run.save_notes()
