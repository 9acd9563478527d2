"""Section of ``07_tracking`` after the goal statuses: each goal against the trajectory planned
when it was set (:mod:`helpers.method.trajectory`)."""

from __future__ import annotations

import datetime as dt
import math

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from helpers import kpis
from helpers.method import goals as goals_
from helpers.method import trajectory as traj
from helpers.report import charts
from helpers.report.display import Block, Section, figure, heading, say
from helpers.report.i18n import fmt_date, fmt_month, fmt_number
from helpers.report.pages.common import kpi_value
from helpers.run.context import Run

#: The columns of the section's table: one row per goal and month charted.
COLUMNS = ["goal", "month", "actual", "expected"]


def _shown(goal: dict) -> bool:
    """Whether a goal can be charted: a goal KPI, a baseline, a date it was set on."""
    baseline = goal.get("baseline")
    return (
        goal.get("kpi") in kpis.goal_kpis()
        and baseline is not None
        and not math.isnan(float(baseline))
        and bool(goal.get("baseline_date"))
    )


def against_plan(run: Run, status: Section) -> Section:
    """Each goal of ``goals.json`` against its planned trajectory: how many goals the months
    since they were set put ahead, on track or behind (the rule's thresholds in the note), and per
    goal a chart of the planned trajectory (dashed), the actual months (solid, the baseline months
    included), the target and the deadline, titled with the goal's label.

    Nothing shows (no heading either) on a run without a previous one (a client's first run, or
    ``--since none``): its goals are set by this very run, their months still to come.

    Args:
        status: the section of :func:`helpers.report.pages.tracking.statuses` (its table gives
            each goal's ``months_tracked`` and status).

    Returns:
        ``.table``: one row per goal and month charted (goal id, month, actual, expected);
        ``.figure``: the first goal's chart; ``.data["figures"]``: each charted goal's, by id.
    """
    empty = Section(Block(""), pd.DataFrame(columns=COLUMNS), None, figures={})
    if run.previous is None or status.table.empty:
        return empty
    goals = [g for g in run.load("goals") if _shown(g)]
    if not goals:
        return empty
    block = heading(run.t("trajectory.title")) + say(run.t("trajectory.chart_note"))
    table_ = status.table
    tracked = table_[(table_["months_tracked"].fillna(0) > 0) & table_["status"].isin(traj.STATUSES)]
    if len(tracked):
        counts = tracked["status"].value_counts()
        block += say(
            run.t(
                "trajectory.say",
                n=len(tracked),
                ahead=int(counts.get("ahead", 0)),
                on_track=int(counts.get("on_track", 0)),
                behind=int(counts.get("behind", 0)),
            ),
            run.t(
                "trajectory.status_note",
                behind=fmt_number(traj.BEHIND_NOISE, run.lang, 1),
                ahead=fmt_number(traj.AHEAD_NOISE, run.lang, 1),
            ),
        )
    figures, rows = {}, []
    for goal in goals:
        fig, frame = _chart(run, goal)
        figures[goal["id"]] = fig
        caption = run.t(
            "trajectory.chart_caption",
            kpi=run.kpi(goal["kpi"]).name(run.lang) if goal.get("kpi") in kpis.KPIS else "",
            target=kpi_value(run, goal["kpi"], goal["target"]) if goal.get("kpi") in kpis.KPIS else "",
            deadline=fmt_date(dt.date.fromisoformat(str(goal["deadline"])), run.lang),
        )
        block += figure(fig, run.t("trajectory.chart_alt", goal=_label(goal)), caption)
        rows.append(frame)
    frame = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=COLUMNS)
    return Section(block, frame, next(iter(figures.values()), None), figures=figures)


def _label(goal: dict) -> str:
    return str(goal.get("label") or goal["id"])


def _chart(run: Run, goal: dict) -> tuple[Figure, pd.DataFrame]:
    """One goal's chart, and the values it draws (goal id, month, actual, expected)."""
    set_on = dt.date.fromisoformat(goal["baseline_date"])
    deadline = dt.date.fromisoformat(goal["deadline"])
    series = goals_.monthly_series(goal["kpi"], goal["scope"], run.data.tables, run.brief).dropna()
    series.index = pd.DatetimeIndex(series.index)
    baseline_month = pd.Timestamp(set_on).to_period("M").to_timestamp()
    first = baseline_month - pd.DateOffset(months=goals_.BASELINE_MONTHS - 1)
    window = str(goal.get("baseline_window") or "")
    if window:
        first = min(first, pd.Timestamp(window.split("/")[0]).to_period("M").to_timestamp())
    actual = series[series.index >= first]
    plan = traj.plan_of(goal)
    baseline = float(goal["baseline"])
    planned = pd.concat([pd.Series([baseline], index=[baseline_month]), plan])
    fig, ax = plt.subplots(figsize=(8, 3.6))
    ax.plot(actual.index, actual.to_numpy(dtype=float), marker="o", ms=3, color=charts.brand_colour(),
            label=run.t("trajectory.actual"))  # fmt: skip
    ax.plot(planned.index, planned.to_numpy(dtype=float), ls="--", color="#5b6570",
            label=run.t("trajectory.planned"))  # fmt: skip
    target = goal.get("target")
    end = pd.Timestamp(deadline).to_period("M").to_timestamp()
    if target is not None and not math.isnan(float(target)):
        ax.scatter([end], [float(target)], marker="*", s=180, color="#b3261e", zorder=5,
                   label=run.t("trajectory.target"))  # fmt: skip
    ax.axvline(end, ls=":", color="#b3261e", lw=1, label=run.t("trajectory.deadline"))
    ax.set_title(_label(goal))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: kpi_value(run, goal["kpi"], v)))
    ax.xaxis.set_major_locator(mdates.MonthLocator(interval=2))
    months_axis = FuncFormatter(lambda x, _pos: fmt_month(mdates.num2date(x).date(), run.lang))
    ax.xaxis.set_major_formatter(months_axis)
    ax.legend(loc="best", fontsize=8)
    fig.autofmt_xdate()
    fig.tight_layout()
    months = actual.index.union(plan.index)
    frame = pd.DataFrame(
        {
            "goal": goal["id"],
            "month": [f"{m:%Y-%m}" for m in months],
            "actual": actual.reindex(months).to_numpy(dtype=float),
            "expected": plan.reindex(months).to_numpy(dtype=float),
        },
        columns=COLUMNS,
    )
    return fig, frame
