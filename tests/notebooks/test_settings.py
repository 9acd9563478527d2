"""The analysis thresholds are in reach: each notebook's parameters cell overrides the brief's
``analysis:`` section for one run, and the default follows the brief."""

from __future__ import annotations

import json

import pandas as pd
import papermill as pm
import pytest

from helpers.config import KERNEL_NAME, NOTEBOOKS_DIR

pytestmark = pytest.mark.e2e


def _execute(name: str, out_dir, **parameters) -> None:
    pm.execute_notebook(
        str(NOTEBOOKS_DIR / f"{name}.ipynb"),
        str(out_dir / f"{name}.ipynb"),
        parameters={"run_dir": str(out_dir), **parameters},
        kernel_name=KERNEL_NAME,
        cwd=str(NOTEBOOKS_DIR),
        progress_bar=False,
    )


@pytest.fixture(scope="module")
def strict(tmp_path_factory):
    """01 and 02 run by hand with raised thresholds (min_posts 20, change_threshold 0.5)."""
    folder = tmp_path_factory.mktemp("strict")
    _execute("01_observation", folder, min_posts=20)
    _execute("02_synthesis", folder, min_posts=20, change_threshold=0.5)
    return folder


def test_min_posts_parameter_sets_the_best_slots_of_01(runs, strict):
    default = pd.read_csv(runs["fr"] / "best_slots.csv")
    assert len(default) and default["posts"].min() >= 5
    assert (default["posts"] < 20).any(), "the default keeps slots of 5 to 19 posts"
    raised = pd.read_csv(strict / "best_slots.csv")
    assert raised.empty or raised["posts"].min() >= 20
    assert not default.equals(raised)
    shown = json.loads((strict / "01_observation.ipynb").read_text(encoding="utf-8"))
    html = "".join(
        "".join(o.get("data", {}).get("text/html", ""))
        for c in shown["cells"]
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
    )
    assert "moins de 20 publications sont grisées" in html  # the heatmap's note quotes the setting


def test_change_threshold_parameter_sets_the_declines_of_02(runs, strict):
    trend = pd.read_csv(runs["fr"] / "engagement_trend.csv").set_index("channel")["change"]
    default = {f["id"] for f in json.loads((runs["fr"] / "findings.json").read_text(encoding="utf-8"))}
    raised = {f["id"] for f in json.loads((strict / "findings.json").read_text(encoding="utf-8"))}
    expected = {f"decline_{c}" for c, change in trend.items() if change <= -0.15}
    assert expected and expected <= default  # the brief's 15 %
    assert not {f"decline_{c}" for c, change in trend.items() if change > -0.5} & raised
    params = json.loads((strict / "02_synthesis.ipynb").read_text(encoding="utf-8"))["metadata"]["papermill"]
    assert params["parameters"]["change_threshold"] == 0.5


def test_a_bad_setting_is_refused_with_the_parameter_named(tmp_path):
    with pytest.raises(
        pm.PapermillExecutionError, match=r"parameter min_posts = 0: .*greater than or equal to 1"
    ):
        _execute("01_observation", tmp_path, min_posts=0)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_client_report_lists_top_and_flop_posts_per_network_with_their_links(runs, lang):
    import re

    posts = pd.read_parquet(runs[lang] / "tables" / "posts.parquet")
    html = (runs[lang] / "report.html").read_text(encoding="utf-8")
    links = set(re.findall(r'<a href="(https://[^"]+)"[^>]*>', html))
    by_link = posts.dropna(subset=["permalink"]).set_index("permalink")["channel"]
    linked = by_link[by_link.index.isin(links)]
    assert set(linked) == set(posts["channel"]), "every network has its tops and flops linked"
    assert linked.value_counts().min() >= 2  # at least one top and one flop each
