"""Sections of ``04_smart_goals``: each goal checked letter by letter, its trajectory, and
the objective → action → KPI table."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
from matplotlib.figure import Figure

from helpers import kpis
from helpers.method import goals as goals_
from helpers.method import trajectory
from helpers.report import charts
from helpers.report.display import Block, Section, card, escape, figure, heading, say, table
from helpers.report.i18n import fmt_date, fmt_month, fmt_percent, label, unknown
from helpers.report.pages.common import finding, headers, kpi_value, lab, method_link
from helpers.report.words import letter_text
from helpers.run.context import Run
from helpers.run.settings import setting

LETTERS = ("S", "M", "A", "R", "T")
#: The colour of each achievability class (``templates/blocks.css``).
CLASS_CSS = {
    "likely": "wb-ok",
    "uncertain": "wb-warn",
    "stretch": "wb-warn",
    "unrealistic": "wb-bad",
    "unknown": "wb-muted",
}
#: The figures of a goal check that ``.table`` holds, raw (rates as fractions, dates as text).
CHECK_COLUMNS = [
    "id",
    "label",
    "objective",
    "kpi",
    "scope",
    "baseline",
    "target",
    "deadline",
    *LETTERS,
    "smart",
    "needed_monthly",
    "trend_monthly",
    "trend_se",
    "trend_low",
    "trend_high",
    "forecast",
    "forecast_low",
    "forecast_high",
    "best_competitor",
    "competitor_monthly",
    "achievability",
    "suggestion",
]


def _level(run: Run, confidence: float) -> str:
    return fmt_percent(confidence, run.lang, 0)


def check(run: Run, confidence: float | None = None) -> Section:
    """Every goal of the brief checked letter by letter (S, M, A, R, T), with its baseline (the
    last value, or the mean of the last three months for a flow KPI), its target and its
    achievability: the monthly change it needs against the KPI's trend over the period and the
    best competitor's pace (:func:`helpers.method.goals.check_goal`).

    Args:
        confidence: level of the trend's interval (default: the brief's ``analysis.confidence``,
            0.95): a goal is uncertain when that interval includes no change and the needed
            rate; beyond the trend, a stretch up to the interval's upper bound (or the best
            competitor's pace), unrealistic beyond.

    Returns:
        ``.table``: one row per goal (ids, baseline, target, deadline, each letter passed or not,
        needed and trend monthly rates, the trend's standard error and interval, the forecast at
        the deadline with its prediction interval, the best competitor's pace, achievability, a
        corrected target in the goal's direction where the goal is unrealistic);
        ``.data["checks"]``: the :class:`~helpers.method.goals.GoalCheck` list, which
        ``goals.json`` holds, each goal kept from the previous run that set it (its baseline and
        planned trajectory) or set anew (:func:`helpers.method.trajectory.set_goals`);
        ``.data["confidence"]``: the level applied.
    """
    confidence = setting(run.brief.analysis, "confidence", confidence)
    previous = run.previous
    checks = trajectory.set_goals(
        run.brief, run.data.tables, run.end, confidence, run.run_dir.name,
        run.previous_load("goals"), previous.run_id if previous is not None else "",
    )  # fmt: skip
    rows = [{**c.as_dict(), **{letter: c.letters[letter]["pass"] for letter in LETTERS}} for c in checks]
    frame = pd.DataFrame(rows, columns=CHECK_COLUMNS)
    return Section(_overview(run, checks, confidence), frame, checks=checks, confidence=confidence)


def _overview(run: Run, checks: list[goals_.GoalCheck], confidence: float) -> Block:
    """The goals table: KPI, scope, baseline, target, deadline, the five letters, achievability."""
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
            note=run.t("goals.table_note", level=_level(run, confidence))
            + " "
            + method_link(run, "forecasts"),
            lang=run.lang,
        )
        + say(
            run.t(
                "goals.say",
                n=len(checks),
                smart=sum(c.smart for c in checks),
                likely=int(counts.get("likely", 0)),
                uncertain=int(counts.get("uncertain", 0)),
                stretch=int(counts.get("stretch", 0)),
                unrealistic=int(counts.get("unrealistic", 0)),
            )
        )
    )


def goal_card(run: Run, c: goals_.GoalCheck, confidence: float | None = None) -> Block:
    """A goal's five letters with their reasons, its class, a correction if needed, and its
    trajectory chart with an interval at ``confidence`` (default: the brief's
    ``analysis.confidence``)."""
    return _card(run, c, setting(run.brief.analysis, "confidence", confidence))[0]


def _card(
    run: Run, c: goals_.GoalCheck, confidence: float
) -> tuple[Block, Figure | None, pd.DataFrame | None]:
    colon = " : " if run.lang == "fr" else ": "
    lines: list[str | Block] = []
    for letter in LETTERS:
        passed = c.letters[letter]["pass"]
        text = (
            f"{letter} · {run.t('smart.letter_' + letter)}{colon}{letter_text(c.letters[letter], run.lang)}"
        )
        lines.append(
            Block(
                f'<div class="wb-letter {"wb-pass" if passed else "wb-fail"}">'
                f'<span class="wb-mark">{"✓" if passed else "✗"}</span>{escape(text)}</div>'
            )
        )
    if not math.isnan(c.suggestion):
        key = "goals.suggestion_hold" if c.suggestion_kind == "hold" else "goals.suggestion"
        lines.append(run.t(key, target=kpi_value(run, c.kpi, c.suggestion)))
    css = CLASS_CSS.get(c.achievability, "wb-muted")
    block = card(f"{c.label} · {label('achievability', c.achievability, run.lang)}", lines, css)
    if c.kpi in kpis.goal_kpis() and not math.isnan(c.baseline):
        chart, fig, predicted = _trajectory(run, c, confidence)
        return block + chart, fig, predicted
    return block, None, None


def details(run: Run, goals: Section) -> Section:
    """One card per goal of :func:`check` with the reason of every letter, a correction if
    needed, and its trajectory: the KPI month by month, its trend to the deadline with a
    prediction interval at the level ``goals`` was checked with, and the target.

    Returns:
        ``.table``: one row per goal and letter (goal id, letter, passed, the reason's message id);
        ``.figure``: the first goal's chart; ``.data["figures"]`` and ``.data["forecasts"]``: each
        charted goal's chart and forecast (mean, low, high per month), by goal id.
    """
    confidence = goals.data["confidence"]
    block = heading(run.t("goals.details"))
    figures, forecasts = {}, {}
    for c in goals.data["checks"]:
        part, fig, predicted = _card(run, c, confidence)
        block += part
        if fig is not None:
            figures[c.id], forecasts[c.id] = fig, predicted
    rows = [
        {
            "goal": c.id,
            "letter": letter,
            "pass": c.letters[letter]["pass"],
            "reason": c.letters[letter]["message"],
        }
        for c in goals.data["checks"]
        for letter in LETTERS
    ]
    frame = pd.DataFrame(rows, columns=["goal", "letter", "pass", "reason"])
    first = next(iter(figures.values()), None)
    return Section(block, frame, first, figures=figures, forecasts=forecasts)


def _trajectory(run: Run, c: goals_.GoalCheck, confidence: float) -> tuple[Block, Figure, pd.DataFrame]:
    """A goal's chart: history, trend forecast to the deadline with its prediction interval, and
    target."""
    history = goals_.monthly_series(c.kpi, c.scope, run.data.tables, run.brief).dropna()
    deadline = dt.date.fromisoformat(c.deadline)
    predicted = goals_.forecast_kpi(history, c.kpi, deadline, confidence)
    name = run.kpi(c.kpi).name(run.lang)
    title = run.t(
        "goals.chart_title",
        kpi=name,
        scope=label("channel", c.scope, run.lang),
        target=kpi_value(run, c.kpi, c.target),
        deadline=fmt_date(deadline, run.lang),
    )
    level = _level(run, confidence)
    labels = {
        k: run.t(f"goals.chart_{k}", level=level) for k in ("history", "forecast", "interval", "target")
    }
    fig = charts.trajectory(
        history,
        predicted,
        pd.Timestamp(deadline),
        c.target,
        title,
        labels,
        lambda v: kpi_value(run, c.kpi, v),
        lambda d: fmt_month(d, run.lang),
    )
    note = run.t("goals.chart_note", level=level) + " " + method_link(run, "forecasts")
    return figure(fig, title, note), fig, predicted


def traceability(run: Run, goals: Section) -> Section:
    """Objective → action → KPI: each goal of :func:`check` with the business objective it
    serves and the actions the brief plans for it.

    Returns:
        ``.table``: one row per goal and action (business objective id, objective, goal id,
        action, KPI id).
    """
    checks = goals.data["checks"]
    business = {b.id: b.label for b in run.brief.business_objectives}
    raw = pd.DataFrame(
        [
            {
                "business_objective": c.business_objective,
                "objective": c.objective,
                "goal": c.id,
                "action": action,
                "kpi": c.kpi,
            }
            for c in checks
            for action in (c.actions or ["–"])
        ],
        columns=["business_objective", "objective", "goal", "action", "kpi"],
    )
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
        ],
        columns=raw.columns,
    )
    block = heading(run.t("goals.trace")) + table(
        rows, {"objective": lab(run, "objective")}, headers(run, rows.columns), lang=run.lang
    )
    return Section(block, raw)


def suggestions(run: Run) -> Section:
    """A goal to consider for each objective of the problems (``problems.json`` of ``03``) that
    no goal of the brief covers: +10 % on the problem's KPI by the end of the plan.

    Returns:
        ``.table``: one row per suggested goal (objective, KPI, scope, relative target, deadline,
        the finding it answers); empty, and nothing shown, when every objective has a goal.
    """
    problems = run.load("problems")
    proposed = goals_.suggested_goals(run.brief, problems)
    columns = ["objective", "kpi", "scope", "relative_target", "deadline", "because"]
    frame = pd.DataFrame(
        [{**p, "relative_target": p["target"]["relative"]} for p in proposed], columns=columns
    )
    if not proposed:
        return Section(Block(""), frame)
    by_id = {p["id"]: p for p in problems}
    lines = [
        run.t(
            "goals.suggested_line",
            objective=label("objective", p["objective"], run.lang),
            kpi=run.kpi(p["kpi"]).name(run.lang),
            because=finding(run, by_id[p["because"]]),
        )
        for p in proposed
    ]
    return Section(heading(run.t("goals.suggested"), 3) + card(run.t("goals.suggested"), lines), frame)


def save(run: Run, goals: Section) -> None:
    """``goals.json`` (every goal of :func:`check`) for ``07`` and the agency's portfolio."""
    run.save("goals", [c.as_dict() for c in goals.data["checks"]])
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
