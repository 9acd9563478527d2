"""Re-planning (helpers/method/replanning.py, pages/replanning.py): the calendar follows the previous
run's when the cycle moved on, and a section says what the new plan changes and why."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from helpers.method import replanning as rp

D = dt.date
BRIEF = (D(2027, 1, 1), D(2027, 3, 31))


def _calendar(rows: list[tuple[str, str, int, str]]) -> pd.DataFrame:
    """A calendar from ``(date, channel, hour, pillar)`` rows, in Paris time."""
    return pd.DataFrame(
        {
            "date": [D.fromisoformat(d) for d, *_ in rows],
            "start": [pd.Timestamp(f"{d} {h:02d}:00", tz="Europe/Paris") for d, _, h, _ in rows],
            "channel": [c for _, c, _, _ in rows],
            "pillar": [p for *_, p in rows],
        }
    )


# --------------------------------------------------------------------------- horizon


def test_the_calendar_follows_a_previous_one_that_plans_into_the_brief_s_horizon():
    previous = _calendar([("2027-01-04", "x", 12, "a"), ("2027-03-31", "x", 12, "a")])
    hz = rp.horizon(*BRIEF, previous, "overlapping")
    # the day after the last planned post, as many whole months as the brief's horizon (3)
    assert hz == rp.Horizon(D(2027, 4, 1), D(2027, 6, 30), "follows", D(2027, 3, 31))
    assert rp.horizon(*BRIEF, previous, "following").start == D(2027, 4, 1)
    # the last post counts, not the brief's end: a calendar stopping on 20 March is followed from
    # 21 March, for as many days as the brief's horizon (not a first of the month: days, 90)
    early = _calendar([("2027-01-04", "x", 12, "a"), ("2027-03-20", "x", 12, "a")])
    late = rp.horizon(*BRIEF, early, "following")
    assert (late.start, late.end - late.start) == (D(2027, 3, 21), BRIEF[1] - BRIEF[0])


def test_a_horizon_under_way_at_the_data_s_end_starts_the_day_after_the_data():
    # the brief's period moved on to January, its horizon (January to March) did not
    hz = rp.horizon(*BRIEF, None, None, data_end=D(2027, 1, 31))
    assert hz == rp.Horizon(D(2027, 2, 1), D(2027, 4, 30), "under_way", None)
    # a horizon that is not whole months keeps its number of days
    odd = rp.horizon(D(2027, 1, 10), D(2027, 2, 9), None, None, data_end=D(2027, 1, 20))
    assert (odd.start, odd.end) == (D(2027, 1, 21), D(2027, 2, 20))
    # the previous calendar, followed, already starts after the data: it decides
    previous = _calendar([("2027-03-31", "x", 12, "a")])
    assert rp.horizon(*BRIEF, previous, "overlapping", D(2027, 1, 31)).reason == "follows"
    # a horizon after the data is the brief's
    assert rp.horizon(*BRIEF, None, None, data_end=D(2026, 10, 31)).reason == "no_previous"


def test_a_previous_calendar_ending_before_the_brief_s_horizon_keeps_the_brief_s():
    previous = _calendar([("2026-10-01", "x", 12, "a"), ("2026-12-31", "x", 12, "a")])
    assert rp.horizon(*BRIEF, previous, "following") == rp.Horizon(*BRIEF, "previous_before", D(2026, 12, 31))


def test_without_a_previous_post_or_run_the_brief_s_horizon_is_planned():
    empty = _calendar([])
    assert rp.horizon(*BRIEF, empty, "following") == rp.Horizon(*BRIEF, "no_previous", None)
    assert rp.horizon(*BRIEF, None, None) == rp.Horizon(*BRIEF, "no_previous", None)


def test_a_re_run_of_the_same_period_replaces_the_previous_calendar():
    previous = _calendar([("2027-03-31", "x", 12, "a")])
    assert rp.horizon(*BRIEF, previous, "same") == rp.Horizon(*BRIEF, "same_period", D(2027, 3, 31))
    assert rp.horizon(*BRIEF, previous, "earlier").reason == "not_moved_on"


def test_a_calendar_without_dates_is_named():
    with pytest.raises(ValueError, match="previous calendar: no 'date' column"):
        rp.horizon(*BRIEF, pd.DataFrame({"day": ["2027-01-01"]}), "following")


# --------------------------------------------------------------------------- changes


def _mix(rows: list[tuple[str, str, float, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["channel", "format", "share", "verdict"])


def _slots(rows: list[tuple[str, int, int, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["channel", "weekday", "hour", "verdict"])


def _weeks_of(channel: str, start: str, weeks: int, days: tuple[int, ...], hour: int, pillar: str) -> list:
    first = D.fromisoformat(start)  # a Monday
    return [
        ((first + dt.timedelta(days=7 * w + d)).isoformat(), channel, hour, pillar)
        for w in range(weeks)
        for d in days
    ]


@pytest.fixture
def tables() -> dict:
    # before, as read back from its CSV (no horizon but its posts): 4 weeks from Monday 4 to Sunday
    # 31 January, instagram 3 a week at 18:00 (Mon, Tue, Sun), x 2 a week at 12:00; pillars a, b
    previous = _calendar(
        _weeks_of("instagram", "2027-01-04", 4, (0, 1, 6), 18, "a")
        + _weeks_of("x", "2027-01-04", 4, (0, 6), 12, "b")
    )
    # now: February, instagram 3 a week, x 1 a week (cut); pillars a, c
    now = _calendar(
        _weeks_of("instagram", "2027-02-01", 4, (0, 3, 6), 18, "a")
        + _weeks_of("x", "2027-02-01", 4, (0,), 12, "c")
    )
    now.attrs.update(horizon_start=D(2027, 2, 1), horizon_end=D(2027, 2, 28))
    return {
        "previous_mix": _mix([("instagram", "reel", 0.40, "above"), ("instagram", "photo", 0.60, "below"),
                              ("x", "text", 0.50, "not_distinguishable"), ("x", "photo", 0.50, None)]),
        "mix": _mix([("instagram", "reel", 0.42, "above"), ("instagram", "photo", 0.58, "below"),
                     ("x", "text", 0.30, "not_distinguishable"), ("x", "photo", 0.70, "above")]),
        # Monday 18:00 worked on Instagram and still does; Tuesday 18:00 leaves; x Monday 12:00 comes
        "previous_slots": _slots([("instagram", 0, 18, "above"), ("instagram", 1, 18, "not_distinguishable")]),
        "slots": _slots([("instagram", 0, 18, "above"), ("x", 0, 12, "not_distinguishable")]),
        "previous_calendar": previous,
        "calendar": now,
    }  # fmt: skip


def _row(table: pd.DataFrame, kind: str, channel: str, **where) -> pd.Series:
    part = table[(table["kind"] == kind) & (table["channel"] == channel)]
    for key, value in where.items():
        part = part[part[key] == value]
    assert len(part) == 1, part
    return part.iloc[0]


def test_posts_per_week_before_and_now_with_the_cut_named(tables):
    found = rp.changes(**tables, cut=["x"])
    assert list(found.columns) == list(rp.CHANGE_COLUMNS)
    ig, x = _row(found, "frequency", "instagram"), _row(found, "frequency", "x")
    assert (ig["before"], ig["now"], ig["change"], ig["reason"]) == (3.0, 3.0, "same", "unchanged")
    assert (x["before"], x["now"], x["change"], x["reason"]) == (2.0, 1.0, "down", "capacity_cut")
    # without the cut, the lower frequency is the one asked now
    assert _row(rp.changes(**tables), "frequency", "x")["reason"] == "frequency_asked"


def test_a_share_moved_beyond_the_threshold_is_listed_below_it_is_not(tables):
    found = rp.changes(**tables)
    moved = _row(found, "format", "x", item="photo")
    assert (moved["before"], moved["now"], moved["change"], moved["reason"]) == (0.5, 0.7, "up", "above")
    assert _row(found, "format", "x", item="text")["change"] == "down"
    # instagram photo moved 2 points (< SHARE_MOVE): not listed; reel moved as little but worked: kept
    assert found[
        (found["kind"] == "format") & (found["item"] == "photo") & (found["channel"] == "instagram")
    ].empty
    reel = _row(found, "format", "instagram", item="reel")
    assert (reel["change"], reel["reason"], reel["was_above"]) == ("kept", "above", True)


def test_a_format_that_worked_and_no_longer_does_is_not_called_kept(tables):
    # reel was above on Instagram; now the evidence cannot tell it apart, its share falls 3 points
    tables["mix"] = _mix([("instagram", "reel", 0.37, "not_distinguishable"), ("instagram", "photo", 0.63, "below")])
    reel = _row(rp.changes(**tables), "format", "instagram", item="reel")
    assert (reel["change"], reel["reason"], reel["was_above"]) == ("down", "not_distinguishable", True)


def test_a_slot_dropped_and_added_and_what_worked_kept(tables):
    found = rp.changes(**tables)
    dropped = _row(found, "slot", "instagram", weekday=1, hour=18)
    assert (dropped["change"], dropped["reason"], dropped["before"], dropped["now"]) == (
        "dropped",
        "not_kept",
        4,
        0,
    )
    added = _row(found, "slot", "x", weekday=0, hour=12)
    assert (added["change"], added["reason"]) == ("added", "not_distinguishable")
    kept = rp.kept_what_worked(found)
    assert [(r.kind, r.channel, r.change) for r in kept.itertuples()] == [
        ("format", "instagram", "kept"), ("slot", "instagram", "kept")
    ]  # fmt: skip
    # a slot still above that the new calendar gives no post is said, not hidden
    tables["calendar"] = tables["calendar"][tables["calendar"]["channel"] != "instagram"]
    assert _row(rp.changes(**tables), "slot", "instagram", weekday=0, hour=18)["change"] == "unused"


def test_a_pillar_added_and_one_dropped(tables):
    found = rp.changes(**tables)
    pillars = found[found["kind"] == "pillar"].set_index("item")
    assert pillars["change"].to_dict() == {"c": "added", "b": "dropped"}
    assert set(pillars["reason"]) == {"brief_pillars"} and set(pillars["channel"]) == {"all"}


def test_a_table_missing_a_column_is_named(tables):
    tables["slots"] = tables["slots"].drop(columns="verdict")
    with pytest.raises(ValueError, match=r"slots: missing column\(s\) \['verdict'\]"):
        rp.changes(**tables)


# --------------------------------------------------------------------------- the pages


def test_nothing_without_a_previous_run(tmp_path):
    from helpers.report.display import Block, Section
    from helpers.report.pages import replanning as page
    from helpers.run.context import open_run

    run = open_run("demo", run_dir=str(tmp_path / "demo" / "workspace"), lang="en", since_dir="none",
                   step="06_planning")  # fmt: skip
    assert page.planning_horizon(run).reason == "no_previous"
    assert page.planning_brief(run) is run.brief
    assert page.horizon_say(run).markup == ""
    section = page.replan(run, Section(Block("")))
    assert section.markup == "" and section.table.empty
    page.save(run, section)
    assert pd.read_csv(tmp_path / "demo" / "workspace" / "replan.csv").empty  # the header alone
