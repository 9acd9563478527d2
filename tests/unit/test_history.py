"""The client's history over runs (reports/<client>/history.csv): one set of rows per successful run."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from helpers.run import history as hist
from helpers.run.history import (
    HistoryError,
    goal_rows,
    kpi_rows,
    read_history,
    read_history_file,
    record_runs,
    trend_over_runs,
)

KPIS = """kpi,variant,scope,value,unit
followers,,facebook,{fb},count
followers,,instagram,{ig},count
engagement_rate,{convention},instagram,{er},percent
interactions_per_1000,,instagram,4.6,per_1000
share_of_voice,,Acme,{sov},percent
share_of_voice,,Rival,0.6,percent
response_rate,,x,,percent
"""
TRACKING = """id,label,kpi,scope,target,baseline,deadline,actual,expected,forecast,gap,status
ig_community,IG +8 %,followers,instagram,1100,1000,2027-03-31,{ig},1010,1090,-0.1,{status}
"""


def fake_run(
    client_dir: Path,
    run_id: str,
    status: str = "succeeded",
    fb: str = "500",
    ig: str = "1000",
    er: float = 0.05,
    sov: float = 0.4,
    convention: str = "impressions/ratio_of_sums",
    goal_status: str = "at_risk",
    tracking: bool = True,
) -> Path:
    run = client_dir / run_id
    (run / "tables").mkdir(parents=True)
    finished = f"{run_id[:4]}-{run_id[4:6]}-{run_id[6:8]}T10:00:00+00:00"
    (run / "run.json").write_text(
        json.dumps({"client": client_dir.name, "status": status, "finished": finished})
    )
    (run / "inputs.json").write_text(json.dumps({"parameters": {"lang": "en"}}))
    from helpers.client.snapshot import VERSION

    meta = {"version": VERSION, "period": {"start": "2025-11-01", "end": "2026-10-31"},
            "brief": {"client": {"name": "Acme"}, "analysis": {"change_threshold": 0.1}}}  # fmt: skip
    (run / "tables" / "snapshot.json").write_text(json.dumps(meta))
    (run / "kpis.csv").write_text(KPIS.format(fb=fb, ig=ig, er=er, sov=sov, convention=convention))
    if tracking:
        (run / "tracking.csv").write_text(TRACKING.format(ig=ig, status=goal_status))
    (run / "goals.json").write_text(json.dumps([{"id": "ig_community", "kpi": "followers", "target": 1100}]))
    return run


def test_kpi_rows_keep_the_headline_kpis_a_total_and_the_own_brand():
    table = pd.read_csv(pd.io.common.StringIO(KPIS.format(fb=500, ig=1000, er=0.05, sov=0.4, convention="c")))
    rows = pd.DataFrame(kpi_rows(table, "Acme"))
    assert "interactions_per_1000" not in set(rows["key"])  # not a headline KPI
    followers = rows[rows["key"] == "followers"].set_index("scope")["value"].to_dict()
    assert followers == {"facebook": 500, "instagram": 1000, "total": 1500}
    sov = rows[rows["key"] == "share_of_voice"]
    assert sov[["scope", "value"]].values.tolist() == [["brand", 0.4]]  # the rival's is not kept
    assert math.isnan(rows[rows["key"] == "response_rate"]["value"].iloc[0])  # unknown stays unknown
    # a network whose followers are unknown: the total is unknown, never a partial sum
    partial = pd.read_csv(
        pd.io.common.StringIO(KPIS.format(fb="", ig=1000, er=0.05, sov=0.4, convention="c"))
    )
    total = [r for r in kpi_rows(partial, "Acme") if r["key"] == "followers" and r["scope"] == "total"]
    assert math.isnan(total[0]["value"])
    # without the brand's name, no market KPI is guessed
    assert not [r for r in kpi_rows(table, None) if r["key"] == "share_of_voice"]
    with pytest.raises(HistoryError, match="without column value"):
        kpi_rows(table.drop(columns=["value"]), "Acme")


def test_goal_rows_from_tracking_else_from_goals():
    tracking = pd.read_csv(pd.io.common.StringIO(TRACKING.format(ig=1005, status="on_track")))
    (row,) = goal_rows(tracking, None)
    assert (row["key"], row["value"], row["target"], row["expected"], row["status"]) == (
        "ig_community",
        1005,
        1100,
        1010,
        "on_track",
    )
    (planned,) = goal_rows(None, [{"id": "g1", "kpi": "followers", "target": 10, "baseline": 8}])
    assert planned["status"] == "" and math.isnan(planned["value"]) and planned["target"] == 10


def test_two_runs_give_two_rows_per_key_and_never_duplicate(tmp_path):
    client = tmp_path / "reports" / "acme"
    fake_run(client, "20261101-090000", ig="1000", er=0.05)
    assert record_runs(client) == ["20261101-090000"]
    fake_run(client, "20261201-090000", ig="1200", er=0.0505, goal_status="on_track")
    assert record_runs(client) == ["20261201-090000"]
    assert record_runs(client) == []  # re-running adds nothing
    history = read_history("acme", tmp_path / "reports")
    counts = history.groupby(["kind", "key", "scope"], dropna=False).size()
    assert set(counts) == {2}  # every figure once per run
    assert history[history["kind"] == "run"]["run_id"].tolist() == ["20261101-090000", "20261201-090000"]
    assert set(history["lang"]) == {"en"} and set(history["period_end"]) == {"2026-10-31"}
    assert not list(client.glob(".history.csv.*"))  # written through a temporary file

    followers = trend_over_runs(history, "followers", scope="instagram")
    assert followers["value"].tolist() == [1000, 1200]
    assert followers["direction"].tolist() == ["unknown", "up"] and followers["change"].iloc[
        1
    ] == pytest.approx(0.2)
    rate = trend_over_runs(history, "engagement_rate", scope="instagram", change_threshold=0.15)
    assert rate["direction"].iloc[-1] == "stable"  # +1 % is under the threshold
    goal = trend_over_runs(history, "ig_community", kind="goal")
    assert goal[["status_before", "status"]].iloc[-1].tolist() == ["at_risk", "on_track"]


def test_a_changed_convention_is_not_compared(tmp_path):
    client = tmp_path / "acme"
    fake_run(client, "20261101-090000", er=0.05)
    fake_run(client, "20261201-090000", er=0.09, convention="reach/mean_of_rates")
    record_runs(client)
    rate = trend_over_runs(read_history_file(client / "history.csv"), "engagement_rate", scope="instagram")
    assert rate["direction"].iloc[-1] == "not_comparable" and math.isnan(rate["change"].iloc[-1])


def test_a_failed_or_interrupted_run_adds_nothing(tmp_path):
    client = tmp_path / "acme"
    fake_run(client, "20261101-090000")
    fake_run(client, "20261102-090000", status="failed", ig="9999")
    fake_run(client, "20261103-090000", status="interrupted", ig="9999")
    assert record_runs(client) == ["20261101-090000"]
    assert record_runs(client, ["20261102-090000"]) == []
    history = read_history_file(client / "history.csv")
    assert set(history["run_id"]) == {"20261101-090000"} and 9999 not in history["value"].tolist()
    # a client whose only run failed has no history file at all
    other = tmp_path / "other"
    fake_run(other, "20261101-090000", status="failed")
    assert record_runs(other) == [] and not (other / "history.csv").exists()


def test_an_older_file_is_upgraded_and_a_corrupt_one_is_refused(tmp_path):
    client = tmp_path / "acme"
    client.mkdir()
    (client / "history.csv").write_text(
        "run_id,kind,key,scope,value\n20261001-090000,kpi,followers,total,900\n"
    )
    older = read_history_file(client / "history.csv")
    assert list(older.columns) == list(hist.COLUMNS) and older["value"].tolist() == [900]
    fake_run(client, "20261101-090000")
    record_runs(client)
    upgraded = read_history_file(client / "history.csv")
    assert set(upgraded["run_id"]) == {"20261001-090000", "20261101-090000"}
    assert trend_over_runs(upgraded, "followers", scope="total")["value"].tolist() == [900, 1500]

    (client / "history.csv").write_text("date,followers\n2026-01-01,3\n")
    with pytest.raises(HistoryError, match="not a run history .no column run_id, kind, key"):
        read_history_file(client / "history.csv")
    fake_run(client, "20261201-090000")
    with pytest.raises(HistoryError, match="move it aside"):
        record_runs(client)
    assert (client / "history.csv").read_text() == "date,followers\n2026-01-01,3\n"  # left as it was
    (client / "history.csv").write_text("run_id,kind,key\n1,oops,x\n")
    with pytest.raises(HistoryError, match="unknown kind 'oops'"):
        read_history_file(client / "history.csv")


def test_trend_over_runs_checks_its_arguments_and_handles_no_data():
    empty = read_history_file(Path("/nonexistent/history.csv"))
    assert empty.empty and trend_over_runs(empty, "followers").empty
    with pytest.raises(ValueError, match="kind must be"):
        trend_over_runs(empty, "followers", kind="run")
    with pytest.raises(ValueError, match="change_threshold must be positive"):
        trend_over_runs(empty, "followers", change_threshold=0)


def test_unknown_figures_give_an_unknown_direction(tmp_path):
    client = tmp_path / "acme"
    fake_run(client, "20261101-090000", fb="")
    fake_run(client, "20261201-090000", fb="600")
    record_runs(client)
    total = trend_over_runs(read_history_file(client / "history.csv"), "followers", scope="total")
    assert math.isnan(total["value"].iloc[0]) and total["direction"].tolist() == ["unknown", "unknown"]


def test_the_runner_records_a_success_and_reports_an_unreadable_history(tmp_path):
    from helpers.run.runner import _record_history

    client = tmp_path / "acme"
    fake_run(client, "20261101-090000")
    said: list[str] = []
    _record_history(client, said.append)
    assert said == [] and set(read_history_file(client / "history.csv")["run_id"]) == {"20261101-090000"}
    (client / "history.csv").write_text("date,followers\n")
    fake_run(client, "20261201-090000")
    _record_history(client, said.append)  # the run stays a success; the problem is said
    assert len(said) == 1 and said[0].startswith("warning: the history over runs was not updated")
