"""Sections of ``04_smart_goals``: each goal checked letter by letter, its trajectory, and
the objective → action → KPI table."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from helpers import kpis
from helpers.method import goals as goals_
from helpers.report import charts
from helpers.report.display import Block, card, figure, heading, say, table
from helpers.report.i18n import fmt_date, fmt_month, fmt_percent, label, unknown
from helpers.report.pages.common import finding, headers, kpi_value, lab
from helpers.report.words import letter_text
from helpers.run.context import Run

LETTERS = ("S", "M", "A", "R", "T")


def check(run: Run) -> list[goals_.GoalCheck]:
    return goals_.check_goals(run.brief, run.data.tables, run.end)


def overview(run: Run, checks: list[goals_.GoalCheck]) -> Block:
    if not checks:
        return heading(run.t("goals.table")) + say(run.t("goals.none"))
    rows = pd.DataFrame(
        [
            {
                "goal": c.label,
                "kpi": run.kpi(c.kpi).name(run.lang) if c.kpi in kpis.KPIS else c.kpi,
                "scope": label("channel", c.scope, run.lang),
                "baseline": kpi_value(run, c.kpi, c.baseline) if c.kpi in kpis.KPIS else unknown(run.lang),
                "target": kpi_value(run, c.kpi, c.target) if c.kpi in kpis.KPIS else unknown(run.lang),
                "deadline": fmt_date(dt.date.fromisoformat(c.deadline), run.lang),
                **{letter: "✓" if c.letters[letter]["pass"] else "✗" for letter in LETTERS},
                "achievability": c.achievability,
            }
            for c in checks
        ]
    )
    counts = rows["achievability"].value_counts()
    mark = {letter: (lambda v: "wb-ok" if v == "✓" else "wb-bad") for letter in LETTERS}
    return (
        heading(run.t("goals.table"))
        + table(
            rows,
            {"achievability": lab(run, "achievability")},
            headers(run, rows.columns),
            classes=mark,
            note=run.t("goals.table_note"),
        )
        + say(
            run.t(
                "goals.say",
                n=len(checks),
                smart=sum(c.smart for c in checks),
                likely=int(counts.get("likely", 0)),
                stretch=int(counts.get("stretch", 0)),
                unrealistic=int(counts.get("unrealistic", 0)),
            )
        )
    )


def goal_card(run: Run, c: goals_.GoalCheck) -> Block:
    """A goal's five letters with their reasons, its class, a correction if needed, its chart."""
    colon = " : " if run.lang == "fr" else ": "
    lines = [
        f"{letter} · {run.t('smart.letter_' + letter)}{colon}{letter_text(c.letters[letter], run.lang)}"
        for letter in LETTERS
    ]
    if not math.isnan(c.suggestion):
        lines.append(run.t("goals.suggestion", target=kpi_value(run, c.kpi, c.suggestion)))
    css = {"likely": "wb-ok", "stretch": "wb-warn"}.get(c.achievability, "wb-bad")
    block = card(f"{c.label} · {label('achievability', c.achievability, run.lang)}", lines, css)
    if c.kpi in kpis.goal_kpis() and not math.isnan(c.baseline):
        block += trajectory(run, c)
    return block


def details(run: Run, checks: list[goals_.GoalCheck]) -> Block:
    """One card per goal with the reason of every letter, its chart and a correction if needed."""
    block = heading(run.t("goals.details"))
    for c in checks:
        block += goal_card(run, c)
    return block


def trajectory(run: Run, c: goals_.GoalCheck) -> Block:
    history = goals_.monthly_series(c.kpi, c.scope, run.data.tables, run.brief).dropna()
    deadline = dt.date.fromisoformat(c.deadline)
    forecast = goals_.forecast(history, deadline)
    name = run.kpi(c.kpi).name(run.lang)
    title = run.t(
        "goals.chart_title",
        kpi=name,
        scope=label("channel", c.scope, run.lang),
        target=kpi_value(run, c.kpi, c.target),
        deadline=fmt_date(deadline, run.lang),
    )
    labels = {k: run.t(f"goals.chart_{k}") for k in ("history", "forecast", "interval", "target")}
    fig = charts.trajectory(
        history,
        forecast,
        pd.Timestamp(deadline),
        c.target,
        title,
        labels,
        lambda v: kpi_value(run, c.kpi, v),
        lambda d: fmt_month(d, run.lang),
    )
    return figure(fig, title, run.t("goals.chart_note"))


def traceability(run: Run, checks: list[goals_.GoalCheck]) -> Block:
    business = {b.id: b.label for b in run.brief.business_objectives}
    rows = pd.DataFrame(
        [
            {
                "business_objective": business.get(c.business_objective, "–"),
                "objective": c.objective,
                "goal": c.label,
                "action": action,
                "kpi": run.kpi(c.kpi).name(run.lang) if c.kpi in kpis.KPIS else c.kpi,
            }
            for c in checks
            for action in (c.actions or ["–"])
        ]
    )
    return heading(run.t("goals.trace")) + table(
        rows, {"objective": lab(run, "objective")}, headers(run, rows.columns)
    )


def suggestions(run: Run) -> Block:
    """A goal to consider for each objective of the problems (``problems.json`` of 03) that no
    goal of the brief covers."""
    problems = run.load("problems")
    proposed = goals_.suggested_goals(run.brief, problems)
    by_id = {p["id"]: p for p in problems}
    if not proposed:
        return Block("")
    lines = [
        run.t(
            "goals.suggested_line",
            objective=label("objective", p["objective"], run.lang),
            kpi=run.kpi(p["kpi"]).name(run.lang),
            because=finding(run, by_id[p["because"]]),
        )
        for p in proposed
    ]
    return heading(run.t("goals.suggested"), 3) + card(run.t("goals.suggested"), lines)


def save(run: Run, checks: list[goals_.GoalCheck]) -> None:
    """``goals.json`` (every goal checked) for ``07`` and the agency's portfolio."""
    run.save("goals", [c.as_dict() for c in checks])
    run.save_notes()


def summary_line(run: Run, c: goals_.GoalCheck) -> str:
    return run.t(
        "goals.summary_line",
        goal=c.label,
        kpi=run.kpi(c.kpi).name(run.lang) if c.kpi in kpis.KPIS else c.kpi,
        target=kpi_value(run, c.kpi, c.target) if c.kpi in kpis.KPIS else unknown(run.lang),
        achievability=label("achievability", c.achievability, run.lang),
        needed=fmt_percent(c.needed_monthly, run.lang, 1, signed=True),
    )
