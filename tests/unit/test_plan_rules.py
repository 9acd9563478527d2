"""A plan the data supports, and actions rather than findings: the rules of step 6's calendar
(days used, brand dates, goals a post can move, the team's capacity) and of the next steps and
corrective actions, each on a small hand-made table."""

from __future__ import annotations

import datetime as dt
import json
import math

import pandas as pd
import pytest

from helpers.client.brief import Brief
from helpers.method import actions as act
from helpers.method.planning import (
    GOAL_FIT,
    MIN_FREQUENCY,
    USED_DAY_SHARE,
    build_calendar,
    fit_to_capacity,
    goal_fits,
    goals_for,
    main_networks,
    publishing_days,
    used_weekdays,
    workload,
)

LONDON = "Europe/London"


def brief_of(**sections) -> Brief:
    """A small UK B2B brief on LinkedIn and Instagram; ``sections`` replace top-level keys."""
    raw = {
        "client": {"name": "Small Co", "country": "GB", "timezone": LONDON, "lang": "en", "currency": "GBP"},
        "period": {"start": "2026-01-01", "end": "2026-12-31"},
        "horizon": {"start": "2027-01-04", "end": "2027-01-31"},
        "profiles": [{"channel": "linkedin", "account": "co"}, {"channel": "instagram", "account": "co"}],
        "planning": {"frequency": {"linkedin": 4, "instagram": 3}, "holidays": "avoid"},
    }
    raw.update(sections)
    return Brief.model_validate(raw)


def posts_on(channel: str, weekdays: dict[int, int], start: str = "2026-03-02") -> pd.DataFrame:
    """``n`` posts of ``channel`` on each weekday (0 = Monday) at 10:00 UTC, weeks apart."""
    monday = dt.date.fromisoformat(start)
    rows = []
    for weekday, n in weekdays.items():
        for k in range(n):
            day = monday + dt.timedelta(days=weekday + 7 * k)
            rows.append({"channel": channel, "published_at": pd.Timestamp(f"{day} 10:00", tz="UTC")})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- days used


def test_a_weekend_the_brand_does_not_use_gets_no_post():
    """104 LinkedIn posts Monday to Friday and 1 on a Saturday (under 1 %): no weekend post, even
    with a Sunday slot ranked first and the method's fallback hours."""
    posts = posts_on("linkedin", {0: 21, 1: 21, 2: 21, 3: 21, 4: 20, 5: 1})
    used = used_weekdays(posts, LONDON, ["linkedin", "instagram"])
    assert used == {"linkedin": frozenset({0, 1, 2, 3, 4})}  # instagram: no post, left out
    brief = brief_of(planning={"frequency": {"linkedin": 12, "instagram": 3}})
    slots = pd.DataFrame(
        {"channel": ["linkedin"] * 2, "weekday": [6, 1], "hour": [20, 8], "score": [0.9, 0.5]}
    )
    calendar = build_calendar(brief, slots, days=publishing_days(brief, posts))
    linkedin = calendar[calendar["channel"] == "linkedin"]
    assert len(linkedin) > 0 and all(d.weekday() < 5 for d in linkedin["date"])
    # without its used days the Sunday slot would be taken: the rule is what keeps it out
    assert any(d.weekday() == 6 for d in build_calendar(brief, slots)["date"])


def test_the_used_share_is_a_stated_threshold():
    posts = posts_on("linkedin", {0: 19, 5: 1})  # Saturday: 5 % of the posts
    assert 5 in used_weekdays(posts, LONDON, ["linkedin"], min_share=USED_DAY_SHARE)["linkedin"]
    assert 5 not in used_weekdays(posts, LONDON, ["linkedin"], min_share=0.06)["linkedin"]
    with pytest.raises(ValueError, match="min_share"):
        used_weekdays(posts, LONDON, ["linkedin"], min_share=1.5)


def test_weekdays_follow_the_local_time():
    """A post at 23:30 UTC on a Friday in summer is Saturday 00:30 in London."""
    posts = pd.DataFrame(
        {"channel": ["linkedin"], "published_at": [pd.Timestamp("2026-07-03 23:30", tz="UTC")]}
    )
    assert used_weekdays(posts, LONDON, ["linkedin"]) == {"linkedin": frozenset({5})}


def test_the_briefs_days_win_and_are_validated():
    brief = brief_of(planning={"days": {"linkedin": ["tue", "thu"]}})
    posts = posts_on("linkedin", {0: 10, 1: 10})
    assert publishing_days(brief, posts)["linkedin"] == frozenset({1, 3})
    calendar = build_calendar(brief, days=publishing_days(brief, posts))
    assert {d.weekday() for d in calendar.loc[calendar["channel"] == "linkedin", "date"]} <= {1, 3}
    for bad, message in (
        ([], "at least one weekday"),
        (["tue", "tue"], "given twice"),
        (["tuesday"], "days"),
    ):
        with pytest.raises(ValueError, match=message):
            brief_of(planning={"days": {"linkedin": bad}})


def test_a_post_off_a_holiday_moves_to_a_day_the_network_uses():
    """New Year's Day 2027 (a Friday, a holiday in England): a Monday-to-Friday network's post moves
    to Monday 4 January, never to the weekend."""
    brief = brief_of(
        horizon={"start": "2027-01-01", "end": "2027-01-10"},
        planning={"frequency": {"linkedin": 5, "instagram": 0}},
    )
    calendar = build_calendar(brief, days={"linkedin": {0, 1, 2, 3, 4}})
    moved = calendar[calendar["moved_from"].notna()]
    assert len(moved) == 1 and moved["date"].iloc[0] == dt.date(2027, 1, 4)
    assert all(d.weekday() < 5 for d in calendar["date"])


# --------------------------------------------------------------------------- brand dates


def test_a_launch_date_gets_a_post_on_each_main_network():
    """Instagram 3 a week and LinkedIn 4 are main (at least half the busiest); TikTok at 1 is not."""
    brief = brief_of(
        profiles=[
            {"channel": "linkedin", "account": "co"},
            {"channel": "instagram", "account": "co"},
            {"channel": "tiktok", "account": "co"},
        ],
        planning={
            "frequency": {"linkedin": 4, "instagram": 3, "tiktok": 1},
            "notable_dates": [{"date": "2027-01-20", "name": "Launch"}],
        },
    )
    assert main_networks({"linkedin": 4, "instagram": 3, "tiktok": 1}) == ["linkedin", "instagram"]
    slots = pd.DataFrame({"channel": ["linkedin", "instagram"], "weekday": [1, 4], "hour": [8, 12]})
    calendar = build_calendar(brief, slots, days={"linkedin": {0, 1, 2, 3, 4}})
    launch = calendar[calendar["date"] == dt.date(2027, 1, 20)]
    assert set(launch["channel"]) == {"linkedin", "instagram"}
    assert set(launch["moment"]) == {"Launch"} and (calendar["moment"] != "").sum() == 2
    # the post moved from its week: the frequency stays what the brief asks
    assert calendar.groupby("channel").size().to_dict() == {"instagram": 12, "linkedin": 16, "tiktok": 4}


def test_a_brand_date_on_a_day_the_network_does_not_use_is_skipped_and_said():
    brief = brief_of(planning={"frequency": {"linkedin": 4, "instagram": 3},
                               "notable_dates": [{"date": "2027-01-23", "name": "Open day"}]})  # fmt: skip
    calendar = build_calendar(brief, days={"linkedin": {0, 1, 2, 3, 4}})
    on_day = calendar[calendar["date"] == dt.date(2027, 1, 23)]
    assert set(on_day["channel"]) == {"instagram"}
    assert calendar.attrs["moments_skipped"] == [(dt.date(2027, 1, 23), "linkedin")]


# --------------------------------------------------------------------------- goals a post can move


def goal(id_: str, objective: str, kpi: str, scope: str = "all") -> dict:
    return {"id": id_, "objective": objective, "kpi": kpi, "scope": scope,
            "target": {"value": 1.0}, "deadline": "2027-03-31"}  # fmt: skip


def test_a_response_rate_goal_is_never_tied_to_a_post():
    brief = brief_of(goals=[goal("care", "satisfaction", "response_rate")])
    assert GOAL_FIT["response_rate"] == ()
    assert not goal_fits(brief.goals[0], "linkedin", "video")
    mix = pd.DataFrame(
        {"channel": ["linkedin", "instagram"], "format": ["video", "reel"], "share": [1.0, 1.0]}
    )
    calendar = build_calendar(brief, format_mix=mix)
    assert set(calendar["goal_id"]) == {""} and set(calendar["objective"]) == {""}


def test_posts_are_tied_to_goals_their_network_and_format_can_move():
    goals = [
        goal("care", "satisfaction", "response_rate"),
        goal("li_sqls", "leads", "sqls", "linkedin"),
        goal("li_eng", "engagement", "engagement_rate", "linkedin"),
        goal("ig_comm", "community", "followers", "instagram"),
        goal("sales", "leads", "sqls"),
    ]
    brief = brief_of(goals=goals)
    ids = lambda ch, fmt: [g.id for g in goals_for(brief.goals, ch, fmt)]  # noqa: E731
    assert ids("linkedin", "video") == ["li_sqls", "li_eng"]  # scoped first, never "care"
    assert ids("instagram", "reel") == ["ig_comm"]
    assert ids("instagram", "story") == []  # a story is not a feed post
    assert ids("instagram", "link") == ["ig_comm"]  # scoped goals first; "sales" is on every network
    assert [g.id for g in goals_for(brief.goals[-1:], "instagram", "link")] == ["sales"]
    assert goals_for(brief.goals[-1:], "instagram", "photo") == []
    mix = pd.DataFrame({"channel": ["linkedin", "instagram", "instagram"], "format": ["video", "reel", "story"],
                        "share": [1.0, 0.5, 0.5]})  # fmt: skip
    calendar = build_calendar(brief, format_mix=mix)
    linkedin = calendar[calendar["channel"] == "linkedin"]
    assert set(linkedin["goal_id"]) == {"li_sqls", "li_eng"}  # in turn
    assert abs((linkedin["goal_id"] == "li_sqls").sum() - (linkedin["goal_id"] == "li_eng").sum()) <= 1
    stories = calendar[calendar["format"] == "story"]
    assert len(stories) and set(stories["goal_id"]) == {""}


# --------------------------------------------------------------------------- capacity


TEAM = [{"role": "content_lead", "hours_per_week": 3}, {"role": "creator", "hours_per_week": 6},
        {"role": "editor", "hours_per_week": 2}]  # fmt: skip
REELS = pd.DataFrame({"channel": ["linkedin", "instagram"], "format": ["video", "reel"], "share": [1.0, 1.0]})


def test_capacity_over_100_percent_cuts_the_lowest_priority_network():
    """LinkedIn videos (6 h) 4 a week and Instagram reels (4 h) 3 a week need about 21 creator hours a
    week against 6: Instagram (lowest priority) goes down to its floor first, then LinkedIn."""
    brief = brief_of(team=TEAM)
    first = workload(build_calendar(brief, format_mix=REELS), brief.team)
    assert first["utilisation"].max() > 1
    plan = fit_to_capacity(brief, format_mix=REELS, priority=["linkedin", "instagram"])
    assert plan.workload["utilisation"].max() <= 1 + 1e-9
    assert plan.frequency["instagram"] == MIN_FREQUENCY
    cuts = plan.cuts.set_index("channel")
    assert list(cuts.index) == ["linkedin", "instagram"]  # both at their floor, in priority order
    assert plan.frequency == {"linkedin": MIN_FREQUENCY, "instagram": MIN_FREQUENCY}
    assert cuts.loc["instagram", "per_week_before"] == 3 and cuts.loc["instagram", "per_week_after"] == 1
    saved = cuts["hours_saved"].sum()
    assert saved == pytest.approx(first["hours"].sum() - plan.workload["hours"].sum())
    assert (cuts["posts_after"] < cuts["posts_before"]).all() and not plan.hours_to_find


def test_the_priority_decides_which_network_is_cut():
    brief = brief_of(team=[{"role": "content_lead", "hours_per_week": 10},
                           {"role": "creator", "hours_per_week": 18}, {"role": "editor", "hours_per_week": 5}])  # fmt: skip
    ig_first = fit_to_capacity(brief, format_mix=REELS, priority=["instagram", "linkedin"])
    li_first = fit_to_capacity(brief, format_mix=REELS, priority=["linkedin", "instagram"])
    assert list(ig_first.cuts["channel"]) == ["linkedin"] and ig_first.frequency["instagram"] == 3
    assert list(li_first.cuts["channel"]) == ["instagram"] and li_first.frequency["linkedin"] == 4
    with pytest.raises(ValueError, match="priority"):
        fit_to_capacity(brief, priority=["facebook"])


def test_a_network_whose_posts_serve_no_goal_is_cut_first():
    """Instagram ranks first but no goal fits its posts (a LinkedIn-only goal): LinkedIn is kept."""
    brief = brief_of(
        team=[{"role": "content_lead", "hours_per_week": 10}, {"role": "creator", "hours_per_week": 18},
              {"role": "editor", "hours_per_week": 5}],
        goals=[goal("li_eng", "engagement", "engagement_rate", "linkedin")],
    )  # fmt: skip
    plan = fit_to_capacity(brief, format_mix=REELS, priority=["instagram", "linkedin"])
    assert plan.priority == ["linkedin", "instagram"] and list(plan.cuts["channel"]) == ["instagram"]


def test_keeping_the_frequency_states_the_hours_to_find():
    brief = brief_of(
        team=TEAM, planning={"frequency": {"linkedin": 4, "instagram": 3}, "keep_frequency": True}
    )
    plan = fit_to_capacity(brief, format_mix=REELS)
    assert plan.kept and plan.cuts.empty
    over = plan.workload.set_index("role")
    assert plan.hours_to_find["creator"] == pytest.approx(
        over.loc["creator", "hours"] - over.loc["creator", "capacity"]
    )


def test_without_a_team_nothing_is_cut():
    plan = fit_to_capacity(brief_of(), format_mix=REELS)
    assert (
        plan.cuts.empty and plan.frequency == {"linkedin": 4.0, "instagram": 3.0} and not plan.hours_to_find
    )


# --------------------------------------------------------------------------- actions


FINDINGS = [
    {"id": "best_slot", "kind": "opportunity", "objective": "engagement", "kpi": "engagement_rate",
     "scope": "3:18", "value": 0.0777, "reference": 0.0438, "values": {"posts": 44}},
    {"id": "format_instagram", "kind": "opportunity", "objective": "engagement", "kpi": "engagement_rate",
     "scope": "instagram:reel", "value": 0.0912, "reference": 0.0417, "values": {"posts": 91}},
]  # fmt: skip
SLOTS = pd.DataFrame(
    {"channel": ["facebook", "facebook", "instagram"], "rank": [1, 2, 1], "weekday": [3, 6, 3], "hour": [18, 12, 18],
     "posts": [10, 7, 16], "score": [0.0377, 0.0256, 0.1021], "low": [0.0308, 0.0205, 0.0825],
     "high": [0.0434, 0.0309, 0.1295]}
)  # fmt: skip


def demo_like() -> Brief:
    return brief_of(
        client={"name": "Marque", "country": "FR", "timezone": "Europe/Paris", "lang": "fr"},
        horizon={"start": "2027-01-01", "end": "2027-03-31"},
        profiles=[{"channel": "facebook", "account": "m"}, {"channel": "instagram", "account": "m"}],
        planning={},
    )


def status(goal_id: str, kpi: str, actual: float, forecast: float, target: float) -> dict:
    return {"id": goal_id, "label": goal_id.upper(), "kpi": kpi, "actual": actual, "forecast": forecast,
            "target": target, "status": "at_risk"}  # fmt: skip


def test_an_action_quotes_the_networks_own_slot_not_the_all_network_one():
    fb = goal("fb_engagement", "engagement", "engagement_rate", "facebook") | {"deadline": "2027-02-28"}
    action = act.corrective_action(status("fb_engagement", "engagement_rate", 0.011, 0.014, 0.026), fb,
                                   FINDINGS, demo_like(), SLOTS, None)  # fmt: skip
    assert action.verb == "schedule" and action.network == "facebook" and action.source == "slots"
    assert (action.figure["weekday"], action.figure["hour"]) == (3, 18)
    assert action.figure["value"] == pytest.approx(0.0377) and action.figure["posts"] == 10
    assert action.figure["value"] != pytest.approx(0.0777)
    assert action.by == dt.date(2027, 1, 29) and action.goal == "fb_engagement"
    record = json.loads(json.dumps(action.record(), allow_nan=False))
    assert record["by"] == "2027-01-29" and record["goal_label"] == "FB_ENGAGEMENT"


def test_an_action_reads_the_slots_table_as_05_writes_it():
    from helpers.method.strategy import SLOT_COLUMNS

    written = SLOTS.rename(columns={"score": "engagement_rate"}).assign(lift=0.5, verdict="above")
    written = written[SLOT_COLUMNS]
    fb = goal("fb_engagement", "engagement", "engagement_rate", "facebook") | {"deadline": "2027-02-28"}
    action = act.corrective_action(status("fb_engagement", "engagement_rate", 0.011, 0.014, 0.026), fb,
                                   FINDINGS, demo_like(), written, None)  # fmt: skip
    assert action.figure["value"] == pytest.approx(0.0377) and action.figure["posts"] == 10


def test_a_format_lever_becomes_an_action_only_where_the_plan_grows_it():
    ig = goal("ig_engagement", "engagement", "engagement_rate", "instagram")
    row = status("ig_engagement", "engagement_rate", 0.055, 0.058, 0.060)
    mix = pd.DataFrame(
        {"channel": ["instagram", "instagram"], "format": ["reel", "photo"], "share": [0.4, 0.6]}
    )
    action = act.corrective_action(row, ig, FINDINGS, demo_like(), SLOTS, mix)
    assert (action.verb, action.what, action.network) == ("shift_format", "reel", "instagram")
    assert action.figure["share"] == 0.4 and action.figure["posts"] == 91
    # the plan does not grow reels (no evidence): the network's own best slot instead
    no_reel = act.corrective_action(row, ig, FINDINGS, demo_like(), SLOTS, mix[mix["format"] != "reel"])
    assert no_reel.verb == "schedule" and no_reel.figure["value"] == pytest.approx(0.1021)


def test_care_and_leads_goals_get_their_own_actions_and_none_is_a_review():
    brief = demo_like()
    care = act.corrective_action(status("care", "response_rate", 0.942, 0.905, 0.93),
                                 goal("care", "satisfaction", "response_rate"), FINDINGS, brief, SLOTS)  # fmt: skip
    assert (care.verb, care.network, care.figure["value"]) == ("reply", "all", 0.942)
    sqls = act.corrective_action(status("sqls", "sqls", 43, 42.2, 48), goal("sqls", "leads", "sqls", "facebook"),
                                 FINDINGS, brief, SLOTS)  # fmt: skip
    assert (sqls.verb, sqls.network) == ("add_links", "facebook")
    # a goal on every network with no lever of its objective and no network: no action, not a review
    none = act.corrective_action(status("reach", "reach", 1, 1, 2), goal("reach", "awareness", "reach"),
                                 FINDINGS, brief, SLOTS)  # fmt: skip
    assert none is None


def test_an_action_is_due_inside_the_horizon_and_before_the_deadline():
    brief = demo_like()
    assert act.due_date(brief) == dt.date(2027, 1, 1) + dt.timedelta(days=act.ACTION_LEAD_DAYS)
    assert act.due_date(brief, dt.date(2027, 1, 15)) == dt.date(2027, 1, 15)
    with pytest.raises(ValueError, match="verb"):
        act.Action("review", "team", "all", dt.date(2027, 1, 1))


def test_the_plans_next_step_says_what_was_cut_and_the_hours_to_find():
    steps = act.plan_actions(demo_like(), 110, 206, {"creator": 12.5})
    assert [s.verb for s in steps] == ["publish", "find_hours"]
    assert steps[0].figure == {"posts": 110, "posts_before": 206, "start": "2027-01-01"}
    assert steps[0].by == dt.date(2027, 3, 31) and steps[1].what == "creator"
    assert not math.isnan(steps[1].figure["hours"])
