"""The calendar for schedulers: calendar.csv with its words (read back in any language),
calendar.ics with goal labels, and the Hootsuite and Metricool bulk-import files."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import icalendar
import pandas as pd
import pytest

from helpers.client.brief import load_brief
from helpers.client.loading import FORMULA_START, ClientData
from helpers.method import planning as plan
from helpers.report import schedulers as sch
from helpers.report.i18n import LANGS
from helpers.report.pages import planning as page
from helpers.run.context import Run
from tests.conftest import DEMO

PARIS = "Europe/Paris"
#: The Metricool template's first columns, in order (the file's header starts with them).
METRICOOL_HEAD = ["Text", "Date", "Time", "Draft", "Facebook", "Twitter/X", "LinkedIn", "GBP", "Instagram"]


def _calendar(rows: list[tuple]) -> pd.DataFrame:
    """A calendar of ``(date, hour, minute, channel, format, pillar, goal_id, objective)`` rows."""
    records = []
    for no, (day, hour, minute, channel, fmt, pillar, goal, objective) in enumerate(rows, 1):
        start = pd.Timestamp(dt.datetime.combine(day, dt.time(hour, minute)), tz=PARIS).as_unit("us")
        records.append(
            {
                "post_no": no, "date": day, "start": start, "end": start + pd.Timedelta(minutes=30),
                "channel": channel, "format": fmt, "pillar": pillar, "goal_id": goal,
                "objective": objective, "holiday": "", "moment": "", "moved_from": None,
                "effort_hours": 1.5, "timezone": PARIS,
            }
        )  # fmt: skip
    frame = pd.DataFrame(records, columns=list(plan.CALENDAR_COLUMNS))
    frame["post_no"] = frame["post_no"].astype("int64")
    return frame


@pytest.fixture
def calendar() -> pd.DataFrame:
    day = dt.date(2027, 1, 4)  # a Monday in winter (UTC+1)
    summer = dt.date(2027, 7, 5)  # a Monday in summer (UTC+2)
    return _calendar(
        [
            (day, 12, 0, "instagram", "reel", "Coulisses de l'atelier", "ig_community", "community"),
            (day, 18, 3, "facebook", "photo", "=1+1", "fb_engagement", "engagement"),
            (day, 9, 0, "linkedin", "text", "-Inside", "", ""),
            (summer, 21, 0, "x", "text", "Routines", "", ""),
            (summer, 10, 0, "tiktok", "video", "Routines", "", ""),
            (summer, 11, 0, "youtube", "video", "", "", ""),
            (summer, 12, 0, "instagram", "story", "@handle", "ig_engagement", "engagement"),
        ]
    )


@pytest.fixture(params=LANGS)
def run(request, tmp_path: Path) -> Run:
    brief = load_brief(DEMO / "brief.yaml")
    data = ClientData("demo", DEMO, brief, {})
    start, end = brief.period.start, brief.period.end
    return Run(data=data, lang=request.param, run_dir=tmp_path, start=start, end=end, step="06_planning")


def _formula_cells(rows: list[list[str]]) -> list[str]:
    return [c for row in rows for c in row if c[:1] in FORMULA_START]


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


# --------------------------------------------------------------------------- calendar.csv


def test_calendar_csv_reads_back_in_both_languages(run, calendar):
    words = page.calendar_words(run, calendar)
    path = plan.calendar_to_csv(calendar, run.path("calendar"), words)
    header = _rows(path)[0]
    n = len(plan.CALENDAR_COLUMNS)
    assert header[:n] == list(plan.CALENDAR_COLUMNS)  # the machine's columns first, as named
    assert header[n:] == [
        run.t(f"schedule.col_{c}") for c in ("network", "format", "pillar", "goal", "caption", "owner")
    ]
    back = plan.read_calendar_csv(path)
    pd.testing.assert_frame_equal(back, calendar)
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    goal = table[run.t("schedule.col_goal")]
    assert goal[0] == "Communauté Instagram +8 %"  # the goal's label, never its id
    assert goal[2] == run.t("planning.no_goal")
    assert not table[run.t("schedule.col_caption")].str.strip().eq("").any()
    assert set(table[run.t("schedule.col_owner")]) == {run.t("planning.role_creator")}
    assert table[run.t("schedule.col_format")][4] == ("vidéo" if run.lang == "fr" else "video")


def test_a_calendar_written_in_french_reads_like_one_written_in_english(tmp_path, calendar):
    runs = {}
    for lang in LANGS:
        brief = load_brief(DEMO / "brief.yaml")
        data = ClientData("demo", DEMO, brief, {})
        folder = tmp_path / lang
        folder.mkdir()
        runs[lang] = Run(data=data, lang=lang, run_dir=folder, start=brief.period.start, end=brief.period.end,
                         step="06_planning")  # fmt: skip
    back = {
        lang: plan.read_calendar_csv(
            plan.calendar_to_csv(calendar, r.path("calendar"), page.calendar_words(r, calendar))
        )
        for lang, r in runs.items()
    }
    pd.testing.assert_frame_equal(back["fr"], back["en"])
    fr, en = (runs[lang].path("calendar").read_text(encoding="utf-8").splitlines()[0] for lang in LANGS)
    assert fr != en  # the people's headers are translated


def test_calendar_csv_refuses_words_that_would_hide_a_machine_column(tmp_path, calendar):
    with pytest.raises(ValueError, match=r"\['Format'\] read as the calendar's own columns"):
        plan.calendar_to_csv(calendar, tmp_path / "c.csv", pd.DataFrame({"Format": ["x"] * len(calendar)}))
    with pytest.raises(ValueError, match="3 rows of words for 7 planned posts"):
        plan.calendar_to_csv(calendar, tmp_path / "c.csv", pd.DataFrame({"Owner": ["x"] * 3}))


def test_a_calendar_without_its_columns_is_refused_by_name(tmp_path):
    path = tmp_path / "calendar.csv"
    path.write_text("Réseau,Date\nInstagram,2027-01-04\n", encoding="utf-8")
    with pytest.raises(
        ValueError, match=r"calendar.csv: column\(s\) post_no, date, start, end, channel.* missing"
    ):
        plan.read_calendar_csv(path)


def test_the_caption_brief_names_the_post_and_is_never_empty(run, calendar):
    goals = {g.id: g.label for g in run.brief.goals}
    posts = calendar.to_dict("records")
    first, youtube = page.caption_brief(run, posts[0], goals), page.caption_brief(run, posts[5], goals)
    number = "n° 1" if run.lang == "fr" else "#1"
    assert first.startswith(f"[{number} · Reel · Coulisses de l'atelier]")
    assert "Communauté Instagram +8 %" in first and "ig_community" not in first
    assert youtube.startswith("[n° 6 · Vidéo]" if run.lang == "fr" else "[#6 · Video]")
    captions = [page.caption_brief(run, p, goals) for p in posts]
    assert len(set(captions)) == len(captions)  # unique: Hootsuite refuses a repeated message


def test_the_owner_is_the_role_with_the_largest_share_the_team_has():
    brief = load_brief(DEMO / "brief.yaml")
    assert plan.post_owner(brief.team) == "creator"
    assert plan.post_owner(None) == "creator"
    leads = [m for m in brief.team if m.role != "creator"]
    assert plan.post_owner(leads) == "content_lead"


# --------------------------------------------------------------------------- calendar.ics


def test_the_ics_names_goals_by_label_in_the_report_language(run, calendar):
    path = plan.calendar_to_ics(
        calendar,
        run.path("calendar_ics"),
        run.brief,
        labels=page.ics_labels(run.lang),
        values=page.ics_values(run.lang),
    )
    text = path.read_text(encoding="utf-8")
    events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    descriptions = [str(e["DESCRIPTION"]) for e in events]
    assert "Communauté Instagram +8 %" in descriptions[0]
    assert "Engagement Instagram +8 %" in descriptions[6]
    for goal in run.brief.goals:
        assert goal.id not in text
    goal_word = run.t("planning.ics_goal")
    assert f"{goal_word}: {run.t('planning.no_goal')}" in descriptions[2]
    if run.lang == "fr":
        assert "Objectif social media: développement de la communauté" in descriptions[0]
        assert str(events[4]["SUMMARY"]) == "TikTok · vidéo · Routines"
    else:
        assert "Objective: community growth" in descriptions[0]
        assert str(events[4]["SUMMARY"]) == "TikTok · video · Routines"


# --------------------------------------------------------------------------- Hootsuite


def test_hootsuite_files_follow_the_bulk_composer_layout(tmp_path, calendar):
    messages = pd.Series([f"message {i}" for i in calendar.index], index=calendar.index)
    (tmp_path / "hs").mkdir()
    (tmp_path / "hs" / "tiktok.csv").write_text("stale", encoding="utf-8")
    written = sch.write_hootsuite(calendar, messages, tmp_path / "hs", PARIS)
    assert list(written) == ["facebook", "instagram", "linkedin", "x"]  # no TikTok nor YouTube
    assert sorted(p.name for p in (tmp_path / "hs").iterdir()) == [
        "facebook.csv",
        "instagram.csv",
        "linkedin.csv",
        "x.csv",
    ]
    instagram = _rows(written["instagram"])
    assert instagram == [
        ["04/01/2027 12:00", "message 0", ""],
        ["05/07/2027 12:00", "message 6", ""],
    ]  # no header
    for path in written.values():
        for when, message, link in _rows(path):
            moment = dt.datetime.strptime(when, "%d/%m/%Y %H:%M")  # the documented format, 24 h
            assert moment.minute % 5 == 0
            assert message and link == ""
    assert _rows(written["facebook"])[0][0] == "04/01/2027 18:05"  # 18:03 moved to the next 5 minutes
    assert _rows(written["x"])[0][0] == "05/07/2027 21:00"  # local time in summer, not UTC (19:00)


def test_hootsuite_cells_never_read_as_formulas(tmp_path, calendar):
    messages = pd.Series(
        ['=HYPERLINK("x")', "+ call us", "-drop", "@all", "\tx", "ok", "ok2"], index=calendar.index
    )
    written = sch.write_hootsuite(calendar, messages, tmp_path / "hs", PARIS)
    rows = [row for path in written.values() for row in _rows(path)]
    assert _formula_cells(rows) == []
    assert ["04/01/2027 12:00", '\'=HYPERLINK("x")', ""] in rows


def test_a_post_without_a_message_is_refused(tmp_path, calendar):
    messages = pd.Series(["x"] * len(calendar), index=calendar.index)
    messages.iloc[2] = " "
    with pytest.raises(ValueError, match=r"no message for the planned post\(s\) \[3\]"):
        sch.write_hootsuite(calendar, messages, tmp_path / "hs", PARIS)
    with pytest.raises(ValueError, match=r"\[3\]"):
        sch.write_metricool(calendar, messages, tmp_path / "m.csv", PARIS)


# --------------------------------------------------------------------------- Metricool


def test_metricool_file_follows_the_template(tmp_path, calendar):
    messages = pd.Series([f"=brief {i}" for i in calendar.index], index=calendar.index)
    path = sch.write_metricool(calendar, messages, tmp_path / "m.csv", PARIS)
    rows = _rows(path)
    assert rows[0][: len(METRICOOL_HEAD)] == METRICOOL_HEAD  # header row, the template's order
    assert rows[0] == list(sch.METRICOOL_COLUMNS)
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert len(table) == 7  # Metricool publishes to all six networks
    for date, time in zip(table["Date"], table["Time"], strict=True):
        dt.datetime.strptime(f"{date} {time}", "%Y-%m-%d %H:%M:%S")
    assert table.loc[3, ["Date", "Time"]].tolist() == ["2027-07-05", "21:00:00"]  # local summer time
    assert set(table["Draft"]) == {"true"}
    networks = table[list(sch.METRICOOL_COLUMNS[4:14])]
    assert (networks.eq("true").sum(axis=1) == 1).all()  # one network per row
    assert table.loc[0, "Instagram"] == "true" and table.loc[0, "Instagram Post Type"] == "REEL"
    assert table.loc[6, "Instagram Post Type"] == "STORY"
    assert table.loc[1, "Facebook"] == "true" and table.loc[1, "Facebook Post Type"] == "POST"
    assert table.loc[4, "TikTok"] == "true" and table.loc[5, "Youtube"] == "true"
    assert _formula_cells(rows) == []
    assert table.loc[0, "Text"] == "'=brief 0"
