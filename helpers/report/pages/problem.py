"""Sections of ``03_problem_statement``: the stakes, mapped to objectives and KPIs."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from helpers.method.problem import choose_problems
from helpers.report import charts
from helpers.report.display import Section, figure, heading, say, table
from helpers.report.i18n import label
from helpers.report.pages.common import finding, headers, kpi_value, lab
from helpers.run.context import Run
from helpers.run.settings import setting

PROBLEM_COLUMNS = ["rank", "id", "kind", "objective", "kpi", "scope", "value", "reference", "severity"]


def problems(run: Run, findings: int | None = None) -> Section:
    """The stakes: the problems the goals answer, each a finding of ``02`` stated against its KPI
    and mapped to its objective.

    They are the findings the brief names (``synthesis.problems``), else the weaknesses and threats
    among the ``findings`` most severe findings of ``findings.json``
    (:func:`helpers.method.problem.choose_problems`); with the same setting as ``02``, those are
    the findings it marked ``top``.

    Args:
        findings: how many of the most severe findings to consider (default: the brief's
            ``analysis.findings``, 5); unused when the brief names the problems.

    Returns:
        ``.table``: one row per problem (its rank among the findings, id, kind, objective, KPI,
        scope, value, reference, severity); ``.data["chosen"]``: the findings themselves, which
        ``problems.json`` holds; ``.data["findings"]``: the setting applied.
    """
    findings = setting(run.brief.analysis, "findings", findings)
    ranked = run.load("findings")
    chosen = choose_problems(ranked, run.brief.synthesis.problems, findings)
    rank = {f["id"]: i + 1 for i, f in enumerate(ranked)}
    frame = pd.DataFrame(
        [{**{c: f.get(c) for c in PROBLEM_COLUMNS}, "rank": rank[f["id"]]} for f in chosen],
        columns=PROBLEM_COLUMNS,
    )
    if not chosen:
        block = heading(run.t("problem.stakes")) + say(run.t("problem.none", n=findings))
        return Section(block, frame, chosen=chosen, findings=findings)
    rows = pd.DataFrame(
        [
            {
                "problem": finding(run, f),
                "objective": f["objective"],
                "kpi": run.kpi(f["kpi"]).name(run.lang),
                "baseline": kpi_value(run, f["kpi"], f["value"]),
            }
            for f in chosen
        ]
    )
    source = (
        run.t("problem.source_brief")
        if run.brief.synthesis.problems
        else run.t("problem.source_top", n=findings)
    )
    first = chosen[0]
    block = (
        heading(run.t("problem.stakes"))
        + table(
            rows, {"objective": lab(run, "objective")}, headers(run, rows.columns), note=source, lang=run.lang
        )
        + say(
            run.t(
                "problem.say",
                problem=finding(run, first),
                objective=label("objective", first["objective"], run.lang),
            )
        )
    )
    return Section(block, frame, chosen=chosen, findings=findings)


def kpi_tree(run: Run, problems: Section) -> Section:
    """Business objective → social objective → KPIs, drawn as a tree: the brief's goals, and the
    stakes of :func:`problems` under "from the audit".

    Returns:
        ``.table``: one row per branch (business objective, social objective, KPI id);
        ``.figure``: the tree.
    """
    links = _links(run, problems.data["chosen"])
    fig = tree_figure(run, problems.data["chosen"])
    block = heading(run.t("problem.tree")) + figure(
        fig, run.t("problem.tree_alt"), run.t("problem.tree_note")
    )
    return Section(block, pd.DataFrame(links, columns=["business_objective", "objective", "kpi"]), fig)


def _links(run: Run, chosen: list[dict]) -> list[tuple[str, str, str]]:
    business = {b.id: b.label for b in run.brief.business_objectives}
    links = sorted(
        {(business.get(g.business_objective or "", "?"), g.objective, g.kpi) for g in run.brief.goals}
    )
    return links + sorted({(run.t("problem.from_audit"), f["objective"], f["kpi"]) for f in chosen})


#: The band above the boxes (in axes units, the boxes filling 0–1) where the column headers sit,
#: under the chart's title.
TREE_HEADER_BAND = 0.12


#: Characters per line of a box of the KPI tree (longer labels wrap inside their box).
TREE_BOX_CHARS = 30


def tree_figure(run: Run, chosen: list[dict]) -> Figure:
    """Business objective → social objective → KPI as three columns of boxes under their headers,
    ordered so that the links cross as little as possible (:func:`charts.layered_order`)."""
    links = _links(run, chosen)
    levels = charts.layered_order(
        [
            sorted({b for b, _, _ in links}),
            sorted({o for _, o, _ in links}),
            sorted({k for _, _, k in links}),
        ],
        links,
    )
    fig, ax = plt.subplots(figsize=(9, 0.6 * max(len(x) for x in levels) + 1.4))
    pos = {}
    for depth, names in enumerate(levels):
        for i, name in enumerate(names):
            y = 1 - (i + 0.5) / len(names)
            pos[(depth, name)] = (depth, y)
            text = (
                name
                if depth == 0
                else label("objective", name, run.lang)
                if depth == 1
                else run.kpi(name).name(run.lang)
            )
            ax.text(
                depth,
                y,
                "\n".join(textwrap.wrap(str(text), TREE_BOX_CHARS)) or str(text),
                ha="center",
                va="center",
                fontsize=8,
                zorder=3,
                bbox={"boxstyle": "round", "fc": "white", "ec": charts.brand_colour()},
            )
    drawn = set()
    for b, o, k in links:
        for a, z in (((0, b), (1, o)), ((1, o), (2, k))):
            if (a, z) not in drawn:  # centre to centre, under the boxes
                drawn.add((a, z))
                (x0, y0), (x1, y1) = pos[a], pos[z]
                ax.plot([x0, x1], [y0, y1], color="#b8c0c8", lw=1, zorder=1)
    ax.set_xlim(-0.55, 2.55)
    ax.set_ylim(0, 1 + TREE_HEADER_BAND)
    ax.axis("off")
    ax.set_title(run.t("problem.tree_title"))
    for depth, key in enumerate(("business", "social", "kpis")):
        ax.text(
            depth,
            1 + TREE_HEADER_BAND / 2,
            run.t(f"problem.level_{key}"),
            ha="center",
            va="center",
            fontsize=9,
            fontweight="bold",
        )
    fig.tight_layout()
    return fig


def save(run: Run, problems: Section) -> None:
    """``problems.json`` (the problems of :func:`problems`, each a finding of 02 with its KPI) for ``04``."""
    run.save("problems", problems.data["chosen"])
    run.save_notes()
