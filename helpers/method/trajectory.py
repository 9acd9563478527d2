"""A goal's planned trajectory, kept from the run that set it, and its status against it.

**Set once, kept.** The run that sets a goal (``04``) measures its baseline on the data up to its
``baseline_date`` and plans its monthly trajectory to the deadline. A later run whose brief states
the same goal (same id, KPI, scope, target and deadline; a relative target is compared as the
value it gives on the kept baseline) keeps that run's ``baseline``, ``baseline_date``,
``baseline_window``, ``target`` and ``trajectory``, and records the run that set it (``set_in``):
a goal's baseline does not move each month. A goal whose KPI, scope, target or deadline changed is
set anew on this run's data, and says why (``reset``, :data:`RESETS`).

**Trajectory** (:func:`trajectory`): one expected value per month, from the month after the
``baseline_date``'s month to the deadline's month, the last one being the target:

* a flow or a rate: the straight line from the baseline to the target (equal monthly steps);
* a stock (the registry's ``goal: stock``, a cumulative series such as followers): a constant
  monthly growth rate from the baseline to the target, ``baseline × (target / baseline)^(i/n)``
  (unknown when either is not positive: no growth rate links them).

**Status against the trajectory** (:func:`against`): the months tracked are the full months of
data after the ``baseline_date`` up to the date of the latest data. Over them, the gap is the mean
of ``actual − expected``; the noise is the KPI's month-to-month spread on the baseline months (the
last :data:`~helpers.method.goals.BASELINE_MONTHS` full months up to the ``baseline_date``): the
standard deviation of the monthly values for a flow or a rate, of their monthly changes for a
stock (whose level grows). Read in the goal's direction, the gap in noise units decides: beyond
:data:`BEHIND_NOISE` units against the goal is ``behind``, beyond :data:`AHEAD_NOISE` units for
it is ``ahead``, between is ``on_track``. Without a month tracked (the run that sets the goal) or
without a measurable noise, :func:`against` gives no status and the forecast rule of
:func:`helpers.method.tracking.goal_status` applies.

Numbers and codes only; words are added at display time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pandas as pd

from helpers import kpis
from helpers.client.brief import Brief, Goal
from helpers.kpis._base import number as _number
from helpers.method import goals as goals_

#: A goal is behind when its mean gap to the trajectory, against the goal's direction, is beyond
#: one month-to-month noise unit: a gap of that size is more than a usual month's swing.
BEHIND_NOISE = 1.0
#: And ahead when that gap, in the goal's direction, is beyond one noise unit.
AHEAD_NOISE = 1.0
#: The statuses read against the trajectory.
STATUSES = ("ahead", "on_track", "behind")
#: Why a goal of a previous run was not kept: the field of the goal that changed, or ``new_goal``
#: (the previous run had no goal with that id), or ``no_baseline`` (it had no baseline to keep).
RESETS = (
    "new_goal", "kpi_changed", "scope_changed", "target_changed", "deadline_changed", "no_baseline",
)  # fmt: skip
#: The relative difference under which two targets are the same (rounding in ``goals.json``).
SAME_TARGET = 1e-9


def _month(day: dt.date | pd.Timestamp) -> pd.Timestamp:
    return pd.Timestamp(day).to_period("M").to_timestamp()


def trajectory(
    baseline: float, target: float, baseline_date: dt.date, deadline: dt.date, cumulative: bool
) -> list[dict]:
    """The goal's planned monthly trajectory (rule: the module's docstring).

    Args:
        baseline, target: the goal's starting value and its target.
        baseline_date: the date the baseline is measured at; the trajectory starts the month after.
        deadline: the goal's deadline; its month is the last one, expected at the target.
        cumulative: the KPI is a stock (:func:`helpers.method.goals.is_cumulative`): a constant
            monthly growth rate; otherwise a straight line.

    Returns:
        ``[{"month": "YYYY-MM", "expected": x}, ...]``; ``expected`` is NaN where unknown (an
        unknown baseline or target, a stock's non-positive one); empty when the deadline's month
        is not after the baseline's.
    """
    start, end = _month(baseline_date), _month(deadline)
    n = (end.year - start.year) * 12 + end.month - start.month
    out = []
    for i in range(1, n + 1):
        if math.isnan(baseline) or math.isnan(target):
            expected = math.nan
        elif cumulative:
            expected = baseline * (target / baseline) ** (i / n) if baseline > 0 and target > 0 else math.nan
        else:
            expected = baseline + (target - baseline) * i / n
        out.append({"month": f"{start + pd.DateOffset(months=i):%Y-%m}", "expected": expected})
    return out


def kept_or_reset(goal: Goal, previous: list[dict] | None) -> tuple[dict | None, str | None]:
    """The previous run's record of ``goal`` to keep, or why it is set anew.

    Args:
        goal: the goal as this run's brief states it.
        previous: the previous run's ``goals.json`` (None without a previous run).

    Returns:
        ``(record, None)`` when the previous run set the same goal; ``(None, code)`` with a code of
        :data:`RESETS` when it did not; ``(None, None)`` without a previous run.
    """
    if previous is None:
        return None, None
    record = next((g for g in previous if isinstance(g, dict) and g.get("id") == goal.id), None)
    if record is None:
        return None, "new_goal"
    if record.get("kpi") != goal.kpi:
        return None, "kpi_changed"
    if record.get("scope") != goal.scope:
        return None, "scope_changed"
    if record.get("deadline") != goal.deadline.isoformat():
        return None, "deadline_changed"
    baseline = _number(record.get("baseline"))
    if math.isnan(baseline) or not record.get("baseline_date"):
        return None, "no_baseline"
    stated = goal.target.value if goal.target.value is not None else baseline * (1 + goal.target.relative)
    kept = _number(record.get("target"))
    if math.isnan(kept) or not math.isclose(stated, kept, rel_tol=SAME_TARGET):
        return None, "target_changed"
    return record, None


def set_goals(
    brief: Brief,
    tables: dict[str, pd.DataFrame],
    baseline_date: dt.date,
    confidence: float,
    run_id: str,
    previous: list[dict] | None = None,
    previous_run: str = "",
) -> list[goals_.GoalCheck]:
    """Every goal of the brief checked (:func:`helpers.method.goals.check_goal`), kept from the
    previous run that set it or set anew on this run's data (rule: the module's docstring).

    A kept goal is checked again from its own ``baseline_date`` with its kept baseline (so its
    needed monthly change is the one planned, whatever revision the data had since).

    Args:
        baseline_date: this run's date for the goals it sets (the end of its data).
        run_id: this run's id, the ``set_in`` of a goal set anew.
        previous: the previous run's ``goals.json``; ``previous_run`` its id.
    """
    checks = []
    for goal in brief.goals:
        record, reset = kept_or_reset(goal, previous)
        if record is None:
            check = goals_.check_goal(goal, brief, tables, baseline_date, confidence)
            plan = trajectory(
                check.baseline, check.target, baseline_date, goal.deadline, goals_.is_cumulative(goal.kpi)
            )
            checks.append(dataclasses.replace(check, trajectory=plan, set_in=run_id, reset=reset or ""))
            continue
        since = dt.date.fromisoformat(record["baseline_date"])
        baseline, target = _number(record["baseline"]), _number(record["target"])
        window = str(record.get("baseline_window") or "")
        check = goals_.check_goal(goal, brief, tables, since, confidence, kept=(baseline, window))
        plan = record.get("trajectory") or trajectory(
            baseline, target, since, goal.deadline, goals_.is_cumulative(goal.kpi)
        )
        checks.append(
            dataclasses.replace(
                check,
                target=target,
                trajectory=[{"month": p["month"], "expected": _number(p["expected"])} for p in plan],
                set_in=str(record.get("set_in") or previous_run),
                reset="",
            )
        )
    return checks


def plan_of(goal: dict) -> pd.Series:
    """A ``goals.json`` goal's trajectory as a series (index: each month's first day); computed
    by :func:`trajectory` for a goal an older run saved without one."""
    plan = goal.get("trajectory")
    if not plan:
        plan = trajectory(
            _number(goal.get("baseline")),
            _number(goal.get("target")),
            dt.date.fromisoformat(goal["baseline_date"]),
            dt.date.fromisoformat(goal["deadline"]),
            goals_.is_cumulative(goal["kpi"]),
        )
    return pd.Series(
        [_number(p["expected"]) for p in plan],
        index=pd.DatetimeIndex([pd.Timestamp(f"{p['month']}-01") for p in plan]),
        dtype=float,
    )


def _full_months(series: pd.Series, after: dt.date | None, until: dt.date) -> pd.Series:
    """The months of ``series`` that start after ``after`` and end by ``until``."""
    index = pd.DatetimeIndex(series.index)
    ends = index + pd.offsets.MonthEnd(0)
    keep = ends <= pd.Timestamp(until)
    if after is not None:
        keep &= index > pd.Timestamp(after)
    return series[keep]


def noise(series: pd.Series, baseline_date: dt.date, cumulative: bool) -> float:
    """The KPI's month-to-month noise on the baseline months: the standard deviation of the last
    :data:`~helpers.method.goals.BASELINE_MONTHS` full monthly values up to ``baseline_date`` (of
    their monthly changes for a stock); NaN with fewer than two values to spread."""
    before = _full_months(series.dropna(), None, baseline_date).tail(goals_.BASELINE_MONTHS)
    values = before.diff().dropna() if cumulative else before
    return float(values.std(ddof=1)) if len(values) >= 2 else math.nan


def against(goal: dict, series: pd.Series, as_of: dt.date) -> dict:
    """Where a goal stands against its trajectory (rule: the module's docstring).

    Args:
        goal: a goal of ``goals.json`` (``kpi``, ``baseline``, ``target``, ``baseline_date``,
            ``deadline``, and its ``trajectory`` when saved with one).
        series: the KPI month by month on the goal's scope.
        as_of: the date of the latest data.

    Returns:
        ``months_tracked`` (full months after the ``baseline_date`` with a value and a planned
        one), ``trajectory_expected`` (the plan at the latest of them), ``trajectory_gap`` (the
        mean of actual − expected over them, in the KPI's unit), ``trajectory_noise`` and
        ``status``: one of :data:`STATUSES`, or None when no month is tracked or the noise is
        unknown (the forecast rule then decides).
    """
    out = {
        "trajectory_expected": math.nan,
        "trajectory_gap": math.nan,
        "trajectory_noise": math.nan,
        "months_tracked": 0,
        "status": None,
    }
    if goal.get("kpi") not in kpis.KPIS or not goal.get("baseline_date"):
        return out
    set_on = dt.date.fromisoformat(goal["baseline_date"])
    cumulative = goals_.is_cumulative(goal["kpi"])
    plan = plan_of(goal).dropna()
    actual = _full_months(series.dropna(), set_on, as_of)
    actual.index = pd.DatetimeIndex(actual.index)
    both = pd.concat({"actual": actual, "expected": plan}, axis=1, join="inner").dropna()
    if both.empty:
        return out
    gap = float((both["actual"] - both["expected"]).mean())
    spread = noise(series, set_on, cumulative)
    out.update(
        trajectory_expected=float(both["expected"].iloc[-1]),
        trajectory_gap=gap,
        trajectory_noise=spread,
        months_tracked=len(both),
    )
    if math.isnan(spread):
        return out
    sign = 1 if kpis.KPIS[goal["kpi"]].higher_is_better else -1
    units = sign * gap / spread if spread > 0 else math.copysign(math.inf, sign * gap) if gap else 0.0
    out["status"] = "behind" if units < -BEHIND_NOISE else "ahead" if units > AHEAD_NOISE else "on_track"
    return out
