"""Sections of ``02_synthesis``: the ranked findings, the scorecard, SWOT and PESTEL."""

from __future__ import annotations

import pandas as pd

from helpers.method import observation as obs_
from helpers.method import synthesis as syn
from helpers.report.display import Block, Section, bullets, heading, say, table
from helpers.report.i18n import fmt_number, fmt_percent, label
from helpers.report.pages import cycle as cycle_page
from helpers.report.pages.common import finding, headers, kpi_value, lab, method_link, pct
from helpers.report.words import entry_text
from helpers.run.context import Run
from helpers.run.settings import setting


def key_findings(
    run: Run,
    change_threshold: float | None = None,
    lift_threshold: float | None = None,
    min_posts: int | None = None,
    findings: int | None = None,
) -> Section:
    """Every finding of the audit ``01`` saved, ranked by severity = size of the gap × weight of
    its objective for the brief (a strength weighs ``synthesis.strength_weight`` of that).

    Args:
        change_threshold: engagement change over the last quarter that counts as a decline
            (default: the brief's ``analysis.change_threshold``, 0.15).
        lift_threshold: lift of a format or of the best slot that counts as an opportunity
            (default: ``analysis.lift_threshold``, 0.3).
        min_posts: posts a format needs before its lift counts (default: ``analysis.min_posts``, 5).
        findings: how many of the most severe findings drive the problem statement and the
            summary (default: ``analysis.findings``, 5).

    Returns:
        ``.table``: one row per finding (rank, id, kind, objective, KPI, value, severity, whether
        it drives the problem statement); ``.data["ranked"]``: the findings themselves.
    """
    analysis = run.brief.analysis
    findings = setting(analysis, "findings", findings)
    ranked = syn.key_findings(
        run.brief,
        run.load("audit"),
        run.load("engagement_trend"),
        run.load("formats"),
        run.load("best_slots"),
        run.load("benchmark"),
        change_threshold=setting(analysis, "change_threshold", change_threshold),
        lift_threshold=setting(analysis, "lift_threshold", lift_threshold),
        min_posts=setting(analysis, "min_posts", min_posts),
        networks=run.load("benchmark_networks"),
        themes=run.load("themes"),
        shifts=run.load("competitor_shifts"),
    )
    drives = set(syn.top_findings(ranked, findings))
    frame = pd.DataFrame(
        [
            {
                "rank": i + 1,
                "id": f.id,
                "kind": f.kind,
                "objective": f.objective,
                "kpi": f.kpi,
                "value": f.value,
                "severity": f.severity,
                "drives": i in drives,
            }
            for i, f in enumerate(ranked)
        ],
        columns=["rank", "id", "kind", "objective", "kpi", "value", "severity", "drives"],
    )
    if not ranked:
        block = heading(run.t("synthesis.findings")) + say(run.t("synthesis.no_findings"))
        return Section(block, frame, ranked=ranked, findings=findings)
    rows = frame.assign(finding=[finding(run, f) for f in ranked])[
        ["rank", "finding", "kind", "objective", "severity"]
    ]
    since = cycle_page.finding_statuses(run, ranked)  # None without a previous run: no column
    if since is not None:
        rows = rows.assign(since=frame["id"].map(since.drop_duplicates("id").set_index("id")["status"]))
    block = (
        heading(run.t("synthesis.findings"))
        + table(
            rows,
            {
                "kind": lab(run, "kind"),
                "objective": lab(run, "objective"),
                "severity": lambda v: fmt_number(v, run.lang, 2),
                "since": cycle_page.status_fmt(run),
            },
            headers(run, rows.columns.drop("since", errors="ignore")) | {"since": run.t("cycle.col.since")},
            note=run.t(
                "synthesis.severity_note",
                strength=fmt_number(run.brief.synthesis.strength_weight, run.lang, 1),
            ),
            lang=run.lang,
        )
        + say(
            run.t(
                "synthesis.findings_say",
                n=len(ranked),
                kept=min(findings, len(ranked)),
                top=finding(run, ranked[0]),
            )
        )
    )
    return Section(block, frame, ranked=ranked, findings=findings, since=since)


def scorecard(run: Run, change_threshold: float | None = None, min_posts: int | None = None) -> Section:
    """Each KPI of the brand against the median of its competitors, like for like: network by
    network for community, pace and interactions (per post and per post per 1,000 followers),
    the pooled interactions per post with the competitors weighted by the brand's network mix,
    and the brand as a whole for share of voice and sentiment (:func:`helpers.method.synthesis.scorecard`).

    Args:
        change_threshold: a gap under this either way is "on par" (default: the brief's
            ``analysis.change_threshold``).
        min_posts: posts the brand's per-post figure needs on a network (``analysis.min_posts``).

    Returns:
        ``.table``: one row per KPI and scope (brand value, competitors' median, interval, gap,
        verdict).
    """
    analysis = run.brief.analysis
    threshold = setting(analysis, "change_threshold", change_threshold)
    card = syn.scorecard(
        run.load("benchmark"),
        run.brief.client.name,
        run.load("benchmark_networks"),
        threshold,
        setting(analysis, "min_posts", min_posts),
    )
    mixed = (card["scope"] == "all") & card["kpi"].isin(syn.MIX_POOLED)
    shown = card.assign(
        kpi=[
            run.t(f"scorecard_mix.{k}") if m else run.t(f"scorecard.{k}")
            for k, m in zip(card["kpi"], mixed, strict=True)
        ],
        scope=[
            run.t("scorecard_scope.all") if c == "all" else label("channel", c, run.lang)
            for c in card["scope"]
        ],
        brand_text=[kpi_value(run, k, v) for k, v in zip(card["kpi"], card["brand"], strict=True)],
        median_text=[
            kpi_value(run, k, v) for k, v in zip(card["kpi"], card["competitors_median"], strict=True)
        ],
    )
    cols = ["kpi", "scope", "brand_text", "median_text", "gap", "verdict"]
    strengths = int((card["verdict"] == "strength").sum())
    weaknesses = int((card["verdict"] == "weakness").sum())
    block = (
        heading(run.t("synthesis.scorecard"))
        + table(
            shown[cols],
            {"gap": pct(run, 0, True), "verdict": lab(run, "score_verdict")},
            {**headers(run, cols), "brand_text": run.brief.client.name},
            classes={"verdict": lambda v: {"strength": "wb-ok", "weakness": "wb-bad"}.get(v, "wb-muted")},
            note=run.t("synthesis.scorecard_note")
            + " "
            + run.t(
                "synthesis.scorecard_rule_note",
                threshold=fmt_percent(threshold, run.lang, 0),
                level=fmt_percent(analysis.confidence, run.lang, 0),
                n=setting(analysis, "min_posts", min_posts),
                min=syn.MIN_COMPETITORS,
            )
            + " "
            + method_link(run, "benchmark"),
            lang=run.lang,
        )
        + say(
            run.t("synthesis.scorecard_say", strengths=strengths, total=len(card)),
            run.t("synthesis.scorecard_weak_say", weaknesses=weaknesses),
        )
    )
    return Section(block, card)


def _entries(run: Run, entries: list[dict]) -> Block:
    return bullets(entry_text(e, run.lang, run.brief.kpi) for e in entries)


def _entries_frame(merged: dict[str, list[dict]], part: str) -> pd.DataFrame:
    rows = [
        {part: key, "source": e["source"], "text": e.get("text", ""), "message": e.get("message", "")}
        for key, entries in merged.items()
        for e in entries
    ]
    return pd.DataFrame(rows, columns=[part, "source", "text", "message"])


def swot(run: Run, findings: Section) -> Section:
    """The brief's SWOT with every finding of :func:`key_findings` in its quadrant, each data entry
    citing its figure.

    Returns:
        ``.table``: one row per entry (quadrant, source ``brief`` or ``data``, the strategist's
        text or the finding's message id); ``.data["merged"]``: the entries by quadrant.
    """
    merged = syn.swot(run.brief, findings.data["ranked"])
    block = heading(run.t("synthesis.swot"))
    for quadrant, entries in merged.items():
        block += heading(run.t(f"swot.{quadrant}"), 3) + _entries(run, entries)
    return Section(block, _entries_frame(merged, "quadrant"), merged=merged)


def pestel(run: Run, min_posts: int | None = None, lift_threshold: float | None = None) -> Section:
    """The brief's PESTEL with the factors the data documents: formats that carry engagement
    (technological), the audience's leading age band and the conversation's dominant emotion
    (sociocultural), the month the conversation peaks (economic).

    Args:
        min_posts: posts a format needs before its lift is cited (default: ``analysis.min_posts``).
        lift_threshold: lift that makes a format worth citing (default: ``analysis.lift_threshold``).

    Returns:
        ``.table``: one row per entry (factor, source, text or message id); ``.data["merged"]``:
        the entries by factor, which ``pestel.json`` holds.
    """
    analysis = run.brief.analysis
    mentions = run.table("mentions")
    brand = run.brief.client.name
    monthly = obs_.listening_monthly(mentions, run.tz)
    own = monthly[brand] if brand in monthly.columns else pd.Series(dtype=float)
    merged = syn.pestel(
        run.brief,
        run.load("formats"),
        obs_.audience_shares(run.table("audience"), "age"),
        own,
        obs_.emotions(mentions, brand) if not mentions.empty else pd.Series(dtype=float),
        min_posts=setting(analysis, "min_posts", min_posts),
        lift_threshold=setting(analysis, "lift_threshold", lift_threshold),
    )
    block = heading(run.t("synthesis.pestel"))
    for factor, entries in merged.items():
        if entries:
            block += heading(run.t(f"pestel.{factor}"), 3) + _entries(run, entries)
    return Section(block, _entries_frame(merged, "factor"), merged=merged)


def save(run: Run, findings: Section, pestel: Section) -> None:
    """``findings.json`` (all, ranked, the ones that drive the problem statement marked ``top``)
    for ``03``, ``pestel.json``, and the summary's lines."""
    ranked = findings.data["ranked"]
    top = syn.top_findings(ranked, findings.data["findings"])
    run.save("findings", [{**f.as_dict(), "top": i in top} for i, f in enumerate(ranked)])
    since = cycle_page.findings_summary(run, findings.data.get("since"))
    run.add_summary("findings", [*since, *(finding(run, ranked[i]) for i in top)])
    run.save("pestel", pestel.data["merged"])
    run.save_notes()
