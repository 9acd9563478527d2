"""Tests of step 6, planning: calendar, exports, workload, budget, month view."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

import icalendar
import pandas as pd
import pytest

from helpers.client.brief import Brief, load_brief
from helpers.config import ROOT
from helpers.method.planning import (
    CALENDAR_COLUMNS,
    DEFAULT_EFFORT_HOURS,
    DEFAULT_FREQUENCY,
    MAX_PER_DAY,
    ROLE_SPLIT,
    budget,
    build_calendar,
    calendar_to_csv,
    calendar_to_ics,
    frequency_table,
    horizon_months,
    public_holidays,
    read_calendar_csv,
    weekly_workload,
    workload,
)
from helpers.report.calendar_chart import month_view

NEW_YEAR = dt.date(2027, 1, 1)
EASTER_MONDAY = dt.date(2027, 3, 29)
PARIS = "Europe/Paris"


@pytest.fixture(scope="module")
def demo() -> Brief:
    return load_brief(ROOT / "data" / "clients" / "demo" / "brief.yaml")


@pytest.fixture(scope="module")
def slots() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "channel": ["instagram"] * 4 + ["facebook"] * 2,
            "weekday": [3, 1, 5, 0, 2, 4],
            "hour": [18, 12, 10, 19, 13, 17],
            "score": [0.9, 0.7, 0.5, 0.4, 0.8, 0.6],
        }
    )


@pytest.fixture(scope="module")
def mix() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "channel": ["instagram"] * 3 + ["facebook"] * 2,
            "format": ["reel", "photo", "carousel", "photo", "video"],
            "share": [0.5, 0.3, 0.2, 0.75, 0.25],
        }
    )


@pytest.fixture(scope="module")
def targeted(demo, slots, mix) -> pd.DataFrame:
    return build_calendar(demo, slots, mix, holidays_rule="target")


@pytest.fixture(scope="module")
def avoided(demo, slots, mix) -> pd.DataFrame:
    return build_calendar(demo, slots, mix, holidays_rule="avoid")


def small_brief(start: str, end: str, **sections) -> Brief:
    """A minimal valid brief; ``sections`` replace top-level keys (planning, budget...)."""
    raw = {
        "client": {"name": "Petite Marque", "country": "FR", "timezone": PARIS, "lang": "fr"},
        "period": {"start": "2026-01-01", "end": "2026-12-31"},
        "horizon": {"start": start, "end": end},
        "profiles": [{"channel": "linkedin", "account": "petite"}],
    }
    raw.update(sections)
    return Brief.model_validate(raw)


def days_of(start: dt.date, end: dt.date) -> int:
    return (end - start).days + 1


# --------------------------------------------------------------------------- frequencies


def test_frequency_table_prefers_the_brief_and_fills_gaps():
    brief = small_brief(
        "2027-02-01",
        "2027-02-28",
        profiles=[
            {"channel": "linkedin", "account": "a"},
            {"channel": "x", "account": "b"},
        ],
        planning={"frequency": {"linkedin": 2}},
    )
    table = frequency_table(brief).set_index("channel")
    assert list(table.index) == ["linkedin", "x"]
    assert table.loc["linkedin", "posts_per_week"] == 2
    assert table.loc["linkedin", "source"] == "brief"
    assert table.loc["x", "posts_per_week"] == DEFAULT_FREQUENCY["x"] == 21
    assert table.loc["x", "source"] == "method default"


def test_method_defaults_follow_the_guidance():
    assert DEFAULT_FREQUENCY["linkedin"] == 5
    assert 7 <= DEFAULT_FREQUENCY["instagram"] <= 14
    assert DEFAULT_FREQUENCY["facebook"] <= 21
    assert math.isclose(sum(ROLE_SPLIT.values()), 1.0)


def test_total_posts_follow_the_frequency(demo, targeted):
    days = days_of(demo.horizon.start, demo.horizon.end)
    counts = targeted["channel"].value_counts()
    for channel, per_week in demo.planning.frequency.items():
        assert counts[channel] == round(days / 7 * per_week), channel


def test_every_full_week_gets_its_frequency(demo, targeted):
    weeks = targeted.assign(monday=[d - dt.timedelta(days=d.weekday()) for d in targeted["date"]])
    full = [
        m
        for m in weeks["monday"].unique()
        if m >= demo.horizon.start and m + dt.timedelta(days=6) <= demo.horizon.end
    ]
    assert len(full) >= 10
    per_week = weeks[weeks["monday"].isin(full)].groupby(["channel", "monday"]).size()
    for (channel, _), n in per_week.items():
        assert n == demo.planning.frequency[channel]
    assert len(per_week) == len(full) * len(demo.planning.frequency)


def test_at_most_three_posts_a_day_even_at_high_frequency():
    brief = small_brief(
        "2027-02-01",
        "2027-02-28",
        profiles=[{"channel": "x", "account": "a"}, {"channel": "linkedin", "account": "b"}],
        planning={"frequency": {"linkedin": 30}, "holidays": "target"},
    )
    calendar = build_calendar(brief, None, None)
    per_day = calendar.groupby(["channel", "date"]).size()
    assert per_day.max() == MAX_PER_DAY
    assert (calendar["channel"] == "x").sum() == 4 * 21  # method default, 3 a day
    assert (calendar["channel"] == "linkedin").sum() == 28 * MAX_PER_DAY
    assert calendar.attrs["capped"] == 4 * 30 - 28 * MAX_PER_DAY
    # two posts of a network never share a time
    assert not calendar.duplicated(["channel", "start"]).any()


def test_fractional_frequency_is_spread_and_totals_match():
    brief = small_brief(
        "2027-02-01", "2027-04-25", planning={"frequency": {"linkedin": 2.5}, "holidays": "target"}
    )
    calendar = build_calendar(brief, None, None)
    weeks = 12
    assert abs(len(calendar) - round(weeks * 2.5)) <= 1
    per_week = Counter(d - dt.timedelta(days=d.weekday()) for d in calendar["date"])
    assert set(per_week.values()) == {2, 3}


def test_posts_spread_over_days_before_doubling_up():
    brief = small_brief("2027-02-01", "2027-02-28", planning={"frequency": {"linkedin": 5}})
    calendar = build_calendar(brief, None, None)
    assert calendar.groupby("date").size().max() == 1
    assert {d.weekday() for d in calendar["date"]} == {0, 1, 2, 3, 4}  # default: weekdays


def test_best_slots_are_used_first(targeted):
    insta = targeted[targeted["channel"] == "instagram"]
    full_weeks = insta[[dt.date(2027, 1, 4) <= d <= dt.date(2027, 3, 28) for d in insta["date"]]]
    times = Counter(
        (d.weekday(), t.hour) for d, t in zip(full_weeks["date"], full_weeks["start"], strict=True)
    )
    # 6 a week: the four slots every week, then two other days at the best hour (18:00)
    for slot in [(3, 18), (1, 12), (5, 10), (0, 19)]:
        assert times[slot] == 12, slot
    assert sum(times.values()) == 12 * 6
    fb = targeted[targeted["channel"] == "facebook"]
    assert Counter(d.weekday() for d in fb["date"]).most_common(2)[0][0] in (2, 4)
    assert set(fb["start"].dt.hour) == {13, 17}


def test_every_post_is_inside_the_horizon(demo, targeted, avoided):
    for calendar in (targeted, avoided):
        assert min(calendar["date"]) >= demo.horizon.start
        assert max(calendar["date"]) <= demo.horizon.end
        assert (calendar["start"].dt.date == calendar["date"]).all()


def test_calendar_columns_and_order(targeted):
    assert list(targeted.columns) == list(CALENDAR_COLUMNS)
    assert list(targeted["post_no"]) == list(range(1, len(targeted) + 1))
    assert targeted["start"].is_monotonic_increasing
    assert ((targeted["end"] - targeted["start"]) == pd.Timedelta(minutes=30)).all()


def test_build_is_deterministic(demo, slots, mix, avoided):
    again = build_calendar(demo, slots, mix, holidays_rule="avoid")
    pd.testing.assert_frame_equal(again, avoided)


# --------------------------------------------------------------------------- content


def test_formats_follow_the_mix_by_largest_remainder(targeted):
    insta = targeted[targeted["channel"] == "instagram"]["format"]
    n = len(insta)  # 77: 38.5 / 23.1 / 15.4 -> 39 / 23 / 15
    assert n == 77
    assert Counter(insta) == {"reel": 39, "photo": 23, "carousel": 15}
    # interleaved, not in blocks: every run of 10 posts holds all three formats
    values = list(insta)
    assert all(len(set(values[i : i + 10])) == 3 for i in range(0, n - 10))
    fb = Counter(targeted[targeted["channel"] == "facebook"]["format"])
    assert fb == {"photo": 38, "video": 13}  # 51 × 0.75 = 38.25


def test_channels_without_a_mix_use_their_default_format(targeted):
    assert set(targeted[targeted["channel"] == "linkedin"]["format"]) == {"text"}


def test_effort_hours_come_from_the_format_and_the_brief(demo, slots, mix, targeted):
    expected = targeted["format"].map(DEFAULT_EFFORT_HOURS)
    assert (targeted["effort_hours"] == expected).all()
    planning = demo.planning.model_copy(update={"effort_hours": {"reel": 5.0}})
    brief = demo.model_copy(update={"planning": planning})
    changed = build_calendar(brief, slots, mix, holidays_rule="target")
    assert set(changed.loc[changed["format"] == "reel", "effort_hours"]) == {5.0}
    assert set(changed.loc[changed["format"] == "photo", "effort_hours"]) == {1.5}


def test_pillars_rotate_within_each_network(demo, targeted):
    pillars = demo.planning.pillars
    for channel, group in targeted.groupby("channel"):
        counts = Counter(group["pillar"])
        assert set(counts) == set(pillars), channel
        assert max(counts.values()) - min(counts.values()) <= 1
        values = list(group["pillar"])
        assert all(a != b for a, b in zip(values, values[1:], strict=False))


def test_posts_are_tied_to_goals(targeted):
    """Each post to a goal its network and format can move (``GOAL_FIT``), in turn when several
    can; never to the response-rate goal (care work, not content)."""
    goals = targeted.groupby("channel")[["goal_id", "objective"]].agg(set)
    assert goals.loc["instagram", "goal_id"] == {"ig_community", "ig_engagement"}  # both Instagram goals
    assert goals.loc["instagram", "objective"] == {"community", "engagement"}
    assert goals.loc["facebook", "goal_id"] == {"fb_engagement"}
    assert goals.loc["linkedin", "goal_id"] == {"social_sqls"}  # leads: any LinkedIn feed post
    assert goals.loc["linkedin", "objective"] == {"leads"}
    assert "care_response" not in set(targeted["goal_id"])
    assert set(targeted.loc[targeted["channel"] == "x", "goal_id"]) == {""}  # text posts move no demo goal


def test_no_goal_leaves_the_columns_empty():
    calendar = build_calendar(small_brief("2027-02-01", "2027-02-14"), None, None)
    assert set(calendar["goal_id"]) == {""}
    assert set(calendar["objective"]) == {""}
    assert set(calendar["pillar"]) == {""}


# --------------------------------------------------------------------------- holidays


def test_public_holidays_of_the_horizon(demo):
    found = public_holidays(demo)
    assert found[NEW_YEAR] == "Jour de l'an"
    assert found[EASTER_MONDAY] == "Lundi de Pâques"
    assert all(demo.horizon.start <= d <= demo.horizon.end for d in found)


def test_avoid_moves_posts_off_holidays(targeted, avoided):
    assert not set(avoided["date"]) & {NEW_YEAR, EASTER_MONDAY}
    assert set(avoided["holiday"]) == {""}
    moved = avoided[avoided["moved_from"].notna()]
    on_holidays = targeted[targeted["date"].isin([NEW_YEAR, EASTER_MONDAY])]
    assert len(moved) == len(on_holidays) > 0
    assert set(moved["moved_from"]) == {NEW_YEAR, EASTER_MONDAY}
    for _, post in moved.iterrows():
        assert post["date"] > post["moved_from"]
        assert post["date"] - post["moved_from"] <= dt.timedelta(days=3)
    # the same slot (hour) is kept, and nothing is lost
    assert sorted(moved["start"].dt.hour) == sorted(on_holidays["start"].dt.hour)
    assert len(avoided) == len(targeted)
    assert avoided.attrs["dropped"] == 0
    assert avoided.groupby(["channel", "date"]).size().max() <= MAX_PER_DAY
    assert not avoided.duplicated(["channel", "start"]).any()


def test_target_keeps_and_flags_holidays(targeted):
    flagged = targeted[targeted["holiday"] != ""]
    assert set(flagged["date"]) == {NEW_YEAR, EASTER_MONDAY}
    assert set(flagged.loc[flagged["date"] == EASTER_MONDAY, "holiday"]) == {"Lundi de Pâques"}
    assert targeted["moved_from"].isna().all()


def test_rule_defaults_to_the_brief(demo, slots, mix, avoided):
    assert demo.planning.holidays == "avoid"
    pd.testing.assert_frame_equal(build_calendar(demo, slots, mix), avoided)


def test_avoid_drops_posts_with_no_day_left():
    # Monday 22 to Easter Monday 29 March: the post due on the 29th has nowhere to go
    brief = small_brief("2027-03-22", "2027-03-29", planning={"frequency": {"linkedin": 5}})
    target = build_calendar(brief, None, None, holidays_rule="target")
    avoid = build_calendar(brief, None, None, holidays_rule="avoid")
    assert (target["date"] == EASTER_MONDAY).sum() == 1
    assert len(avoid) == len(target) - 1
    assert avoid.attrs["dropped"] == 1
    assert EASTER_MONDAY not in set(avoid["date"])


def test_avoid_skips_consecutive_regional_holidays():
    # Alsace-Moselle (57) also rests on 26 December: a post due on the 25th goes to the 27th
    brief = small_brief(
        "2027-12-20",
        "2027-12-31",
        client={"name": "Petite Marque", "country": "FR", "region": "57", "timezone": PARIS},
        planning={"frequency": {"linkedin": 7}},
        budget={"hourly_cost": 40},
    )
    slots = pd.DataFrame({"channel": "linkedin", "weekday": range(7), "hour": 9, "score": 1.0})
    target = build_calendar(brief, slots, None, holidays_rule="target")
    assert set(target.loc[target["holiday"] != "", "date"]) == {
        dt.date(2027, 12, 25),
        dt.date(2027, 12, 26),
    }
    avoid = build_calendar(brief, slots, None, holidays_rule="avoid")
    moved = avoid[avoid["moved_from"].notna()]
    assert list(moved["moved_from"]) == [dt.date(2027, 12, 25), dt.date(2027, 12, 26)]
    assert set(moved["date"]) == {dt.date(2027, 12, 27)}  # Monday, the next working day
    # the 27th already has its own 09:00 post: the moved ones take the next free hours
    assert sorted(avoid.loc[avoid["date"] == dt.date(2027, 12, 27), "start"].dt.hour) == [9, 12, 18]
    assert len(avoid) == len(target) == 12
    assert not avoid.duplicated(["channel", "start"]).any()


def test_unknown_rule_is_refused(demo):
    with pytest.raises(ValueError, match="holidays_rule"):
        build_calendar(demo, None, None, holidays_rule="ignore")


def test_bad_slots_are_refused(demo):
    bad = pd.DataFrame({"channel": ["facebook"], "weekday": [7], "hour": [12], "score": [1.0]})
    with pytest.raises(ValueError, match="out of range"):
        build_calendar(demo, bad, None)


def test_format_mix_needs_its_columns(demo):
    with pytest.raises(ValueError, match="share"):
        build_calendar(demo, None, pd.DataFrame({"channel": ["facebook"], "format": ["photo"]}))


def test_an_empty_plan_still_exports(tmp_path):
    brief = small_brief("2027-02-01", "2027-02-14", planning={"frequency": {"linkedin": 0}})
    calendar = build_calendar(brief, None, None)
    assert calendar.empty and list(calendar.columns) == list(CALENDAR_COLUMNS)
    back = read_calendar_csv(calendar_to_csv(calendar, tmp_path / "c.csv"), tz=PARIS)
    pd.testing.assert_frame_equal(back, calendar)
    ics = calendar_to_ics(calendar, tmp_path / "c.ics", brief)
    assert icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT") == []
    assert budget(calendar, brief)["total"].sum() == 0
    assert workload(calendar)["hours"].sum() == 0
    assert month_view(calendar, "2027-02") is not None


# --------------------------------------------------------------------------- time zone


@pytest.fixture(scope="module")
def across_dst() -> pd.DataFrame:
    brief = small_brief(
        "2027-03-22",
        "2027-04-04",
        planning={"frequency": {"linkedin": 7}, "holidays": "target"},
    )
    slots = pd.DataFrame({"channel": "linkedin", "weekday": range(7), "hour": 18, "score": 1.0})
    return build_calendar(brief, slots, None)


def test_local_time_is_kept_across_daylight_saving(across_dst):
    assert len(across_dst) == 14
    assert str(across_dst["start"].dt.tz) == PARIS
    assert (across_dst["start"].dt.hour == 18).all()
    for date, start in zip(across_dst["date"], across_dst["start"], strict=True):
        offset = start.utcoffset()
        if date < dt.date(2027, 3, 28):
            assert offset == dt.timedelta(hours=1), date
            assert start.tz_convert("UTC").hour == 17
        else:
            assert offset == dt.timedelta(hours=2), date
            assert start.tz_convert("UTC").hour == 16


# --------------------------------------------------------------------------- exports


def test_csv_round_trip(tmp_path, avoided, across_dst):
    for calendar in (avoided, across_dst):
        path = calendar_to_csv(calendar, tmp_path / "calendar.csv")
        back = read_calendar_csv(path)
        pd.testing.assert_frame_equal(back, calendar)
    text = (tmp_path / "calendar.csv").read_text(encoding="utf-8")
    assert "2027-03-27T18:00:00+01:00" in text
    assert "2027-03-28T18:00:00+02:00" in text


def test_ics_has_one_event_per_post(tmp_path, demo, targeted):
    stamp = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
    path = calendar_to_ics(targeted, tmp_path / "calendar.ics", demo, stamp=stamp)
    raw = path.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n")  # CRLF line endings
    cal = icalendar.Calendar.from_ical(raw)
    assert str(cal["VERSION"]) == "2.0"
    assert "PRODID" in cal
    assert demo.client.name in str(cal["X-WR-CALNAME"])
    zones = cal.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == [PARIS]
    events = cal.walk("VEVENT")
    assert len(events) == len(targeted)
    assert len({str(e["UID"]) for e in events}) == len(events)
    for event, post in zip(events, targeted.to_dict("records"), strict=True):
        assert str(event["UID"]) == f"atelier-seve-{post['post_no']}-{post['date']}@social-workbook"
        assert event.decoded("DTSTAMP") == stamp
        assert event["DTSTAMP"].to_ical().endswith(b"Z")
        assert event["DTSTART"].params["TZID"] == PARIS
        assert event["DTEND"].params["TZID"] == PARIS
        start = event.decoded("DTSTART")
        assert start.replace(tzinfo=None) == post["start"].tz_localize(None).to_pydatetime()
        assert start == post["start"]
        assert event.decoded("DTEND") == post["end"]


def test_ics_text_names_network_format_theme_goal_and_holiday(tmp_path, demo, targeted):
    path = calendar_to_ics(targeted, tmp_path / "c.ics", demo)
    events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    first = targeted.iloc[0]
    assert first["date"] == NEW_YEAR
    event = events[0]
    network = first["channel"].capitalize() if first["channel"] != "linkedin" else "LinkedIn"
    assert str(event["SUMMARY"]) == f"{network} · {first['format']} · {first['pillar']}"
    description = str(event["DESCRIPTION"])
    for part in (
        network,
        first["format"],
        first["pillar"],
        {g.id: g.label for g in demo.goals}[first["goal_id"]],  # the goal's label
        first["objective"],
        "Jour de l'an",
    ):
        assert part in description
    assert first["goal_id"] not in description  # never its id
    assert [str(c) for c in event["CATEGORIES"].cats] == [network, first["format"]]
    assert "Holiday" not in str(events[-1]["DESCRIPTION"])
    raw = path.read_bytes()
    assert b"DTSTART;TZID=Europe/Paris:20270101T" in raw


def test_ics_round_trip_from_csv_keeps_local_times(tmp_path, across_dst):
    brief = small_brief("2027-03-22", "2027-04-04")
    back = read_calendar_csv(calendar_to_csv(across_dst, tmp_path / "c.csv"))
    path = calendar_to_ics(back, tmp_path / "c.ics", brief)
    events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert {e.decoded("DTSTART").hour for e in events} == {18}
    assert b"DTSTART;TZID=Europe/Paris:20270329T180000" in path.read_bytes()


# --------------------------------------------------------------------------- means


def test_workload_splits_the_total_effort(demo, avoided):
    table = workload(avoided).set_index("role")
    total = avoided["effort_hours"].sum()
    assert math.isclose(table["hours"].sum(), total)
    for role, share in ROLE_SPLIT.items():
        assert math.isclose(table.loc[role, "hours"], total * share)
    weeks = days_of(demo.horizon.start, demo.horizon.end) / 7
    assert math.isclose(table["hours_per_week"].sum(), total / weeks)
    assert "capacity" not in table


def test_workload_with_team_capacity(demo, avoided):
    table = workload(avoided, demo.team).set_index("role")
    weeks = days_of(demo.horizon.start, demo.horizon.end) / 7
    assert math.isclose(table.loc["creator", "capacity"], 1 * 14 * weeks)
    assert math.isclose(table.loc["creator", "utilisation"], table.loc["creator", "hours"] / (14 * weeks))
    team = demo.team[:1]  # content lead only: no capacity for the others
    partial = workload(avoided, team).set_index("role")
    assert math.isnan(partial.loc["editor", "utilisation"])


def test_weekly_workload_sums_to_the_total(avoided):
    weekly = weekly_workload(avoided)
    assert math.isclose(weekly["total"].sum(), avoided["effort_hours"].sum())
    assert math.isclose(weekly[list(ROLE_SPLIT)].to_numpy().sum(), avoided["effort_hours"].sum())
    assert all(week.weekday() == 0 for week in weekly.index)


def test_horizon_months_pro_rata():
    assert math.isclose(horizon_months(dt.date(2027, 1, 1), dt.date(2027, 3, 31)), 3.0)
    assert math.isclose(horizon_months(dt.date(2027, 2, 1), dt.date(2027, 2, 14)), 0.5)
    assert math.isclose(horizon_months(dt.date(2027, 1, 17), dt.date(2027, 2, 14)), 15 / 31 + 0.5)


def test_budget_of_a_tiny_case():
    brief = small_brief(
        "2027-02-01",
        "2027-02-14",
        planning={"frequency": {"linkedin": 1}, "effort_hours": {"text": 0.5}},
        budget={"hourly_cost": 40, "monthly_ads": {"linkedin": 280, "facebook": 100}},
    )
    calendar = build_calendar(brief, None, None)
    table = budget(calendar, brief).set_index("channel")
    assert list(table.index) == ["linkedin", "facebook", "total"]
    assert table.loc["linkedin", "posts"] == 2
    assert table.loc["linkedin", "hours"] == 1.0
    assert table.loc["linkedin", "production_cost"] == 40.0  # 2 posts × 0.5 h × 40
    assert math.isclose(table.loc["linkedin", "ads"], 140.0)  # 280 × half of February
    assert math.isclose(table.loc["facebook", "ads"], 50.0)
    assert math.isclose(table.loc["total", "total"], 40 + 140 + 50)
    assert table.attrs["currency"] == "EUR"


def test_budget_total_row_sums_the_rows(demo, avoided):
    table = budget(avoided, demo)
    rows, total = table.iloc[:-1], table.iloc[-1]
    assert total["channel"] == "total"
    for column in ("posts", "hours", "production_cost", "ads", "total"):
        assert math.isclose(total[column], rows[column].sum()), column
    assert math.isclose(total["production_cost"], avoided["effort_hours"].sum() * 42)
    assert math.isclose(total["ads"], (300 + 700 + 150) * 3)
    assert (rows["total"] == rows["production_cost"] + rows["ads"]).all()


# --------------------------------------------------------------------------- month view


@pytest.mark.parametrize("max_lines", [4, 1])
def test_month_view_draws_the_month(targeted, max_lines):
    fig = month_view(targeted, "2027-03", max_lines=max_lines)
    assert fig._suptitle.get_text() == "March 2027"
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "Mon" in texts and "Sun" in texts
    assert "Lundi de Pâques" in texts
    march = targeted[[d.month == 3 for d in targeted["date"]]]
    labels = [t for t in texts if t[:2].isdigit() and t[2:3] == ":"]
    assert "18:00 IG reel" in labels or max_lines == 1
    hidden = [int(t[1:]) for t in texts if t.startswith("+")]
    assert len(labels) + sum(hidden) == len(march)
    per_day = march.groupby("date").size()
    assert len(labels) == per_day.clip(upper=max_lines).sum()
    assert len(hidden) == (per_day > max_lines).sum()


def test_month_view_takes_labels_and_holidays(demo, avoided):
    french = {
        "weekdays": ("lun", "mar", "mer", "jeu", "ven", "sam", "dim"),
        "months": (
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ),
    }
    fig = month_view(avoided, dt.date(2027, 1, 1), labels=french, holidays=public_holidays(demo))
    assert fig._suptitle.get_text() == "janvier 2027"
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "lun" in texts and "Mon" not in texts
    assert "Jour de l'an" in texts


def test_month_view_marks_notable_dates_apart_from_holidays(demo, avoided):
    from helpers.method.moments import notable_dates

    moments = {m.date: m.name for m in notable_dates(demo)}
    fig = month_view(avoided, dt.date(2027, 2, 1), holidays=public_holidays(demo), moments=moments)
    named = {t.get_text(): t.get_color() for ax in fig.axes for t in ax.texts}
    assert named["Saint-Valentin"] == "#1F4E79"  # blue: a moment, not a holiday
    assert "Lancement de la…" in named  # the brand's own date, shortened to fit its cell
    january = month_view(avoided, dt.date(2027, 1, 1), holidays=public_holidays(demo), moments=moments)
    colours = {t.get_text(): t.get_color() for ax in january.axes for t in ax.texts}
    assert colours["Jour de l'an"] == "#B3261E" and colours["Début des solde…"] == "#1F4E79"
