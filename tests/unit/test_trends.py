"""Trends by the brief's convention: two windows of posts, each rate computed on its own posts
(ratio of sums or mean of per-post rates), the change's interval from the posts resampled, and a
finding either way (a fall is a weakness, a rise an opportunity) only beyond the threshold and the
noise. Small hand-made posts, one rule per test."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest

from helpers.client.brief import Brief, KpiConventions, load_brief
from helpers.method import evidence, goals, observation, synthesis
from helpers.report.i18n import fmt_window
from helpers.report.words import finding_text
from tests.conftest import DEMO

REACH = KpiConventions()
START, END = dt.date(2026, 4, 1), dt.date(2026, 9, 30)  # six full months: Apr–Jun against Jul–Sep
RULE = evidence.Rule(min_posts=5, confidence=0.95)
WEIGHTS = {o: 1.0 for o in synthesis.OBJECTIVES}


def posts_in(months: dict[str, list[tuple[int, int]]], channel: str = "tiktok") -> pd.DataFrame:
    """Posts on the 10th to the 27th of each month at noon UTC: ``{"2026-04": [(reach, interactions)...]}``."""
    rows = []
    for month, posts in months.items():
        for i, (reach, inter) in enumerate(posts):
            rows.append({"published_at": f"{month}-{10 + i % 18:02d}T12:00:00Z", "reach": reach, "reactions": inter})
    table = pd.DataFrame(rows)
    return table.assign(
        post_id=[str(i) for i in range(len(table))], channel=channel, account="a", format="video",
        published_at=pd.to_datetime(table["published_at"], utc=True), impressions=table["reach"] * 2,
        comments=0, shares=0, saves=0,
    )


def steady(rate: float, n: int = 10, reach: int = 1000, spread: float = 0.1) -> list[tuple[int, int]]:
    """``n`` posts around ``rate`` (± ``spread`` of it, alternating)."""
    return [(reach, round(reach * rate * (1 + spread * (-1) ** i))) for i in range(n)]


def trend_of(posts: pd.DataFrame, conventions: KpiConventions = REACH) -> pd.Series:
    table = observation.trend_change(posts, conventions, "Europe/London", START, END, rule=RULE)
    return table.set_index("channel").iloc[0]


# ------------------------------------------------------------------ windows


def test_windows_are_the_last_full_months_against_the_months_before():
    w = observation.trend_windows(dt.date(2025, 11, 1), dt.date(2026, 10, 31))
    assert w.as_dict() == {"before_start": "2026-05-01", "before_end": "2026-07-31",
                           "recent_start": "2026-08-01", "recent_end": "2026-10-31"}
    # A period that ends mid-month: that month is not full and stays out of the recent window.
    w = observation.trend_windows(dt.date(2025, 10, 15), dt.date(2026, 9, 29))
    assert (w.recent_start, w.recent_end) == (dt.date(2026, 6, 1), dt.date(2026, 8, 31))
    # Four full months: three recent ones against the one before; three: no trend at all.
    w = observation.trend_windows(dt.date(2026, 6, 1), END)
    assert (w.before_start, w.before_end) == (dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    assert observation.trend_windows(dt.date(2026, 7, 1), END) is None
    assert observation.recent_window(dt.date(2026, 7, 1), END) == (dt.date(2026, 7, 1), END)
    with pytest.raises(ValueError, match="at least one month"):
        observation.trend_windows(START, END, months=0)
    with pytest.raises(ValueError, match="before it starts"):
        observation.trend_windows(END, START)


def test_window_labels_in_both_languages():
    assert fmt_window("2026-08-01", "2026-10-31", "en") == "Aug–Oct 2026"
    assert fmt_window("2026-08-01", "2026-10-31", "fr") == "août–oct. 2026"
    assert fmt_window(dt.date(2025, 11, 1), dt.date(2026, 1, 31), "en") == "Nov 2025–Jan 2026"
    assert fmt_window("2026-08-01", "2026-08-31", "en") == "Aug 2026"
    assert fmt_window(None, "2026-08-31", "en") == fmt_window(float("nan"), "2026-08-31", "en")


def test_the_trend_table_carries_its_windows():
    posts = posts_in({f"2026-0{m}": steady(0.04) for m in range(4, 10)})
    table = observation.trend_change(posts, REACH, "Europe/London", START, END, rule=RULE)
    assert list(table.columns) == observation.TREND_COLUMNS
    row = table.iloc[0]
    assert (row.before_start, row.before_end, row.recent_start, row.recent_end) == (
        "2026-04-01", "2026-06-30", "2026-07-01", "2026-09-30")
    assert (row.posts_before, row.posts_recent) == (30, 30)
    # Too short a period: an empty table with the same columns, not an error.
    short = observation.trend_change(posts, REACH, "Europe/London", dt.date(2026, 8, 1), END, rule=RULE)
    assert short.empty and list(short.columns) == observation.TREND_COLUMNS


# ------------------------------------------------------------------ directions and findings


def test_a_rising_series_is_a_finding_and_an_opportunity():
    months = {f"2026-0{m}": steady(0.04) for m in (4, 5, 6)} | {f"2026-0{m}": steady(0.064) for m in (7, 8, 9)}
    posts = posts_in(months)
    row = trend_of(posts)
    assert row.direction == "rise" and row.change == pytest.approx(0.6, abs=0.01)
    assert row.low > 0
    trend = observation.trend_change(posts, REACH, "Europe/London", START, END, rule=RULE)
    [found] = synthesis._trends(trend, WEIGHTS, 0.15)
    assert (found.id, found.kind, found.objective) == ("rise_tiktok", "opportunity", "engagement")
    assert found.message == "findings.rise"
    # Severity as every finding's: |ln(recent / before)| × the objective's weight.
    found.severity = synthesis.severity(found, 0.5)
    assert found.severity == pytest.approx(math.log(1.6), abs=0.01)
    assert json.dumps(found.as_dict(), allow_nan=False)
    en, fr = finding_text(found, "en", REACH), finding_text(found, "fr", REACH)
    assert "rose 60%" in en and "Jul–Sep 2026 against Apr–Jun 2026" in en
    assert "juil.–sept. 2026" in fr and "avr.–juin 2026" in fr and "hausse" in fr


def test_a_falling_series_is_a_weakness_with_its_windows():
    months = {f"2026-0{m}": steady(0.05) for m in (4, 5, 6)} | {f"2026-0{m}": steady(0.03) for m in (7, 8, 9)}
    trend = observation.trend_change(posts_in(months, "facebook"), REACH, "Europe/London", START, END, rule=RULE)
    [found] = synthesis._trends(trend, WEIGHTS, 0.15)
    assert (found.id, found.kind, found.message) == ("decline_facebook", "weakness", "findings.decline")
    assert found.values["recent_window"] == "2026-07-01/2026-09-30"
    assert "fell 40% in Jul–Sep 2026 against Apr–Jun 2026" in finding_text(found, "en", REACH)


def test_a_flat_noisy_series_is_no_finding_even_past_the_threshold():
    # Posts at 0 % or 8 % in turn: the recent window's point change is −20 %, past the 15 %
    # threshold, but its interval includes no change: month-to-month noise, not a finding.
    rng = np.random.default_rng(3)
    before = [(1000, int(v)) for v in rng.choice([0, 80], size=15)]
    recent = [(1000, int(v)) for v in rng.choice([0, 80], size=15)]
    posts = posts_in({"2026-04": before[:5], "2026-05": before[5:10], "2026-06": before[10:],
                      "2026-07": recent[:5], "2026-08": recent[5:10], "2026-09": recent[10:]})
    trend = observation.trend_change(posts, REACH, "Europe/London", START, END, rule=RULE)
    row = trend.iloc[0]
    assert abs(row.change) >= 0.15, row.change  # the point change alone would be a finding
    assert row.direction == "not_distinguishable" and row.low < 0 < row.high
    assert observation.notable_trends(trend, 0.15).empty
    assert synthesis._trends(trend, WEIGHTS, 0.15) == []


def test_a_real_change_under_the_threshold_is_no_finding():
    months = {f"2026-0{m}": steady(0.04, spread=0.01) for m in (4, 5, 6)}
    months |= {f"2026-0{m}": steady(0.044, spread=0.01) for m in (7, 8, 9)}
    trend = observation.trend_change(posts_in(months), REACH, "Europe/London", START, END, rule=RULE)
    assert trend.iloc[0].direction == "rise" and trend.iloc[0].change == pytest.approx(0.1, abs=0.01)
    assert synthesis._trends(trend, WEIGHTS, 0.15) == []
    assert len(synthesis._trends(trend, WEIGHTS, 0.05)) == 1


def test_a_window_under_the_sample_rule_is_too_few():
    months = {"2026-04": steady(0.04, n=2), "2026-07": steady(0.08, n=10)}
    row = trend_of(posts_in(months))
    assert row.direction == "too_few" and row.posts_before == 2 and math.isnan(row.low)
    assert row.change == pytest.approx(1.0, abs=0.01)  # the point change is kept, never called
    trend = observation.trend_change(posts_in(months), REACH, "Europe/London", START, END, rule=RULE)
    assert synthesis._trends(trend, WEIGHTS, 0.15) == []


def test_the_largest_passing_trend_comes_first_rise_or_fall():
    trend = pd.DataFrame({
        "channel": ["linkedin", "tiktok", "facebook", "x"],
        "change": [-0.03, 0.6, -0.3, -0.9],
        "direction": ["not_distinguishable", "rise", "fall", "too_few"],
    })
    assert observation.notable_trends(trend, 0.15)["channel"].tolist() == ["tiktok", "facebook"]
    assert observation.notable_trends(trend, 0.5)["channel"].tolist() == ["tiktok"]


# ------------------------------------------------------------------ the brief's convention


def test_ratio_of_sums_and_mean_of_monthly_rates_disagree_and_the_brief_wins():
    # April: 10 big posts at 1 %; May and June: 10 small posts each at 10 %. July to September:
    # posts at 3 %. By the ratio of sums the recent quarter rose (1.2 % → 3 %); a mean of the
    # monthly rates (7 % → 3 %), as the workbook used to take, says it fell.
    months = {"2026-04": [(10_000, 100)] * 10, "2026-05": [(100, 10)] * 10, "2026-06": [(100, 10)] * 10}
    months |= {f"2026-0{m}": [(1000, 30)] * 10 for m in (7, 8, 9)}
    posts = posts_in(months)
    monthly = observation.monthly_engagement(posts, REACH, "Europe/London")["tiktok"]
    mean_of_months = monthly.iloc[3:].mean() / monthly.iloc[:3].mean() - 1
    assert mean_of_months == pytest.approx(0.03 / 0.07 - 1)  # a fall of 57 %
    row = trend_of(posts)
    assert row.before == pytest.approx(1200 / 102_000) and row.recent == pytest.approx(0.03)
    assert row.direction == "rise" and row.change == pytest.approx(0.03 / (1200 / 102_000) - 1)
    # The brief's other convention, the mean of the per-post rates, gives 7 % → 3 %: a fall.
    row = trend_of(posts, KpiConventions(aggregation="mean_of_rates"))
    assert row.before == pytest.approx(0.07) and row.direction == "fall"


def test_posts_count_in_the_window_of_their_local_day():
    # 23:30 UTC on 30 June is 1 July in Paris: a recent post there, an earlier one in UTC.
    posts = posts_in({"2026-06": [(1000, 40)] * 5, "2026-07": [(1000, 40)] * 5})
    posts.loc[0, "published_at"] = pd.Timestamp("2026-06-30T23:30:00Z")
    paris = observation.trend_change(posts, REACH, "Europe/Paris", START, END, rule=RULE).iloc[0]
    utc = observation.trend_change(posts, REACH, "UTC", START, END, rule=RULE).iloc[0]
    assert (paris.posts_before, paris.posts_recent) == (4, 6)
    assert (utc.posts_before, utc.posts_recent) == (5, 5)


# ------------------------------------------------------------------ the goal's baseline


def _brief(start: dt.date, end: dt.date) -> Brief:
    raw = load_brief(DEMO / "brief.yaml").model_dump(mode="json")
    raw["period"] = {"start": start.isoformat(), "end": end.isoformat()}
    return Brief.model_validate(raw)


def test_a_rate_goal_starts_from_the_trend_s_recent_window():
    months = {"2026-04": steady(0.04), "2026-05": steady(0.04), "2026-06": steady(0.04),
              "2026-07": [(10_000, 200)] * 10, "2026-08": [(100, 10)] * 10, "2026-09": [(100, 10)] * 10}
    posts = posts_in(months, "instagram")
    brief = _brief(START, END)
    tables = {"posts": posts, "followers": pd.DataFrame(columns=["date", "channel", "followers"])}
    value, window = goals.baseline_of("engagement_rate", "instagram", tables, brief, END)
    recent = observation.trend_change(posts, brief.kpi, brief.client.timezone, START, END, rule=RULE)
    assert window == (dt.date(2026, 7, 1), END)
    assert value == pytest.approx(recent.iloc[0]["recent"])  # one value per KPI per window
    # The demo's brief divides by impressions (twice the reach here): the ratio of the window's
    # sums is 1.1 %, where the mean of its monthly rates would be 3.7 %.
    assert value == pytest.approx(2200 / 204_000)
    monthly = goals.monthly_series("engagement_rate", "instagram", tables, brief)
    assert monthly.iloc[-3:].mean() == pytest.approx((0.01 + 0.05 + 0.05) / 3)


def test_a_flow_goal_starts_from_the_window_s_months_and_a_stock_from_its_last_month():
    posts = posts_in({f"2026-0{m}": [(1000, 10 * m)] * 2 for m in range(4, 10)}, "instagram")
    brief = _brief(START, dt.date(2026, 9, 15))  # September is not a full month
    followers = pd.DataFrame({"date": pd.to_datetime(["2026-08-31", "2026-09-15"]), "channel": "instagram",
                              "followers": [900, 1000]})
    tables = {"posts": posts, "followers": followers}
    value, window = goals.baseline_of("interactions", "instagram", tables, brief, dt.date(2026, 9, 15))
    assert window == (dt.date(2026, 6, 1), dt.date(2026, 8, 31))
    assert value == pytest.approx((120 + 140 + 160) / 3)
    value, window = goals.baseline_of("followers", "instagram", tables, brief, dt.date(2026, 9, 15))
    assert math.isnan(value) and window is None  # two months of followers: fewer than a window
