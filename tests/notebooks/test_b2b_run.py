"""The whole series on the second test client, Brightlane Analytics (UK, B2B, English), end to end.

The run must succeed, deliver in English, and conclude what a senior analyst would from the planted
truths (checked on the imported tables by tests/unit/test_b2b_data.py): TikTok's rise among the top
findings, the Tuesday 08:00 slot, LinkedIn ranked on the criteria it has data for, a calendar with no
weekend LinkedIn post that fits the team's hours, and goals whose statuses agree with their figures. The client is run from a
copy whose exports are dated as they were downloaded (TikTok's dates have no year: the importer takes
it from the file's date), so the run reads the same data whenever the repository was checked out.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers.config import CLIENTS_DIR, NOTEBOOKS
from tests.conftest import workbook
from tools.clients.b2b import exports as b2b_exports
from tools.clients.b2b.generate import CLIENT

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("b2b")
    clients, reports = root / "clients", root / "reports"
    shutil.copytree(CLIENTS_DIR / CLIENT, clients / CLIENT)
    b2b_exports.stamp(clients / CLIENT / "exports")
    started = time.monotonic()
    done = workbook("run", CLIENT, "--clients-dir", str(clients), "--reports-dir", str(reports))
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr[-3000:]
    return {"dir": Path(done.stdout.strip()).parent, "stderr": done.stderr, "seconds": seconds}


def test_the_run_succeeds_in_english_within_a_minute(run: dict) -> None:
    for i, name in enumerate(NOTEBOOKS, 1):
        assert f"[{i}/{len(NOTEBOOKS)}] {name} ok" in run["stderr"]
    assert run["seconds"] <= 60, f"the run took {run['seconds']:.0f} s"


def test_every_notebook_ran_without_error(run: dict) -> None:
    for name in NOTEBOOKS:
        nb = nbformat.read(run["dir"] / f"{name}.ipynb", as_version=4)
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        assert not errors, name
        assert nb.metadata.papermill.parameters["lang"] == "en"


def test_the_deliverables_speak_english_and_name_the_client(run: dict) -> None:
    index = (run["dir"] / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in index and "Brightlane Analytics" in index
    assert "Executive summary" in index and "Synthèse pour la direction" not in index
    findings = json.loads((run["dir"] / "findings.json").read_text(encoding="utf-8"))
    assert findings, "no finding"


def test_tiktok_s_rise_is_a_top_finding_and_linkedin_s_noise_titles_nothing(run: dict) -> None:
    trend = pd.read_csv(run["dir"] / "engagement_trend.csv").set_index("channel")
    assert trend.loc["tiktok", "direction"] == "rise" and trend.loc["tiktok", "change"] > 0.4
    assert trend.loc["linkedin", "direction"] == "not_distinguishable"
    assert (trend["recent_start"] == "2026-07-01").all() and (trend["before_start"] == "2026-04-01").all()
    findings = json.loads((run["dir"] / "findings.json").read_text(encoding="utf-8"))
    rise = next(f for f in findings if f["id"] == "rise_tiktok")
    assert rise["kind"] == "opportunity" and rise["top"]
    assert not any(f["id"].endswith("_linkedin") and f["kpi"] == "engagement_rate" for f in findings)
    page = (run["dir"] / "01_observation.html").read_text(encoding="utf-8")
    assert re.search(r"Engagement on TikTok rose \d+%: Jul–Sept? 2026 against Apr–Jun 2026", page)
    assert "Engagement on LinkedIn" not in page


def test_goal_statuses_agree_with_their_figures(run: dict) -> None:
    import pandas as pd

    goals = {g["id"]: g for g in json.loads((run["dir"] / "goals.json").read_text(encoding="utf-8"))}
    tracking = pd.read_csv(run["dir"] / "tracking.csv").set_index("id")
    # "Keep TikTok engagement above 5 %": the latest month is above 5 %, so never "at risk"
    assert tracking.loc["tt_engagement", "actual"] >= tracking.loc["tt_engagement", "target"]
    assert tracking.loc["tt_engagement", "status"] == "reached"
    ahead = tracking[tracking["status"].isin(["on_track", "at_risk"])]
    assert ((ahead["forecast"] >= ahead["target"]) == (ahead["status"] == "on_track")).all()
    assert goals["li_community"]["achievability"] == "likely"  # followers: steady monthly growth
    assert goals["li_sqls"]["achievability"] == "uncertain"  # a handful of SQLs a month: noise
    page = (run["dir"] / "04_smart_goals.html").read_text(encoding="utf-8")
    assert "± 0.0" not in page and "95% prediction interval" in page


def test_slots_and_the_mix_follow_the_sample_rule(run: dict) -> None:
    slots = pd.read_csv(run["dir"] / "slots.csv")
    linkedin = slots[slots["channel"] == "linkedin"]
    assert len(linkedin) and not (linkedin["weekday"] >= 5).any(), "a weekend LinkedIn slot on ~1 % weekend posts"
    assert (linkedin.iloc[0]["weekday"], linkedin.iloc[0]["hour"]) == (1, 8)  # the planted Tuesday 8:00
    assert (slots["posts"] >= 5).all()
    mix = pd.read_csv(run["dir"] / "format_mix.csv").set_index(["channel", "format"])
    # TikTok carousels: 8 % of past posts and no lift keep their past share, not half of TikTok
    carousel = mix.loc[("tiktok", "carousel")]
    assert carousel["verdict"] != "above" and carousel["share"] <= carousel["past_share"] + 1e-9


def test_linkedin_is_ranked_on_its_data_and_the_plan_is_one_the_data_supports(run: dict) -> None:
    from helpers.method.planning import read_calendar_csv

    strategy = re.sub(r"<[^>]+>", " ", (run["dir"] / "05_strategy.html").read_text(encoding="utf-8"))
    choice = re.sub(r"\s+", " ", strategy.split("Choice of networks", 1)[1])
    # B2B, no age data on LinkedIn: ranked first on the 4 criteria it has, not sunk by a 0
    assert re.search(r"^.{0,400}?LinkedIn \(0\.\d\d\)[^.]*\. Scored on 4 of 5 criteria; no data for audience fit", choice)
    assert choice.index("LinkedIn (") < choice.index("Instagram (") < choice.index("TikTok (")
    calendar = read_calendar_csv(run["dir"] / "calendar.csv")
    linkedin = calendar[calendar["channel"] == "linkedin"]
    assert len(linkedin) and not any(d.weekday() >= 5 for d in linkedin["date"]), "weekend LinkedIn post"
    workload = pd.read_csv(run["dir"] / "workload.csv")
    assert (workload["utilisation"] <= 1 + 1e-9).all(), workload
    # no post is tied to the response-rate goal: answering messages is care work, not content
    assert "care_response" not in set(calendar["goal_id"].dropna())
    summary = json.loads((run["dir"] / "summary.json").read_text(encoding="utf-8"))
    steps = " ".join(summary["next_steps"])
    assert "n/a" not in steps and "review" not in steps.lower()
    assert re.search(r"LinkedIn's own rate there is \d+\.\d\d%", steps)
