"""The monthly cycle end to end, through the real command line: run the demo, add the months that
followed (the demo generator's follow-up scenario, made from that run's own calendar: some planned
posts on time, some late, some missing, some unplanned), run again.

The first run (French) compares with nothing and shows no "since the last report" part; the second
(English) compares with the first: findings new, open, resolved or lost; the plan against what was
published, equal to the scenario's planted truth; goals against the trajectory set by the first
run; a calendar that follows the first one; the history with both runs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers import kpis
from helpers.method import cycle, trajectory
from helpers.method.planning import read_calendar_csv
from helpers.report.i18n import t
from helpers.run.artefacts import file_of
from helpers.run.history import read_history
from tests.conftest import DEMO, workbook
from tools.demo import followup

pytestmark = pytest.mark.e2e

NETWORKS = ("facebook", "instagram", "linkedin", "x")


@pytest.fixture(scope="module")
def cycle_runs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("cycle")
    clients, reports = root / "clients", root / "reports"
    shutil.copytree(DEMO, clients / "demo")
    where = ("--clients-dir", str(clients), "--reports-dir", str(reports))
    first = workbook("run", "demo", *where)
    assert first.returncode == 0, first.stderr[-3000:]
    first_dir = Path(first.stdout.strip()).parent
    scenario = root / "scenario"
    followup.generate_followup(first_dir / file_of("calendar"), scenario)
    followup.apply_followup(clients / "demo", scenario)
    second = workbook("run", "demo", "--lang", "en", *where)
    assert second.returncode == 0, second.stderr[-3000:]
    return {
        "first": first_dir,
        "second": Path(second.stdout.strip()).parent,
        "truth": json.loads((scenario / "truth.json").read_text(encoding="utf-8")),
        "reports": reports,
    }


def _html(run_dir: Path, name: str) -> str:
    return (run_dir / f"{name}.html").read_text(encoding="utf-8")


def _text(run_dir: Path, name: str) -> str:
    html = re.sub(r"<style.*?</style>|<script.*?</script>", "", _html(run_dir, name), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _json(run_dir: Path, name: str):
    return json.loads((run_dir / file_of(name)).read_text(encoding="utf-8"))


def test_the_second_run_compares_with_the_first(cycle_runs):
    assert _json(cycle_runs["first"], "inputs")["since"] is None
    since = _json(cycle_runs["second"], "inputs")["since"]
    assert since["run_id"] == cycle_runs["first"].name
    text = _text(cycle_runs["second"], "07_tracking")
    # the windows are named: the rolling 12 months moved on by three
    assert (
        "Feb 1, 2026" in text and "Jan 31, 2027" in text and "Nov 1, 2025" in text and "Oct 31, 2026" in text
    )


def test_a_first_run_shows_no_part_of_the_cycle(cycle_runs):
    first = cycle_runs["first"]
    tracking, planning = _html(first, "07_tracking"), _html(first, "06_planning")
    for key in ("cycle.title", "trajectory.title", "adherence.title", "cycle.kpis_title"):
        assert t(key, "fr") not in tracking, key
    assert t("replan.title", "fr") not in planning
    synthesis = _html(first, "02_synthesis")
    assert t("cycle.col.since", "fr") not in synthesis and t("cycle.left_title", "fr") not in synthesis
    assert not any("depuis le rapport du" in line for line in _json(first, "summary")["findings"])
    assert pd.read_csv(first / file_of("since")).empty
    assert pd.read_csv(first / file_of("replan")).empty  # the header alone
    assert all(goal.get("set_in") == first.name for goal in _json(first, "goals"))


def test_findings_are_marked_new_open_resolved_or_lost(cycle_runs):
    first, second = cycle_runs["first"], cycle_runs["second"]
    status = cycle.finding_status(_json(first, "findings"), _json(second, "findings"))
    counts = status["status"].value_counts()
    assert (
        counts.get("open", 0) > 0
        and counts.get("new", 0) + counts.get("resolved", 0) + counts.get("lost", 0) > 0
    )
    expected = {s: int(counts.get(s, 0)) for s in cycle.FINDING_STATUSES}
    summary = _json(second, "summary")["findings"][0]
    assert summary.startswith(f"{expected['new']} new ") and f"{expected['open']} still open" in summary
    assert f"{expected['resolved']} resolved and {expected['lost']} lost since the report of" in summary
    synthesis = _text(second, "02_synthesis")
    assert t("cycle.col.since", "en") in synthesis
    for code in ("new", "open"):
        if counts.get(code, 0):
            assert t(f"cycle.status.{code}", "en") in synthesis


def test_the_plan_against_what_was_published_equals_the_planted_truth(cycle_runs):
    table = pd.read_csv(cycle_runs["second"] / file_of("adherence_networks")).set_index("channel")
    truth = cycle_runs["truth"]
    for network in NETWORKS:
        planted = truth["networks"][network]
        row = table.loc[network]
        found = {k: int(row[k]) for k in ("on_time", "late", "missing", "unplanned")}
        assert found == {k: planted[k] for k in found}, network
        assert int(row["due"]) == planted["planned_due"] and int(row["ambiguous"]) == 0
    total = table.loc["total"]
    assert {k: int(total[k]) for k in truth["total"] if k != "format_mismatch"} == {
        k: v for k, v in truth["total"].items() if k != "format_mismatch"
    }
    matches = pd.read_csv(cycle_runs["second"] / file_of("adherence"))
    planned = matches[matches["status"].isin(["late", "missing"])]
    for network in NETWORKS:
        mine = planned[planned["channel"] == network]
        assert (
            sorted(mine.loc[mine["status"] == "late", "post_no"].astype(int))
            == truth["networks"][network]["late_post_no"]
        )
        assert (
            sorted(mine.loc[mine["status"] == "missing", "post_no"].astype(int))
            == truth["networks"][network]["missing_post_no"]
        )
    text = _text(cycle_runs["second"], "07_tracking")
    assert t("adherence.title", "en") in text


def test_goals_keep_the_first_run_s_trajectory_and_are_read_against_it(cycle_runs):
    first, second = cycle_runs["first"], cycle_runs["second"]
    before = {g["id"]: g for g in _json(first, "goals")}
    for goal in _json(second, "goals"):
        assert goal["set_in"] == first.name, goal["id"]  # the scenario changed no goal
        assert goal["baseline"] == before[goal["id"]]["baseline"]
        assert goal["trajectory"] == before[goal["id"]]["trajectory"]
    tracking = pd.read_csv(second / file_of("tracking"))
    assert (tracking["months_tracked"] == 3).all()  # November, December, January
    assert set(tracking["status"]) <= {*trajectory.STATUSES, "reached"}
    judged = tracking[tracking["status"].isin(trajectory.STATUSES)]
    assert not judged.empty
    for row in judged.itertuples():
        sign = 1 if kpis.KPIS[row.kpi].higher_is_better else -1
        units = sign * row.trajectory_gap / row.trajectory_noise
        rule = (
            "behind"
            if units < -trajectory.BEHIND_NOISE
            else "ahead"
            if units > trajectory.AHEAD_NOISE
            else "on_track"
        )
        assert row.status == rule, row.id
    assert t("trajectory.title", "en") in _text(second, "07_tracking")


def test_the_new_calendar_follows_the_first_and_says_what_changed(cycle_runs):
    first = read_calendar_csv(cycle_runs["first"] / file_of("calendar"))
    second = read_calendar_csv(cycle_runs["second"] / file_of("calendar"))
    assert max(first["date"]) == dt.date(2027, 3, 31)
    assert min(second["date"]) >= dt.date(2027, 4, 1) and max(second["date"]) <= dt.date(2027, 6, 30)
    text = _text(cycle_runs["second"], "06_planning")
    assert (
        "runs from Apr 1, 2027 to Jun 30, 2027: it follows the previous calendar, which planned until Mar 31, 2027"
        in text
    )
    assert t("replan.title", "en") in text
    changes = pd.read_csv(cycle_runs["second"] / file_of("replan"))
    assert set(changes["kind"]) >= {"frequency", "format"}
    # corrective actions are dated after the data, inside the plan
    for action in _json(cycle_runs["second"], "actions"):
        assert dt.date.fromisoformat(action["by"]) > dt.date(2027, 1, 31), action


def test_the_history_holds_both_runs_and_the_report_charts_them(cycle_runs):
    history = read_history("demo", cycle_runs["reports"])
    runs = history[history["kind"] == "run"]
    assert list(runs["run_id"]) == [cycle_runs["first"].name, cycle_runs["second"].name]
    assert list(runs["period_end"]) == ["2026-10-31", "2027-01-31"]
    goals = history[history["kind"] == "goal"]
    assert set(goals["run_id"]) == set(runs["run_id"])
    assert t("cycle.chart_note", "en") in _text(cycle_runs["second"], "07_tracking")
    assert (cycle_runs["reports"] / "index.html").is_file()


@pytest.mark.parametrize("name", ["02_synthesis", "06_planning", "07_tracking"])
def test_the_cycle_s_parts_show_no_internal_word(cycle_runs, name):
    text = _text(cycle_runs["second"], name)
    goal_ids = [g["id"] for g in _json(cycle_runs["second"], "goals")]
    codes = [
        "<NA>",
        "NaN",
        "None",
        "not_distinguishable",
        "capacity_cut",
        "on_time",
        "on_track",
        "not_comparable",
    ]
    for word in goal_ids + codes:
        assert not re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text), (name, word)
