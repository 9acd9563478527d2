"""07's "plan against actual" section (helpers/report/pages/adherence.py) on a hand-made calendar
and hand-made posts, the last report's files written into a previous run folder."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.client import snapshot
from helpers.client.brief import load_brief
from helpers.client.loading import ClientData
from helpers.method import adherence as adh
from helpers.method.planning import calendar_to_csv
from helpers.report.pages import adherence as page
from helpers.run import state
from helpers.run.context import Run
from tests.conftest import DEMO

BRIEF = load_brief(DEMO / "brief.yaml")
PARIS = "Europe/Paris"
GOALS = [
    {"id": "ig_community", "label": "Instagram community +8%"},
    {"id": "ig_engagement", "label": "Instagram engagement up"},
]


def _calendar() -> pd.DataFrame:
    """Seven planned posts (Paris time): on time, late, missing, on time, an ambiguous pair, upcoming."""
    rows = [
        ("2027-01-04 12:00", "instagram", "photo", "Atelier", "ig_community"),  # on time (post a)
        ("2027-01-06 12:00", "instagram", "photo", "Atelier", "ig_community"),  # 47 h late (post b)
        ("2027-01-12 12:00", "instagram", "reel", "Soins", "ig_engagement"),  # never published
        ("2027-01-14 18:00", "facebook", "photo", "Soins", ""),  # on time (post c)
        ("2027-01-20 12:00", "facebook", "photo", "Soins", "ig_engagement"),  # post mid is 3 h from
        ("2027-01-20 18:00", "facebook", "photo", "Soins", "ig_engagement"),  # each: one is missing
        ("2027-02-10 12:00", "instagram", "photo", "Atelier", "ig_community"),  # after the data's end
    ]
    out = []
    for i, (when, channel, fmt, pillar, goal) in enumerate(rows, start=1):
        start = pd.Timestamp(when, tz=PARIS)
        out.append(
            {"post_no": i, "date": start.date(), "start": start, "end": start + pd.Timedelta(minutes=30),
             "channel": channel, "format": fmt, "pillar": pillar, "goal_id": goal, "objective": "",
             "holiday": "", "moment": "", "moved_from": None, "effort_hours": 1.0, "timezone": PARIS}
        )  # fmt: skip
    return pd.DataFrame(out)


def _posts() -> pd.DataFrame:
    rows = [
        ("a", "2027-01-04 11:30", "instagram", "photo", "Our evening routine in three steps"),
        ("b", "2027-01-08 11:00", "instagram", "photo", "Meet the workshop"),
        ("c", "2027-01-14 17:00", "facebook", "photo", "Behind the scenes"),
        ("mid", "2027-01-20 14:00", "facebook", "photo", "A question for you"),
        ("u", "2027-01-25 09:00", "linkedin", "text", "We are hiring an apprentice in our workshop"),
        ("old", "2026-12-20 09:00", "instagram", "photo", "Before the plan"),
    ]
    frame = pd.DataFrame(
        [{"post_id": p, "channel": c, "published_at": pd.Timestamp(w, tz="UTC"), "format": f, "text": t,
          "impressions": 2000, "reach": 1000, "reactions": 50, "comments": 2, "shares": 1}
         for p, w, c, f, t in rows]
    )  # fmt: skip
    frame["published_at"] = pd.to_datetime(frame["published_at"], utc=True)
    return frame


def _previous(reports: Path) -> Path:
    """A previous successful run of the demo client holding the calendar, goals and slots."""
    folder = reports / "demo" / "20261201-090000"
    (folder / snapshot.SNAPSHOT_DIR).mkdir(parents=True)
    state.write_status(folder, {"client": "demo", "run_id": folder.name, "status": state.SUCCEEDED})
    meta = {"version": snapshot.VERSION, "client": "demo",
            "period": {"start": "2025-11-01", "end": "2026-10-31"}, "brief": {"kpi": BRIEF.kpi.model_dump()}}  # fmt: skip
    (folder / snapshot.SNAPSHOT_DIR / snapshot.META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    calendar_to_csv(_calendar(), folder / "calendar.csv")
    (folder / "goals.json").write_text(json.dumps(GOALS), encoding="utf-8")
    slots = pd.DataFrame({"channel": ["instagram", "facebook"], "weekday": [0, 3], "hour": [12, 18],
                          "engagement_rate": [0.02, 0.03]})  # fmt: skip
    slots.to_csv(folder / "slots.csv", index=False)
    return folder


def _run(tmp_path: Path, lang: str = "en", end: dt.date = dt.date(2027, 1, 31), previous: bool = True) -> Run:
    reports = tmp_path / "reports"
    since_dir = _previous(reports) if previous else None
    current = reports / "demo" / "20270201-090000"
    current.mkdir(parents=True)
    posts = _posts()  # the run's tables hold its period only
    posts = posts[posts["published_at"] < pd.Timestamp(end + dt.timedelta(days=1), tz=PARIS)]
    data = ClientData("demo", DEMO, BRIEF, {"posts": posts.reset_index(drop=True)})
    return Run(data=data, lang=lang, run_dir=current, start=dt.date(2026, 11, 1), end=end,
               step="07_tracking", since_dir=since_dir)  # fmt: skip


def _text(markup: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def _tables(markup: str) -> list[list[list[str]]]:
    """Each HTML table of the markup as rows of cell texts (the header row first)."""
    out = []
    for body in re.findall(r"<table.*?</table>", markup, flags=re.S):
        rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
        out.append(
            [[_text(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)] for r in rows]
        )
    return out


def test_the_counts_shown_are_the_table_s(tmp_path):
    section = page.plan_against_actual(_run(tmp_path))
    networks = section.data["networks"].set_index("channel")
    assert networks.loc["instagram", ["due", "on_time", "late", "missing", "upcoming"]].tolist() == [
        3,
        1,
        1,
        1,
        1,
    ]
    assert networks.loc["facebook", ["due", "on_time", "missing", "ambiguous"]].tolist() == [3, 2, 1, 1]
    assert networks.loc["total", ["due", "on_time", "late", "early", "missing", "unplanned"]].tolist() == [
        6, 3, 1, 0, 2, 1,
    ]  # fmt: skip
    shown = _tables(section.markup)[0]
    assert shown[0] == ["Network", "Planned posts due", "On time", "Late", "Early", "Missing",
                        "Outside the plan", "Adherence"]  # fmt: skip
    by_name = {row[0]: row[1:] for row in shown[1:]}
    assert by_name["Instagram"] == ["3", "1", "1", "0", "1", "0", "67%"]
    assert by_name["Facebook"] == ["3", "2", "0", "0", "1", "0", "67%"]
    assert by_name["LinkedIn"] == ["0", "0", "0", "0", "0", "1", "n/a"]  # a network outside the plan only
    assert by_name["Total"] == ["6", "3", "1", "0", "2", "1", "67%"]
    text = _text(section.markup)
    assert "Of the 6 planned posts due by Jan 31, 2027, 4 were published (3 on time, 1 late, 0 early)" in text
    assert "within 24 h of its planned time, either side, counts as on time; up to 7 days after, late" in text
    # the match table is the module's, every planned post and the post outside the plan
    assert list(section.table.columns) == list(adh.MATCH_COLUMNS) and len(section.table) == 8


def test_goals_read_by_their_label_never_their_id(tmp_path):
    section = page.plan_against_actual(_run(tmp_path))
    text = _text(section.markup)
    goals = {row[0]: row[1:] for row in _tables(section.markup)[2][1:]}
    assert goals["Instagram community +8%"] == ["2", "1", "1", "0", "0", "100%"]
    assert goals["Instagram engagement up"] == ["3", "1", "0", "0", "2", "33%"]
    assert goals["no goal"] == ["1", "1", "0", "0", "0", "100%"]
    assert "ig_community" not in section.markup and "ig_engagement" not in section.markup
    pillars = {row[0]: row[1] for row in _tables(section.markup)[1][1:]}
    assert pillars == {"Atelier": "2", "Soins": "4"}
    assert "from 33% for “Instagram engagement up” to 100% for “Instagram community +8%”" in text
    assert re.search(r"(?<![\w-])(<NA>|NaN|nan|None|inf)(?![\w-])", text) is None


def test_performance_and_the_posts_to_check_are_listed_not_guessed(tmp_path):
    section = page.plan_against_actual(_run(tmp_path))
    text = _text(section.markup)
    assert "How the published planned posts did" in text
    assert (
        "Against each network's own average, the planned posts are too few to tell on Facebook and Instagram"
        in text
    )
    perf = section.data["performance"].set_index("channel")
    assert perf.loc["instagram", "posts"] == 2 and perf.loc["instagram", "slot_posts"] == 1
    check = _tables(section.markup)[-1]
    kinds = [row[0] for row in check[1:]]
    assert kinds == ["planned, not found"] * 2 + ["published outside the plan", "uncertain pairing"]
    assert check[1][1:5] == ["Instagram", "no. 3", "Jan 12, 2027, 12:00 PM", ""]
    assert check[3][1] == "LinkedIn" and check[3][6].startswith("We are hiring an apprentice")
    ambiguous = check[4]
    assert ambiguous[4] == "Jan 20, 2027, 3:00 PM"  # 14:00 UTC, in the client's zone
    assert "could also stand for planned post no." in ambiguous[7]
    assert (
        "2 planned posts not found, 1 post published outside the plan, 1 pairing the data cannot settle"
        in text
    )


def test_the_save_cell_writes_both_tables_and_one_summary_line(tmp_path):
    run = _run(tmp_path)
    section = page.plan_against_actual(run)
    run.add_summary("goals", ["a goal's status"])  # the tracking page's lines come first
    page.save(run, section)
    summary = json.loads((run.run_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["goals"] == ["a goal's status", "4 of 6 planned posts published, 1 late; adherence 67%."]
    saved = pd.read_csv(run.run_dir / "adherence.csv")
    assert len(saved) == 8 and saved["status"].value_counts()["missing"] == 2
    networks = pd.read_csv(run.run_dir / "adherence_networks.csv")
    assert networks["channel"].tolist() == ["facebook", "instagram", "linkedin", "total"]


def test_without_a_previous_run_nothing_shows(tmp_path):
    run = _run(tmp_path, previous=False)
    section = page.plan_against_actual(run)
    assert section.markup == "" and section.table.empty and section.figure is None
    page.save(run, section)
    assert not (run.run_dir / "summary.json").exists()
    assert pd.read_csv(run.run_dir / "adherence.csv").columns.tolist() == list(adh.MATCH_COLUMNS)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "The content calendar of the last report starts on Jan 4, 2027, after the end of the data "
               "(Dec 31, 2026): no planned post was due yet, so there is nothing to compare."),
        ("fr", "Le calendrier éditorial du dernier rapport commence le 4 janv. 2027, après la fin des "
               "données (31 déc. 2026) : aucune publication prévue n'était encore due"),
    ],
)  # fmt: skip
def test_a_plan_still_to_come_gives_one_sentence(tmp_path, lang, expected):
    run = _run(tmp_path, lang, end=dt.date(2026, 12, 31))
    section = page.plan_against_actual(run)
    assert "<table" not in section.markup and section.markup.count('class="wb-say"') == 1
    assert expected in _text(section.markup)
    assert section.data["summary"] is None
    page.save(run, section)
    assert not (run.run_dir / "summary.json").exists()


def test_french_words_throughout(tmp_path):
    text = _text(page.plan_against_actual(_run(tmp_path, "fr")).markup)
    assert "Le plan face au réalisé" in text and "Publications à vérifier" in text
    assert "Sur 6 publications prévues dues au 31 janv. 2027, 4 ont été publiées" in text
    assert "n° 3" in text and "12 janv. 2027 à 12 h" in text


def test_an_unreadable_calendar_is_named(tmp_path):
    run = _run(tmp_path)
    (run.since_dir / "calendar.csv").write_text("post_no,date\n1,2027-01-04\n", encoding="utf-8")
    with pytest.raises(
        ValueError, match=r"calendar.csv: cannot be read as the last report's content calendar"
    ):
        page.plan_against_actual(run)
