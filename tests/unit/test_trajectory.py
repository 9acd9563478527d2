"""A goal's planned trajectory, kept from the run that set it, and its status against it, on small
hand-made series (helpers/method/trajectory.py, helpers/method/tracking.py::goal_status)."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from helpers.method import goals, tracking
from helpers.method import trajectory as traj
from tests.unit.test_goal_rules import _brief, _tables

SET_ON = dt.date(2026, 10, 31)


def _month_series(values: list[float], first: str = "2026-08-01") -> pd.Series:
    return pd.Series(values, index=pd.date_range(first, periods=len(values), freq="MS"), dtype=float)


def _leads(sqls: list[float], first: str = "2025-11-01") -> dict[str, pd.DataFrame]:
    months = pd.date_range(first, periods=len(sqls), freq="MS") + pd.Timedelta(days=9)
    leads = pd.DataFrame({"date": months, "channel": "instagram", "leads": [3 * s for s in sqls],
                          "sqls": sqls, "revenue": 0.0})
    return _tables(leads=leads)


# ------------------------------------------------------------------ 1. the trajectory's shape
def test_a_rate_or_flow_goes_in_a_straight_line_to_its_target():
    plan = traj.trajectory(100.0, 130.0, SET_ON, dt.date(2027, 1, 31), goals.is_cumulative("engagement_rate"))
    assert [p["month"] for p in plan] == ["2026-11", "2026-12", "2027-01"]
    assert [p["expected"] for p in plan] == pytest.approx([110.0, 120.0, 130.0])


def test_a_stock_grows_at_a_constant_monthly_rate_to_its_target():
    assert goals.is_cumulative("followers")
    plan = traj.trajectory(1000.0, 1331.0, SET_ON, dt.date(2027, 1, 15), True)
    assert [p["month"] for p in plan] == ["2026-11", "2026-12", "2027-01"]
    assert [p["expected"] for p in plan] == pytest.approx([1100.0, 1210.0, 1331.0])
    assert all(math.isnan(p["expected"]) for p in traj.trajectory(0.0, 10.0, SET_ON, dt.date(2027, 1, 15), True))
    assert traj.trajectory(100.0, 130.0, SET_ON, dt.date(2026, 10, 31), False) == []


# ------------------------------------------------------------------ 2. kept from the run that set it
def _previous(**changes) -> dict:
    record = {"id": "g", "kpi": "sqls", "scope": "all", "deadline": "2027-03-31", "baseline": 40.0,
              "target": 44.0, "baseline_date": "2026-07-31", "baseline_window": "2026-05-01/2026-07-31",
              "trajectory": traj.trajectory(40.0, 44.0, dt.date(2026, 7, 31), dt.date(2027, 3, 31), False),
              "set_in": "20260801-090000"}
    return {**record, **changes}


SQLS = [40, 41, 43, 44, 46, 47, 49, 50, 52, 54, 56, 58]


def _set(brief, previous):
    tables = _leads(SQLS)
    return traj.set_goals(brief, tables, SET_ON, 0.95, "20261101-090000", previous, "20261001-090000")[0]


def test_a_goal_the_previous_run_set_keeps_its_baseline_and_trajectory():
    check = _set(_brief(), [_previous()])  # +10 % on 40 is the previous target of 44: same goal
    assert check.baseline == 40.0 and check.target == pytest.approx(44.0)
    assert check.baseline_date == "2026-07-31" and check.baseline_window == "2026-05-01/2026-07-31"
    assert check.trajectory == _previous()["trajectory"]
    assert check.set_in == "20260801-090000" and check.reset == ""
    assert check.letters["M"]["values"]["baseline"] == 40.0  # the letter quotes the kept baseline
    without = _set(_brief(), [_previous(set_in="")])  # an older goals.json: the previous run set it
    assert without.set_in == "20261001-090000"


def test_a_goal_whose_target_or_deadline_changed_is_set_anew_and_says_so():
    check = _set(_brief(target={"value": 70}), [_previous()])
    assert check.reset == "target_changed" and check.set_in == "20261101-090000"
    assert check.baseline == pytest.approx((54 + 56 + 58) / 3)  # measured again: Aug-Oct 2026
    assert check.baseline_date == SET_ON.isoformat() and check.trajectory[0]["month"] == "2026-11"
    assert _set(_brief(deadline="2027-02-28"), [_previous()]).reset == "deadline_changed"
    assert _set(_brief(), [_previous(id="other")]).reset == "new_goal"
    first = _set(_brief(), None)
    assert first.reset == "" and first.set_in == "20261101-090000" and first.trajectory


# ------------------------------------------------------------------ 3. status against the trajectory
GOAL = {"id": "g", "label": "More SQLs", "kpi": "sqls", "scope": "all", "baseline": 100.0, "target": 130.0,
        "baseline_date": "2026-10-31", "deadline": "2027-01-31", "objective": "leads"}


@pytest.mark.parametrize(
    ("november", "december", "status"),
    [(108, 121, "on_track"), (100, 110, "behind"), (118, 128, "ahead")],
)
def test_the_mean_gap_in_noise_units_decides(november, december, status):
    series = _month_series([95, 100, 105, november, december])  # baseline months: noise of 5
    out = traj.against(GOAL, series, dt.date(2026, 12, 31))
    assert out["months_tracked"] == 2 and out["trajectory_noise"] == pytest.approx(5.0)
    assert out["trajectory_expected"] == pytest.approx(120.0)
    assert out["trajectory_gap"] == pytest.approx((november - 110 + december - 120) / 2)
    assert out["status"] == status


def test_the_goal_status_reads_the_trajectory_once_months_are_tracked():
    # the same goal through goal_status: nine months rising, the baseline months (Aug-Oct), then
    # two months on the plan (110, 120) give or take a unit
    tables = _leads([55, 60, 65, 70, 75, 80, 85, 90, 92, 95, 100, 105, 111, 119])
    status = tracking.goal_status(GOAL, tables, _brief(), dt.date(2026, 12, 31))
    assert status["months_tracked"] == 2 and status["trajectory_gap"] == pytest.approx(0.0)
    assert status["forecast"] < GOAL["target"]  # the forecast rule alone said at risk
    assert status["status"] == "on_track"
    behind = _leads([55, 60, 65, 70, 75, 80, 85, 90, 92, 95, 100, 105, 100, 110])
    status = tracking.goal_status(GOAL, behind, _brief(), dt.date(2026, 12, 31))
    assert status["status"] == "behind" and status["trajectory_gap"] == pytest.approx(-10.0)


def test_a_partial_month_is_not_tracked_and_a_noise_unknown_falls_back_to_the_forecast():
    series = _month_series([95, 100, 105, 100])
    assert traj.against(GOAL, series, dt.date(2026, 11, 20))["months_tracked"] == 0
    short = _month_series([105, 100], first="2026-10-01")  # one baseline month: no spread
    out = traj.against(GOAL, short, dt.date(2026, 11, 30))
    assert out["months_tracked"] == 1 and math.isnan(out["trajectory_noise"]) and out["status"] is None


def test_the_run_that_sets_a_goal_keeps_the_forecast_rule():
    tables = _leads(SQLS)
    check = goals.check_goal(_brief().goals[0], _brief(), tables, SET_ON)
    status = tracking.goal_status(check.as_dict(), tables, _brief(), SET_ON)
    assert status["months_tracked"] == 0 and math.isnan(status["trajectory_gap"])
    assert status["status"] == ("on_track" if status["forecast"] >= check.target else "at_risk")


# ------------------------------------------------------------------ 4. a goal past its deadline
def test_a_goal_past_its_deadline_is_closed_on_its_final_figure():
    goal = {**GOAL, "deadline": "2026-12-31"}
    # December (the deadline's month) meets 130; January, after the deadline, does not count
    tables = _leads([55, 60, 65, 70, 75, 80, 85, 90, 92, 95, 100, 105, 120, 131, 90])
    closed = tracking.goal_status(goal, tables, _brief(), dt.date(2027, 1, 31))
    assert closed["status"] == "achieved" and closed["actual"] == 131.0
    tables = _leads([55, 60, 65, 70, 75, 80, 85, 90, 92, 95, 100, 105, 120, 125, 150])
    closed = tracking.goal_status(goal, tables, _brief(), dt.date(2027, 1, 31))
    assert closed["status"] == "missed" and closed["actual"] == 125.0


def test_the_new_statuses_are_named_in_both_languages():
    from helpers.report.i18n import label

    for status in traj.STATUSES:
        assert label("status", status, "en") != status and label("status", status, "fr") != status


# ------------------------------------------------------------------ 5. the chart in 07
def test_the_chart_section_shows_each_goal_by_its_label_and_nothing_on_a_first_run(tmp_path):
    import json

    from helpers.report.display import Block, Section, chart_title
    from helpers.report.pages import tracking as tracking_page
    from helpers.report.pages import trajectory as page
    from helpers.report.pages.tracking import STATUS_COLUMNS
    from helpers.run.context import open_run
    from tests.unit.test_since import _run

    _run(tmp_path, "20260801-090000", period=("2025-11-01", "2026-07-31"))
    workspace = tmp_path / "demo" / "workspace"
    goal = {"id": "ig_community", "label": "Grow the Instagram community", "kpi": "followers",
            "scope": "instagram", "baseline_date": "2026-07-31", "deadline": "2027-03-31",
            "baseline_window": "2026-07-01/2026-07-31", "objective": "community", "set_in": "20260801-090000"}
    for since_dir in ("", "none"):
        run = open_run("demo", run_dir=str(workspace), lang="en", since_dir=since_dir, step="07_tracking")
        series = goals.monthly_series("followers", "instagram", run.data.tables, run.brief)
        july = float(series[pd.Timestamp("2026-07-01")])
        record = {**goal, "baseline": july, "target": july * 1.6,  # steep: behind it
                  "trajectory": traj.trajectory(july, july * 1.6, dt.date(2026, 7, 31), dt.date(2027, 3, 31), True)}
        (workspace / "goals.json").write_text(json.dumps([record]), encoding="utf-8")
        rows = [tracking.goal_status(record, run.data.tables, run.brief, run.end)]
        status = Section(Block(""), pd.DataFrame(rows, columns=STATUS_COLUMNS))
        shown = page.against_plan(run, status)
        if since_dir == "none":
            assert shown.markup == "" and shown.table.empty and shown.figure is None
            continue
        assert rows[0]["months_tracked"] == 3 and rows[0]["status"] in traj.STATUSES
        assert chart_title(shown.figure) == "Grow the Instagram community"
        assert "ig_community" not in shown.markup and "Goals against their planned trajectory" in shown.markup
        assert "measured against its planned trajectory" in shown.markup
        assert set(shown.table["month"]) >= {"2026-05", "2026-08", "2027-03"}
        counted = tracking_page.statuses(run)  # the statuses' sentence counts the trajectory's
        word = {"ahead": "1 ahead of plan", "behind": "1 behind plan", "on_track": "1 on track"}
        assert word[rows[0]["status"]] in counted.markup, rows[0]["status"]
        assert rows[0]["status"] == "behind"  # so the sentence above is the new one
