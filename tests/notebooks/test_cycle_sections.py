"""Since the last report, end to end: two runs of the demo into one reports folder. The first compares
with nothing (``--since none``): no section, no column, no summary line. The second compares with the
first: 07 opens with the section, 02's findings say whether each is new or still open, the summary
counts them, and ``since.csv`` holds the KPI changes."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from helpers.report.i18n import t
from helpers.run.artefacts import file_of
from helpers.run.runner import run_client

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    reports = tmp_path_factory.mktemp("cycle") / "reports"
    quiet = lambda _message: None  # noqa: E731
    first = run_client("demo", reports_dir=reports, since="none", progress=quiet)
    assert first.status == "succeeded", first.error
    second = run_client("demo", reports_dir=reports, progress=quiet)
    assert second.status == "succeeded", second.error
    return {"first": first.run_dir, "second": second.run_dir}


def _html(run_dir: Path, name: str) -> str:
    return (run_dir / f"{name}.html").read_text(encoding="utf-8")


def test_without_a_previous_run_nothing_shows(runs):
    tracking = _html(runs["first"], "07_tracking")
    assert f"<h2>{t('cycle.title', 'fr')}</h2>" not in tracking
    for title in ("cycle.kpis_title", "cycle.goals_title"):
        assert f"<h3>{t(title, 'fr')}</h3>" not in tracking
    assert t("cycle.chart_note", "fr") not in tracking
    synthesis = _html(runs["first"], "02_synthesis")
    assert t("cycle.col.since", "fr") not in synthesis and t("cycle.left_title", "fr") not in synthesis
    summary = json.loads((runs["first"] / file_of("summary")).read_text(encoding="utf-8"))
    assert not any("depuis le rapport du" in line for line in summary["findings"])
    assert pd.read_csv(runs["first"] / file_of("since")).empty


def test_a_second_run_says_what_changed_since_the_first(runs):
    tracking = _html(runs["second"], "07_tracking")
    assert f"<h2>{t('cycle.title', 'fr')}</h2>" in tracking
    # placed right after the title, before the goal statuses
    assert tracking.index(t("cycle.title", "fr")) < tracking.index(t("tracking.goals", "fr"))
    assert "même période" in tracking  # the same demo period twice: the windows are named
    assert f"<h3>{t('cycle.goals_title', 'fr')}</h3>" in tracking
    assert t("cycle.chart_note", "fr") in tracking  # the last runs' chart (two runs)
    for leaked in ("ig_community", "<NA>", "NaN", "not_comparable"):
        assert leaked not in tracking
    synthesis = _html(runs["second"], "02_synthesis")
    assert t("cycle.col.since", "fr") in synthesis and t("cycle.status.open", "fr") in synthesis
    summary = json.loads((runs["second"] / file_of("summary")).read_text(encoding="utf-8"))
    assert "depuis le rapport du" in summary["findings"][0]
    since = pd.read_csv(runs["second"] / file_of("since"))
    assert {"followers", "engagement_rate"} <= set(since["kpi"])
    assert set(since["verdict"]) <= {"stable", "unknown"}  # the same data twice: nothing moved
