"""The page at a glance (helpers/method/glance.py, helpers/report/glance.py), on small hand-made
tables: totals only when every network is known, unknown never 0, windows of the same length,
direction and better or worse by the registry and the brief's threshold."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math

import pandas as pd
import pytest

from helpers import kpis
from helpers.client.brief import KpiConventions
from helpers.method import glance as gl
from helpers.report.glance import sparkline

START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)  # six full months: Apr–Jun against Jan–Mar
CONVENTIONS = KpiConventions(engagement_rate="impressions", aggregation="ratio_of_sums")
THRESHOLD = 0.15


def _posts() -> pd.DataFrame:
    """One post a month per network; Instagram doubles its impressions in Apr–Jun; LinkedIn's
    export has no reach."""
    rows = []
    for month in range(1, 7):
        recent = month >= 4
        rows.append(("instagram", month, 2000 if recent else 1000, 800, 40))
        rows.append(("linkedin", month, 500, None, 10))
    return pd.DataFrame(
        {
            "post_id": [f"p{i}" for i in range(len(rows))],
            "channel": [r[0] for r in rows],
            "published_at": pd.to_datetime([f"2026-{r[1]:02d}-10 12:00" for r in rows]).tz_localize("UTC"),
            "format": "image",
            "impressions": [r[2] for r in rows],
            "reach": [r[3] for r in rows],
            "reactions": [r[4] for r in rows],
            "comments": 0,
            "shares": 0,
            "saves": 0,
            "paid": False,
        }
    )


def _followers() -> pd.DataFrame:
    days = pd.date_range("2026-01-01", "2026-06-30", freq="MS").append(pd.DatetimeIndex(["2026-06-30"]))
    rows = [("instagram", d, 1000 + 10 * i) for i, d in enumerate(days)]
    rows += [("linkedin", d, 300) for d in days]
    return pd.DataFrame(
        {
            "date": [r[1] for r in rows],
            "channel": [r[0] for r in rows],
            "account": "brand",
            "followers": [r[2] for r in rows],
        }
    )


def _tiles(posts=None, start=START, end=END, threshold=THRESHOLD) -> dict[tuple[str, str], dict]:
    tiles = gl.tiles(
        _posts() if posts is None else posts,
        _followers(),
        ["instagram", "linkedin"],
        CONVENTIONS,
        "UTC",
        start,
        end,
        threshold,
    )
    return {(t["scope"], t["kpi"]): t for t in tiles}


def test_windows_are_the_last_full_months_against_as_many_before():
    w = gl.glance_windows(dt.date(2025, 11, 12), dt.date(2026, 10, 31))
    assert (w.recent_start, w.recent_end) == (dt.date(2026, 8, 1), dt.date(2026, 10, 31))
    assert (w.before_start, w.before_end) == (dt.date(2026, 5, 1), dt.date(2026, 7, 31))
    # a period too short for a whole window before: the window keeps its length, never cut
    short = gl.glance_windows(dt.date(2026, 2, 1), dt.date(2026, 6, 30))
    assert (short.before_start, short.before_end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    for window in (w, short):
        months = lambda a, b: (b.year - a.year) * 12 + b.month - a.month + 1  # noqa: E731
        assert months(window.recent_start, window.recent_end) == months(
            window.before_start, window.before_end
        )
    assert gl.glance_windows(dt.date(2026, 1, 15), dt.date(2026, 3, 31)) is None


def test_a_window_before_the_period_is_unknown_not_cut():
    tiles = _tiles(start=dt.date(2026, 2, 1))
    tile = tiles[("instagram", "impressions")]
    assert tile["value"] == 6000 and tile["before"] is None
    assert tile["change"] is None and tile["direction"] == "unknown" and tile["better"] is None


def test_totals_only_when_every_network_is_known():
    tiles = _tiles()
    assert tiles[("total", "impressions")]["value"] == 6000 + 1500
    assert tiles[("total", "impressions")]["before"] == 3000 + 1500
    # LinkedIn exports no reach: its tile and the total read unknown, never a partial sum or 0
    assert tiles[("linkedin", "reach")]["value"] is None
    assert tiles[("instagram", "reach")]["value"] == 2400
    assert tiles[("total", "reach")]["value"] is None
    assert all(p["value"] is None for p in tiles[("total", "reach")]["spark"])
    # a rate never adds up
    assert ("total", "engagement_rate") not in tiles
    assert ("instagram", "engagement_rate") in tiles
    # followers: a stock, the end of each window, summed over the networks
    assert tiles[("instagram", "followers")]["value"] == 1060
    assert tiles[("instagram", "followers")]["before"] == 1020
    assert tiles[("total", "followers")]["value"] == 1060 + 300


def test_unknown_is_never_zero():
    tiles = _tiles()
    linkedin = tiles[("linkedin", "video_views")]
    assert linkedin["value"] is None and linkedin["spark"][0]["value"] is None
    # a network without posts in a window: a flow it exports is 0 there, its rate unknown
    posts = _posts()
    posts = posts[~((posts["channel"] == "linkedin") & (posts["published_at"].dt.month >= 4))]
    tiles = _tiles(posts)
    assert tiles[("linkedin", "impressions")]["value"] == 0
    assert tiles[("linkedin", "engagement_rate")]["value"] is None
    assert tiles[("linkedin", "reach")]["value"] is None


def test_spark_is_each_full_month_of_the_period():
    spark = _tiles()[("instagram", "impressions")]["spark"]
    assert [p["month"] for p in spark] == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    assert [p["value"] for p in spark] == [1000, 1000, 1000, 2000, 2000, 2000]


def test_direction_and_better_follow_the_threshold_and_the_registry(monkeypatch):
    tiles = _tiles()
    up = tiles[("instagram", "impressions")]
    assert up["change"] == pytest.approx(1.0) and up["direction"] == "up" and up["better"] is True
    rate = tiles[("instagram", "engagement_rate")]  # 40 / 2000 against 40 / 1000: halved
    assert rate["direction"] == "down" and rate["better"] is False
    flat = tiles[("linkedin", "impressions")]
    assert flat["direction"] == "stable" and flat["better"] is None
    followers = tiles[("instagram", "followers")]  # +3.9 %: under the threshold
    assert followers["direction"] == "stable" and followers["better"] is None
    assert _tiles(threshold=0.01)[("instagram", "followers")]["direction"] == "up"
    # the registry decides what a rise means
    record = kpis.KPIS["impressions"]
    monkeypatch.setitem(kpis.KPIS, "impressions", dataclasses.replace(record, higher_is_better=False))
    assert _tiles()[("instagram", "impressions")]["better"] is False


def test_the_artefact_is_strict_json_with_the_schema():
    tracking = pd.DataFrame(
        [{"id": "g1", "label": "Grow", "kpi": "followers", "scope": "instagram", "status": "on_track",
          "actual": 1060.0, "target": math.nan}]
    )  # fmt: skip
    findings = [{"id": "a", "top": False}, {"id": "b", "top": True}, {"id": "c", "top": True}]
    content = gl.glance(
        list(_tiles().values()), gl.glance_windows(START, END), tracking, findings, [{"verb": "x"}] * 5
    )
    text = json.dumps(content, allow_nan=False)
    assert set(json.loads(text)) == {"windows", "tiles", "goals", "findings", "actions"}
    assert content["windows"] == {
        "recent": {"start": "2026-04-01", "end": "2026-06-30"},
        "before": {"start": "2026-01-01", "end": "2026-03-31"},
    }
    assert content["goals"] == [
        {"id": "g1", "label": "Grow", "kpi": "followers", "scope": "instagram", "status": "on_track",
         "actual": 1060.0, "target": None}
    ]  # fmt: skip
    assert content["findings"] == ["b", "c", "a"]  # the top ones first, in their rank
    assert content["actions"] == [0, 1, 2]
    keys = {"scope", "kpi", "unit", "value", "before", "change", "direction", "better", "spark"}
    assert all(set(t) == keys for t in content["tiles"])


def test_a_tracking_table_without_a_column_is_a_clear_error():
    with pytest.raises(ValueError, match="tracking.csv lacks status"):
        gl.goal_rows(pd.DataFrame(columns=["id", "label", "kpi", "scope", "actual", "target"]))


def test_sparkline_leaves_a_gap_where_a_month_is_unknown():
    svg = sparkline([1.0, 2.0, None, 3.0, 4.0], 40, 10)
    assert svg.count("<polyline") == 2 and "nan" not in svg.lower()
    assert sparkline([None, 1.0, None], 40, 10) == ""
