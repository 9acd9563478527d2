"""Unit tests of the step modules on small hand-made tables."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest

from helpers.client.brief import Brief, KpiConventions, load_brief
from helpers.method import goals, observation, strategy, synthesis, tracking
from helpers.method.evidence import Rule
from helpers.report.display import card, table
from helpers.report.export import logo_data_uri
from helpers.report.words import finding_text, letter_text
from tests.conftest import DEMO

REACH = KpiConventions()


def posts_at(times: list[str], reach: list[int], reactions: list[int], channel: str = "instagram",
             fmt: str = "photo") -> pd.DataFrame:
    n = len(times)
    return pd.DataFrame({
        "post_id": [str(i) for i in range(n)], "channel": channel, "account": "a",
        "published_at": pd.to_datetime(times, utc=True), "format": fmt,
        "impressions": [r * 2 for r in reach], "reach": reach, "reactions": reactions,
        "comments": 0, "shares": 0, "saves": 0,
    })


def test_best_times_uses_local_time_and_ranks_by_the_low_bound():
    # Thursdays 17:00 UTC = 18:00 in Paris (winter, UTC+1): 12 posts at 10 %.
    thursdays = [f"2026-01-{d:02d}T17:00:00Z" for d in (1, 8, 15, 22, 29)] * 2 + ["2026-02-05T17:00:00Z"] * 2
    # Two Monday posts at 30 %: a higher rate, but on too few posts to beat the Thursday slot.
    mondays = ["2026-01-05T09:00:00Z", "2026-01-12T09:00:00Z"]
    posts = posts_at(thursdays + mondays, [1000] * 14, [100] * 12 + [300, 300])
    rates, counts, slots = observation.best_times(posts, "Europe/Paris", REACH, rule=Rule(min_posts=2), top=2)
    assert counts.loc[3, 18] == 12 and counts.loc[0, 10] == 2
    assert rates.loc[3, 18] == pytest.approx(0.10)
    # The Monday cell has no spread (both posts 30 %), so its low bound is 30 %: it wins.
    assert (slots.loc[0, "weekday"], slots.loc[0, "hour"]) == (0, 10)
    noisy = posts.copy()
    noisy.loc[12, "reactions"] = 0  # now the Monday cell is 0 % or 30 %: its low bound collapses
    _, _, slots = observation.best_times(noisy, "Europe/Paris", REACH, rule=Rule(min_posts=2), top=2)
    assert (slots.loc[0, "weekday"], slots.loc[0, "hour"]) == (3, 18)
    assert slots.loc[0, "low"] <= 0.10 <= slots.loc[0, "high"]


def test_trend_change_and_format_lift():
    days = [f"2026-{m:02d}-{d:02d}T10:00:00Z" for m in range(5, 11) for d in (3, 10, 17, 24)]
    facebook = posts_at(days, [100] * 24, [4] * 12 + [2] * 12, channel="facebook")
    instagram = posts_at(days, [100] * 24, [5] * 24)
    trend = observation.trend_change(pd.concat([facebook, instagram], ignore_index=True), REACH,
                                     "Europe/Paris", dt.date(2025, 11, 1), dt.date(2026, 10, 31))
    change = trend.set_index("channel")["change"]
    assert change["facebook"] == pytest.approx(-0.5)
    assert change["instagram"] == pytest.approx(0.0)
    posts = pd.concat([posts_at(["2026-01-01T10:00:00Z"] * 2, [100, 100], [20, 20], fmt="reel"),
                       posts_at(["2026-01-02T10:00:00Z"] * 2, [100, 100], [5, 5], fmt="photo")],
                      ignore_index=True)
    formats = observation.format_performance(posts, REACH).set_index("format")
    assert formats.loc["reel", "engagement_rate"] == pytest.approx(0.2)
    assert formats.loc["reel", "lift"] == pytest.approx(3.0)  # 20 % against 5 %: +300 %


def test_influencer_tiers_follow_the_brief():
    tiers = load_brief(DEMO / "brief.yaml").influencer_tiers
    assert [observation.influencer_tier(f, tiers) for f in (50, 1_000, 20_000, 150_000, float("nan"))] == [
        "public", "nano", "micro", "macro", "unknown"]  # no count is unknown, not a small account


def _brief(**goal) -> Brief:
    demo = load_brief(DEMO / "brief.yaml")
    base = {"id": "g", "objective": "community", "kpi": "followers", "scope": "instagram",
            "target": {"relative": 0.05}, "deadline": "2027-03-31", "business_objective": "online_sales"}
    base.update(goal)
    data = demo.model_dump(mode="json")
    data["goals"] = [base]
    return Brief.model_validate(data)


def _growing(rate: float, months: int = 12, start: float = 1000.0) -> dict[str, pd.DataFrame]:
    days = pd.date_range("2025-11-01", periods=months, freq="MS")
    followers = pd.DataFrame({"date": days, "channel": "instagram", "account": "a",
                              "followers": [start * (1 + rate) ** i for i in range(months)]})
    empty = pd.DataFrame(columns=["brand", "date", "channel", "followers", "posts", "interactions"])
    return {"followers": followers, "posts": posts_at([], [], []), "competitors": empty}


def test_trend_recovers_a_known_growth():
    rate, se = goals.trend(pd.Series([100 * 1.03 ** i for i in range(12)]))
    assert rate == pytest.approx(0.03) and se == pytest.approx(0.0, abs=1e-9)
    assert math.isnan(goals.trend(pd.Series([1.0, 2.0]))[0])


@pytest.mark.parametrize(("target", "expected"), [(0.05, "likely"), (0.30, "unrealistic")])
def test_achievability_against_the_own_trend(target, expected):
    tables = _growing(0.02)  # +2 %/month, no noise: the trend's interval is flat
    check = goals.check_goal(_brief(target={"relative": target}).goals[0], _brief(), tables,
                             dt.date(2026, 10, 31))
    assert check.achievability == expected
    assert check.trend_monthly == pytest.approx(0.02)
    # 151 days to the deadline, in months of 30.4375 days: needed = (1 + target) ** (1 / m) - 1
    months = 151 / 30.4375
    assert check.needed_monthly == pytest.approx((1 + target) ** (1 / months) - 1, rel=1e-6)


def test_stretch_when_a_competitor_grows_that_fast():
    tables = _growing(0.02)
    months = pd.date_range("2025-11-01", periods=12, freq="MS")
    tables["competitors"] = pd.DataFrame({"brand": "Rival", "date": months, "channel": "instagram",
                                          "followers": [500 * 1.06 ** i for i in range(12)],
                                          "posts": 10, "interactions": 100})
    brief = _brief(target={"relative": 0.30})  # needs +5.4 %/month: above the trend, below Rival's 6 %
    check = goals.check_goal(brief.goals[0], brief, tables, dt.date(2026, 10, 31))
    assert check.achievability == "stretch"
    assert check.best_competitor == "Rival" and check.competitor_monthly == pytest.approx(0.06)
    assert "Rival" in letter_text(check.letters["A"], "en")


def test_the_confidence_setting_sets_the_trend_interval_and_the_stretch_ceiling():
    assert goals.z_score(0.95) == pytest.approx(1.96, abs=1e-3)
    tables = _growing(0.02)
    tables["followers"]["followers"] *= np.tile([1.0, 1.01, 0.99], 4)  # a noisy trend: an interval
    series = tables["followers"].set_index("date")["followers"]
    rate, se = goals.trend(series, cumulative=True)  # followers: a stock, its mean monthly growth
    # a target that needs the trend + 1.5 standard errors a month: beyond the 80 % bound (1.28),
    # within the 95 % one (1.96)
    months = 151 / 30.4375
    brief = _brief(target={"relative": (1 + rate + 1.5 * se) ** months - 1})
    strict = goals.check_goal(brief.goals[0], brief, tables, dt.date(2026, 10, 31), confidence=0.8)
    usual = goals.check_goal(brief.goals[0], brief, tables, dt.date(2026, 10, 31))
    assert (strict.achievability, usual.achievability) == ("unrealistic", "stretch")
    assert usual.letters["A"]["values"]["se"] == pytest.approx(goals.z_score(0.95) * se)
    narrow, wide = (goals.forecast(series, dt.date(2027, 3, 31), c, cumulative=True) for c in (0.8, 0.99))
    assert narrow["mean"].equals(wide["mean"])
    # from the last known value (no width) the band widens month by month, wider at 99 % than at 80 %
    assert ((wide["high"] - wide["low"]).iloc[1:] > (narrow["high"] - narrow["low"]).iloc[1:]).all()


def test_slots_and_formats_to_plan_need_min_posts_posts():
    thursdays = [f"2026-01-{d:02d}T17:00:00Z" for d in (1, 8, 15, 22, 29)] * 2  # 10 posts, 18:00 in Paris
    mondays = ["2026-01-05T09:00:00Z", "2026-01-12T09:00:00Z", "2026-01-19T09:00:00Z"]  # 3 posts, 10:00
    posts = posts_at(thursdays + mondays, [1000] * 13, [100] * 13)  # every post at 10 %
    slots = strategy.best_slots_per_network(posts, "Europe/Paris", REACH)  # min_posts 5, the brief's default
    assert list(zip(slots["weekday"], slots["hour"], slots["posts"], strict=True)) == [(3, 18, 10)]
    loose = strategy.best_slots_per_network(posts, "Europe/Paris", REACH, rule=Rule(min_posts=3))
    assert set(zip(loose["weekday"], loose["hour"], strict=True)) == {(3, 18), (0, 10)}
    assert strategy.best_slots_per_network(posts, "Europe/Paris", REACH, rule=Rule(min_posts=20)).empty
    formats = pd.DataFrame({"channel": "instagram", "format": ["reel", "photo", "story"],
                            "posts": [4, 30, 12], "verdict": ["too_few", "above", "below"]})
    mix = strategy.format_mix(formats, ["instagram"]).set_index("format")["share"]
    # the photo has evidence: it leads, at most doubling its past share (30 of 46 posts: capped by 50 %)
    assert mix["photo"] == pytest.approx(max(30 / 46, 0.5))
    # the reel's 4 posts are under 5: it may not grow above its past share
    assert mix["reel"] <= 4 / 46 + 1e-12 and mix.sum() == pytest.approx(1.0)
    # no format at all on the network: the method's format
    assert strategy.format_mix(formats, ["linkedin"]).loc[0, ["format", "share"]].tolist() == ["video", 1.0]


@pytest.mark.parametrize(("goal", "letter", "reason"), [
    ({"kpi": "happiness"}, "S", "unknown KPI"),
    ({"scope": "tiktok"}, "S", "neither one of the brand's networks"),
    ({"deadline": "2027-06-30"}, "T", "after the end of the plan"),
    ({"deadline": "2026-06-30"}, "T", "not after the end of the analysed data"),
    ({"objective": "leads"}, "R", "does not measure the objective"),
    ({"business_objective": None}, "R", "no business objective"),
])
def test_each_smart_letter_fails_with_its_reason(goal, letter, reason):
    brief = _brief(**goal)
    check = goals.check_goal(brief.goals[0], brief, _growing(0.02), dt.date(2026, 10, 31))
    assert not check.letters[letter]["pass"]
    assert reason in letter_text(check.letters[letter], "en")
    assert not check.smart


def test_measurable_needs_history():
    brief = _brief()
    check = goals.check_goal(brief.goals[0], brief, _growing(0.02, months=2), dt.date(2026, 10, 31))
    assert not check.letters["M"]["pass"] and "2 mois" in letter_text(check.letters["M"], "fr")


def test_goal_status_and_roi():
    tables = _growing(0.02)
    brief = _brief()
    goal = {"id": "g", "kpi": "followers", "scope": "instagram", "baseline": 1000.0, "target": 1050.0,
            "deadline": "2027-03-31", "baseline_date": "2026-10-31", "objective": "community"}
    # the series ends at 1,243 (+2 % a month): 1,050 is already reached; 1,300 is reached by the
    # forecast at the deadline (1,243 × 1.02⁵ ≈ 1,372), 5,000 is not
    assert tracking.goal_status(goal, tables, brief, dt.date(2026, 10, 31))["status"] == "reached"
    assert tracking.goal_status({**goal, "target": 1300.0}, tables, brief, dt.date(2026, 10, 31))["status"] == "on_track"
    assert tracking.goal_status({**goal, "target": 5000.0}, tables, brief, dt.date(2026, 10, 31))["status"] == "at_risk"
    late = {**goal, "deadline": "2026-09-30", "baseline_date": "2026-01-01", "target": 99_999.0}
    assert tracking.goal_status(late, tables, brief, dt.date(2026, 10, 31))["status"] == "missed"
    spend = pd.DataFrame({"date": pd.to_datetime(["2026-01-01"] * 2), "channel": ["instagram", "facebook"],
                          "campaign": "c", "amount": [100.0, 50.0], "hours": [10.0, 0.0]})
    leads = pd.DataFrame({"date": pd.to_datetime(["2026-01-01"] * 2), "channel": ["instagram", "facebook"],
                          "leads": [10, 5], "sqls": [4, 1], "revenue": [1000.0, 25.0]})
    roi = tracking.roi_table(spend, leads, posts_at([], [], []), tables["followers"].iloc[0:0], 40.0,
                             ["instagram", "facebook"], dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    roi = roi.set_index("channel")
    assert roi.loc["instagram", "cost"] == 10 * 40 + 100  # 500
    assert roi.loc["instagram", "roi"] == pytest.approx((1000 - 500) / 500)
    assert roi.loc["facebook", "roi"] == pytest.approx((25 - 50) / 50)
    assert roi.loc["total", "roi"] == pytest.approx((1025 - 550) / 550)


def test_lever_prefers_the_goal_network():
    findings = [
        {"id": "reels", "kind": "opportunity", "objective": "engagement", "scope": "instagram:reel"},
        {"id": "thursday", "kind": "opportunity", "objective": "engagement", "scope": "3:18"},
        {"id": "decline", "kind": "weakness", "objective": "engagement", "scope": "facebook"},
    ]
    channels = ["facebook", "instagram"]

    def lever(goal: dict) -> str | None:
        found = tracking.lever_for(goal, findings, channels)
        return found["id"] if found else None

    assert lever({"objective": "engagement", "scope": "instagram"}) == "reels"
    assert lever({"objective": "engagement", "scope": "facebook"}) == "thursday"
    assert lever({"objective": "leads", "scope": "all"}) is None


def test_network_matrix_scores_and_weights():
    brief = load_brief(DEMO / "brief.yaml")
    audience = pd.DataFrame({"channel": ["instagram", "instagram", "facebook", "facebook"],
                             "dimension": ["age", "gender", "age", "gender"],
                             "value": ["25-34", "female", "25-34", "female"], "share": [0.5, 0.8, 0.2, 0.5]})
    matrix = strategy.network_matrix(brief, audience, pd.Series({"instagram": 0.08, "facebook": 0.02}))
    assert matrix.loc["instagram", "audience_fit"] == pytest.approx(0.5 * 0.8)
    assert matrix.loc["facebook", "observed_performance"] == pytest.approx(0.25)
    assert math.isnan(matrix.loc["tiktok", "observed_performance"])
    assert matrix.index[0] == "instagram"
    row = matrix.loc["instagram"]
    w = brief.network_weights
    expected = (row.audience_fit * w.audience_fit + row.objective_fit * w.objective_fit
                + row.business_model_fit * w.business_model_fit + row.observed_performance * w.observed_performance
                + row.competitor_presence * w.competitor_presence) / sum(w.model_dump().values())
    assert row.score == pytest.approx(expected)


def test_findings_are_ranked_by_severity_with_their_figures():
    brief = load_brief(DEMO / "brief.yaml")
    audit = pd.DataFrame({"channel": ["facebook"], "response_rate": [0.95]})
    trend = pd.DataFrame({"channel": ["facebook"], "before": [0.04], "recent": [0.02], "change": [-0.5],
                          "before_start": ["2026-05-01"], "before_end": ["2026-07-31"], "recent_start": ["2026-08-01"],
                          "recent_end": ["2026-10-31"], "low": [-0.6], "high": [-0.4], "posts_before": [40],
                          "posts_recent": [40], "direction": ["fall"]})
    formats = pd.DataFrame({"channel": ["instagram"], "format": ["reel"], "posts": [30], "share": [0.3],
                            "engagement_rate": [0.12], "low": [0.1], "high": [0.14], "reference": [0.12 / 2.2],
                            "lift": [1.2], "verdict": ["above"]})
    slots = pd.DataFrame({"weekday": [3], "hour": [18], "posts": [30], "engagement_rate": [0.1], "low": [0.08],
                          "high": [0.12], "reference": [0.1 / 1.7], "lift": [0.7], "verdict": ["above"]})
    bench = pd.DataFrame({"brand": ["Atelier Sève", "Maison Argile", "Bulles d'Ici"],
                          "followers": [100.0, 300.0, 50.0], "share_of_voice": [0.25, 0.5, 0.25]})
    found = synthesis.key_findings(brief, audit, trend, formats, slots, bench)
    ids = [f.id for f in found]
    assert ids[0] == "format_instagram"  # ln(2.2) × 1.0
    assert {"decline_facebook", "best_slot", "sov_leader"} <= set(ids)
    assert [f.severity for f in found] == sorted((f.severity for f in found), reverse=True)
    sov = next(f for f in found if f.id == "sov_leader")
    text = finding_text(sov, "en", brief.kpi)
    assert "Maison Argile" in text and "50%" in text and "25%" in text
    assert json.dumps(sov.as_dict(), allow_nan=False)  # numbers and ids only: the same in every language
    assert sov.severity == pytest.approx(math.log(2), abs=1e-4)  # half the leader's; the brief weighs awareness 1


def test_display_escapes_every_string():
    evil = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    markup = table(pd.DataFrame({"text": [evil], "n": [np.int64(3)]}), lang="en")._repr_html_()
    markup += card(evil, [evil])._repr_html_()
    assert "<script>" not in markup and "<img" not in markup
    assert "&lt;script&gt;" in markup and "onerror=&quot;" in markup


def test_logo_cannot_leave_the_client_folder(tmp_path):
    (tmp_path / "client").mkdir()
    (tmp_path / "secret.png").write_bytes(b"\x89PNG")
    with pytest.raises(ValueError, match="inside the client folder"):
        logo_data_uri(tmp_path / "client", "../secret.png")
    assert logo_data_uri(DEMO, "logo.svg").startswith("data:image/svg+xml;base64,")


def test_posts_without_a_known_reach_are_left_out_of_the_rate():
    from helpers import kpis

    known = posts_at(["2026-01-01T10:00:00Z"] * 2, [100, 100], [10, 30])
    unknown = posts_at(["2026-01-01T11:00:00Z"], [0], [500], channel="linkedin").astype({"reach": "float"})
    unknown.loc[0, "reach"] = float("nan")  # LinkedIn exports give no per-post reach
    both = pd.concat([known, unknown], ignore_index=True)
    assert kpis.engagement_rate(both) == pytest.approx(40 / 200)
    assert math.isnan(kpis.engagement_rate(unknown))
    rates = kpis.engagement_rate(both, by="channel")
    assert rates["instagram"] == pytest.approx(0.2) and math.isnan(rates["linkedin"])


def test_follower_activity_is_the_mean_online_per_weekday_and_hour():
    days = pd.to_datetime(["2026-01-05", "2026-01-05", "2026-01-12", "2026-01-12", "2026-01-06"])  # Mon, Mon, Tue
    activity = pd.DataFrame({"date": days, "hour": [18, 9, 18, 9, 18], "channel": "tiktok", "account": "a",
                             "active_followers": [40, 10, 60, None, 5]})
    out = observation.follower_activity(activity, ["tiktok"])
    first = out.iloc[0]
    assert (first["weekday"], first["hour"], first["active_followers"], first["days"]) == (0, 18, 50.0, 2)
    assert out.set_index(["weekday", "hour"]).loc[(0, 9), "days"] == 1  # the unknown hour is not a zero
    assert observation.follower_activity(activity, ["instagram"]).empty


@pytest.mark.parametrize(("best_hour", "agree"), [(18, True), (7, False)])
def test_the_best_time_section_sets_followers_online_beside_the_best_slot(tmp_path, best_hour, agree):
    from helpers.client.loading import ClientData
    from helpers.report.pages.observation import online
    from helpers.run.context import Run

    brief = load_brief(DEMO / "brief.yaml")
    days = pd.date_range("2026-01-05", periods=14, freq="D")
    activity = pd.DataFrame([
        {"date": d, "hour": h, "channel": "instagram", "account": "a", "active_followers": 100 if h == 18 else 10}
        for d in days for h in range(24)
    ])
    run = Run(ClientData("demo", DEMO, brief, {"activity": activity}), "en", tmp_path, brief.period.start,
              brief.period.end)
    slots = pd.DataFrame({"weekday": [3], "hour": [best_hour], "posts": [20], "engagement_rate": [0.05],
                          "low": [0.04], "high": [0.06], "lift": [0.5], "verdict": ["above"]})
    html = online(run, slots)._repr_html_()
    assert "When followers are online" in html and "at 6:00\u202fPM (100.0 on average, 2 days observed)" in html
    assert ("both signals agree" in html) is agree and ("test posts at the peak hours" in html) is not agree
    empty = Run(ClientData("demo", DEMO, brief, {"activity": activity.iloc[0:0]}), "en", tmp_path,
                brief.period.start, brief.period.end)
    assert online(empty, slots)._repr_html_() == ""
    # a best slot that does not stand out from the average is not set against the busiest hours
    flat = online(run, slots.assign(verdict="not_distinguishable"))._repr_html_()
    assert "When followers are online" in flat and "both signals" not in flat and "peak hours before" not in flat
