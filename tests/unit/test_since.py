"""The run a run compares with (helpers/run/since.py): which one, and what the two can compare."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from helpers.client import snapshot
from helpers.run import since, state
from helpers.run.context import ManifestError, open_run

KPI = {"engagement_rate": "impressions", "aggregation": "ratio_of_sums", "net_sentiment_neutral": False}


def _run(reports: Path, run_id: str, status: str = state.SUCCEEDED, client: str = "demo",
         period: tuple[str, str] = ("2025-11-01", "2026-10-31"), kpi: dict | None = None) -> Path:  # fmt: skip
    folder = reports / client / run_id
    (folder / snapshot.SNAPSHOT_DIR).mkdir(parents=True)
    state.write_status(folder, {"client": client, "run_id": run_id, "status": status, "finished": "x"})
    meta = {"version": snapshot.VERSION, "client": client, "period": {"start": period[0], "end": period[1]},
            "brief": {"kpi": kpi or KPI}}  # fmt: skip
    (folder / snapshot.SNAPSHOT_DIR / snapshot.META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    return folder


def test_default_is_the_newest_successful_run_before_the_current_one(tmp_path):
    first = _run(tmp_path, "20261101-090000")
    _run(tmp_path, "20261115-090000", status=state.FAILED)
    second = _run(tmp_path, "20261120-090000")
    current = _run(tmp_path, "20261201-090000", status=state.RUNNING)
    client = tmp_path / "demo"
    assert since.resolve(client, "demo", None, current.name) == second
    assert since.resolve(client, "demo", "", "20261120-090000") == first  # runs after it are not taken
    assert since.resolve(client, "demo", None, "20261101-090000") is None  # a client's first run
    assert since.resolve(client, "demo", "none", current.name) is None
    assert since.resolve(client, "demo", "20261101-090000", current.name) == first


def test_a_named_run_that_cannot_be_compared_with_is_refused_naming_the_usable_ones(tmp_path):
    _run(tmp_path, "20261101-090000")
    _run(tmp_path, "20261115-090000", status=state.FAILED)
    _run(tmp_path, "20261116-090000", client="other")
    client = tmp_path / "demo"
    with pytest.raises(since.SinceError, match="did not succeed.*20261101-090000"):
        since.resolve(client, "demo", "20261115-090000")
    with pytest.raises(since.SinceError, match="not a run folder.*20261101-090000.*--since none"):
        since.resolve(client, "demo", "20990101-000000")
    with pytest.raises(since.SinceError, match="another client"):
        since.resolve(client, "demo", str(tmp_path / "other" / "20261116-090000"))
    with pytest.raises(since.SinceError, match="itself"):
        since.resolve(client, "demo", "20261101-090000", current="20261101-090000")


@pytest.mark.parametrize(
    ("period", "relation", "overlap"),
    [
        (("2025-11-01", "2026-10-31"), "same", 365),
        (("2026-02-01", "2027-01-31"), "overlapping", 273),
        (("2026-11-01", "2026-11-30"), "following", 0),
        (("2025-08-01", "2026-07-31"), "earlier", 273),
    ],
)
def test_comparability_names_the_windows_and_how_they_stand(tmp_path, period, relation, overlap):
    previous = since.previous_run(_run(tmp_path, "20261101-090000"))
    start, end = (dt.date.fromisoformat(d) for d in period)
    result = since.comparability(previous, start, end, KPI)
    assert result["relation"] == relation and result["overlap_days"] == overlap
    assert (result["previous_start"], result["previous_end"]) == ("2025-11-01", "2026-10-31")
    assert (result["start"], result["end"]) == period
    assert result["comparable"] is (relation != "earlier")


def test_a_changed_convention_is_named_and_makes_the_runs_not_comparable(tmp_path):
    previous = since.previous_run(_run(tmp_path, "20261101-090000", kpi={**KPI, "engagement_rate": "reach"}))
    result = since.comparability(previous, dt.date(2026, 2, 1), dt.date(2027, 1, 31), KPI)
    assert result["changed_conventions"] == [{"key": "engagement_rate", "before": "reach", "after": "impressions"}]
    assert result["comparable"] is False


def test_open_run_finds_the_previous_run_next_to_its_folder_and_reads_it_per_the_manifest(tmp_path):
    first = _run(tmp_path, "20261101-090000")
    (first / "findings.json").write_text('[{"id": "reels_instagram"}]', encoding="utf-8")
    run = open_run("demo", run_dir=str(tmp_path / "demo" / "workspace"), lang="en", step="02_synthesis")
    assert run.since_dir == first and run.previous.run_id == first.name
    assert run.previous_load("findings") == [{"id": "reels_instagram"}]
    assert run.comparison()["relation"] == "same"
    with pytest.raises(ManifestError, match="previous run's 'calendar.csv'.*06_planning, 07_tracking"):
        run.previous_path("calendar")
    alone = open_run("demo", run_dir=str(tmp_path / "demo" / "workspace"), lang="en", since_dir="none")
    assert alone.previous is None and alone.comparison() is None and alone.previous_load("findings") is None
