"""Goals consistent with their figures: each rule of the goals' classes and statuses on a small
hand-made series (a goal already met, a forecast that beats its target, a flat noisy series, a
target behind its baseline, a cumulative series, messages that need no reply)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from helpers import kpis
from helpers.client.brief import Brief, load_brief
from helpers.kpis import response_rate
from helpers.method import goals, tracking
from helpers.report.i18n import t
from helpers.report.words import letter_text
from tests.conftest import DEMO
from tests.unit.test_steps import posts_at

SET_ON = dt.date(2026, 10, 31)  # the end of the data: twelve months, Nov 2025 - Oct 2026
MONTHS = pd.date_range("2025-11-01", periods=12, freq="MS")
EMPTY_COMPETITORS = pd.DataFrame(columns=["brand", "date", "channel", "followers", "posts", "interactions"])


def _tables(**given: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The given tables, with no posts, followers or competitors otherwise."""
    empty = {"posts": posts_at([], [], []), "competitors": EMPTY_COMPETITORS,
             "followers": pd.DataFrame(columns=["date", "channel", "account", "followers"])}
    return {**empty, **given}


def _brief(**goal) -> Brief:
    data = load_brief(DEMO / "brief.yaml").model_dump(mode="json")
    base = {"id": "g", "objective": "leads", "kpi": "sqls", "scope": "all", "target": {"relative": 0.10},
            "deadline": "2027-03-31", "business_objective": "online_sales"}
    data["goals"] = [{**base, **goal}]
    return Brief.model_validate(data)


def _leads(sqls: list[float]) -> dict[str, pd.DataFrame]:
    """A leads table with one row a month (SQLs as given), and nothing else."""
    leads = pd.DataFrame({"date": MONTHS, "channel": "instagram", "leads": [3 * s for s in sqls],
                          "sqls": sqls, "revenue": 0.0})
    return _tables(leads=leads)


def _followers(values: list[float]) -> dict[str, pd.DataFrame]:
    followers = pd.DataFrame({"date": MONTHS, "channel": "instagram", "account": "a", "followers": values})
    return _tables(followers=followers)


def _care(answered_share: list[float], per_month: int = 100) -> dict[str, pd.DataFrame]:
    """Questions received mid-month, the first ``share × per_month`` of them answered."""
    rows = []
    for month, share in zip(MONTHS, answered_share, strict=True):
        received = pd.Timestamp(month, tz="UTC") + pd.Timedelta(days=14)
        for i in range(per_month):
            answered = received + pd.Timedelta(hours=2) if i < round(share * per_month) else pd.NaT
            rows.append({"message_id": f"{month:%Y%m}-{i}", "received_at": received, "answered_at": answered,
                         "resolved": True, "channel": "instagram", "type": "question"})
    return _tables(care=pd.DataFrame(rows))


def _check(tables: dict, **goal) -> goals.GoalCheck:
    brief = _brief(**goal)
    return goals.check_goal(brief.goals[0], brief, tables, SET_ON)


def _status(tables: dict, check: goals.GoalCheck) -> dict:
    return tracking.goal_status(check.as_dict(), tables, _brief(), SET_ON)


# ------------------------------------------------------------------ 1. a goal already met
def test_a_goal_whose_latest_value_meets_its_target_is_reached_not_at_risk():
    # the demo's "respond to 93 %": slipping over the year, but the latest month is at 94 %
    shares = [0.97, 0.96, 0.95, 0.95, 0.94, 0.93, 0.93, 0.92, 0.91, 0.90, 0.91, 0.94]
    tables = _care(shares)
    check = _check(tables, objective="satisfaction", kpi="response_rate", target={"value": 0.93},
                   business_objective="loyalty")
    status = _status(tables, check)
    assert status["actual"] == pytest.approx(0.94)
    assert status["forecast"] < 0.93  # the old rule's reason for "at risk"
    assert status["status"] == "reached"


def test_the_reached_status_is_named_in_both_languages():
    from helpers.report.i18n import label

    assert label("status", "reached", "en") == "target reached"
    assert label("status", "reached", "fr") == "cible atteinte"


# ------------------------------------------------------------------ 2. the forecast decides
def test_a_goal_whose_forecast_beats_its_target_is_on_track_despite_a_dip_in_the_last_month():
    sqls = [40, 41, 43, 44, 46, 47, 49, 50, 52, 54, 56, 50]  # rising, the last month below the baseline
    tables = _leads(sqls)
    check = _check(tables)  # +10 % on the mean of the last three months
    status = _status(tables, check)
    assert status["actual"] < check.baseline  # behind the straight path: the old rule said at risk
    assert status["forecast"] >= check.target
    assert status["status"] == "on_track"
    assert status["forecast_low"] < status["forecast"] < status["forecast_high"]
    falling = _leads(sqls[::-1])
    check = _check(falling)
    status = _status(falling, check)
    assert status["forecast"] < check.target and status["status"] == "at_risk"


def test_status_is_unknown_without_enough_months_to_forecast_from():
    tables = _leads([40, 41, 43, 44, 46, 47, 49, 50, 52, 54, 56, 50])
    goal = {**_check(tables).as_dict(), "target": 1000.0}
    tables["leads"] = tables["leads"].tail(2)
    assert tracking.goal_status(goal, tables, _brief(), SET_ON)["status"] == "unknown"


# ------------------------------------------------------------------ 3. a flat noisy series
NOISY_FLAT = [48, 60, 42, 56, 46, 62, 44, 54, 58, 45, 57, 52]  # +0.4 % a month, from −1.9 % to +2.7 %


def test_a_flat_noisy_series_gives_uncertain_not_a_confident_class():
    check = _check(_leads(NOISY_FLAT))  # +10 % needs about +2 % a month
    assert check.trend_low < 0 < check.trend_high  # the slope cannot be told from 0
    assert check.trend_low < check.needed_monthly < check.trend_high
    assert check.achievability == "uncertain"
    assert check.letters["A"]["pass"]
    assert "cannot be told apart from no change" in letter_text(check.letters["A"], "en")
    assert "incertain" in letter_text(check.letters["A"], "fr")


def test_a_flat_trend_whose_estimate_beats_the_need_is_uncertain_not_likely():
    check = _check(_leads(NOISY_FLAT), target={"relative": 0.001})
    assert check.trend_monthly >= check.needed_monthly  # the old rule: likely
    assert check.trend_low < 0 < check.trend_high
    assert check.achievability == "uncertain"


def test_a_distinguishable_trend_keeps_its_confident_classes():
    rising = [40 * 1.03**i * (1 + 0.01 * (-1) ** i) for i in range(12)]
    check = _check(_leads(rising), target={"relative": 0.05})
    assert check.trend_low > 0 and check.achievability == "likely"
    check = _check(_leads(rising), target={"relative": 3.0})
    assert check.achievability == "unrealistic"
    # far beyond even the optimistic end of a flat trend: unrealistic, not uncertain
    check = _check(_leads(NOISY_FLAT), target={"relative": 3.0})
    assert check.needed_monthly > check.trend_high and check.achievability == "unrealistic"


def test_uncertain_is_a_class_every_listing_knows():
    from helpers.report.i18n import label
    from helpers.report.pages.goals import CLASS_CSS

    assert "uncertain" in goals.ACHIEVABILITY and "uncertain" in CLASS_CSS
    assert label("achievability", "uncertain", "en") == "uncertain"
    assert label("achievability", "uncertain", "fr") == "incertain"
    counts = dict(n=3, smart=3, likely=1, uncertain=1, stretch=0, unrealistic=1)
    assert "1 uncertain" in t("goals.say", "en", **counts) and "1 incertain," in t("goals.say", "fr", **counts)


# ------------------------------------------------------------------ 4. targets in the goal's direction
def test_the_corrected_target_of_a_goal_to_revive_a_falling_kpi_is_never_below_its_baseline():
    falling = [80 * 0.96**i * (1 + 0.03 * (-1) ** i) for i in range(12)]  # -4 % a month
    check = _check(_leads(falling), target={"relative": 0.60})
    assert check.trend_high < 0 and check.achievability == "unrealistic"
    assert check.suggestion >= check.baseline  # the old correction: baseline × (1 + high)^months, below it
    assert (check.suggestion, check.suggestion_kind) == (pytest.approx(check.baseline), "hold")


def test_the_corrected_target_reaches_the_best_pace_in_the_goal_direction():
    rising = [40 * 1.03**i * (1 + 0.01 * (-1) ** i) for i in range(12)]
    check = _check(_leads(rising), target={"relative": 3.0})
    assert check.suggestion_kind == "stretch" and check.suggestion > check.baseline
    months = goals.months_between(SET_ON, dt.date(2027, 3, 31))
    assert check.suggestion == pytest.approx(check.baseline * (1 + check.trend_high) ** months)


def test_the_correction_reads_the_kpi_direction(monkeypatch):
    monkeypatch.setitem(kpis.KPIS, "sqls", dataclasses.replace(kpis.KPIS["sqls"], higher_is_better=False))
    rising = [40 * 1.03**i * (1 + 0.01 * (-1) ** i) for i in range(12)]  # a rise is now bad
    check = _check(_leads(rising), target={"relative": -0.5})
    assert check.achievability == "unrealistic"
    assert check.suggestion == pytest.approx(check.baseline) and check.suggestion_kind == "hold"


def test_suggested_goals_aim_in_the_kpi_direction():
    brief = _brief()
    brief = brief.model_copy(update={"goals": ()})
    findings = [
        {"id": "slow", "objective": "satisfaction", "kpi": "response_time_median", "scope": "all"},
        {"id": "quiet", "objective": "engagement", "kpi": "engagement_rate", "scope": "facebook"},
    ]
    proposed = {p["kpi"]: p["target"]["relative"] for p in goals.suggested_goals(brief, findings)}
    assert proposed == {"response_time_median": -goals.SUGGESTED_CHANGE, "engagement_rate": goals.SUGGESTED_CHANGE}


def test_a_value_target_the_baseline_already_meets_is_said_to_be_met():
    check = _check(_leads(NOISY_FLAT), target={"value": 10.0})
    assert check.achievability == "unknown"
    assert check.letters["A"]["message"] == "smart.achievable_already_met"
    assert "already meets the target" in letter_text(check.letters["A"], "en")


# ------------------------------------------------------------------ 5. a prediction interval, named so
def test_the_letter_quotes_the_forecast_at_the_deadline_with_its_prediction_interval():
    check = _check(_leads(NOISY_FLAT))
    predicted = goals.forecast(_leads(NOISY_FLAT)["leads"].set_index("date")["sqls"], dt.date(2027, 3, 31))
    assert (check.forecast, check.forecast_low, check.forecast_high) == pytest.approx(
        tuple(predicted.iloc[-1][["mean", "low", "high"]]))
    assert check.trend_low == pytest.approx(check.trend_monthly - goals.z_score(0.95) * check.trend_se)
    en, fr = letter_text(check.letters["A"], "en"), letter_text(check.letters["A"], "fr")
    assert "±" not in en and "95% prediction interval" in en and "Forecast at the deadline" in en
    assert "intervalle de prévision à 95" in fr
    assert "prediction interval" in t("goals.chart_interval", "en", level="95%")


# ------------------------------------------------------------------ 6. cumulative series
def test_a_cumulative_series_gets_no_false_precision():
    smooth = [10_000 * 1.022**i for i in range(12)]  # +2.2 % every month, exactly
    check = _check(_followers(smooth), objective="community", kpi="followers", scope="instagram",
                   target={"relative": 0.05})
    assert goals.is_cumulative("followers") and not goals.is_cumulative("sqls")
    assert check.trend_monthly == pytest.approx(0.022)
    en = letter_text(check.letters["A"], "en")
    assert "+2.2% a month" in en and "±" not in en and "interval of the trend" not in en
    assert "0.0%" not in en


def test_a_cumulative_series_trend_comes_from_its_monthly_growth():
    wobbly = list(np.cumprod([10_000] + [1.03, 1.01, 1.02, 1.04, 1.0, 1.03, 1.01, 1.02, 1.04, 1.0, 1.03]))
    rate, se = goals.trend(pd.Series(wobbly), cumulative=True)
    growth = np.diff(np.log(wobbly))
    assert rate == pytest.approx(math.expm1(growth.mean()))
    assert se == pytest.approx(growth.std(ddof=1) / math.sqrt(11) * math.exp(growth.mean()))
    # a line through the levels would claim a much narrower interval
    assert goals.trend(pd.Series(wobbly))[1] < se
    check = _check(_followers(wobbly), objective="community", kpi="followers", scope="instagram",
                   target={"relative": 0.05})
    assert "interval of the trend" in letter_text(check.letters["A"], "en")  # not degenerate: quoted
    predicted = goals.forecast(pd.Series(wobbly, index=MONTHS), dt.date(2027, 3, 31), cumulative=True)
    assert predicted["low"].iloc[0] == pytest.approx(wobbly[-1])  # from the last known value
    assert (predicted["high"] - predicted["low"]).is_monotonic_increasing


def test_cumulative_is_read_from_the_registry(monkeypatch):
    monkeypatch.setitem(kpis.KPIS, "followers", dataclasses.replace(kpis.KPIS["followers"], goal="flow"))
    assert not goals.is_cumulative("followers")


# ------------------------------------------------------------------ 7. messages that need a reply
def test_the_response_rate_counts_only_messages_that_need_a_reply():
    care = pd.DataFrame({
        "answered_at": pd.to_datetime(["2026-01-01", None, None, None, "2026-01-02", None], utc=True),
        "type": ["question", "complaint", "praise", "other", "Question ", None],
        "channel": ["instagram", "instagram", "instagram", "instagram", "facebook", "facebook"],
    })
    # needs a reply: the questions, the complaint and the message of unknown type (4); 2 answered
    assert response_rate(care) == pytest.approx(2 / 4)
    praise_only = care[care["type"].isin(["praise", "other"])]
    assert math.isnan(response_rate(praise_only))  # nothing to answer: unknown, not 0 %
    definition = kpis.KPIS["response_rate"].definition("en")
    assert "need a reply" in definition and "praise" in definition


def test_a_percent_kpi_forecast_never_reads_above_100_percent():
    shares = [0.90, 0.97, 0.92, 0.99, 0.91, 0.98, 0.93, 0.99, 0.92, 0.98, 0.95, 0.99]  # noisy, near 100 %
    series = goals.monthly_series("response_rate", "all", _care(shares), _brief())
    assert goals.forecast(series, dt.date(2027, 3, 31))["high"].max() > 1  # the log model alone
    capped = goals.forecast_kpi(series, "response_rate", dt.date(2027, 3, 31))
    assert capped["high"].max() == 1.0 and math.isinf(goals.ceiling_of("sqls"))
