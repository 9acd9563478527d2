"""Step 7, tracking and ROI: where each goal stands, and what the work brought.

Goal status, at the date of the latest data (``as_of``), read in the KPI's direction:

* achieved / missed: the deadline has passed; the final figure (the deadline's month, or the
  latest month before it) met the target or not;
* reached: before the deadline, the latest value already meets the target (what is left is to
  keep it there), so a goal whose figures show it met is never "at risk";
* ahead / on track / behind: once there are full months of data after the goal's
  ``baseline_date`` (a later run than the one that set it), the mean gap of those months to the
  goal's planned trajectory, in units of the KPI's month-to-month noise
  (:func:`helpers.method.trajectory.against`, whose docstring states the rule);
* otherwise (the run that sets the goal), the forecast: on track when the KPI's forecast at the
  deadline (the trend of :func:`helpers.method.goals.forecast`, the model of the KPI's kind)
  reaches the target, at risk when it falls short of it;
* unknown: no data, or too few months to forecast from.

Without tracked months the forecast decides, so a status never contradicts the forecast shown
beside it. Its prediction
interval at the brief's ``analysis.confidence`` comes with it (how sure the forecast is), and the
straight path from the baseline to the target (``expected``) is given for reference only: the
latest month of a flow or a rate is one month where the baseline is a mean of several, and
comparing the two called a goal "at risk" on one month's noise while its forecast beat its target.

ROI per network = (return − cost) / cost, where cost = team hours × the brief's hourly
cost + money spent (spend table), and return = revenue the CRM attributes to the network
(leads table: the network that brought the lead, as recorded by the CRM).
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from helpers import kpis
from helpers.kpis._base import known_sum as _known_sum
from helpers.kpis._base import number as _number
from helpers.method import trajectory as traj
from helpers.method.goals import at_deadline, forecast_kpi, monthly_series


def goal_status(goal: dict, tables: dict[str, pd.DataFrame], brief, as_of: dt.date) -> dict:
    """Status of one goal of ``goals.json`` against the latest data (rule: the module's docstring).

    Returns:
        The goal's ids, target, baseline and deadline, with ``actual`` (the latest month),
        ``expected`` (the straight path at ``as_of``), ``forecast`` at the deadline with
        ``forecast_low`` and ``forecast_high`` (its prediction interval at the brief's
        ``analysis.confidence``), ``gap`` (latest value against the target), the trajectory's
        figures (``trajectory_expected``, ``trajectory_gap``, ``trajectory_noise``,
        ``months_tracked``: :func:`helpers.method.trajectory.against`) and ``status``: achieved,
        missed, reached, ahead, on_track, behind, at_risk, or unknown without data. A closed goal's
        ``actual`` is its final figure, at the deadline's month.
    """
    series = (
        monthly_series(goal["kpi"], goal["scope"], tables, brief).dropna()
        if goal["kpi"] in kpis.goal_kpis()
        else pd.Series(dtype=float)
    )
    out = {
        "id": goal["id"],
        "label": goal.get("label") or goal["id"],
        "kpi": goal["kpi"],
        "scope": goal["scope"],
        "target": goal["target"],
        "baseline": goal["baseline"],
        "deadline": goal["deadline"],
        "actual": math.nan,
        "expected": math.nan,
        "forecast": math.nan,
        "forecast_low": math.nan,
        "forecast_high": math.nan,
        "gap": math.nan,
        "trajectory_expected": math.nan,
        "trajectory_gap": math.nan,
        "trajectory_noise": math.nan,
        "months_tracked": 0,
        "status": "unknown",
    }
    target, baseline = _number(goal["target"]), _number(goal["baseline"])
    if series.empty or math.isnan(target) or math.isnan(baseline):
        return out
    higher = kpis.KPIS[goal["kpi"]].higher_is_better
    deadline = dt.date.fromisoformat(goal["deadline"])
    closed = as_of >= deadline
    final = series[pd.DatetimeIndex(series.index) <= pd.Timestamp(deadline)] if closed else series
    if final.empty:
        return out  # closed before its first month of data: no final figure
    actual = float(final.iloc[-1])
    set_on = dt.date.fromisoformat(goal["baseline_date"])
    span = max((deadline - set_on).days, 1)
    progress = min(max((as_of - set_on).days / span, 0.0), 1.0)
    expected = baseline + (target - baseline) * progress
    predicted = forecast_kpi(series, goal["kpi"], deadline, brief.analysis.confidence)
    mean, low, high = at_deadline(predicted)
    sign = 1 if higher else -1
    out.update(
        actual=actual,
        expected=expected,
        forecast=mean,
        forecast_low=low,
        forecast_high=high,
        gap=(actual - target) / target if target else math.nan,
    )
    met = sign * (actual - target) >= 0
    against = traj.against(goal, series, min(as_of, deadline))
    status = against.pop("status")
    out.update(against)
    if closed:
        out["status"] = "achieved" if met else "missed"
    elif met:
        out["status"] = "reached"
    elif status is not None:
        out["status"] = status
    elif math.isnan(mean):
        out["status"] = "unknown"  # no trend to forecast from (fewer than three months)
    else:
        out["status"] = "on_track" if sign * (mean - target) >= 0 else "at_risk"
    return out


#: Columns of :func:`roi_table` that its ``total`` row sums (over the networks where they are known).
TOTALLED = ("hours", "time_cost", "money", "cost", "reach", "followers_gained", "leads", "sqls", "revenue")


def roi_table(
    spend: pd.DataFrame,
    leads: pd.DataFrame,
    posts: pd.DataFrame,
    followers: pd.DataFrame,
    hourly_cost: float,
    channels: list[str],
    start: dt.date,
    end: dt.date,
) -> pd.DataFrame:
    """Per network and in total: what was invested and what it brought, and the ROI.

    Unknown stays unknown (NaN), never 0:

    * reach is the sum over the network's posts whose reach the platform gives; unknown when it
      gives none (LinkedIn, X and TikTok exports often carry no per-post reach); 0 only for a
      network without a post in the period;
    * hours and money are unknown for a network the spend table records nothing for (an hour
      nobody logged is not an hour not spent), and every network's when there is no spend table;
    * leads, SQLs and revenue are unknown without a CRM extract (an empty leads table); with
      one, a network it attributes nothing to brought 0;
    * cost and ROI are unknown when a part of them is.

    The ``total`` row sums each column over the networks where it is known
    (:func:`total_coverage` says which), and its ROI is computed over the networks whose cost and
    revenue are both known.
    """
    rows = []
    growth = kpis.growth_rate(followers, start, end) if len(followers) else pd.Series(dtype=float)
    gained = (
        (
            kpis.community_size(followers, at=pd.Timestamp(end))
            - kpis.community_size(followers, at=pd.Timestamp(start))
        )
        if len(followers)
        else pd.Series()
    )
    for channel in channels:
        s = spend[spend["channel"] == channel]
        ld = leads[leads["channel"] == channel]
        p = posts[posts["channel"] == channel]
        hours = _known_sum(s["hours"]) if len(s) else math.nan
        money = _known_sum(s["amount"]) if len(s) else math.nan
        cost = hours * hourly_cost + money
        revenue = (_known_sum(ld["revenue"]) if len(ld) else 0.0) if len(leads) else math.nan
        rows.append(
            {
                "channel": channel,
                "hours": hours,
                "time_cost": hours * hourly_cost,
                "money": money,
                "cost": cost,
                "reach": _known_sum(p["reach"]) if len(p) else 0.0,
                "followers_gained": float(gained.get(channel, math.nan)),
                "follower_growth": float(growth.get(channel, math.nan)),
                "leads": (_known_sum(ld["leads"]) if len(ld) else 0.0) if len(leads) else math.nan,
                "sqls": (_known_sum(ld["sqls"]) if len(ld) else 0.0) if len(leads) else math.nan,
                "revenue": revenue,
                "roi": kpis.roi(revenue, cost) if not (math.isnan(revenue) or math.isnan(cost)) else math.nan,
            }
        )
    table = pd.DataFrame(rows)
    total: dict[str, object] = {"channel": "total"}
    for column in TOTALLED:
        total[column] = _known_sum(table[column])
    total["follower_growth"] = math.nan
    both = table[table["cost"].notna() & table["revenue"].notna()]
    total["roi"] = kpis.roi(both["revenue"].sum(), both["cost"].sum()) if len(both) else math.nan
    table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    return table.astype({c: "Int64" for c in ("reach", "leads", "sqls")})


def total_coverage(table: pd.DataFrame) -> dict[str, list[str]]:
    """For each column of :func:`roi_table`'s total (and its ROI), the networks whose value is
    unknown and so left out of the total; only the columns with such networks."""
    networks = table[table["channel"] != "total"].set_index("channel")
    out = {}
    for column in (*TOTALLED, "roi"):
        missing = networks.index[networks[column].isna()].tolist()
        if missing:
            out[column] = missing
    return out


def partial_reach(posts: pd.DataFrame, channels: list[str]) -> dict[str, tuple[int, int]]:
    """The networks whose reach in :func:`roi_table` covers only part of their posts: for each,
    ``(posts with a reach, posts)``. A network whose posts all give a reach, or none, is left out
    (its reach is whole, or unknown)."""
    out = {}
    for channel in channels:
        reach = posts.loc[posts["channel"] == channel, "reach"]
        known = int(reach.notna().sum())
        if 0 < known < len(reach):
            out[channel] = (known, len(reach))
    return out


def lever_for(goal: dict, findings: list[dict], channels: list[str]) -> dict | None:
    """The audit's opportunity that best serves a goal: same objective, and on the goal's
    network first, then one tied to no network (e.g. a time slot); None when none fits."""
    opportunities = [
        f for f in findings if f["kind"] == "opportunity" and f["objective"] == goal["objective"]
    ]
    network = goal["scope"]

    def scope_network(finding: dict) -> str:
        head = str(finding["scope"]).split(":")[0]
        return head if head in channels else ""

    for wanted in ((network,) if network != "all" else ()) + ("",):
        for finding in opportunities:
            if scope_network(finding) == wanted:
                return finding
    if network == "all" and opportunities:
        return opportunities[0]
    return None
