"""The goal builder of 04 and goals scoped to a persona."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import yaml

from helpers.client.brief import Brief, BriefError, load_brief
from helpers.method import goals
from helpers.report.builder import builder
from helpers.run.context import open_run
from tests.conftest import DEMO


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return open_run("demo", run_dir=str(tmp_path_factory.mktemp("run")), lang="en")


def test_builder_starts_from_the_brief_goal_and_checks_it(run):
    draft = builder(run, "ig_community")
    check = draft.check()
    first = goals.check_goal(run.brief.goals[0], run.brief, run.data.tables, run.end)
    assert (check.kpi, check.scope, check.target) == ("followers", "instagram", pytest.approx(first.target))
    assert check.achievability == first.achievability == "likely"


def test_changing_the_target_changes_the_verdict(run):
    draft = builder(run, "ig_community")
    draft.state.update(mode="relative", target=200.0)  # tripling in a quarter
    assert draft.check().achievability == "unrealistic"
    assert "Unrealistic" in draft.render().markup or "unrealistic" in draft.render().markup
    draft.state.update(deadline=dt.date(2026, 1, 1))  # before the baseline: not time-bound
    assert not draft.check().letters["T"]["pass"]


def test_widgets_update_the_check_live(run):
    draft = builder(run, "ig_community")
    box = draft.widget()
    *controls, result = box.children
    before = result.value
    target = next(c for c in controls if c.description == "Target")
    target.value = 500.0
    assert result.value != before and draft.state["target"] == 500.0
    assert draft.check().achievability == "unrealistic"


def test_an_invalid_draft_says_why_instead_of_failing(run):
    draft = builder(run)
    draft.state.update(deadline=None)
    html = draft.render().markup
    assert "Not a valid goal yet" in html and "deadline" in html


def test_static_rendering_stands_beside_the_widget(run):
    bundle = builder(run)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "wb-card" in bundle["text/html"] and "S · Specific" in bundle["text/html"]


def test_the_yaml_it_gives_is_a_valid_goal_of_the_brief(run):
    draft = builder(run, "social_sqls")
    draft.state.update(target=25.0)
    pasted = yaml.safe_load(draft.as_yaml())
    raw = load_brief(DEMO / "brief.yaml").model_dump(mode="json")
    raw["goals"] = [*raw["goals"], *pasted]
    brief = Brief.model_validate(raw)
    assert brief.goals[-1].target.relative == pytest.approx(0.25)
    assert brief.goals[-1].id == f"{brief.goals[-1].scope}_sqls"


def _persona_brief(scope: str) -> Brief:
    raw = load_brief(DEMO / "brief.yaml").model_dump(mode="json")
    goal = {"id": "clara_leads", "objective": "leads", "kpi": "leads", "scope": scope,
            "target": {"relative": 0.2}, "deadline": "2027-03-31", "business_objective": "online_sales"}
    raw["goals"] = [goal]
    return Brief.model_validate(raw)


def test_a_goal_can_aim_at_a_persona_of_the_brief(run):
    brief = _persona_brief("persona:Clara, la convertie au naturel")
    tables = {**run.data.tables, "leads": pd.DataFrame({
        "date": pd.date_range("2026-01-01", periods=10, freq="MS").repeat(2),
        "channel": "instagram",
        "leads": [10, 3] * 10, "sqls": [2, 1] * 10, "revenue": 0.0,
        "persona": ["Clara, la convertie au naturel", "Hélène, la fidèle de la boutique"] * 10,
    })}
    check = goals.check_goal(brief.goals[0], brief, tables, dt.date(2026, 10, 31))
    assert check.letters["S"]["pass"] and check.letters["M"]["pass"]
    assert check.baseline == pytest.approx(10.0)  # Clara's leads only, mean of the last 3 months
    no_persona = {**tables, "leads": tables["leads"].drop(columns="persona")}
    check = goals.check_goal(brief.goals[0], brief, no_persona, dt.date(2026, 10, 31))
    assert check.letters["S"]["pass"] and not check.letters["M"]["pass"]


def test_an_unknown_persona_scope_is_named(tmp_path):
    raw = load_brief(DEMO / "brief.yaml").model_dump(mode="json")
    raw["goals"][0]["scope"] = "persona:Nobody"
    path = tmp_path / "brief.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(BriefError, match="scope 'persona:Nobody'.*persona:Clara"):
        load_brief(path)
