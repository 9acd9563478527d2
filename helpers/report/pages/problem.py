"""Sections of ``03_problem_statement``: the stakes, mapped to objectives and KPIs."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from helpers.method.problem import choose_problems
from helpers.report import charts
from helpers.report.display import Block, figure, heading, say, table
from helpers.report.i18n import label
from helpers.report.pages.common import finding, headers, kpi_value, lab
from helpers.run.context import Run


def problems(run: Run, count: int = 3) -> list[dict]:
    """The problems to state (:func:`helpers.method.problem.choose_problems`): the brief's
    ``synthesis.problems`` if set, else the ``count`` most severe defects of ``findings.json``."""
    return choose_problems(run.load("findings"), run.brief.synthesis.problems, count)


def statement(run: Run, chosen: list[dict]) -> Block:
    if not chosen:
        return heading(run.t("problem.stakes")) + say(run.t("problem.none"))
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
    first = chosen[0]
    return (
        heading(run.t("problem.stakes"))
        + table(rows, {"objective": lab(run, "objective")}, headers(run, rows.columns))
        + say(
            run.t(
                "problem.say",
                problem=finding(run, first),
                objective=label("objective", first["objective"], run.lang),
            )
        )
    )


def kpi_tree(run: Run, chosen: list[dict]) -> Block:
    """Business objective → social objective → KPIs, drawn as a tree."""
    fig = tree_figure(run, chosen)
    return heading(run.t("problem.tree")) + figure(fig, run.t("problem.tree_alt"), run.t("problem.tree_note"))


def tree_figure(run: Run, chosen: list[dict]) -> Figure:
    goals = run.brief.goals
    business = {b.id: b.label for b in run.brief.business_objectives}
    links = sorted({(business.get(g.business_objective or "", "?"), g.objective, g.kpi) for g in goals})
    links += sorted({(run.t("problem.from_audit"), f["objective"], f["kpi"]) for f in chosen})
    levels = [
        sorted({b for b, _, _ in links}),
        sorted({o for _, o, _ in links}),
        sorted({k for _, _, k in links}),
    ]
    fig, ax = plt.subplots(figsize=(9, 0.55 * max(len(x) for x in levels) + 1.5))
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
                text,
                ha="center",
                va="center",
                fontsize=8,
                wrap=True,
                bbox={"boxstyle": "round", "fc": "white", "ec": charts.brand_colour()},
            )
    for b, o, k in links:
        for a, z in (((0, b), (1, o)), ((1, o), (2, k))):
            (x0, y0), (x1, y1) = pos[a], pos[z]
            ax.plot([x0 + 0.18, x1 - 0.18], [y0, y1], color="#b8c0c8", lw=1, zorder=0)
    ax.set_xlim(-0.5, 2.5)
    ax.set_ylim(0, 1)
    ax.axis("off")
    ax.set_title(run.t("problem.tree_title"))
    for depth, key in enumerate(("business", "social", "kpis")):
        ax.text(depth, 1.02, run.t(f"problem.level_{key}"), ha="center", fontsize=9, fontweight="bold")
    fig.tight_layout()
    return fig


def save(run: Run, chosen: list[dict]) -> None:
    """``problems.json`` (the problems stated, each a finding of 02 with its KPI) for ``04``."""
    run.save("problems", chosen)
    run.save_notes()
