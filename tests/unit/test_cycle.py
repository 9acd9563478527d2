"""Since the last report (helpers/method/cycle.py): findings new/open/resolved/lost, KPI changes and
goal progress between two runs, on small hand-made tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.method import cycle

COMPARABLE = {"relation": "following", "overlap_days": 0, "changed_conventions": [], "comparable": True}


def _finding(id_: str, kind: str, severity: float, subject: str = "") -> dict:
    return {"id": id_, "kind": kind, "severity": severity, "subject": subject}


# --------------------------------------------------------------------------- findings
def test_findings_are_new_open_resolved_or_lost():
    previous = [
        _finding("decline_facebook", "weakness", 0.8),
        _finding("sov_leader", "threat", 0.5, "competitor:Rival"),
        _finding("score_net_sentiment", "strength", 0.3),
        _finding("best_slot", "opportunity", 0.2),
        _finding("format_instagram", "opportunity", 0.4),
    ]
    current = [_finding("format_instagram", "opportunity", 0.6), _finding("theme_x", "weakness", 0.7)]
    table = cycle.finding_status(previous, current)
    assert list(table.columns) == cycle.FINDING_COLUMNS
    status = dict(zip(table["id"], table["status"], strict=True))
    assert status == {
        "format_instagram": "open",
        "theme_x": "new",
        "decline_facebook": "resolved",  # a weakness gone: fixed
        "sov_leader": "resolved",  # a threat gone: good news
        "score_net_sentiment": "lost",  # a strength gone is not celebrated
        "best_slot": "lost",
    }
    assert list(table["id"][:2]) == ["format_instagram", "theme_x"]  # this run's order first
    row = table.set_index("id").loc["format_instagram"]
    assert (row["severity_before"], row["severity_now"]) == (0.4, 0.6)
    assert math.isnan(table.set_index("id").loc["theme_x", "severity_before"])
    assert math.isnan(table.set_index("id").loc["decline_facebook", "severity_now"])
    assert table.set_index("id").loc["sov_leader", "subject"] == "competitor:Rival"


def test_findings_without_a_previous_run_are_all_new():
    table = cycle.finding_status(None, [_finding("a", "weakness", 1.0)])
    assert list(table["status"]) == ["new"]


def test_a_finding_without_an_id_is_named():
    with pytest.raises(cycle.CycleError, match="previous findings, item 1: a finding needs an 'id'"):
        cycle.finding_status([_finding("a", "weakness", 1), {"kind": "threat"}], [])


# --------------------------------------------------------------------------- KPIs
def _kpis(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["kpi", "variant", "scope", "value", "unit"])


PREVIOUS = _kpis([
    ("followers", "", "facebook", 1000.0, "count"),
    ("followers", "", "instagram", 2000.0, "count"),
    ("engagement_rate", "reach/ratio_of_sums", "facebook", 0.04, "percent"),
    ("response_rate", "", "facebook", 0.90, "percent"),
    ("posts_per_week", "", "x", math.nan, "ratio"),
    ("follower_growth", "", "facebook", 0.1, "percent"),
])  # fmt: skip
CURRENT = _kpis([
    ("followers", "", "facebook", 1300.0, "count"),
    ("followers", "", "instagram", 1500.0, "count"),
    ("engagement_rate", "reach/ratio_of_sums", "facebook", 0.041, "percent"),
    ("response_rate", "", "facebook", 0.60, "percent"),
    ("posts_per_week", "", "x", 3.0, "ratio"),
    ("follower_growth", "", "facebook", 0.5, "percent"),
])  # fmt: skip
HEADLINE = ("followers", "engagement_rate", "posts_per_week", "response_rate")


def test_kpi_changes_say_better_worse_stable_and_unknown():
    table = cycle.kpi_changes(PREVIOUS, CURRENT, COMPARABLE, change_threshold=0.15, kpis=HEADLINE)
    assert list(table.columns) == cycle.KPI_COLUMNS
    assert "follower_growth" not in set(table["kpi"])  # only the KPIs asked for
    assert list(dict.fromkeys(table["kpi"])) == list(HEADLINE)  # in their order
    rows = table.set_index(["kpi", "scope"])
    fb = rows.loc[("followers", "facebook")]
    assert (fb["before"], fb["now"], fb["change"]) == (1000.0, 1300.0, 300.0)
    assert fb["relative"] == pytest.approx(0.3)
    assert (fb["direction"], fb["verdict"], fb["comparable"]) == ("up", "better", True)
    assert rows.loc[("followers", "instagram"), "verdict"] == "worse"
    assert rows.loc[("engagement_rate", "facebook"), "verdict"] == "stable"  # +2.5 % < 15 %
    assert rows.loc[("response_rate", "facebook"), "verdict"] == "worse"
    unknown = rows.loc[("posts_per_week", "x")]
    assert unknown["verdict"] == "unknown" and math.isnan(unknown["change"])  # unknown is never 0


def test_the_threshold_decides_what_is_stable():
    loose = cycle.kpi_changes(PREVIOUS, CURRENT, COMPARABLE, change_threshold=0.4, kpis=HEADLINE)
    assert loose.set_index(["kpi", "scope"]).loc[("followers", "facebook"), "verdict"] == "stable"
    with pytest.raises(cycle.CycleError, match="change_threshold must be positive"):
        cycle.kpi_changes(PREVIOUS, CURRENT, COMPARABLE, change_threshold=0)


def test_lower_is_better_reads_a_fall_as_better():
    lower = [k for k, d in cycle.kpis_.KPIS.items() if not d.higher_is_better]
    assert lower, "the registry has a KPI where lower is better"
    before, now = _kpis([(lower[0], "", "all", 10.0, "")]), _kpis([(lower[0], "", "all", 5.0, "")])
    table = cycle.kpi_changes(before, now, COMPARABLE, change_threshold=0.15)
    assert (table.loc[0, "direction"], table.loc[0, "verdict"]) == ("down", "better")


def test_a_changed_convention_leaves_out_only_the_kpis_it_touches():
    changed = {**COMPARABLE, "comparable": False,
               "changed_conventions": [{"key": "engagement_rate", "before": "reach", "after": "impressions"}]}  # fmt: skip
    table = cycle.kpi_changes(PREVIOUS, CURRENT, changed, change_threshold=0.15, kpis=HEADLINE)
    rows = table.set_index(["kpi", "scope"])
    er = rows.loc[("engagement_rate", "facebook")]
    assert not er["comparable"] and er["reason"] == "convention_changed"
    assert er["direction"] == "not_comparable" and math.isnan(er["change"]) and math.isnan(er["relative"])
    assert er["now"] == 0.041  # the figure itself is kept
    others = table[table["kpi"] != "engagement_rate"]
    assert others["comparable"].all() and (others["reason"] == "").all()


def test_a_changed_variant_or_unit_is_not_compared():
    current = CURRENT.copy()
    current.loc[2, "variant"] = "impressions/ratio_of_sums"
    current.loc[0, "unit"] = "percent"
    table = cycle.kpi_changes(PREVIOUS, current, COMPARABLE, change_threshold=0.15).set_index(["kpi", "scope"])
    assert table.loc[("engagement_rate", "facebook"), "reason"] == "variant_changed"
    assert table.loc[("followers", "facebook"), "reason"] == "unit_changed"
    assert math.isnan(table.loc[("followers", "facebook"), "change"])
    assert table.loc[("followers", "instagram"), "comparable"]


def test_an_earlier_window_compares_nothing():
    earlier = {**COMPARABLE, "relation": "earlier", "comparable": False}
    table = cycle.kpi_changes(PREVIOUS, CURRENT, earlier, change_threshold=0.15, kpis=HEADLINE)
    assert set(table["reason"]) == {"earlier_window"} and table["change"].isna().all()


def test_a_scope_in_one_run_only_is_kept_unknown():
    current = pd.concat([CURRENT, _kpis([("followers", "", "linkedin", 50.0, "count")])], ignore_index=True)
    table = cycle.kpi_changes(PREVIOUS, current, COMPARABLE, change_threshold=0.15).set_index(["kpi", "scope"])
    row = table.loc[("followers", "linkedin")]
    assert math.isnan(row["before"]) and row["direction"] == "unknown" and row["comparable"]


def test_a_kpis_table_without_a_column_is_named():
    with pytest.raises(cycle.CycleError, match="previous kpis table: no column value"):
        cycle.kpi_changes(PREVIOUS.drop(columns="value"), CURRENT, COMPARABLE, change_threshold=0.15)


# --------------------------------------------------------------------------- goals
def _tracking(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["id", "label", "kpi", "scope", "target", "actual", "status"])


def test_goal_progress_names_kept_new_and_dropped_goals():
    previous = _tracking([
        ("ig_community", "Instagram community +8 %", "followers", "instagram", 1200.0, 1000.0, "at_risk"),
        ("old_goal", "An old goal", "sqls", "all", 50.0, 40.0, "on_track"),
    ])  # fmt: skip
    current = _tracking([
        ("ig_community", "Instagram community +8 %", "followers", "instagram", 1200.0, 1150.0, "on_track"),
        ("fb_engagement", "Facebook engagement", "engagement_rate", "facebook", 0.03, math.nan, "unknown"),
    ])  # fmt: skip
    table = cycle.goal_progress(previous, current)
    assert list(table.columns) == cycle.GOAL_COLUMNS
    assert list(table["id"]) == ["ig_community", "fb_engagement", "old_goal"]
    rows = table.set_index("id")
    kept = rows.loc["ig_community"]
    assert (kept["presence"], kept["before"], kept["now"], kept["change"]) == ("kept", 1000.0, 1150.0, 150.0)
    assert (kept["status_before"], kept["status_now"]) == ("at_risk", "on_track")
    new = rows.loc["fb_engagement"]
    assert new["presence"] == "new" and new["status_before"] == "" and math.isnan(new["change"])
    dropped = rows.loc["old_goal"]
    assert dropped["presence"] == "dropped" and dropped["label"] == "An old goal"
    assert dropped["before"] == 40.0 and math.isnan(dropped["now"]) and dropped["status_now"] == ""


def test_a_goal_whose_kpi_changed_gets_no_change():
    previous = _tracking([("g", "G", "followers", "instagram", 10.0, 5.0, "at_risk")])
    current = _tracking([("g", "G", "engagement_rate", "instagram", 0.1, 0.05, "on_track")])
    assert math.isnan(cycle.goal_progress(previous, current).loc[0, "change"])


def test_goal_progress_without_a_previous_tracking_and_bad_tables():
    current = _tracking([("g", "G", "followers", "instagram", 10.0, 5.0, "at_risk")])
    assert list(cycle.goal_progress(None, current)["presence"]) == ["new"]
    with pytest.raises(cycle.CycleError, match="previous tracking table: no column id"):
        cycle.goal_progress(current.drop(columns="id"), current)
    with pytest.raises(cycle.CycleError, match="current tracking table, row 1: a goal without an id"):
        cycle.goal_progress(None, current.assign(id=[""]))
